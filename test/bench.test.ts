/**
 * The README's bench command, run the way the README gives it but bounded (--quick, few calls) on a
 * build of its own: every section prints its figures. Nothing about speed is asserted (figures on a
 * shared machine are noise); only that each figure is there and is a number.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILT = mkdtempSync(join(tmpdir(), 'bench-test-'));

afterAll(() => rmSync(BUILT, { recursive: true, force: true }));

describe("the README's bench command", () => {
  it('npm run bench prints calls/s, latency, server CPU, the MCP-overhead ratio, cold start, RSS and a profile', async () => {
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), join(BUILT, 'dist')], { cwd: ROOT });
    const PATH = [dirname(process.execPath), join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(':');
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'bench', '--', '--quick', '--calls', '60', '--profile', '--entry', join(BUILT, 'dist', 'index.js')],
      { cwd: ROOT, env: { ...process.env, PATH }, maxBuffer: 4 * 1024 * 1024 },
    );
    const n = String.raw`\d+(?:\.\d+)?`;
    expect(stdout).toMatch(/Cold start.*7 spawns each\n\s+ours\s+node \S+: median \d+ ms \((\d+, ){6}\d+\)/);
    expect(stdout).toMatch(
      /ours\s+the same with the image's NODE_OPTIONS and MALLOC_ settings \(no restart\): median \d+ ms \((\d+, ){6}\d+\)/,
    );
    for (const label of ['list_activities\\(limit 5\\)', 'get_wellness\\(7 d\\)', 'get_fitness\\(90 d\\)']) {
      const latency = String.raw`${n} calls/s\s+p50 ${n}\s+p95 ${n}\s+p99 ${n} ms`;
      expect(stdout).toMatch(new RegExp(String.raw`ours\s+${label}\s+${latency}\s+server CPU ${n} ms/call\s+\(60 calls\)`));
      expect(stdout).toMatch(
        new RegExp(String.raw`direct ${label}\s+${latency}.*\[1 GET: /api/v1/athlete/0/\w+\]\s+MCP-overhead ratio ${n}`),
      );
      expect(stdout).toMatch(new RegExp(String.raw`cached ${label}\s+${latency}\s+server CPU ${n} ms/call`));
    }
    expect(stdout).toMatch(/idle after start and one tools\/list: \d+ MiB/);
    expect(stdout).toMatch(/after \d+ calls: \d+ MiB\n\s+after \d+ calls: \d+ MiB/);
    expect(stdout).toMatch(/after 3 s idle: \d+ MiB/);
    expect(stdout).toMatch(/change 5000 → 10000 calls: -?\d+\.\d MiB/);
    expect(stdout).toMatch(/CPU profile of the server/);
    expect(stdout).toMatch(/by origin:\n\s+\d+\.\d %/);
    // The profile's frames are traced to their modules: our own code shows up by path.
    expect(stdout).toMatch(/top 30 functions:(\n\s+\d+\.\d %.*)+/);
    expect(stdout).toMatch(/ours \(src\/\)/);
  }, 300_000);

  // --peer runs another server's scenarios in the same run. Our own build stands in for the peer
  // (HduSy's is not installable here): its spec uses every placeholder, and a get_wellness call
  // whose {TODAY-6}..{TODAY} were not filled in would be a tool error, which stops the bench.
  it('npm run bench -- --peer DIR --peer-spec FILE times both servers in one run and prints the ratios', async () => {
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), join(BUILT, 'peer')], { cwd: ROOT });
    const spec = join(BUILT, 'peer-spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        command: ['{NODE}', 'peer/index.js'],
        env: {
          INTERVALS_API_KEY: '{KEY}',
          INTERVALS_BASE_URL: '{FAKE}',
          HOST: '127.0.0.1',
          PORT: '{PORT}',
          INTERVALS_RATE_LIMIT: '1000',
          INTERVALS_RATE_BURST: '1000',
          INTERVALS_CACHE_TTL_MS: '0',
          DOTENV_CONFIG_PATH: '/nonexistent',
        },
        path: '/mcp',
        scenarios: {
          list_activities: { tool: 'list_activities', args: { limit: 5 } },
          get_wellness: { tool: 'get_wellness', args: { oldest: '{TODAY-6}', newest: '{TODAY}' } },
        },
      }),
    );
    const PATH = [dirname(process.execPath), join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(':');
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'bench', '--', '--quick', '--calls', '40', '--only', 'cold,load', '--peer', BUILT, '--peer-spec', spec],
      { cwd: ROOT, env: { ...process.env, PATH }, maxBuffer: 4 * 1024 * 1024 },
    );
    const n = String.raw`\d+(?:\.\d+)?`;
    expect(stdout).toMatch(/\s+peer\s+peer\/index\.js: median \d+ ms \((\d+, ){6}\d+\)\n\s+ours ÷ peer cold start \d+\.\d\d/);
    expect(stdout).toMatch(/Peer .*: idle after start and one tools\/list \d+ MiB/);
    for (const label of ['list_activities\\(limit 5\\)', 'get_wellness\\(7 d\\)']) {
      expect(stdout).toMatch(new RegExp(String.raw`peer\s+${label}\s+${n} calls/s.*server CPU ${n} ms/call\s+\(40 calls\)`));
      expect(stdout).toMatch(new RegExp(String.raw`ours ÷ peer ${label}\s+calls/s ${n}×, server CPU/call ${n} vs ${n} ms`));
    }
    // The spec names no get_fitness equivalent: that scenario is ours alone.
    // The README's spec for HduSy's server (not installable here) has the shape this run used.
    const hdusy = JSON.parse(readFileSync(join(ROOT, 'scripts', 'bench', 'peer-hdusy.json'), 'utf8'));
    expect(hdusy.command[0]).toBe('{NODE}');
    expect(hdusy.command).toContain('{PORT}');
    expect(Object.values(hdusy.env)).toEqual(expect.arrayContaining(['{KEY}', '{FAKE}/api/v1']));
    expect(Object.keys(hdusy.scenarios).sort()).toEqual(['get_wellness', 'list_activities']);
    expect(JSON.stringify(hdusy.scenarios.get_wellness.args)).toMatch(/\{TODAY-6\}.*\{TODAY\}/);
    expect(stdout).not.toMatch(/peer\s+get_fitness/);
    expect(stdout).toMatch(/peer RSS after load: \d+ MiB/);
  }, 300_000);
});
