/**
 * The entry points. The HTTP entry (`src/index.ts`, run through tsx so no build is needed) must
 * fail fast on a bad environment: a non-zero exit, one readable stderr line naming the variable,
 * and never the API key. The `intervals-mcp` bin (built into a private directory, so parallel tests
 * never see a half-written dist/) speaks stdio: protocol only on stdout, no listener, no auth
 * settings, a clean exit on stdin close and on signals, and the container's heap flags by default.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAP_DEFAULTS, MALLOC_DEFAULTS, missingHeapFlags, missingMallocSettings } from '../src/launch.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-entry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the entry with exactly `env` (none of the parent's variables). A `.env` in the repo root
 * (developers may keep one; it is git-ignored) is neutralised by pointing dotenv elsewhere.
 */
function runEntry(env: Record<string, string>): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSX, 'src/index.ts'],
      {
        cwd: ROOT,
        timeout: 20_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? tmp,
          DOTENV_CONFIG_PATH: join(tmp, 'no-such.env'),
          ...env,
        },
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        done({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('entry point on a bad environment', () => {
  it('exits non-zero with exactly one stderr line naming INTERVALS_API_KEY when the key is missing', async () => {
    const r = await runEntry({});
    expect(r.signal, `killed: ${r.stderr}`).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain('INTERVALS_API_KEY');
    expect(lines[0]).toMatch(/^intervals-mcp: /);
    expect(r.stdout).toBe('');
  }, 20_000);

  it('exits non-zero naming PORT for PORT=notaport, and never prints the key', async () => {
    const r = await runEntry({ INTERVALS_API_KEY: 'zzz-secret', PORT: 'notaport' });
    expect(r.signal, `killed: ${r.stderr}`).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(r.stderr).not.toContain('zzz-secret');
    expect(r.stdout).not.toContain('zzz-secret');
  }, 20_000);

  it('refuses AUTH_MODE=none on HOST=0.0.0.0 at startup without printing the key', async () => {
    const r = await runEntry({ INTERVALS_API_KEY: 'zzz-secret', HOST: '0.0.0.0' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('AUTH_MODE');
    expect(r.stderr + r.stdout).not.toContain('zzz-secret');
  }, 20_000);
});

// ---- the built bin -------------------------------------------------------------------------------

const BUILT = join(tmp, 'pkg');
const BIN = join(BUILT, 'dist', 'cli.js');

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), join(BUILT, 'dist')], { cwd: ROOT });
  writeFileSync(join(BUILT, 'package.json'), '{"type":"module"}\n');
}, 60_000);

