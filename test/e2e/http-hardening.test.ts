/**
 * The HTTP edge of the real server: unreadable bodies are the client's fault (415/400, never 500),
 * query strings never reach the log, a client that goes away is one warning (no error-level line,
 * no stack trace), and a tool call still running at the drain deadline gets a JSON-RPC error.
 */

import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { type FakeIntervals, startFakeIntervals } from '../fake-intervals/index.js';
import { API_KEY, type Stack, startStack, TODAY } from '../support/harness.js';
import { type LogLine, logSink } from '../support/logs.js';
import { INIT, MCP_HEADERS } from '../support/raw-mcp.js';

const toolCall = (id: number) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_activities', arguments: { limit: 3 } } });

/** Wait (bounded by the test timeout) until a log line matches. */
async function lineMatching(lines: LogLine[], pred: (l: LogLine) => boolean): Promise<LogLine> {
  for (;;) {
    const hit = lines.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A pass-through in front of the fake Intervals.icu that holds (never answers) requests whose path
 * matches `hold`, so a tool call can be caught in flight.
 */
async function holdingProxy(fake: FakeIntervals) {
  const held: { req: IncomingMessage; res: ServerResponse }[] = [];
  let hold: RegExp | undefined;
  let arrived: (() => void) | undefined;
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const up = httpRequest(`${fake.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (hold?.test(req.url ?? '')) {
      held.push({ req, res });
      arrived?.();
      return;
    }
    forward(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    /** Hold requests matching `re`; resolves when the first one arrives. */
    holdNext(re: RegExp): Promise<void> {
      for (const h of held.splice(0)) h.res.destroy(); // left over from an earlier test
      hold = re;
      return new Promise((r) => (arrived = r));
    },
    /** Stop holding and pass the held requests on. */
    release() {
      hold = undefined;
      for (const h of held.splice(0)) forward(h.req, h.res);
    },
    async close() {
      for (const h of held) h.res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('body errors, query strings and client aborts', () => {
  const lines: LogLine[] = [];
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ logger: createLogger('info', logSink(lines)), noClient: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  const post = (body: string | Buffer, headers: Record<string, string>, path = '/mcp') =>
    fetch(`${stack.server.url}${path}`, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });

  it('an unsupported charset is 415, an unsupported Content-Encoding 415, a corrupt gzip body 400: JSON-RPC errors, no error log', async () => {
    const latin1 = await post(INIT, { 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect(await latin1.json()).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: expect.stringMatching(/charset "LATIN1".*UTF-8/) },
    });

    const compress = await post(INIT, { 'content-encoding': 'compress' });
    expect(compress.status).toBe(415);
    expect(await compress.json()).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/Content-Encoding "compress"/) } });

    const corrupt = await post(Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(await corrupt.json()).toMatchObject({ error: { code: -32600 } });

    // A well-formed gzip body is accepted.
    const gz = await post(gzipSync(INIT), { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(((await gz.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe('intervals-mcp');

    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('a JSON-RPC batch of more than MAX_BATCH messages is refused before any tool runs or Intervals.icu is asked', async () => {
    const before = stack.fake.requests.length;
    const batch = `[${Array.from({ length: MAX_BATCH + 1 }, (_, i) => toolCall(i + 1)).join(',')}]`;
    const r = await post(batch, { 'mcp-protocol-version': '2025-03-26' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600, message: expect.stringMatching(/at most 5 messages/) } });
    expect(stack.fake.requests.length).toBe(before);
  });

  it('logs request paths without their query string', async () => {
    const r = await post(INIT, { 'x-request-id': 'with-query' }, '/mcp?api_key=s3cr3t-in-query&token=abc');
    expect(r.status).toBe(200);
    const line = await lineMatching(lines, (l) => (l.req as { id?: string } | undefined)?.id === 'with-query');
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'POST', url: '/mcp' } });
    expect(JSON.stringify(lines)).not.toContain('s3cr3t-in-query');
    expect(JSON.stringify(lines)).not.toContain('token=abc');
  });

  it('a client that disconnects mid-body is one warning, without a stack trace', async () => {
    const id = 'abort-mid-body';
    const socket = connect(Number(new URL(stack.server.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nx-request-id: ${id}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":"2.0",`,
    );
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const line = await lineMatching(lines, (l) => (l.req as { id?: string } | undefined)?.id === id);
    expect(line).toMatchObject({ level: 40, msg: 'request aborted' });
    // Give any second line a chance to appear, then check there is none.
    await new Promise((r) => setTimeout(r, 100));
    const mine = lines.filter((l) => JSON.stringify(l).includes(id));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine)).not.toMatch(/"stack"/);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('tool calls in flight', () => {
  let fake: FakeIntervals;
  let proxy: Awaited<ReturnType<typeof holdingProxy>>;
  let stack: Stack | undefined;
  const lines: LogLine[] = [];
  beforeAll(async () => {
    fake = await startFakeIntervals({ apiKey: API_KEY, today: TODAY });
    proxy = await holdingProxy(fake);
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });
  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  it('a client that aborts while its tool call waits on Intervals.icu is one warning, no error line', async () => {
    lines.length = 0;
    stack = await startStack({ env: { INTERVALS_BASE_URL: proxy.url }, logger: createLogger('info', logSink(lines)), noClient: true });
    const held = proxy.holdNext(/\/activities/);
    const ac = new AbortController();
    const pending = fetch(stack.mcpUrl, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'x-request-id': 'abort-in-tool' },
      body: toolCall(5),
      signal: ac.signal,
    }).catch((e: unknown) => e);
    await held;
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    const line = await lineMatching(lines, (l) => (l.req as { id?: string } | undefined)?.id === 'abort-in-tool');
    expect(line).toMatchObject({ level: 40, msg: 'request aborted' });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.filter((l) => (l.req as { id?: string } | undefined)?.id === 'abort-in-tool')).toHaveLength(1);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"/);
  });

  it('a tool call in flight when the drain begins completes, and its response says Connection: close', async () => {
    lines.length = 0;
    stack = await startStack({ env: { INTERVALS_BASE_URL: proxy.url }, logger: createLogger('info', logSink(lines)), noClient: true });
    const held = proxy.holdNext(/\/activities/);
    const pending = fetch(stack.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: toolCall(12) });
    await held;
    const closing = stack.server.close();
    proxy.release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    const body = (await res.json()) as {
      id: unknown;
      result: { isError?: boolean; structuredContent: { activities: { rows: unknown[] } } };
    };
    expect(body.id).toBe(12);
    expect(body.result.isError).toBeFalsy();
    expect(body.result.structuredContent.activities.rows).toHaveLength(3);
    await closing;
    expect(lines.filter((l) => l.msg.startsWith('drain deadline reached'))).toEqual([]);
  });

  it('a tool call still running at the drain deadline gets a JSON-RPC error for its id, not a reset', async () => {
    lines.length = 0;
    stack = await startStack({ env: { INTERVALS_BASE_URL: proxy.url }, logger: createLogger('info', logSink(lines)), noClient: true });
    const held = proxy.holdNext(/\/activities/);
    const pending = fetch(stack.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: toolCall(99) });
    await held;
    const closing = stack.server.close(); // the harness's drain deadline is 1 s
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.headers.get('connection')).toBe('close');
    const body = (await res.json()) as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe(99);
    expect(body.error).toMatchObject({ code: -32000, message: expect.stringMatching(/shut down before this request finished.*retry/) });
    await closing;
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.msg.startsWith('drain deadline reached'))).toHaveLength(1);
  });
});
