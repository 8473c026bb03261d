/**
 * Isolation under load: several people call at once, interleaved, through one server and one shared
 * Intervals.icu guard (per-user keys, then OAuth tokens). Every answer is checked against the
 * caller's own data on the fake, with the read cache on; a single answer from someone else's
 * account fails the test. The
 * figures (calls, wall time, rate) are printed, not asserted.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AthleteState } from '../fake-intervals/index.js';
import { type Stack, startStack, type Table } from '../support/harness.js';
import { type CapturedLogs, captureLogs } from '../support/logs.js';
import { emulatedPomerium, leaked, type Pomerium } from './per-user-support.js';

const PEOPLE = ['ann', 'ben', 'cat', 'dan'].map((name, i) => ({
  name,
  email: `${name}@example.test`,
  athlete: `i23000${i + 1}`,
  key: `${name}-concurrency-key-${i}${i}${i}`,
  token: `${name}-concurrency-token-${i}${i}${i}`,
}));
type Person = (typeof PEOPLE)[number];
const SECRETS = PEOPLE.flatMap((p) => [p.key, p.token]);

let pomerium: Pomerium;
beforeAll(async () => {
  pomerium = await emulatedPomerium();
});
afterAll(() => rmSync(pomerium.dir, { recursive: true, force: true }));

interface Check {
  name: string;
  args: (p: Person, i: number) => Record<string, unknown>;
  verify: (answer: Record<string, unknown>, own: AthleteState, p: Person) => void;
}

const rowsOf = (t: Table) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));

/** Each check reads the caller's own data on the fake and compares the answer with it. */
const CHECKS: Check[] = [
  {
    name: 'get_athlete',
    args: () => ({}),
    verify: (a, own) => expect(a.id).toBe(own.id),
  },
  {
    name: 'list_activities',
    args: (_p, i) => ({ oldest: `2026-${String(6 + (i % 5)).padStart(2, '0')}-01`, limit: 3 }),
    verify: (a, own) => {
      const ids = new Set(own.activities.map((x) => x.id));
      const rows = rowsOf(a.activities as Table);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(ids.has(String(r.id))).toBe(true);
    },
  },
  {
    name: 'get_wellness',
    args: (_p, i) => ({
      oldest: `2026-11-${String(1 + (i % 15)).padStart(2, '0')}`,
      newest: `2026-11-${String(4 + (i % 15)).padStart(2, '0')}`,
    }),
    verify: (a, own) => {
      for (const r of rowsOf(a.days as Table)) expect(r.rhr ?? null).toBe(own.wellness.get(String(r.date))?.['restingHR'] ?? null);
    },
  },
  {
    name: 'get_activity',
    args: (p, i) => {
      const acts = athleteOf(p).activities.filter((x) => !x.stub);
      return { activity_id: acts[(i * 7) % acts.length]!.id };
    },
    verify: (a, own) => {
      const act = a.activity as Record<string, unknown>;
      expect(own.activities.some((x) => x.id === act.id && x.json['name'] === act.name)).toBe(true);
    },
  },
];

let stack: Stack;
const athleteOf = (p: Person) => stack.fake.state.athletes.get(p.athlete)!;

async function hammer(
  clients: Map<string, Client>,
  perPerson: number,
  inFlight: number,
): Promise<{ calls: number; ms: number; failures: string[] }> {
  // Interleave: call k goes to person k mod n, tool k / n mod checks, so neighbours differ in both.
  const jobs = Array.from({ length: perPerson * PEOPLE.length }, (_, k) => ({
    p: PEOPLE[k % PEOPLE.length]!,
    check: CHECKS[Math.floor(k / PEOPLE.length) % CHECKS.length]!,
    i: k,
  }));
  const failures: string[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < jobs.length) {
      const { p, check, i } = jobs[next++]!;
      const r = await clients.get(p.name)!.callTool({ name: check.name, arguments: check.args(p, i) });
      if (r.isError) {
        failures.push(`${p.name} ${check.name}: ${JSON.stringify(r.content).slice(0, 200)}`);
        continue;
      }
      try {
        check.verify(r.structuredContent as Record<string, unknown>, athleteOf(p), p);
      } catch (err) {
        failures.push(`${p.name} ${check.name}: ${(err as Error).message.slice(0, 200)}`);
      }
      if (leaked(JSON.stringify(r), SECRETS).length) failures.push(`${p.name} ${check.name}: a secret in the answer`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { calls: jobs.length, ms: Math.round(performance.now() - t0), failures };
}

function checkLogs(logs: CapturedLogs, prefix: 'k' | 't') {
  const byEmail = new Map<string, Set<string>>();
  for (const l of logs.lines.filter((x) => x.msg === 'tool call')) {
    const set = byEmail.get(String(l.email)) ?? new Set<string>();
    set.add(String(l.credential));
    byEmail.set(String(l.email), set);
  }
  expect([...byEmail.keys()].sort()).toEqual(PEOPLE.map((p) => p.email).sort());
  for (const set of byEmail.values()) {
    expect(set.size).toBe(1);
    expect([...set][0]).toMatch(new RegExp(`^${prefix}-[0-9a-f]{12}$`));
  }
  expect(new Set([...byEmail.values()].map((s) => [...s][0])).size).toBe(PEOPLE.length);
  expect(leaked(logs.raw.join('\n'), SECRETS)).toEqual([]);
}

describe('per-user: 1,000+ interleaved calls from four people', () => {
  const logs = captureLogs('info');
  afterAll(async () => stack?.close());

  it('every answer is the caller own data: zero cross-user answers', async () => {
    const dir = join(pomerium.dir, 'people');
    mkdirSync(dir);
    for (const p of PEOPLE) writeFileSync(join(dir, `${p.name}.key`), p.key);
    writeFileSync(
      join(dir, 'users.json'),
      JSON.stringify({ users: PEOPLE.map((p) => ({ email: p.email, api_key_file: `${p.name}.key` })) }),
    );
    stack = await startStack({
      fake: { accounts: PEOPLE.map((p) => ({ athleteId: p.athlete, apiKey: p.key })) },
      // The read cache and request coalescing on (they are in production): neither may hand one
      // person's answer to another.
      env: { ...pomerium.env, INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: join(dir, 'users.json'), INTERVALS_CACHE_TTL_MS: '60000' },
      logger: logs.logger,
      noClient: true,
    });
    const clients = new Map<string, Client>();
    for (const p of PEOPLE) clients.set(p.name, await stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(p.email) }));
    const r = await hammer(clients, 260, 24);
    console.log(
      `per-user: ${r.calls} calls from ${PEOPLE.length} people, 24 in flight: ${r.ms} ms (${Math.round((r.calls * 1000) / r.ms)} calls/s), ${stack.fake.requests.length} upstream requests`,
    );
    expect(r.calls).toBeGreaterThanOrEqual(1000);
    expect(r.failures).toEqual([]);
    checkLogs(logs, 'k');
  }, 120_000);
});