interface Bin {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  /** The JSON-RPC answer with this id. */
  answer(id: number): Promise<Record<string, unknown>>;
  send(msg: Record<string, unknown>): void;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startBin(args: string[], env: Record<string, string>): Bin {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: tmp,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, DOTENV_CONFIG_PATH: join(tmp, 'no-such.env'), ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      stdout.push(line);
      let msg: Record<string, unknown> | undefined;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // --version and --help print text; the stdio tests check every line parses
      }
      if (typeof msg.id === 'number') waiting.get(msg.id)?.(msg);
    }
  });
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    stdout,
    stderr,
    exit,
    send: (msg) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`),
    answer: (id) => new Promise((done) => waiting.set(id, done)),
  };
}

async function initialize(bin: Bin): Promise<Record<string, unknown>> {
  const answer = bin.answer(1);
  bin.send({
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
  const init = await answer;
  bin.send({ method: 'notifications/initialized' });
  return init;
}

function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      done(false);
    });
    s.once('error', () => done(true));
  });
}

describe('intervals-mcp bin over stdio', () => {
  it('answers on stdout with protocol only, ignores HTTP and auth settings, opens no port, exits 0 when stdin closes', async () => {
    // A port that was free a moment ago: the server would listen there if it listened at all.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((done) => probe.close(done));
    const bin = startBin([], {
      INTERVALS_API_KEY: 'zzz-secret',
      // A homelab environment must not stop (or change) a local stdio start.
      AUTH_MODE: 'pomerium',
      HOST: '0.0.0.0',
      PORT: String(port),
      LOG_LEVEL: 'debug',
    });
    const init = await initialize(bin);
    expect(init.result).toMatchObject({ serverInfo: { name: 'intervals-mcp' } });
    const listed = bin.answer(2);
    bin.send({ id: 2, method: 'tools/list' });
    const tools = ((await listed).result as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(tools).toContain('get_athlete');
    expect(await refused(port)).toBe(true);
    bin.child.stdin.end();
    expect(await bin.exit).toEqual({ code: 0, signal: null });
    // Every stdout line is a JSON-RPC message; the logs went to stderr.
    for (const line of bin.stdout) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(bin.stderr.join('')).toContain('intervals-mcp ready on stdio');
    expect(bin.stderr.join('') + bin.stdout.join('')).not.toContain('zzz-secret');
  }, 20_000);

  it('`intervals-mcp stdio` is the same as no argument', async () => {
    const bin = startBin(['stdio'], { INTERVALS_API_KEY: 'k', LOG_LEVEL: 'silent' });
    expect((await initialize(bin)).result).toMatchObject({ serverInfo: { name: 'intervals-mcp' } });
    bin.child.stdin.end();
    expect(await bin.exit).toEqual({ code: 0, signal: null });
  }, 20_000);

  it('READ_ONLY over stdio hides the writing tools, as over HTTP', async () => {
    const bin = startBin([], { INTERVALS_API_KEY: 'k', READ_ONLY: 'true', LOG_LEVEL: 'silent' });
    await initialize(bin);
    const listed = bin.answer(2);
    bin.send({ id: 2, method: 'tools/list' });
    const tools = ((await listed).result as { tools: { name: string; annotations?: { readOnlyHint?: boolean } }[] }).tools;
    expect(tools.map((t) => t.name)).toContain('get_athlete');
    expect(tools.map((t) => t.name)).not.toContain('create_event');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    bin.child.stdin.end();
    expect(await bin.exit).toEqual({ code: 0, signal: null });
  }, 20_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}`, async () => {
      const bin = startBin([], { INTERVALS_API_KEY: 'k' });
      await initialize(bin);
      bin.child.kill(signal);
      expect(await bin.exit).toEqual({ code: 0, signal: null });
      expect(bin.stderr.join('')).toContain(`"reason":"${signal}"`);
    }, 20_000);
  }

  it('without a key: exit 2, one stderr line naming INTERVALS_API_KEY, nothing on stdout', async () => {
    const bin = startBin([], {});
    const { code } = await bin.exit;
    expect(code).toBe(2);
    const lines = bin.stderr.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^intervals-mcp: .*INTERVALS_API_KEY/);
    expect(bin.stdout).toEqual([]);
  }, 20_000);

  it('--help names both modes and check-key', async () => {
    const help = startBin(['--help'], {});
    expect(await help.exit).toEqual({ code: 0, signal: null });
    const text = help.stdout.join('\n');
    expect(text).toContain('Usage: intervals-mcp [stdio | http | check-key]');
    expect(text).toMatch(/^\s+stdio\s/m);
    expect(text).toMatch(/^\s+http\s/m);
    expect(text).toMatch(/^\s+check-key\s/m);
  }, 20_000);

  it('--version prints the package version; an unknown argument is a usage error', async () => {
    const version = startBin(['--version'], {});
    expect(await version.exit).toEqual({ code: 0, signal: null });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout).toEqual([pkg.version]);
    const bad = startBin(['serve'], {});
    expect((await bad.exit).code).toBe(2);
    expect(bad.stderr.join('')).toContain('unknown argument "serve"');
    expect(bad.stderr.join('')).toContain('Usage: intervals-mcp');
  }, 20_000);
});

