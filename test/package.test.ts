/**
 * The published package, as a user gets it: `npm pack` (which builds through `prepack`), the
 * tarball installed into an empty directory, the server started through its `intervals-mcp` bin
 * and driven over stdio by the SDK's own client: initialize, tools/list, a tool call answered from
 * the fake Intervals.icu, and a clean exit when the client closes. Then the README's local
 * set-ups, run as the clients run them: the Claude Desktop JSON config and the `claude mcp add`
 * line, each started with its own command, arguments and environment (npx finds the installed
 * package, offline). And the README's Quick start: `npm run demo` and `npm start` over HTTP.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIntervals, SAMPLE_ATHLETE_ID, startFakeIntervals } from './fake-intervals/index.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-pack-'));
/** The Node running this suite comes first on PATH: npm's scripts and the bin's `#!/usr/bin/env node` use it. */
const PATH = [dirname(process.execPath), join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
const npmEnv = {
  PATH,
  HOME: process.env.HOME ?? tmp,
  npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? tmp, '.npm'),
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  NPM_CONFIG_FUND: 'false',
  NPM_CONFIG_AUDIT: 'false',
};

let tarball: string;
let files: string[];
let installDir: string;
let fake: FakeIntervals;

beforeAll(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, env: npmEnv, maxBuffer: 32 << 20 });
  // npm prints the prepack build's output before the JSON.
  const json = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, json[0]!.filename);
  files = json[0]!.files.map((f) => f.path);
  installDir = join(tmp, 'app');
  await run('mkdir', ['-p', installDir]);
  writeFileSync(join(installDir, 'package.json'), '{"name":"pack-test","version":"1.0.0","private":true}\n');
  // --offline: the package must install without fetching anything (it bundles its dependencies).
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: installDir, env: npmEnv });
  fake = await startFakeIntervals();
}, 120_000);

afterAll(async () => {
  await fake?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm package', () => {
  it('ships the built server only, with a bin named intervals-mcp', () => {
    expect(pkg.bin).toEqual({ 'intervals-mcp': 'dist/cli.js' });
    expect(files).toContain('package.json');
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/index.js');
    expect(files.some((f) => f.startsWith('dist/chunks/'))).toBe(true);
    expect(files).toEqual(expect.arrayContaining(['dist/views/form.html', 'dist/views/week.html', 'dist/views/curves.html']));
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/)/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /\.(ts|map)$/.test(f) || f.includes('test'))).toEqual([]);
  });

  it('installs without dependencies: the bundle is self-contained', () => {
    const installed = JSON.parse(readFileSync(join(installDir, 'node_modules', pkg.name, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(installed.dependencies ?? {}).toEqual({});
    expect(installed.private).toBeUndefined();
    expect(existsSync(join(installDir, 'node_modules', '.bin', 'intervals-mcp'))).toBe(true);
  });

  it('starts through its bin over stdio: initialize, tools/list, a tool call against the fake, clean exit', async () => {
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: join(installDir, 'node_modules', '.bin', 'intervals-mcp'),
      args: [],
      cwd: installDir,
      env: {
        PATH,
        HOME: process.env.HOME ?? tmp,
        INTERVALS_API_KEY: 'test-api-key',
        INTERVALS_BASE_URL: fake.url,
        LOG_LEVEL: 'info',
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    expect(client.getServerVersion()).toMatchObject({ name: 'intervals-mcp', version: pkg.version });

    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['get_athlete', 'list_activities', 'get_wellness', 'create_event']));

    const r = await client.callTool({ name: 'get_athlete', arguments: {} });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const athlete = r.structuredContent as { timezone: string; today: string; sports: { types: string[]; ftp_w?: number }[] };
    const profile = fake.state.athletes.get(SAMPLE_ATHLETE_ID)!;
    const rideSettings = profile.sportSettings.find((s) => (s.types as string[]).includes('Ride'))!;
    expect(athlete.timezone).toBe('Pacific/Auckland');
    expect(athlete.today).toBe(fake.today);
    expect(athlete.sports.find((s) => s.types.includes('Ride'))?.ftp_w).toBe(rideSettings.ftp);
    expect(fake.requests.some((q) => q.path.startsWith(`/api/v1/athlete/`) && q.hasAuthorization)).toBe(true);

    // The MCP Apps views ship in the package and are found from the bundled chunks.
    const view = await client.readResource({ uri: 'ui://intervals/form.html' });
    expect((view.contents[0] as { text: string }).text).toMatch(/^<!doctype html>/i);

    // The SDK client ends our stdin and waits for the process to exit (SIGTERM after 2 s).
    await client.close();
    expect(() => process.kill(pid, 0)).toThrow();
    // It went because stdin closed, not because of the client's SIGTERM, and finished cleanly.
    const log = stderr.join('');
    expect(log).toContain('"reason":"stdin closed"');
    expect(log).not.toContain('SIGTERM');
    expect(log).toMatch(/"msg":"stopped"/);
    expect(log).not.toContain('test-api-key');
  }, 30_000);
});

