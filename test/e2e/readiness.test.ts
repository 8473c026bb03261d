/**
 * "Know the key works before Claude does": the start-up key check, /readyz (cached, a short reason,
 * never the key or the upstream URL), /healthz as pure liveness, and `npm run check-key` as
 * documented, for a good key, a wrong key (401) and an unreachable Intervals.icu.
 */

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startFakeIntervals } from '../fake-intervals/index.js';
import { API_KEY, type Stack, startStack, TODAY } from '../support/harness.js';
import { type LogLine, logSink } from '../support/logs.js';

const WRONG_KEY = 'wrong-key-7f3a9c';

/** A loopback port with nothing listening on it (connections are refused). */
async function closedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function get(stack: Stack, path: string): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await fetch(`${stack.server.url}${path}`);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

const upstreamLines = (lines: LogLine[]) => lines.filter((l) => typeof l.upstream === 'string');

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('start-up key check and /readyz', () => {
  it('a good key: one info line, /readyz 200, and repeated probes reuse the cached check', async () => {
    const lines: LogLine[] = [];
    stack = await startStack({ logger: createLogger('info', logSink(lines)), noClient: true });
    expect(stack.server.keyCheck.ok).toBe(true);
    expect(upstreamLines(lines)).toHaveLength(1);
    expect(upstreamLines(lines)[0]).toMatchObject({ level: 30, upstream: 'ok' });
    expect(upstreamLines(lines)[0]!.msg).toMatch(/accepted the API key.*i123456/);

    const before = stack.fake.requests.length;
    for (let i = 0; i < 5; i++) {
      const r = await get(stack, '/readyz');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: 'ready', upstream: 'ok' });
    }
    expect(stack.fake.requests.length).toBe(before);
    expect(upstreamLines(lines)).toHaveLength(1);
  });

  it('a wrong key: ONE error line naming the cause (never the key), /readyz 503 with a short reason, /healthz still 200', async () => {
    const lines: LogLine[] = [];
    stack = await startStack({ env: { INTERVALS_API_KEY: WRONG_KEY }, logger: createLogger('info', logSink(lines)), noClient: true });
    expect(stack.server.keyCheck).toMatchObject({ ok: false, cause: 'key_rejected' });
    const failures = upstreamLines(lines);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 50, upstream: 'key_rejected' });
    expect(failures[0]!.msg).toMatch(/rejected INTERVALS_API_KEY \(401\)/);

    const ready = await get(stack, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not ready', cause: 'key_rejected', reason: 'Intervals.icu rejected the API key (401)' });
    expect(ready.text).not.toContain(stack.fake.url);
    const health = await get(stack, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');

    // Probing again changes nothing: cached, no new upstream call, no second log line.
    const before = stack.fake.requests.length;
    expect((await get(stack, '/readyz')).status).toBe(503);
    expect(stack.fake.requests.length).toBe(before);
    expect(upstreamLines(lines)).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(WRONG_KEY);
    expect(JSON.stringify(lines)).not.toContain(Buffer.from(`API_KEY:${WRONG_KEY}`).toString('base64'));
  });

  it('an unreachable Intervals.icu: one warning naming it, /readyz 503 "unreachable" without the URL', async () => {
    const lines: LogLine[] = [];
    const port = await closedPort();
    stack = await startStack({
      env: { INTERVALS_BASE_URL: `http://127.0.0.1:${port}` },
      logger: createLogger('info', logSink(lines)),
      noClient: true,
    });
    expect(stack.server.keyCheck).toMatchObject({ ok: false, cause: 'unreachable' });
    const failures = upstreamLines(lines);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 40, upstream: 'unreachable' });
    expect(failures[0]!.msg).toMatch(
      new RegExp(`Could not reach Intervals.icu.*ECONNREFUSED.*INTERVALS_BASE_URL=http://127.0.0.1:${port}`),
    );
    const ready = await get(stack, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'not ready', cause: 'unreachable', reason: 'Intervals.icu is unreachable' });
    expect(ready.text).not.toContain(String(port));
    expect((await get(stack, '/healthz')).status).toBe(200);
  });
});

describe('npm run check-key', () => {
  const run = async (env: Record<string, string>) => {
    try {
      const { stdout } = await promisify(execFile)('npm', ['run', 'check-key'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env },
        timeout: 30_000,
      });
      return { code: 0, stdout };
    } catch (err) {
      const e = err as { code?: number; stdout?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '' };
    }
  };
  const verdicts = (out: string) => out.split('\n').filter((l) => l.startsWith('check-key:'));

  it('exits 0 for a good key, 1 for a wrong key or an unreachable upstream, 2 for a bad configuration: one line each; no server key: SKIP', async () => {
    const fake = await startFakeIntervals({ apiKey: API_KEY, today: TODAY });
    try {
      const port = await closedPort();
      const [good, wrong, down, bad, perUser] = await Promise.all([
        run({ INTERVALS_API_KEY: API_KEY, INTERVALS_BASE_URL: fake.url }),
        run({ INTERVALS_API_KEY: WRONG_KEY, INTERVALS_BASE_URL: fake.url }),
        run({ INTERVALS_API_KEY: API_KEY, INTERVALS_BASE_URL: `http://127.0.0.1:${port}`, INTERVALS_TIMEOUT_MS: '5000' }),
        run({ INTERVALS_API_KEY: API_KEY, INTERVALS_BASE_URL: 'ftp://nowhere' }),
        run({
          INTERVALS_CREDENTIALS: 'per-user',
          USERS_FILE: '/nonexistent/users.yaml',
          AUTH_MODE: 'pomerium',
          POMERIUM_AUDIENCE: 'mcp.example.test',
          POMERIUM_PUBLIC_KEY_FILE: '/nonexistent/key.pem',
          INTERVALS_BASE_URL: fake.url,
        }),
      ]);
      expect(good.code).toBe(0);
      expect(verdicts(good.stdout)).toEqual([expect.stringMatching(/^check-key: OK: Intervals.icu accepted the API key: .*i123456/)]);
      expect(wrong.code).toBe(1);
      expect(verdicts(wrong.stdout)).toEqual([expect.stringMatching(/^check-key: FAIL: Intervals.icu rejected INTERVALS_API_KEY \(401\)/)]);
      expect(down.code).toBe(1);
      expect(verdicts(down.stdout)).toEqual([
        expect.stringMatching(/^check-key: FAIL: .*Could not reach Intervals.icu.*ECONNREFUSED.*INTERVALS_BASE_URL=http:\/\/127\.0\.0\.1:/),
      ]);
      expect(bad.code).toBe(2);
      expect(verdicts(bad.stdout)).toEqual([expect.stringMatching(/^check-key: FAIL: invalid configuration: INTERVALS_BASE_URL/)]);
      expect(perUser.code).toBe(0);
      expect(verdicts(perUser.stdout)).toEqual([
        expect.stringMatching(/^check-key: SKIP: INTERVALS_CREDENTIALS=per-user has no server-held key/),
      ]);
      for (const r of [good, wrong, down, bad, perUser]) {
        expect(r.stdout).not.toContain(WRONG_KEY);
        expect(r.stdout).not.toContain(API_KEY);
      }
    } finally {
      await fake.close();
    }
  }, 60_000);
});