describe('intervals-mcp http', () => {
  it('starts the HTTP server (healthz, /mcp tools/list) and drains on SIGTERM with exit 0', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((done) => probe.close(done));
    const bin = startBin(['http'], {
      INTERVALS_API_KEY: 'test-key-for-http',
      INTERVALS_BASE_URL: 'http://127.0.0.1:9',
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    await new Promise<void>((done) => {
      const check = () => (bin.stdout.some((l) => l.includes('intervals-mcp listening')) ? done() : setTimeout(check, 20));
      check();
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const r = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    const body = (await r.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.map((t) => t.name)).toContain('get_athlete');
    bin.child.kill('SIGTERM');
    expect(await bin.exit).toEqual({ code: 0, signal: null });
  }, 20_000);
});

describe('default heap settings', () => {
  it('adds each container flag that neither the command line nor NODE_OPTIONS sets', () => {
    expect(missingHeapFlags([], undefined)).toEqual([...HEAP_DEFAULTS]);
    expect(missingHeapFlags(['--max-old-space-size=512'], '')).toEqual([HEAP_DEFAULTS[1]]);
    expect(missingHeapFlags([], '--max_semi_space_size=8 --max-old-space-size=64')).toEqual([]);
    expect(missingHeapFlags([], '--max-old-space-size-x=1')).toEqual([...HEAP_DEFAULTS]);
  });

  it('adds each malloc setting the environment does not already have, whatever else is set', () => {
    expect(missingMallocSettings({})).toEqual(MALLOC_DEFAULTS);
    expect(missingMallocSettings({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_MMAP_THRESHOLD_: MALLOC_DEFAULTS.MALLOC_MMAP_THRESHOLD_ });
    // Set to empty is still set: the restarted process must never restart again.
    expect(missingMallocSettings({ MALLOC_ARENA_MAX: '', MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({});
  });

  it('the image and the Claude Desktop bundle start with the same settings as the launcher', () => {
    // The image sets them in its environment (no restart needed); the bundle on the node command line.
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`NODE_OPTIONS="${HEAP_DEFAULTS.join(' ')}"`);
    for (const [name, value] of Object.entries(MALLOC_DEFAULTS)) expect(dockerfile).toMatch(new RegExp(`^\\s+${name}=${value} \\\\$`, 'm'));
    const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
    expect(manifest.server.mcp_config.args).toEqual([...HEAP_DEFAULTS, '${__dirname}/dist/cli.js']);
    expect(manifest.server.mcp_config.env).toMatchObject(MALLOC_DEFAULTS);
  });

  // The running process's own command line shows the flags V8 started with (Linux /proc).
  const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

  it.runIf(process.platform === 'linux')(
    'the bin restarts itself in place (same pid) with the container flags',
    async () => {
      const bin = startBin([], { INTERVALS_API_KEY: 'k', LOG_LEVEL: 'silent' });
      await initialize(bin);
      const args = cmdline(bin.child.pid!);
      expect(args).toEqual(expect.arrayContaining([...HEAP_DEFAULTS, BIN]));
      // glibc's settings ride along in the environment of the restarted process.
      const environ = readFileSync(`/proc/${bin.child.pid!}/environ`, 'utf8').split('\0');
      for (const [name, value] of Object.entries(MALLOC_DEFAULTS)) expect(environ).toContain(`${name}=${value}`);
      bin.child.stdin.end();
      await bin.exit;
    },
    20_000,
  );

  it.runIf(process.platform === 'linux')(
    'NODE_OPTIONS wins over the defaults',
    async () => {
      const bin = startBin([], { INTERVALS_API_KEY: 'k', LOG_LEVEL: 'silent', NODE_OPTIONS: '--max-old-space-size=300' });
      await initialize(bin);
      const args = cmdline(bin.child.pid!);
      expect(args.filter((a) => a.startsWith('--max-old-space-size'))).toEqual([]);
      expect(args).toContain(HEAP_DEFAULTS[1]);
      bin.child.stdin.end();
      await bin.exit;
    },
    20_000,
  );

  it.runIf(process.platform === 'linux')(
    'heap flags of your own still get the malloc settings, and a malloc setting of your own wins',
    async () => {
      // Both heap flags given: before, nothing restarted, so malloc ran with glibc's defaults (~30 MiB more after load).
      const bin = startBin([], {
        INTERVALS_API_KEY: 'k',
        LOG_LEVEL: 'silent',
        NODE_OPTIONS: '--max-old-space-size=300 --max-semi-space-size=16',
        MALLOC_ARENA_MAX: '4',
      });
      await initialize(bin);
      expect(cmdline(bin.child.pid!).filter((a) => a.startsWith('--max-'))).toEqual([]);
      const environ = readFileSync(`/proc/${bin.child.pid!}/environ`, 'utf8').split('\0');
      expect(environ).toContain(`MALLOC_MMAP_THRESHOLD_=${MALLOC_DEFAULTS.MALLOC_MMAP_THRESHOLD_}`);
      expect(environ).toContain('MALLOC_ARENA_MAX=4');
      bin.child.stdin.end();
      expect(await bin.exit).toEqual({ code: 0, signal: null });
    },
    20_000,
  );
});

describe("the README's cold-start command", () => {
  it('npm run cold-start times spawn → first tools/list and prints the median', async () => {
    const PATH = [dirname(process.execPath), join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(':');
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'cold-start', '--', '2', '--', process.execPath, BIN], {
      cwd: ROOT,
      env: { ...process.env, PATH },
    });
    // Figures are printed, not asserted: each run answered with the full catalogue, and a median.
    // On Linux each run also reports the CPU time used by then.
    const cpu = process.platform === 'linux' ? String.raw`, cpu \d+ ms` : '';
    expect(stdout).toMatch(new RegExp(String.raw`^run 1: \d+ ms${cpu} \(\d+ tools\)$`, 'm'));
    expect(stdout).toMatch(new RegExp(String.raw`^run 2: \d+ ms${cpu} \(\d+ tools\)$`, 'm'));
    expect(stdout).toMatch(/median \d+ ms of 2 \(min \d+, max \d+\)/);
  }, 30_000);
});
