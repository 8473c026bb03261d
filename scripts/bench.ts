/**
 * `npm run bench`: what one call costs, measured the way it runs in production. The built server
 * (`node dist/index.js`, default settings) runs as its own process so its CPU time can be read from
 * /proc; the fake Intervals.icu and the load clients run in this process; everything on loopback.
 *
 *   npm run build && npm run bench [-- --quick] [-- --profile] [-- --peer DIR [--peer-spec FILE]] [-- --calls N]
 *     [-- --only cold,load,direct,cache,memory,profile] [-- --log-level warn]
 *     [-- --node-options "--max-semi-space-size=8"] [-- --env INTERVALS_GZIP=false] [-- --entry FILE]
 *
 * Reports, in one run:
 * - for list_activities(limit 5), get_wellness(7 days) and get_fitness(90 days) at 10 concurrent
 *   clients: calls/s, p50/p95/p99 latency and server CPU ms per call, with the read cache off (every
 *   call goes upstream), then again with every setting at its default (cache on);
 * - the same upstream requests made directly with undici at the same concurrency (what one call
 *   would cost with no MCP server in between): the MCP-overhead ratio = MCP calls/s ÷ direct calls/s;
 * - cold start, spawn → first tools/list answer, median of 7 spawns of `node dist/index.js`, and of
 *   7 with the image's memory settings already in the environment (no launcher restart), alternated
 *   (and with the peer's, with --peer);
 * - RSS of the default-settings server idle, after 50k and 100k calls, and after 10 s idle
 *   (--quick: 5k/10k calls, 3 s idle; --smaps adds where the resident memory is);
 * - with --profile: a CPU profile of the server under load (list_activities, get_wellness) and its
 *   top self-time functions (from an unminified one-file bundle, so each frame names its module;
 *   --keep-profile keeps the .cpuprofile for Chrome DevTools);
 * - with --peer DIR: the same scenarios, cold starts and RSS after load for another Streamable HTTP
 *   server in the same run, with the ratios (see PeerSpec).
 *
 * Bounded: a fixed number of calls per phase, each phase also capped in time. Prints figures and
 * asserts nothing (timings on a shared machine are noisy). The server's upstream pacing (10 req/s by
 * default, for the real Intervals.icu) is lifted to 1000/s so the bench measures the server, not
 * the pacing; every other setting is the default.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { HEAP_DEFAULTS, MALLOC_DEFAULTS } from '../src/launch.js';
import { addDays, type FakeIntervals, SAMPLE_FACTS, startFakeIntervals, todayInTimeZone } from '../test/fake-intervals/index.js';
import { cpuMs, percentile, rssMiB } from './bench/proc.js';
import { bundleSources, summariseProfile } from './bench/profile.js';
import { serverBundleOptions } from './build.mjs';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = flag('--quick');
const LOG_LEVEL = option('--log-level');
/** --node-options "...": NODE_OPTIONS for the server, e.g. other heap settings than the defaults. */
const NODE_OPTIONS = option('--node-options');
/** --env NAME=value (repeatable): another server setting, e.g. --env INTERVALS_GZIP=false. */
const EXTRA_ENV = Object.fromEntries(
  args.flatMap((a, i) => (a === '--env' && args[i + 1]?.includes('=') ? [args[i + 1]!.split(/=(.*)/s).slice(0, 2)] : [])),
);
/** --only cold,load,direct,cache,memory,profile: run just these phases (default: all but profile, which needs --profile). */
const ONLY = option('--only')?.split(',');
const phase = (name: string) => (ONLY ? ONLY.includes(name) : name !== 'profile' || flag('--profile'));
const CLIENTS = 10;
/** Measured calls per scenario (after a warm-up of a tenth as many). */
const CALLS = Number(option('--calls') ?? (QUICK ? 1_500 : 6_000));
/** No phase runs longer than this, whatever its count. */
const PHASE_CAP_MS = 90_000;
const MEMORY_STEPS = QUICK ? [5_000, 10_000] : [50_000, 100_000];
const IDLE_MS = QUICK ? 3_000 : 10_000;
const COLD_RUNS = 7;
const API_KEY = 'bench-key';
/** --entry FILE: another build of this server (e.g. an older commit's dist/index.js) for an A/B run. */
const ENTRY = resolve(option('--entry') ?? 'dist/index.js');

