/**
 * The whole stack for end-to-end tests and scripts: the fake Intervals.icu, the real server wired to
 * it (same wiring as production), and an SDK client over Streamable HTTP. Loopback only.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { type AthleteState, type FakeIntervals, type FakeOptions, SAMPLE_ATHLETE_ID, startFakeIntervals } from '../fake-intervals/index.js';

/** A fixed instant: 22:00 on 2026-11-24 in Pacific/Auckland (the sample athlete's zone), 09:00 UTC. */
export const NOW = new Date('2026-11-24T09:00:00Z');
export const TODAY = '2026-11-24';
export const API_KEY = 'test-api-key';

export interface Stack {
  fake: FakeIntervals;
  server: RunningServer;
  client: Client;
  mcpUrl: URL;
  connect(headers?: Record<string, string>): Promise<Client>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  fake?: FakeOptions;
  now?: Date;
  logger?: Logger;
  authNow?: () => number;
  headers?: Record<string, string>;
  /** Don't connect the default client (for auth tests that expect rejection). */
  noClient?: boolean;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const now = opts.now ?? NOW;
  const fake = await startFakeIntervals({ apiKey: API_KEY, today: TODAY, ...opts.fake });
  const config = loadConfig({
    INTERVALS_API_KEY: API_KEY,
    INTERVALS_BASE_URL: fake.url,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The suite checks answers, not pacing (src/intervals/guard*.test.ts do): do not pace the fake at 10/s.
    INTERVALS_RATE_LIMIT: '1000',
    INTERVALS_RATE_BURST: '1000',
    // Tests change the fake's data between calls and count upstream requests: no read cache here
    // (the cache has its own tests).
    INTERVALS_CACHE_TTL_MS: '0',
    ...opts.env,
  });
  const server = await startServer(config, {
    logger: opts.logger ?? createLogger('silent'),
    now: () => now,
    drainMs: 1000,
    ...(opts.authNow ? { authNow: opts.authNow } : {}),
  });
  const mcpUrl = new URL(`${server.url}/mcp`);
  const clients: Client[] = [];
  const connect = async (headers?: Record<string, string>) => {
    const c = new Client({ name: 'e2e', version: '0' });
    await c.connect(new StreamableHTTPClientTransport(mcpUrl, headers ? { requestInit: { headers } } : {}));
    clients.push(c);
    return c;
  };
  const client = opts.noClient ? (undefined as unknown as Client) : await connect(opts.headers);
  return {
    fake,
    server,
    client,
    mcpUrl,
    connect,
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await server.close();
      await fake.close();
    },
  };
}

/** Call a tool and return its structured result, failing loudly on a tool error. */
export async function call<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent as T;
}

/** Call a tool expected to fail; returns the error text. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await client.callTool({ name, arguments: args });
  if (!r.isError) throw new Error(`${name} unexpectedly succeeded: ${JSON.stringify(r.structuredContent)}`);
  return (r.content as { text: string }[]).map((c) => c.text).join('\n');
}

/** A tool's table answer (`columns` + `rows`). */
export type Table = { columns: string[]; rows: unknown[][] };
/** One column of a table. */
export const col = (t: Table, name: string) => t.rows.map((r) => r[t.columns.indexOf(name)]);
/** A table as row objects. */
export const rowsOf = (t: Table) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));

/**
 * One stack for a whole test file: started before the first test, closed after the last. `ready`
 * receives the stack and the fake's sample athlete (assign them to the file's variables).
 */
export function useStack(ready: (stack: Stack, athlete: AthleteState) => void, opts: StackOptions = {}): void {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(opts);
    ready(stack, stack.fake.state.athletes.get(SAMPLE_ATHLETE_ID)!);
  });
  afterAll(async () => {
    await stack?.close();
  });
}

/** Upstream requests the fake received while fn ran. */
export async function upstreamDuring(stack: Stack, fn: () => Promise<unknown>): Promise<number> {
  const before = stack.fake.requests.length;
  await fn();
  return stack.fake.requests.length - before;
}