describe('oauth: interleaved calls with four tokens', () => {
  const logs = captureLogs('info');
  afterAll(async () => stack?.close());

  it('every answer is the token owner own data', async () => {
    stack = await startStack({
      fake: { accounts: PEOPLE.map((p) => ({ athleteId: p.athlete, apiKey: p.key, tokens: [{ token: p.token }] })) },
      env: { ...pomerium.env, INTERVALS_CREDENTIALS: 'oauth', INTERVALS_CACHE_TTL_MS: '60000' },
      logger: logs.logger,
      noClient: true,
    });
    const clients = new Map<string, Client>();
    for (const p of PEOPLE) {
      clients.set(
        p.name,
        await stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(p.email), authorization: `Bearer ${p.token}` }),
      );
    }
    const r = await hammer(clients, 100, 24);
    console.log(
      `oauth: ${r.calls} calls from ${PEOPLE.length} people, 24 in flight: ${r.ms} ms (${Math.round((r.calls * 1000) / r.ms)} calls/s)`,
    );
    expect(r.failures).toEqual([]);
    checkLogs(logs, 't');
  }, 120_000);
});

describe('fair queuing: one person bulk work does not starve another', () => {
  const logs = captureLogs('info');
  afterAll(async () => stack?.close());

  it("a single call waits behind at most a couple of another person's queued calls, not all of them", async () => {
    const [ann, ben] = [PEOPLE[0]!, PEOPLE[1]!];
    const dir = join(pomerium.dir, 'fair');
    mkdirSync(dir);
    for (const p of [ann, ben]) writeFileSync(join(dir, `${p.name}.key`), p.key);
    writeFileSync(
      join(dir, 'users.json'),
      JSON.stringify({ users: [ann, ben].map((p) => ({ email: p.email, api_key_file: `${p.name}.key` })) }),
    );
    stack = await startStack({
      fake: { accounts: [ann, ben].map((p) => ({ athleteId: p.athlete, apiKey: p.key })) },
      // Slow pacing (20 starts/s, one at a time): the queue, not the fake, decides the order.
      env: {
        ...pomerium.env,
        INTERVALS_CREDENTIALS: 'per-user',
        USERS_FILE: join(dir, 'users.json'),
        INTERVALS_RATE_LIMIT: '20',
        INTERVALS_RATE_BURST: '1',
        INTERVALS_MAX_CONCURRENCY: '1',
      },
      logger: logs.logger,
      noClient: true,
    });
    const a = await stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(ann.email) });
    const b = await stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(ben.email) });
    await a.callTool({ name: 'get_athlete', arguments: {} }); // profiles cached: one upstream request per call below
    await b.callTool({ name: 'get_athlete', arguments: {} });
    const order: string[] = [];
    const bulk = Array.from({ length: 30 }, (_, i) =>
      a
        .callTool({
          name: 'get_wellness',
          arguments: { oldest: `2026-10-${String(1 + i).padStart(2, '0')}`, newest: `2026-10-${String(1 + i).padStart(2, '0')}` },
        })
        .then((r) => order.push(r.isError ? 'ann-error' : 'ann')),
    );
    // Ben asks once the bulk is queued (its first answers are back).
    while (order.length < 2) await new Promise((r) => setTimeout(r, 10));
    const single = b
      .callTool({ name: 'list_activities', arguments: { limit: 1 } })
      .then((r) => order.push(r.isError ? 'ben-error' : 'ben'));
    await Promise.all([...bulk, single]);
    const benAt = order.indexOf('ben');
    console.log(`fair queuing: ben's call finished after ${benAt} of ann's 30 (order ${order.map((o) => o[0]).join('')})`);
    expect(order.filter((o) => o.endsWith('error'))).toEqual([]);
    expect(benAt).toBeGreaterThan(0);
    expect(benAt).toBeLessThanOrEqual(6);
  }, 60_000);
});