const SCENARIOS = [
  { label: 'list_activities(limit 5)', tool: 'list_activities', args: { limit: 5 } },
  { label: 'get_wellness(7 d)', tool: 'get_wellness', args: {} },
  { label: 'get_fitness(90 d)', tool: 'get_fitness', args: {} },
] as const;

/** --smaps: where the server's resident memory is, by mapping (largest first). */
function smapsSummary(pid: number): string {
  const rows: { name: string; rss: number }[] = [];
  let cur: { name: string; rss: number } | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      cur = { name: head[1] || '[anon]', rss: 0 };
      rows.push(cur);
    } else if (cur && line.startsWith('Rss:')) cur.rss = Number(/(\d+)/.exec(line)![1]) / 1024;
  }
  const byName = new Map<string, { rss: number; n: number }>();
  for (const r of rows) {
    const e = byName.get(r.name) ?? { rss: 0, n: 0 };
    e.rss += r.rss;
    e.n++;
    byName.set(r.name, e);
  }
  const big = rows
    .filter((r) => r.name === '[anon]')
    .sort((a, b) => b.rss - a.rss)
    .slice(0, 8);
  return [
    ...[...byName]
      .sort((a, b) => b[1].rss - a[1].rss)
      .slice(0, 6)
      .map(([n, e]) => `    ${e.rss.toFixed(1).padStart(6)} MiB  ${n} (${e.n} mappings)`),
    `    largest anonymous mappings: ${big.map((r) => r.rss.toFixed(1)).join(', ')} MiB`,
  ].join('\n');
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

interface Target {
  url: URL;
  pool: Pool;
  /** Extra headers each POST carries. */
  headers: Record<string, string>;
}

let nextId = 1;
/** One JSON-RPC exchange over Streamable HTTP (JSON or single-event SSE answer); throws on an error answer. */
async function rpc(t: Target, method: string, params: unknown): Promise<unknown> {
  const { statusCode, body } = await t.pool.request({
    path: t.url.pathname,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...t.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`${method}: HTTP ${statusCode} ${text.slice(0, 200)}`);
  const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '');
  const msg = JSON.parse(json) as { result?: { isError?: boolean; content?: unknown }; error?: unknown };
  if (msg.error) throw new Error(`${method}: ${JSON.stringify(msg.error)}`);
  if (msg.result?.isError) throw new Error(`${method}: tool error ${JSON.stringify(msg.result.content).slice(0, 300)}`);
  return msg.result;
}

const INIT = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } };

interface Server {
  child: ChildProcess;
  pid: number;
  target: Target;
  stop(): Promise<void>;
}