// ---- the README's local set-ups ----------------------------------------------------------------

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const LOCAL = README.slice(README.indexOf('## Run locally'), README.indexOf('## Local vs homelab'));

interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Start a documented launch line with the test's key and the fake as upstream; list tools and read the profile. */
async function drive(launch: Launch): Promise<{ tools: string[]; timezone: string }> {
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    cwd: installDir,
    env: {
      PATH,
      HOME: process.env.HOME ?? tmp,
      npm_config_cache: npmEnv.npm_config_cache,
      // npx must find the installed package, never the registry.
      npm_config_offline: 'true',
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      ...launch.env,
      INTERVALS_API_KEY: 'test-api-key',
      INTERVALS_BASE_URL: fake.url,
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'readme-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    const r = await client.callTool({ name: 'get_athlete', arguments: {} });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return { tools, timezone: (r.structuredContent as { timezone: string }).timezone };
  } finally {
    await client.close();
  }
}

// ---- the README's Quick start ------------------------------------------------------------------

/** Run an npm script in its own process group; resolves with the first stdout/stderr line matching `ready`. */
async function startScript(script: string, env: Record<string, string>, ready: RegExp) {
  const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env: { ...npmEnv, ...env }, detached: true });
  let out = '';
  const line = await new Promise<RegExpExecArray>((resolve, reject) => {
    const look = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve(m);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`npm run ${script} exited ${code} before it was ready:\n${out}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return child.exitCode;
    process.kill(-child.pid!, 'SIGTERM');
    // 'close': every process holding the pipes (npm and the server it started) has gone.
    const [code] = (await once(child, 'close')) as [number | null];
    return code;
  };
  return { line, output: () => out, stop };
}

/** tools/list and one tool call over Streamable HTTP. */
async function askOverHttp(url: string): Promise<{ tools: string[]; rows: number }> {
  const client = new Client({ name: 'readme-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    const r = await client.callTool({ name: 'list_activities', arguments: { limit: 5 } });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return { tools, rows: (r.structuredContent as { activities: { rows: unknown[] } }).activities.rows.length };
  } finally {
    await client.close();
  }
}

describe("README's Quick start", () => {
  const QUICK = README.slice(README.indexOf('## Quick start'), README.indexOf('## Run locally'));

  it('`npm run demo` serves the fake athlete on loopback: list_activities {"limit": 5} answers five rows', async () => {
    expect(QUICK).toContain('npm ci && npm run demo');
    const demo = await startScript('demo', { PORT: '0', LOG_LEVEL: 'warn' }, /Demo ready: MCP endpoint (http:\/\/127\.0\.0\.1:\d+\/mcp)/);
    try {
      const { tools, rows } = await askOverHttp(demo.line[1]!);
      expect(tools).toEqual(expect.arrayContaining(['list_activities', 'get_fitness', 'create_event']));
      expect(rows).toBe(5);
    } finally {
      await demo.stop();
    }
  }, 60_000);

  it('`npm run build && INTERVALS_API_KEY=… npm start` serves the built server on loopback (the build ran at npm pack)', async () => {
    expect(QUICK).toContain('npm ci && npm run build && INTERVALS_API_KEY=your-key npm start');
    const start = await startScript(
      'start',
      { INTERVALS_API_KEY: 'test-api-key', INTERVALS_BASE_URL: fake.url, PORT: '0', LOG_LEVEL: 'info' },
      /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/,
    );
    try {
      const { rows } = await askOverHttp(start.line[1]!);
      expect(rows).toBe(5);
      expect(start.output()).not.toContain('test-api-key');
    } finally {
      await start.stop();
    }
    // SIGTERM to npm's process group reaches the server, which drains and says so.
    expect(start.output()).toMatch(/"msg":"stopped"/);
  }, 60_000);
});

describe("README's Development commands", () => {
  const DEV = README.slice(README.indexOf('## Development'), README.indexOf('## Deploy on a homelab'));

  it('`npm run dev` serves the server from source (tsx) on loopback', async () => {
    expect(DEV).toMatch(/^npm run dev\b/m);
    const dev = await startScript(
      'dev',
      { INTERVALS_API_KEY: 'test-api-key', INTERVALS_BASE_URL: fake.url, PORT: '0', LOG_LEVEL: 'info' },
      /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/,
    );
    try {
      expect((await askOverHttp(dev.line[1]!)).rows).toBe(5);
    } finally {
      await dev.stop();
    }
  }, 60_000);
});

describe('intervals-mcp check-key from the installed package (what `node dist/cli.js check-key` runs in the image)', () => {
  const checkKey = async (key: string) => {
    try {
      const { stdout } = await run(join(installDir, 'node_modules', '.bin', 'intervals-mcp'), ['check-key'], {
        cwd: installDir,
        env: { PATH, HOME: process.env.HOME ?? tmp, INTERVALS_API_KEY: key, INTERVALS_BASE_URL: fake.url },
      });
      return { code: 0, stdout };
    } catch (err) {
      const e = err as { code?: number; stdout?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? '' };
    }
  };

  it('exits 0 with one OK line for the right key, 1 with one FAIL line for a wrong one, never printing it', async () => {
    const good = await checkKey('test-api-key');
    expect(good.code).toBe(0);
    expect(good.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^check-key: OK: /)]);
    const wrong = await checkKey('wrong-key-123');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^check-key: FAIL: .*401/)]);
    expect(wrong.stdout).not.toContain('wrong-key-123');
  }, 30_000);
});

describe("README's local set-ups", () => {
  it('the claude_desktop_config.json example starts the server and answers', async () => {
    const block = [...LOCAL.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('mcpServers'));
    expect(block, 'a ```json block with mcpServers').toBeDefined();
    const config = JSON.parse(block!) as { mcpServers: Record<string, Launch> };
    const entries = Object.values(config.mcpServers);
    expect(entries).toHaveLength(1);
    const launch = entries[0]!;
    expect(launch).toMatchObject({ command: 'npx', args: ['-y', pkg.name] });
    expect(Object.keys(launch.env)).toContain('INTERVALS_API_KEY');
    const { tools, timezone } = await drive(launch);
    expect(tools).toContain('create_event'); // READ_ONLY "false" as written
    expect(timezone).toBe('Pacific/Auckland');
  }, 30_000);

  it('the `claude mcp add` stdio line starts the server and answers', async () => {
    const line = LOCAL.split('\n').find((l) => l.startsWith('claude mcp add ') && !l.includes('--transport'));
    expect(line, 'a `claude mcp add` line for stdio').toBeDefined();
    const [before, after] = line!.split(' -- ') as [string, string];
    const words = before.split(/\s+/).slice(3);
    const env: Record<string, string> = {};
    const names: string[] = [];
    for (let i = 0; i < words.length; i++) {
      if (words[i] === '-e') {
        const [k, ...v] = words[++i]!.split('=');
        env[k!] = v.join('=');
      } else names.push(words[i]!);
    }
    expect(names).toEqual(['intervals']);
    expect(Object.keys(env)).toEqual(['INTERVALS_API_KEY']);
    const [command, ...args] = after.trim().split(/\s+/) as [string, ...string[]];
    expect([command, ...args]).toEqual(['npx', '-y', pkg.name]);
    const { tools } = await drive({ command, args, env });
    expect(tools).toContain('get_athlete');
  }, 30_000);

  it("the `claude mcp add --transport http` line points at a deployment's /mcp over https", () => {
    const line = LOCAL.split('\n').find((l) => l.startsWith('claude mcp add --transport http '));
    expect(line).toBeDefined();
    const url = new URL(line!.trim().split(/\s+/).at(-1)!);
    expect(url.protocol).toBe('https:');
    expect(url.pathname).toBe('/mcp');
  });
});
