/**
 * `npm run bench`: cold start, throughput and memory of the server, run as its own process (as in
 * production) against the fake Intervals.icu on loopback. Bounded: a fixed number of clients for a
 * fixed time, then it stops. Prints figures and asserts nothing (timings on a shared machine are
 * noisy). Usage: npm run bench [-- seconds]; BENCH_DIST=1 (after npm run build) runs dist/index.js;
 * BENCH_NODE_OPTIONS passes V8 flags, e.g. the container's heap settings.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startFakeIntervals } from '../test/fake-intervals/index.js';
import { call } from '../test/support/harness.js';

const CLIENTS = 10;
const SECONDS = Number(process.argv[2] ?? 10);
const PORT = 18_731;

const fake = await startFakeIntervals({ apiKey: 'bench-key' });
const t0 = performance.now();
// BENCH_DIST=1 runs the built server (npm run build first), as the container does.
const entry = process.env.BENCH_DIST ? ['dist/index.js'] : ['--import', 'tsx', 'src/index.ts'];
const server = spawn(process.execPath, [...(process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean), ...entry], {
  env: { PATH: process.env.PATH, INTERVALS_API_KEY: 'bench-key', INTERVALS_BASE_URL: fake.url, PORT: String(PORT), LOG_LEVEL: 'warn', DOTENV_CONFIG_PATH: '/nonexistent' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = new URL(`http://127.0.0.1:${PORT}/mcp`);
const connect = async () => {
  const c = new Client({ name: 'bench', version: '0' });
  await c.connect(new StreamableHTTPClientTransport(url));
  return c;
};
let first: Client | undefined;
for (let i = 0; i < 200 && !first; i++) {
  try {
    first = await connect();
  } catch {
    await new Promise((r) => setTimeout(r, 25));
  }
}
if (!first) throw new Error('server did not start');
await first.listTools();
const coldMs = performance.now() - t0;
const rss = () => `${(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024).toFixed(0)} MiB`;

async function load(tool: string, args: Record<string, unknown>) {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, connect));
  const deadline = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        const s = performance.now();
        await call(c, tool, args);
        latencies.push(performance.now() - s);
      }
    }),
  );
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  return `${(latencies.length / SECONDS).toFixed(0)} calls/s, p50 ${pct(50)} ms, p95 ${pct(95)} ms (${latencies.length} calls)`;
}

console.log(`cold start to first tools/list (${entry.at(-1)}): ${coldMs.toFixed(0)} ms`);
console.log(`server RSS warm: ${rss()}`);
console.log(`list_activities limit 5, ${CLIENTS} clients, ${SECONDS} s: ${await load('list_activities', { limit: 5 })}`);
console.log(`server RSS after that load: ${rss()}`);
console.log(`get_wellness 7 days, ${CLIENTS} clients, ${SECONDS} s: ${await load('get_wellness', {})}`);
console.log(`server RSS after both loads: ${rss()}`);
await first.close();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
await fake.close();
process.exit(0);