async function waitReady(t: Target, deadlineMs: number): Promise<void> {
  for (;;) {
    try {
      await rpc(t, 'initialize', INIT);
      await rpc(t, 'tools/list', {});
      return;
    } catch (err) {
      if (performance.now() > deadlineMs) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/**
 * The per-call figures pin the read cache off (INTERVALS_CACHE_TTL_MS=0): every call then makes its
 * upstream request, as the direct baseline and a peer do; with the default 5 s cache the bench's
 * identical calls would mostly be served from memory. The cache-on figures are printed separately.
 */
const UNCACHED = { INTERVALS_CACHE_TTL_MS: '0' };

async function startOurs(
  fake: FakeIntervals,
  nodeArgs: string[] = [ENTRY],
  env: Record<string, string> = {},
): Promise<Server & { startMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      INTERVALS_API_KEY: API_KEY,
      INTERVALS_BASE_URL: fake.url,
      INTERVALS_RATE_LIMIT: '1000',
      INTERVALS_RATE_BURST: '1000',
      HOST: '127.0.0.1',
      PORT: String(port),
      DOTENV_CONFIG_PATH: '/nonexistent',
      ...(LOG_LEVEL ? { LOG_LEVEL } : {}),
      ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
      ...env,
      ...EXTRA_ENV,
    },
    // Default log level (info) unless --log-level: lines per call as in production, to /dev/null.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return whenReady(child, port, '/mcp', started);
}

/** A spawned server once it answers `initialize` and `tools/list`, with its time from spawn. */
async function whenReady(child: ChildProcess, port: number, path: string, started: number): Promise<Server & { startMs: number }> {
  const target: Target = {
    url: new URL(`http://127.0.0.1:${port}${path}`),
    pool: new Pool(`http://127.0.0.1:${port}`, { connections: CLIENTS }),
    headers: {},
  };
  await waitReady(target, started + 30_000);
  const startMs = performance.now() - started;
  return { child, pid: child.pid!, target, startMs, stop: () => stopChild(child, target.pool) };
}

async function stopChild(child: ChildProcess, pool: Pool): Promise<void> {
  await pool.close();
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface LoadResult {
  calls: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  cpuPerCall?: number;
}

/** `calls` calls of `fn` from CLIENTS concurrent loops (stops early at PHASE_CAP_MS). */
async function load(calls: number, fn: () => Promise<unknown>, pid?: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  const cpu0 = pid ? cpuMs(pid) : 0;
  const t0 = performance.now();
  const cap = t0 + PHASE_CAP_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (issued < calls && performance.now() < cap) {
        issued++;
        const s = performance.now();
        await fn();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const result: LoadResult = {
    calls: latencies.length,
    seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
  if (pid) result.cpuPerCall = (cpuMs(pid) - cpu0) / latencies.length;
  return result;
}

const rate = (r: LoadResult) => r.calls / r.seconds;
const fmt = (r: LoadResult) =>
  `${rate(r).toFixed(0).padStart(5)} calls/s  p50 ${r.p50.toFixed(1)}  p95 ${r.p95.toFixed(1)}  p99 ${r.p99.toFixed(1)} ms` +
  (r.cpuPerCall !== undefined ? `  server CPU ${r.cpuPerCall.toFixed(3)} ms/call` : '') +
  `  (${r.calls} calls)`;

const toolCall = (t: Target, s: (typeof SCENARIOS)[number]) => () => rpc(t, 'tools/call', { name: s.tool, arguments: s.args });

/** The upstream GETs one warm call of a scenario makes (path, query, headers as sent). */
async function upstreamOf(fake: FakeIntervals, call: () => Promise<unknown>) {
  await call();
  fake.requests.length = 0;
  await call();
  return fake.requests.map((r) => ({ method: r.method, path: `${r.path}?${new URLSearchParams(r.query)}`, headers: r.headers }));
}

async function direct(fake: FakeIntervals, requests: Awaited<ReturnType<typeof upstreamOf>>): Promise<LoadResult> {
  const pool = new Pool(fake.url, { connections: CLIENTS });
  const auth = `Basic ${Buffer.from(`API_KEY:${API_KEY}`).toString('base64')}`;
  const once = () =>
    Promise.all(
      requests.map(async (r) => {
        const headers: Record<string, string> = { authorization: auth };
        const enc = r.headers['accept-encoding'];
        if (typeof enc === 'string') headers['accept-encoding'] = enc;
        const res = await pool.request({ path: r.path, method: 'GET', headers });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) throw new Error(`direct ${r.path}: HTTP ${res.statusCode}`);
      }),
    );
  await load(Math.ceil(CALLS / 10), once);
  const r = await load(CALLS, once);
  fake.requests.length = 0;
  await pool.close();
  return r;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function scenarios(fake: FakeIntervals, target: Target, pid: number | undefined, name: string) {
  const out: Record<string, LoadResult> = {};
  for (const s of SCENARIOS) {
    const fn = toolCall(target, s);
    await load(Math.ceil(CALLS / 10), fn);
    out[s.label] = await load(CALLS, fn, pid);
    fake.requests.length = 0;
    console.log(`  ${name.padEnd(6)} ${s.label.padEnd(26)} ${fmt(out[s.label]!)}`);
  }
  return out;
}

async function memory(fake: FakeIntervals, server: Server, idleRss: number, done: number) {
  console.log(`\nMemory (RSS of the server process, default settings)`);
  console.log(`  idle after start and one tools/list: ${idleRss.toFixed(0)} MiB`);
  const fns = SCENARIOS.slice(0, 2).map((s) => toolCall(server.target, s));
  let i = 0;
  const mixed = () => fns[i++ % fns.length]!();
  const rss: number[] = [];
  for (const step of MEMORY_STEPS) {
    while (done < step) {
      const n = Math.min(10_000, step - done);
      const r = await load(n, mixed);
      done += r.calls;
      fake.requests.length = 0;
      if (r.calls < n) break; // time cap
    }
    rss.push(rssMiB(server.pid));
    console.log(`  after ${done} calls: ${rss.at(-1)!.toFixed(0)} MiB`);
  }
  if (flag('--smaps')) console.log(smapsSummary(server.pid));
  await new Promise((r) => setTimeout(r, IDLE_MS));
  console.log(`  after ${IDLE_MS / 1000} s idle: ${rssMiB(server.pid).toFixed(0)} MiB`);
  if (rss.length === 2) console.log(`  change ${MEMORY_STEPS[0]} → ${MEMORY_STEPS[1]} calls: ${(rss[1]! - rss[0]!).toFixed(1)} MiB`);
}

/**
 * The server bundled as the build does (scripts/build.mjs's options), but unminified and in one
 * file, so every profile frame can be traced to its module by esbuild's `// path` comments; same
 * code, same run-time behaviour.
 */
async function profileBuild(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    ...serverBundleOptions(dir),
    entryPoints: { index: 'src/index.ts' },
    splitting: false,
    minifySyntax: false,
    minifyWhitespace: false,
    metafile: false,
  });
  return join(dir, 'index.js');
}

async function profile(fake: FakeIntervals) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
  const bundle = await profileBuild(dir);
  const server = await startOurs(fake, ['--cpu-prof', `--cpu-prof-dir=${dir}`, bundle], UNCACHED);
  for (const s of SCENARIOS.slice(0, 2)) await load(CALLS, toolCall(server.target, s));
  await server.stop();
  // The launcher re-executes Node with the heap flags (same pid): the larger profile is the server's.
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!file) throw new Error(`no CPU profile written to ${dir}`);
  const keep = flag('--keep-profile');
  console.log(
    `\nCPU profile of the server, ${CALLS} calls each of list_activities(limit 5) and get_wellness(7 d)${keep ? ` (${join(dir, file)})` : ''}`,
  );
  const map = bundleSources(pathToFileURL(bundle).href, readFileSync(bundle, 'utf8'));
  console.log(summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), 30, map));
  // The profile and its bundle are a few MiB: kept only when asked for (--keep-profile).
  if (!keep) rmSync(dir, { recursive: true, force: true });
  fake.requests.length = 0;
}

