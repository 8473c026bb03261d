/**
 * per-user: USERS_FILE changes while the server runs. A reload (SIGHUP, or the poll noticing the
 * file) swaps the list at once without dropping requests in flight; a broken file is refused and the
 * previous list stays. The fake answers slowly here, so a request is reliably in flight.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Stack, type Table } from '../support/harness.js';
import { type CapturedLogs, captureLogs } from '../support/logs.js';
import { emulatedPomerium, leaked, type Pomerium, perUserEnv, startBehindPomerium, stopBehindPomerium } from './per-user-support.js';

const KEYS = { alice: 'alice-key-reload-1', bob: 'bob-key-reload-2', carol: 'carol-key-reload-3' };
const ATHLETES = { alice: 'i210001', bob: 'i210002', carol: 'i210003' };
type Who = keyof typeof KEYS;

let pomerium: Pomerium;
let logs: CapturedLogs;
let stack: Stack;
let people: string;
let usersFile: string;

const entries = (...who: Who[]) =>
  JSON.stringify({ users: who.map((w) => ({ email: `${w}@example.test`, api_key_file: `${w}.key` })) }, null, 2);
const as = async (w: Who) => stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(`${w}@example.test`) });

/** Wait (bounded) until `check` holds; the poll period is 100 ms. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within 5 s: ${what}`);
}

beforeAll(async () => {
  pomerium = await emulatedPomerium();
  logs = captureLogs('info');
  people = join(pomerium.dir, 'people');
  mkdirSync(people);
  writeFileSync(join(people, 'alice.key'), KEYS.alice);
  writeFileSync(join(people, 'bob.key'), KEYS.bob);
  usersFile = join(people, 'users.json');
  writeFileSync(usersFile, entries('alice', 'bob'));
  stack = await startBehindPomerium(pomerium, logs, perUserEnv(usersFile), {
    latencyMs: 120,
    accounts: (Object.keys(KEYS) as Who[]).map((w) => ({ athleteId: ATHLETES[w], apiKey: KEYS[w] })),
  });
});

afterAll(() => stopBehindPomerium(stack, pomerium));

describe('per-user: reloading USERS_FILE', () => {
  it('a request in flight when its person is removed finishes with their data; the next one is refused', async () => {
    const alice = await as('alice');
    const before = stack.fake.requests.length;
    const inFlight = call<{ activities: Table }>(alice, 'list_activities', { limit: 3 });
    await eventually(async () => stack.fake.requests.length > before, 'the call reached Intervals.icu');
    writeFileSync(usersFile, entries('bob'));
    expect(stack.server.reloadCredentials()).toBe(true); // what SIGHUP does
    const done = await inFlight;
    expect(done.activities.rows.length).toBe(3);
    await expect(call(alice, 'get_athlete')).rejects.toThrow(/alice@example\.test has no Intervals\.icu account/);
    expect((await call<{ id: string }>(await as('bob'), 'get_athlete')).id).toBe(ATHLETES.bob);
  });

  it('a person added to the file (with a new key file) can connect after the next poll, without SIGHUP', async () => {
    writeFileSync(join(people, 'carol.key'), KEYS.carol);
    writeFileSync(usersFile, entries('bob', 'carol'));
    await eventually(async () => {
      try {
        return (await call<{ id: string }>(await as('carol'), 'get_athlete')).id === ATHLETES.carol;
      } catch {
        return false;
      }
    }, 'carol is served');
    const reload = logs.lines.find((l) => l.msg === 'users file reloaded' && JSON.stringify(l.added) === '["carol@example.test"]');
    expect(reload?.reason).toBe('file changed');
  });

  it('a rotated key file takes effect on the next poll', async () => {
    writeFileSync(join(people, 'carol.key'), `${KEYS.alice}\n`); // carol now holds alice's (valid) key
    await eventually(
      async () => (await call<{ id: string }>(await as('carol'), 'get_athlete')).id === ATHLETES.alice,
      'the new key is used',
    );
    const line = logs.lines.findLast((l) => l.msg === 'users file reloaded');
    expect(line?.keyChanged).toEqual(['carol@example.test']);
    writeFileSync(join(people, 'carol.key'), KEYS.carol);
    await eventually(async () => (await call<{ id: string }>(await as('carol'), 'get_athlete')).id === ATHLETES.carol, 'rotated back');
  });

  it('a broken file is refused with a line naming the entry; the previous list stays in force', async () => {
    writeFileSync(
      usersFile,
      JSON.stringify({
        users: [
          { email: 'bob@example.test', api_key_file: 'bob.key' },
          { email: 'dave@example.test', api_key_file: 'dave.key' },
        ],
      }),
    );
    expect(stack.server.reloadCredentials()).toBe(false);
    const line = logs.lines.find((l) => l.msg === 'users file NOT reloaded; the previous list stays in force');
    expect(String(line?.error)).toMatch(/users\[1\] \(dave@example\.test\): api_key_file .*dave\.key cannot be read \(ENOENT\)/);
    expect((await call<{ id: string }>(await as('carol'), 'get_athlete')).id).toBe(ATHLETES.carol);
    expect((await call<{ id: string }>(await as('bob'), 'get_athlete')).id).toBe(ATHLETES.bob);
  });

  it('no key appears in any log line', () => {
    expect(leaked(logs.raw.join('\n'), Object.values(KEYS))).toEqual([]);
  });
});
