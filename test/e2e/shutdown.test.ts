/**
 * Graceful shutdown: close() (what SIGTERM triggers) stops accepting, lets in-flight tool calls
 * finish, then closes the upstream pool; and the real entry point exits 0 on SIGTERM as soon as it
 * is idle, without waiting for the drain deadline. (The deadline itself, 503 + Connection: close
 * while draining and the JSON-RPC error for a cut request: src/http/server.test.ts and
 * test/e2e/http-hardening.test.ts.)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startFakeIntervals } from '../fake-intervals/index.js';
import { call, startStack, TODAY } from '../support/harness.js';

describe('graceful shutdown', () => {
  it('finishes an in-flight tool call, then refuses new connections', async () => {
    const stack = await startStack({ fake: { latencyMs: 400 } });
    try {
      const inFlight = call<{ activities: { rows: unknown[] } }>(stack.client, 'list_activities', { limit: 3 });
      await new Promise((r) => setTimeout(r, 150));
      const closing = stack.server.close();
      const r = await inFlight;
      expect(r.activities.rows).toHaveLength(3);
      await closing;
      await expect(fetch(`${stack.server.url}/healthz`)).rejects.toThrow();
    } finally {
      await stack.fake.close();
    }
  });

  it('the entry point drains and exits 0 on SIGTERM, at once when idle (a 120 s deadline is not waited for)', async () => {
    const fake = await startFakeIntervals({ apiKey: 'k', today: TODAY });
    try {
      const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/index.ts'], {
        env: {
          PATH: process.env.PATH,
          INTERVALS_API_KEY: 'k',
          INTERVALS_BASE_URL: fake.url,
          HOST: '127.0.0.1',
          PORT: '0',
          SHUTDOWN_DRAIN_MS: '120000',
          DOTENV_CONFIG_PATH: '/nonexistent/.env',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      for (let i = 0; i < 100 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('listening');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(out).toContain('shutting down');
      expect(out).toContain('stopped');
      expect(out).not.toContain('"k"');
    } finally {
      await fake.close();
    }
  });
});