/**
 * --peer DIR: another Streamable HTTP MCP server, run from DIR with the spec in DIR/bench-peer.json
 * or --peer-spec FILE (scripts/bench/peer-hdusy.json is the one for HduSy/intervals-mcp-server):
 *   {"command": ["{NODE}", "dist/index.js", ..., "{PORT}"], "env": {"API_KEY": "{KEY}", "BASE": "{FAKE}/api/v1"},
 *    "path": "/mcp", "scenarios": {"list_activities": {"tool": "...", "args": {...}}, ...}}
 * {NODE} is this Node, {PORT} a free port, {FAKE} the fake's URL, {KEY} its API key; in scenario
 * arguments {TODAY} and {TODAY-N} are dates in the sample athlete's time zone (what our tools take
 * as today). Same clients, same fake, same scenarios (keyed by our tool names), in the same run.
 */
interface PeerSpec {
  command: string[];
  env: Record<string, string>;
  path: string;
  scenarios: Record<string, { tool: string; args: Record<string, unknown> }>;
}

const PEER_DIR = option('--peer') ? resolve(option('--peer')!) : undefined;
const PEER_SPEC = option('--peer-spec');

function peerSpec(dir: string): PeerSpec {
  return JSON.parse(readFileSync(PEER_SPEC ? resolve(PEER_SPEC) : join(dir, 'bench-peer.json'), 'utf8')) as PeerSpec;
}

