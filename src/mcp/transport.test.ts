/**
 * One POST, one server: after a normal answer nothing is closed (no "Connection closed" McpError is
 * built) and yet every per-request server and transport is garbage; a client that leaves mid-call
 * still aborts the running handler.
 */
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { IntervalsClient } from '../intervals/client.js';
import { createLogger } from '../logger.js';
import type { ContextFactory } from '../tools/support/context.js';
import { defineTool, READ, type ToolContext } from '../tools/support/tool.js';
import { createMcpServer, type McpDeps } from './server.js';
import { handleMcpPost, scopeOf } from './transport.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let started: (() => void) | undefined;
let aborted: (() => void) | undefined;

const ping = defineTool({
  name: 'ping',
  title: 'Ping',
  description: 'Answers pong; with wait, waits until the call is aborted.',
  annotations: READ,
  input: z.object({ wait: z.boolean().optional() }),
  output: z.object({ pong: z.boolean() }),
  async handler(args, ctx) {
    if (args.wait) {
      started?.();
      await new Promise<void>((resolve) => ctx.signal?.addEventListener('abort', () => resolve(), { once: true }));
      aborted?.();
    }
    return { pong: true };
  },
});

const contextFor: ContextFactory = (athleteId, signal): ToolContext => ({
  client: {} as IntervalsClient,
  athleteId: athleteId ?? 'i1',
  athleteIds: ['i1'],
  athlete: async () => ({ id: 'i1', timezone: 'UTC' }),
  timezone: async () => 'UTC',
  today: async () => '2026-04-06',
  now: () => new Date('2026-04-06T12:00:00Z'),
  assertAllowedOwner: async () => undefined,
  signal,
});

const deps: McpDeps = { tools: [ping], contextFor, athleteIds: ['i1'], readOnly: false, logger: createLogger('silent'), version: '0' };

let http: Server;
let port: number;
/** Set only by the test that needs it: holding a response would keep its server alive. */
let lastResponse: ServerResponse | undefined;
let captureResponse = false;

beforeEach(async () => {
  http = createServer((req, res) => {
    if (captureResponse) lastResponse = res;
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => void handleMcpPost(deps, req, res, JSON.parse(raw), {}));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  port = (http.address() as AddressInfo).port;
});

const restore: (() => void)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  captureResponse = false;
  lastResponse = undefined;
  started = undefined;
  aborted = undefined;
  for (const r of restore.splice(0)) r();
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
});

/** POSTs one tools/call on its own connection; resolves with the parsed answer. */
function post(
  args: Record<string, unknown>,
  onRequest?: (abort: () => void) => void,
  name = 'ping',
): Promise<{ result?: { structuredContent?: unknown }; error?: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/mcp',
        agent: false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }));
    onRequest?.(() => req.destroy());
  });
}

/** Counts the McpServers and transports made per request that the garbage collector has reclaimed. */
function trackServers() {
  let made = 0;
  let collected = 0;
  const registry = new FinalizationRegistry<void>(() => collected++);
  // Patched by hand: a vi.spyOn would itself keep every server and transport (mock.contexts, mock.calls).
  const connect = McpServer.prototype.connect;
  McpServer.prototype.connect = function (this: McpServer, transport) {
    made += 2;
    registry.register(this);
    registry.register(transport);
    return connect.call(this, transport);
  };
  restore.push(() => {
    McpServer.prototype.connect = connect;
  });
  return {
    made: () => made,
    /** Collects until every tracked object is reclaimed, or gives up after a bounded number of rounds. */
    async collected() {
      for (let i = 0; i < 50 && collected < made; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
      }
      return collected;
    },
  };
}

describe('handleMcpPost', () => {
  it('answers without closing anything (no McpError) and leaves no server or transport behind', async () => {
    const errors = vi.spyOn(McpError, 'fromError');
    const servers = trackServers();
    for (let i = 0; i < 20; i++) {
      const answer = await post({});
      expect(answer.result?.structuredContent).toEqual({ pong: true });
    }
    expect(errors).not.toHaveBeenCalled();
    expect(servers.made()).toBe(40);
    expect(await servers.collected()).toBe(40);
  });

  it('a client that leaves mid-call aborts the running handler, and that server is reclaimed too', async () => {
    const servers = trackServers();
    const wasAborted = new Promise<void>((r) => (aborted = r));
    const call = post({ wait: true }, (abort) => {
      started = abort;
    });
    await expect(call).rejects.toThrow();
    await wasAborted;
    expect(servers.made()).toBe(2);
    expect(await servers.collected()).toBe(2);
  });
});

describe('handleMcpPost with a one-tool server', () => {
  it('an unknown tool gets the same answer as from a server with every tool', async () => {
    const full = createMcpServer(deps);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await full.connect(serverSide);
    const answers: unknown[] = [];
    clientSide.onmessage = (m) => answers.push(m);
    await clientSide.start();
    await clientSide.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope', arguments: {} } });
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(await post({}, undefined, 'nope')).toEqual(answers[0]);
    await full.close();
  });
});

describe('handleMcpPost when someone else answers', () => {
  it('a response ended by another party (the drain deadline) still aborts the running handler', async () => {
    captureResponse = true;
    const wasAborted = new Promise<void>((r) => (aborted = r));
    started = () => lastResponse!.writeHead(503).end('{}');
    const answer = await post({ wait: true });
    expect(answer).toEqual({});
    await wasAborted;
  });
});

describe('scopeOf', () => {
  it('only a single tools/call request gets a server for the one tool', () => {
    expect(scopeOf({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ping' } })).toEqual({ call: 'ping' });
    expect(scopeOf({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} })).toBe('all');
    expect(scopeOf({ jsonrpc: '2.0', id: 1, method: 'tools/call' })).toBe('all');
    expect(scopeOf({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe('all');
    expect(scopeOf({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).toBe('all');
    expect(scopeOf({ jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'x' } })).toBe('all');
    expect(scopeOf({ jsonrpc: '2.0', method: 'tools/call' })).toBe('all');
    expect(scopeOf([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ping' } }])).toBe('all');
    expect(scopeOf(null)).toBe('all');
    expect(scopeOf('tools/call')).toBe('all');
  });
});
