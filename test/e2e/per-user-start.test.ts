/**
 * The real entry point (`src/index.ts`, as the container runs it) in the multi-person modes: the
 * start-up refusals (one line on stderr, exit 2, never a key) and SIGHUP reloading USERS_FILE.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIntervals, startFakeIntervals } from '../fake-intervals/index.js';
import { TODAY } from '../support/harness.js';
import { emulatedPomerium, type Pomerium, post } from './per-user-support.js';

const KEY = 'start-key-alice-9d2c';
let pomerium: Pomerium;
let fake: FakeIntervals;
let people: string;

function entry(env: Record<string, string>) {
  // `node --import tsx`, not the tsx CLI: the signals must reach the server process itself (the CLI does not relay SIGHUP).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      DOTENV_CONFIG_PATH: '/nonexistent/.env',
      INTERVALS_BASE_URL: fake.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  return { child, out };
}

async function refusal(env: Record<string, string>): Promise<string> {
  const { child, out } = entry(env);
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(2);
  const lines = out.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(out.stderr).not.toContain(KEY);
  return lines[0]!;
}

beforeAll(async () => {
  pomerium = await emulatedPomerium();
  fake = await startFakeIntervals({ today: TODAY, accounts: [{ athleteId: 'i220001', apiKey: KEY }] });
  people = join(pomerium.dir, 'people');
  mkdirSync(people);
  writeFileSync(join(people, 'alice.key'), KEY);
});

afterAll(async () => {
  await fake.close();
  rmSync(pomerium.dir, { recursive: true, force: true });
});

describe('start-up refusals', () => {
  it('per-user or oauth without AUTH_MODE=pomerium', async () => {
    expect(await refusal({ INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: join(people, 'users.yaml') })).toBe(
      "intervals-mcp: invalid configuration: INTERVALS_CREDENTIALS is per-user, which requires AUTH_MODE=pomerium (the verified Pomerium identity picks each person's Intervals.icu account)",
    );
    expect(await refusal({ INTERVALS_CREDENTIALS: 'oauth' })).toMatch(/INTERVALS_CREDENTIALS is oauth, which requires AUTH_MODE=pomerium/);
  });

  it('per-user without USERS_FILE, or with a file that names a missing key file', async () => {
    expect(await refusal({ ...pomerium.env, INTERVALS_CREDENTIALS: 'per-user' })).toMatch(
      /USERS_FILE is required with INTERVALS_CREDENTIALS=per-user/,
    );
    const bad = join(people, 'bad.yaml');
    writeFileSync(
      bad,
      'users:\n  - email: alice@example.test\n    api_key_file: alice.key\n  - email: bob@example.test\n    api_key_file: bob.key\n',
    );
    const line = await refusal({ ...pomerium.env, INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: bad });
    expect(line).toBe(
      `intervals-mcp: USERS_FILE ${bad}: users[1] (bob@example.test): api_key_file ${join(people, 'bob.key')} cannot be read (ENOENT)`,
    );
  });
});

describe('SIGHUP', () => {
  it('reloads USERS_FILE in the running process: a person added is served, the process keeps running', async () => {
    const users = join(people, 'users.yaml');
    writeFileSync(users, 'users:\n  - email: nobody@example.test\n    api_key_file: alice.key\n');
    const { child, out } = entry({ ...pomerium.env, INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: users, USERS_FILE_POLL_MS: '600000' });
    try {
      for (let i = 0; i < 100 && !out.stdout.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
      const url = new URL(/"url":"([^"]+)"/.exec(out.stdout)?.[1] ?? `http://invalid/${out.stdout}${out.stderr}`);
      const headers = async () => ({ 'x-pomerium-jwt-assertion': await pomerium.assertion('alice@example.test') });
      const getAthlete = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_athlete', arguments: {} } };
      expect((await post(url, await headers(), getAthlete)).status).toBe(403);
      writeFileSync(users, 'users:\n  - email: alice@example.test\n    api_key_file: alice.key\n');
      child.kill('SIGHUP');
      for (let i = 0; i < 50 && !out.stdout.includes('users file reloaded'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out.stdout).toMatch(/"reason":"SIGHUP".*"added":\["alice@example.test"\]/);
      const r = await post(url, await headers(), getAthlete);
      expect(r.status).toBe(200);
      expect(r.text).toContain('i220001');
      expect(child.exitCode).toBeNull();
      expect(out.stdout + out.stderr).not.toContain(KEY);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