/** {TODAY} / {TODAY-6} in a scenario's string arguments: dates in the sample athlete's zone. */
function withDates(args: Record<string, unknown>): Record<string, unknown> {
  const today = todayInTimeZone(SAMPLE_FACTS.timezone);
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [
      k,
      typeof v === 'string' ? v.replace(/\{TODAY(?:-(\d+))?\}/g, (_, n?: string) => addDays(today, -Number(n ?? 0))) : v,
    ]),
  );
}

async function startPeer(fake: FakeIntervals, dir: string, spec: PeerSpec): Promise<Server & { startMs: number }> {
  const port = await freePort();
  const fill = (v: string) =>
    v.replaceAll('{NODE}', process.execPath).replaceAll('{FAKE}', fake.url).replaceAll('{PORT}', String(port)).replaceAll('{KEY}', API_KEY);
  const started = performance.now();
  const child = spawn(fill(spec.command[0]!), spec.command.slice(1).map(fill), {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fill(v)])) },
    // Its own start-up chatter stays out of the figures; a peer that cannot start is reported below.
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  child.once('exit', (code) => {
    if (performance.now() - started < 30_000 && code !== null && code !== 0)
      console.error(`peer exited with ${code}: ${spec.command.join(' ')}`);
  });
  return whenReady(child, port, spec.path, started);
}

/** The peer's load phases: the scenarios it has an equivalent for, then its RSS. */
async function runPeer(fake: FakeIntervals, dir: string, spec: PeerSpec) {
  const peer = await startPeer(fake, dir, spec);
  console.log(`\nPeer ${dir}: idle after start and one tools/list ${rssMiB(peer.pid).toFixed(0)} MiB`);
  const results: Record<string, LoadResult> = {};
  for (const s of SCENARIOS) {
    const p = spec.scenarios[s.tool];
    if (!p) continue;
    const args = withDates(p.args);
    const fn = () => rpc(peer.target, 'tools/call', { name: p.tool, arguments: args });
    await load(Math.ceil(CALLS / 10), fn);
    results[s.label] = await load(CALLS, fn, peer.pid);
    fake.requests.length = 0;
    console.log(`  peer   ${s.label.padEnd(26)} ${fmt(results[s.label]!)}`);
  }
  console.log(`  peer RSS after load: ${rssMiB(peer.pid).toFixed(0)} MiB`);
  await peer.stop();
  return results;
}

/** The memory settings as the Dockerfile's ENV gives them (the launcher then has nothing to add). */
const AS_THE_IMAGE = { NODE_OPTIONS: HEAP_DEFAULTS.join(' '), ...MALLOC_DEFAULTS };

