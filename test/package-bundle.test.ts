/**
 * The MCP Bundle for Claude Desktop: manifest.json passes @anthropic-ai/mcpb's own validator and
 * describes the server truthfully; `npm run bundle` produces a .mcpb that, unpacked with
 * the same library and started with the command Claude Desktop derives from the manifest (the
 * library's getMcpConfigForManifest, user config filled in), serves MCP over stdio on its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getMcpConfigForManifest, hasRequiredConfigMissing, unpackExtension, validateManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exposedTools } from '../src/mcp/server.js';
import { tools } from '../src/tools/index.js';
import { type FakeIntervals, SAMPLE_ATHLETE_ID, startFakeIntervals } from './fake-intervals/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST_PATH = join(ROOT, 'manifest.json');
const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as {
  name: string;
  version: string;
  server: { type: string; entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  tools: { name: string }[];
  user_config: Record<string, { type: string; sensitive?: boolean; required?: boolean; default?: unknown }>;
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcpb-test-'));
const unpacked = join(tmp, 'unpacked');
let fake: FakeIntervals;

beforeAll(async () => {
  const out = join(tmp, 'intervals-mcp.mcpb');
  // The README's command (npm run bundle), with an output path so the repository is left alone.
  const PATH = [dirname(process.execPath), join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
  await promisify(execFile)('npm', ['run', '--silent', 'bundle', '--', out], { cwd: ROOT, env: { ...process.env, PATH } });
  expect(await unpackExtension({ mcpbPath: out, outputDir: unpacked, silent: true })).toBe(true);
  fake = await startFakeIntervals();
}, 90_000);

afterAll(async () => {
  await fake?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('manifest.json', () => {
  it("passes the mcpb package's own validator", () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(validateManifest(MANIFEST_PATH)).toBe(true);
    } finally {
      log.mockRestore();
    }
  });

  it('asks for the API key (sensitive, required), the athlete id and the read-only switch, and passes them as the server reads them', () => {
    expect(manifest.user_config.api_key).toMatchObject({ type: 'string', sensitive: true, required: true });
    expect(manifest.user_config.athlete_id).toMatchObject({ type: 'string', default: '0' });
    expect(manifest.user_config.read_only).toMatchObject({ type: 'boolean', default: false });
    expect(manifest.server.mcp_config.env).toEqual({
      INTERVALS_API_KEY: '${user_config.api_key}',
      INTERVALS_ATHLETE_ID: '${user_config.athlete_id}',
      READ_ONLY: '${user_config.read_only}',
      // The heap flags are in args, so the launcher does not restart; glibc's settings come from here.
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '32768',
    });
    expect(hasRequiredConfigMissing({ manifest: manifest as never, userConfig: {} })).toBe(true);
    expect(hasRequiredConfigMissing({ manifest: manifest as never, userConfig: { api_key: 'k' } })).toBe(false);
  });

  it('matches the package: version, entry point, and the tools a default configuration exposes', () => {
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server.entry_point).toBe(pkg.bin['intervals-mcp']);
    const exposed = exposedTools({ tools, readOnly: false, athleteIds: ['0'] }).map((t) => t.name);
    expect(manifest.tools.map((t) => t.name)).toEqual(exposed);
  });
});

describe('the .mcpb', () => {
  it('holds the manifest, the bundled server and nothing from node_modules', () => {
    const all = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? all(join(dir, e.name)) : [join(dir, e.name).slice(unpacked.length + 1)],
      );
    const files = all(unpacked);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'package.json', 'dist/cli.js']));
    expect(files.some((f) => f.startsWith('dist/chunks/'))).toBe(true);
    expect(files.filter((f) => f.includes('node_modules') || f.endsWith('.ts'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' });
  });

  it('starts with the command Claude Desktop derives from the manifest and answers from the fake Intervals.icu', async () => {
    const config = await getMcpConfigForManifest({
      manifest: manifest as never,
      extensionPath: unpacked,
      systemDirs: {},
      userConfig: { api_key: 'test-api-key', read_only: true },
      pathSeparator: sep,
    });
    expect(config).toBeDefined();
    expect(config!.command).toBe('node');
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      // Claude Desktop runs its own Node for `node`; here it is the one running the tests.
      command: process.execPath,
      args: config!.args ?? [],
      env: {
        PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
        ...config!.env,
        // Not part of the manifest: points the server at the fake instead of intervals.icu.
        INTERVALS_BASE_URL: fake.url,
      },
      cwd: tmp,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const client = new Client({ name: 'mcpb-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      // read_only: true from the user config reached the server: no writing tools.
      expect(names).toContain('get_wellness');
      expect(names).not.toContain('create_event');
      const r = await client.callTool({ name: 'get_athlete', arguments: {} });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      const profile = fake.state.athletes.get(SAMPLE_ATHLETE_ID)!;
      expect(r.structuredContent).toMatchObject({ timezone: 'Pacific/Auckland', today: fake.today, weight_kg: profile.profile.weight });
      const view = await client.readResource({ uri: 'ui://intervals/curves.html' });
      expect((view.contents[0] as { text: string }).text).toMatch(/^<!doctype html>/i);
    } finally {
      await client.close();
    }
    expect(stderr.join('')).not.toContain('test-api-key');
  }, 30_000);
});
