/**
 * The HTTP lifecycle on a real loopback server with a tiny app: the timeouts and the connection cap
 * (small values, asserted by what the client sees, never by timing), and the drain: early exit when
 * idle, `Connection: close` and 503 once draining, a JSON-RPC error for a request cut at the deadline.
 */

import { once } from 'node:events';
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { type LogLine, logSink } from '../../test/support/logs.js';
import { createLogger } from '../logger.js';
import { createHttpServer, Drainer, type ServerLimits } from './server.js';

const LIMITS: ServerLimits = { headersTimeoutMs: 200, requestTimeoutMs: 400, keepAliveTimeoutMs: 200, maxConnections: 50 };

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  if (server?.listening) {
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
  }
  server = undefined;
});

function debugLogger(lines: LogLine[]) {
  return createLogger('debug', logSink(lines));
}

/** An app with the drainer in front and two routes: /fast answers, /hang never does (until cut). */
async function start(limits: Partial<ServerLimits> = {}, lines: LogLine[] = []) {
  const drainer = new Drainer();
  const app = express();
  app.use(drainer.track);
  app.use('/mcp', drainer.refuseWhileDraining);
  app.post('/mcp/fast', express.json(), (req, res) => {
    res.json({ jsonrpc: '2.0', id: (req.body as { id: number }).id, result: {} });
  });
  let hung!: () => void;
  const hanging = new Promise<void>((r) => (hung = r));
  app.post('/mcp/hang', express.json(), () => {
    hung(); // never answers: the drain deadline must
  });
  const logger = debugLogger(lines);
  server = createHttpServer(app, { ...LIMITS, ...limits }, logger);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { drainer, port, logger, server, hanging };
}

/** A raw client socket collecting everything the server sends until it closes. */
async function rawSocket(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let data = '';
  socket.on('data', (c: Buffer) => (data += c.toString()));
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => data);
  await once(socket, 'connect');
  return { socket, closed, data: () => data };
}

const post = (path: string, body: string, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

/** Wait until the text appears in what the socket received (or it closes). */
async function until(s: { socket: Socket; data: () => string }, text: string): Promise<string> {
  while (!s.data().includes(text)) {
    const r = await Promise.race([once(s.socket, 'data').then(() => 'data'), once(s.socket, 'close').then(() => 'close')]);
    if (r === 'close') break;
  }
  return s.data();
}

describe('timeouts and the connection cap', () => {
  it('stalled headers get 408 and the connection is closed (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const { port } = await start();
    const s = await rawSocket(port);
    s.socket.write('POST /mcp/fast HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // never finishes the headers
    expect(await s.closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a connection that sends nothing is closed too (408 from Node, or our silent-socket timeout)', async () => {
    const { port } = await start();
    const s = await rawSocket(port);
    expect(await s.closed).toMatch(/^(HTTP\/1\.1 408 .*)?$/s);
  });

  it('a stalled body gets 408 and the connection is closed (HTTP_REQUEST_TIMEOUT_MS)', async () => {
    const { port } = await start();
    const s = await rawSocket(port);
    s.socket.write('POST /mcp/fast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"');
    expect(await s.closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('an idle keep-alive connection is closed by the server (HTTP_KEEPALIVE_TIMEOUT_MS)', async () => {
    const { port } = await start();
    const s = await rawSocket(port);
    s.socket.write(post('/mcp/fast', '{"id":1}'));
    const out = await s.closed;
    expect(out).toMatch(/^HTTP\/1\.1 200/);
    expect(out).toMatch(/Keep-Alive: timeout=0/i); // 200 ms, announced in whole seconds
  });

  it('connections beyond HTTP_MAX_CONNECTIONS are closed at once; one throttled warning', async () => {
    const lines: LogLine[] = [];
    const { port } = await start(
      { maxConnections: 2, keepAliveTimeoutMs: 10_000, headersTimeoutMs: 10_000, requestTimeoutMs: 10_000 },
      lines,
    );
    const a = await rawSocket(port);
    const b = await rawSocket(port);
    // Both held open by a served request each, so the server has certainly counted them.
    a.socket.write(post('/mcp/fast', '{"id":1}'));
    b.socket.write(post('/mcp/fast', '{"id":2}'));
    await until(a, '"id":1');
    await until(b, '"id":2');
    const c = await rawSocket(port);
    const d = await rawSocket(port);
    expect(await c.closed).toBe('');
    expect(await d.closed).toBe('');
    const warnings = lines.filter((l) => l.msg.startsWith('connections refused'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, maxConnections: 2 });
    // The connections within the cap still work.
    a.socket.write(post('/mcp/fast', '{"id":4}'));
    expect(await until(a, '"id":4')).toContain('"id":4');
  });
});

describe('drain', () => {
  it('exits at once when idle, without waiting for the deadline', async () => {
    const { drainer, server: srv, logger } = await start();
    // A deadline longer than the test timeout: only an early exit can pass.
    const result = await drainer.drain(srv, 600_000, logger);
    expect(result).toEqual({ inFlight: 0, cut: 0 });
    expect(srv.listening).toBe(false);
  });

  it('once draining: the in-flight request finishes with Connection: close; a request that starts later gets 503', async () => {
    const lines: LogLine[] = [];
    const {
      drainer,
      port,
      server: srv,
      logger,
    } = await start({ keepAliveTimeoutMs: 10_000, headersTimeoutMs: 10_000, requestTimeoutMs: 10_000 }, lines);
    // `late` has begun its headers (so its connection is not idle and stays open); they end after the
    // drain began. `inFlight` has sent its headers (so it is being served) but not yet its body.
    const late = await rawSocket(port);
    late.socket.write('POST /mcp/fast HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const inFlight = await rawSocket(port);
    inFlight.socket.write(post('/mcp/fast', '{"id":7}').replace('{"id":7}', ''));
    while (drainer.inFlight < 1) await new Promise((r) => setTimeout(r, 5));
    const draining = drainer.drain(srv, 600_000, logger);
    expect(drainer.draining).toBe(true);
    inFlight.socket.write('{"id":7}');
    late.socket.write('Content-Type: application/json\r\nContent-Length: 8\r\n\r\n{"id":8}');
    const first = await inFlight.closed;
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toMatch(/Connection: close/i);
    expect(first).toContain('"id":7');
    const second = await late.closed;
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/Connection: close/i);
    expect(second).toMatch(/Retry-After: 1/i);
    expect(second).toMatch(/"error":\{"code":-32000,"message":"Service unavailable: the server is shutting down/);
    expect(await draining).toEqual({ inFlight: 1, cut: 0 });
    expect(srv.listening).toBe(false);
  });

  it('a request still running at the deadline gets a JSON-RPC error for its id, not a reset', async () => {
    const lines: LogLine[] = [];
    const { drainer, port, server: srv, logger, hanging } = await start({}, lines);
    const s = await rawSocket(port);
    s.socket.write(post('/mcp/hang', '{"jsonrpc":"2.0","id":"call-42","method":"tools/call"}'));
    await hanging;
    const result = await drainer.drain(srv, 50, logger);
    expect(result).toEqual({ inFlight: 1, cut: 1 });
    const out = await s.closed;
    expect(out).toMatch(/^HTTP\/1\.1 503/);
    expect(out).toMatch(/Connection: close/i);
    const body = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4)) as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe('call-42');
    expect(body.error.code).toBe(-32000);
    expect(body.error.message).toMatch(/shut down before this request finished/);
    expect(lines.filter((l) => l.msg.startsWith('drain deadline reached'))).toHaveLength(1);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});