/** Cold starts of ours and the peer's, alternated so that a busier moment of the machine hits both. */
async function coldStarts(fake: FakeIntervals, peer?: { dir: string; spec: PeerSpec }) {
  const ours: number[] = [];
  const image: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const s = await startOurs(fake);
    ours.push(s.startMs);
    await s.stop();
    // As the image starts it: its environment already has the memory settings, so no restart.
    const m = await startOurs(fake, [ENTRY], AS_THE_IMAGE);
    image.push(m.startMs);
    await m.stop();
    if (!peer) continue;
    const p = await startPeer(fake, peer.dir, peer.spec);
    theirs.push(p.startMs);
    await p.stop();
  }
  const line = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (${xs.map((t) => t.toFixed(0)).join(', ')})`;
  console.log(`\nCold start, spawn → first tools/list answer over HTTP, ${COLD_RUNS} spawns each`);
  console.log(`  ours   node ${ENTRY.replace(`${process.cwd()}/`, '')}: ${line(ours)}`);
  console.log(`  ours   the same with the image's NODE_OPTIONS and MALLOC_ settings (no restart): ${line(image)}`);
  if (peer) {
    console.log(`  peer   ${peer.spec.command.slice(1, 2).join(' ')}: ${line(theirs)}`);
    console.log(`  ours ÷ peer cold start ${(median(ours) / median(theirs)).toFixed(2)}`);
  }
}

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const fake = await startFakeIntervals({ apiKey: API_KEY });
  console.log(
    `intervals-mcp bench: node ${process.version}, ${CLIENTS} concurrent clients, ${CALLS} calls per scenario${QUICK ? ' (--quick)' : ''}`,
  );

  const peer = PEER_DIR ? { dir: PEER_DIR, spec: peerSpec(PEER_DIR) } : undefined;
  if (phase('cold')) await coldStarts(fake, peer);

  const server = await startOurs(fake, [ENTRY], UNCACHED);
  let ours: Record<string, LoadResult> = {};
  if (phase('load') || phase('direct')) {
    console.log(`\nThroughput, latency and server CPU per call (${CLIENTS} concurrent clients, read cache off: every call goes upstream)`);
    ours = await scenarios(fake, server.target, server.pid, 'ours');
  }
  if (phase('direct')) console.log(`\nThe same upstream requests made directly with undici (no MCP server), ${CLIENTS} concurrent`);
  for (const s of phase('direct') ? SCENARIOS : []) {
    const reqs = await upstreamOf(fake, toolCall(server.target, s));
    const d = await direct(fake, reqs);
    console.log(
      `  direct ${s.label.padEnd(26)} ${fmt(d)}  [${reqs.length} GET: ${reqs.map((r) => r.path.replace(/\?.*/, '')).join(', ')}]  MCP-overhead ratio ${(rate(ours[s.label]!) / rate(d)).toFixed(2)}`,
    );
  }
  if (peer && (phase('load') || phase('direct'))) {
    const theirs = await runPeer(fake, peer.dir, peer.spec);
    for (const [label, p] of Object.entries(theirs)) {
      const o = ours[label];
      if (!o) continue;
      console.log(
        `  ours ÷ peer ${label.padEnd(26)} calls/s ${(rate(o) / rate(p)).toFixed(2)}×, server CPU/call ${o.cpuPerCall!.toFixed(3)} vs ${p.cpuPerCall!.toFixed(3)} ms`,
      );
    }
  }
  await server.stop();

  if (phase('cache') || phase('memory')) {
    // Every setting at its default (the read cache on), as `node dist/index.js` runs.
    const dflt = await startOurs(fake);
    const idleRss = rssMiB(dflt.pid);
    let done = 2;
    if (phase('cache')) {
      console.log(`\nWith the default settings (read cache on): identical calls mostly served from memory`);
      const cached = await scenarios(fake, dflt.target, dflt.pid, 'cached');
      done += Object.values(cached).reduce((n, r) => n + r.calls + Math.ceil(CALLS / 10), 0);
    }
    if (phase('memory')) await memory(fake, dflt, idleRss, done);
    await dflt.stop();
  }

  if (phase('profile')) await profile(fake);
  await fake.close();
}

await main();
process.exit(0);
