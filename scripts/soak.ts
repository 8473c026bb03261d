/**
 * `npm run soak [-- seconds-per-phase]` (not part of CI): the server, run as its own process as in
 * production, under sustained load against the fake Intervals.icu behind a faulty stand-in
 * (test/support/faulty-upstream.ts) that rate-limits like the real service (10 requests/s, burst
 * 10) and injects faults: 429 storms, trickling bodies, oversized bodies (declared and streamed),
 * connection resets. Loopback only; bounded in time (phases × seconds) and in clients.
 *
 * Prints, per phase: calls, calls/s, errors by kind, latency p50/p95/p99, upstream requests per
 * call and their 429 share, and the server's RSS over time. Then the single-fault checks (a 100 MB
 * body, declared and streamed, against the server's RSS; a trickling body against the deadline)
 * and the client-side cost of gzip and of `fields=`. Asserts nothing: figures for the README.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MockAgent } from 'undici';
import { IntervalsClient } from '../src/intervals/client.js';
import { ACTIVITY_LIST_FIELDS } from '../src/intervals/schemas.js';
import { addDays, startFakeIntervals } from '../test/fake-intervals/index.js';
import { type Fault, startFaultyUpstream } from '../test/support/faulty-upstream.js';
import { percentile, rssMiB } from './bench/proc.js';

const SECONDS = Math.min(120, Math.max(3, Number(process.argv[2] ?? 12)));
const CONCURRENCY = [1, 10, 50];
const KEY = 'soak-key';
const TIMEOUT_MS = 3_000;
const PORT = 18_000 + Math.floor(Math.random() * 1_000);

const fake = await startFakeIntervals({ apiKey: KEY });
const proxy = await startFaultyUpstream({
  target: fake.url,
  rateLimit: { perSec: 10, burst: 10, retryAfterSec: 1 },
  trickleEveryMs: 100,
  trickleForMs: 30_000,
  oversizeBytes: 100 * 1024 * 1024,
});

interface Server {
  url: URL;
  rssMiB(): number;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = PORT + Math.floor(Math.random() * 500);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: {
      PATH: process.env.PATH,
      INTERVALS_API_KEY: KEY,
      INTERVALS_BASE_URL: proxy.url,
      INTERVALS_TIMEOUT_MS: String(TIMEOUT_MS),
      PORT: String(port),
      LOG_LEVEL: 'error',
      DOTENV_CONFIG_PATH: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // Never leave the server behind, whatever happens to the soak.
  process.once('exit', () => child.kill('SIGKILL'));
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  for (let i = 0; i < 400; i++) {
    try {
      const c = await connect(url);
      await c.close();
      break;
    } catch {
      await sleep(25);
    }
  }
  return {
    url,
    rssMiB: () => rssMiB(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function connect(url: URL): Promise<Client> {
  const c = new Client({ name: 'soak', version: '0' });
  await c.connect(new StreamableHTTPClientTransport(url));
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The k-th call of a caller: a mix of tools with varying arguments (identical calls coalesce). */
function callFor(k: number): [string, Record<string, unknown>] {
  switch (k % 4) {
    case 0:
      return ['list_activities', { limit: 1 + (k % 20) }];
    case 1:
      return ['get_wellness', { oldest: addDays(fake.today, -7 - (k % 60)), newest: addDays(fake.today, -(k % 60)) }];
    case 2:
      return ['list_events', {}];
    default:
      return ['get_fitness', { oldest: addDays(fake.today, -14 - (k % 60)) }];
  }
}

/** What an error is about, for counting (numbers and ids folded). */
function errorKind(text: string): string {
  if (/limiting us/.test(text)) return 'limiting us (queue)';
  if (/rate limiting requests \(429\)/.test(text)) return '429 after retries';
  if (/did not answer within/.test(text)) return 'deadline (trickle)';
  if (/larger than the server accepts/.test(text)) return 'too large';
  if (/Could not reach/.test(text)) return 'connection reset';
  if (/pausing its calls/.test(text)) return 'circuit open';
  return text.replace(/\d+/g, 'N').slice(0, 80);
}

async function phase(server: Server, label: string, concurrency: number, faults: Partial<Record<Fault, number>>, storms: boolean) {
  proxy.setMix(faults);
  proxy.reset();
  const clients = await Promise.all(Array.from({ length: concurrency }, () => connect(server.url)));
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const rss: number[] = [server.rssMiB()];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const sampler = setInterval(() => rss.push(server.rssMiB()), 1000);
  const stormer = storms ? setInterval(() => proxy.storm(1_500, 1), Math.max(4_000, (SECONDS * 1000) / 3)) : undefined;
  let n = 0;
  await Promise.all(
    clients.map(async (c, i) => {
      for (let k = i; performance.now() < deadline; k++) {
        const [name, args] = callFor(k);
        const s = performance.now();
        try {
          const r = await c.callTool({ name, arguments: args }, undefined, { timeout: 60_000 });
          if (r.isError) {
            const text = (r.content as { text?: string }[]).map((x) => x.text ?? '').join(' ');
            errors.set(errorKind(text), (errors.get(errorKind(text)) ?? 0) + 1);
          }
        } catch (err) {
          const kind = `protocol: ${String((err as Error).message).slice(0, 60)}`;
          errors.set(kind, (errors.get(kind) ?? 0) + 1);
        }
        latencies.push(performance.now() - s);
        n++;
      }
    }),
  );
  clearInterval(sampler);
  if (stormer) clearInterval(stormer);
  rss.push(server.rssMiB());
  await Promise.all(clients.map((c) => c.close()));
  const secs = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const up = proxy.counters;
  const limited = up.byStatus[429] ?? 0;
  const errTotal = [...errors.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(8)} c=${String(concurrency).padStart(2)}: ${n} calls (${(n / secs).toFixed(1)}/s), errors ${errTotal}` +
      `${errTotal ? ` [${[...errors].map(([k, v]) => `${k}: ${v}`).join('; ')}]` : ''}; ` +
      `p50 ${percentile(latencies, 50).toFixed(0)} / p95 ${percentile(latencies, 95).toFixed(0)} / p99 ${percentile(latencies, 99).toFixed(0)} ms; ` +
      `upstream ${up.requests} (${(up.requests / Math.max(1, n)).toFixed(2)}/call, 429 ${limited} = ${((100 * limited) / Math.max(1, up.requests)).toFixed(1)} %` +
      `${Object.keys(up.byFault).length ? `, faults ${JSON.stringify(up.byFault)}` : ''}); ` +
      `RSS MiB ${rss.map((r) => r.toFixed(0)).join(' ')}`,
  );
}

/** One call under a forced fault, sampling the server's RSS every 10 ms. */
async function single(server: Server, fault: Fault, tool: string, args: Record<string, unknown>) {
  const c = await connect(server.url);
  // Warm the same path without the fault, so the figure is the body's cost, not first-call loading.
  for (let i = 0; i < 3; i++) await c.callTool({ name: tool, arguments: args });
  proxy.reset();
  proxy.setMix({});
  const before = server.rssMiB();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMiB());
  }, 10);
  proxy.force(fault);
  const s = performance.now();
  const r = await c.callTool({ name: tool, arguments: args }, undefined, { timeout: 120_000 });
  const ms = performance.now() - s;
  proxy.force(undefined);
  clearInterval(sampler);
  const text = (r.content as { text?: string }[]).map((x) => x.text ?? '').join(' ');
  console.log(
    `${fault.padEnd(17)}: ${r.isError ? 'tool error' : 'ANSWERED'} in ${ms.toFixed(0)} ms, RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB ` +
      `(+${(peak - before).toFixed(1)}), stand-in sent ${(proxy.counters.bytesSent / 1048576).toFixed(1)} MiB: "${text.slice(0, 110)}"`,
  );
  await c.close();
}

console.log(
  `soak: ${SECONDS} s per phase, concurrencies ${CONCURRENCY.join('/')}, upstream limited to 10 req/s (burst 10), INTERVALS_TIMEOUT_MS=${TIMEOUT_MS}`,
);
// The single faults on a fresh server (its heap has not yet grown under load) with the read cache
// off: the faulted call repeats its warm-up's arguments, which the cache would otherwise answer.
const fresh = await startServer({ INTERVALS_CACHE_TTL_MS: '0' });
console.log(`server RSS at start: ${fresh.rssMiB().toFixed(0)} MiB`);
console.log('single faults on a fresh server, read cache off (one call each):');
await single(fresh, 'oversize', 'list_activities', { limit: 3 });
await single(fresh, 'oversize-declared', 'list_activities', { limit: 3 });
await single(fresh, 'trickle', 'get_wellness', {});
await fresh.stop();
const server = await startServer({});
for (const c of CONCURRENCY) await phase(server, 'clean', c, {}, false);
for (const c of CONCURRENCY)
  await phase(server, 'faults', c, { trickle: 0.02, 'oversize-declared': 0.01, oversize: 0.01, reset: 0.03 }, true);
console.log(`server RSS at the end: ${server.rssMiB().toFixed(0)} MiB`);
await server.stop();

// ------------------------------------------------------------------------------------------------
// The cost of gzip and of fields= on the client's side: real answers from the fake, replayed
// through an undici MockAgent so only the client's own work (read, gunzip, JSON.parse, zod) counts.
async function cost(label: string, gzip: boolean, fields: 'tools' | 'all') {
  const query = new URLSearchParams({ oldest: '2020-01-01', limit: '30' });
  if (fields === 'tools') query.set('fields', ACTIVITY_LIST_FIELDS.join(','));
  const path = `/api/v1/athlete/0/activities?${query}`;
  const res = await fetch(`${fake.url}${path}`, {
    headers: { authorization: `Basic ${Buffer.from(`API_KEY:${KEY}`).toString('base64')}` },
  });
  const plain = Buffer.from(await res.arrayBuffer());
  const body = gzip ? gzipSync(plain) : plain;
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get('http://upstream.test')
    .intercept({ path, method: 'GET' })
    .reply(200, body, { headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) } })
    .persist();
  const client = new IntervalsClient({
    apiKey: KEY,
    baseUrl: 'http://upstream.test',
    dispatcher: agent,
    gzip,
    limits: { ratePerSec: 1_000_000, burst: 1_000_000 },
  });
  const call = () =>
    client.listActivities('0', { oldest: '2020-01-01', limit: 30, ...(fields === 'all' ? { fields: 'all' as const } : {}) });
  for (let i = 0; i < 200; i++) await call(); // warm
  const n = 2_000;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${label.padEnd(27)}: ${(body.length / 1024).toFixed(1).padStart(5)} KiB on the wire, ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms client CPU per call`,
  );
  await client.close();
  await agent.close();
}
console.log('list_activities(limit 30) as the client sees it (2,000 calls each):');
await cost('fields= (tools), identity', false, 'tools');
await cost('fields= (tools), gzip', true, 'tools');
await cost('all fields, identity', false, 'all');
await cost('all fields, gzip', true, 'all');

await proxy.close();
await fake.close();
process.exit(0);
