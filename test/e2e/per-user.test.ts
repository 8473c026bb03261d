/**
 * INTERVALS_CREDENTIALS=per-user end to end: several people behind one emulated Pomerium, each
 * mapped by USERS_FILE to their own Intervals.icu account on the fake (own athlete, own key). Every
 * answer is checked against the caller's own data, every upstream request against the caller's own
 * key, and the captured logs and answers for every key.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AthleteState } from '../fake-intervals/index.js';
import { call, callError, col, type Stack, type Table, TODAY } from '../support/harness.js';
import { type CapturedLogs, captureLogs } from '../support/logs.js';
import { emulatedPomerium, leaked, type Pomerium, perUserEnv, post, startBehindPomerium, stopBehindPomerium } from './per-user-support.js';

const PEOPLE = {
  alice: { email: 'alice@example.test', athlete: 'i200001', key: 'alice-key-7f3a9c' },
  bob: { email: 'Bob@Example.test', athlete: 'i200002', key: 'bob-key-51d0e2' },
  carol: { email: 'carol@example.test', athlete: 'i200003', key: 'carol-key-c0ac4e' },
  dave: { email: 'dave@example.test', athlete: 'i200004', key: 'dave-key-88b1f7' },
} as const;
type Who = keyof typeof PEOPLE;
const KEYS = Object.values(PEOPLE).map((p) => p.key);

let pomerium: Pomerium;
let logs: CapturedLogs;
let stack: Stack;
let usersFile: string;
const clients = new Map<Who, Client>();
const athlete = (who: Who): AthleteState => stack.fake.state.athletes.get(PEOPLE[who].athlete)!;
const ownActivityIds = (who: Who) => new Set(athlete(who).activities.map((a) => a.id));
const answers: string[] = [];

async function as(who: Who): Promise<Client> {
  let c = clients.get(who);
  if (!c) {
    c = await stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(PEOPLE[who].email) });
    clients.set(who, c);
  }
  return c;
}

/** The key of each upstream request the fake received while `fn` ran. */
async function upstreamKeys(fn: () => Promise<unknown>): Promise<{ keys: Set<string>; paths: string[] }> {
  const before = stack.fake.requests.length;
  await fn();
  const reqs = stack.fake.requests.slice(before);
  const keys = new Set(
    reqs.map((r) =>
      Buffer.from((r.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString('utf8')
        .replace(/^API_KEY:/, ''),
    ),
  );
  return { keys, paths: reqs.map((r) => r.path) };
}

beforeAll(async () => {
  pomerium = await emulatedPomerium();
  logs = captureLogs('debug');
  const people = join(pomerium.dir, 'people');
  mkdirSync(people);
  for (const [who, p] of Object.entries(PEOPLE)) writeFileSync(join(people, `${who}.key`), `${p.key}\n`);
  usersFile = join(people, 'users.yaml');
  writeFileSync(
    usersFile,
    [
      '# who may use this server, and with which Intervals.icu account',
      'users:',
      '  - email: alice@example.test',
      '    api_key_file: alice.key',
      '  - email: bob@example.test',
      '    api_key_file: bob.key',
      '    athlete_id: "0"',
      '  - email: carol@example.test',
      '    api_key_file: carol.key',
      '    athlete_id: i200003',
      '    athlete_ids: [i200002]',
      '  - email: dave@example.test',
      `    api_key_file: ${join(people, 'dave.key')}`,
      '    read_only: true',
      '',
    ].join('\n'),
  );
  stack = await startBehindPomerium(pomerium, logs, perUserEnv(usersFile), {
    accounts: [
      { athleteId: PEOPLE.alice.athlete, apiKey: PEOPLE.alice.key },
      { athleteId: PEOPLE.bob.athlete, apiKey: PEOPLE.bob.key },
      { athleteId: PEOPLE.carol.athlete, apiKey: PEOPLE.carol.key, coaches: [PEOPLE.bob.athlete] },
      { athleteId: PEOPLE.dave.athlete, apiKey: PEOPLE.dave.key },
    ],
  });
});

afterAll(() => stopBehindPomerium(stack, pomerium));

const keep = <T>(r: T): T => {
  answers.push(JSON.stringify(r));
  return r;
};

describe('per-user: each person acts as their own Intervals.icu account', () => {
  it('every read tool answers from the caller own athlete, through their own key only', async () => {
    for (const who of ['alice', 'bob', 'dave'] as const) {
      const c = await as(who);
      const own = ownActivityIds(who);
      const { keys, paths } = await upstreamKeys(async () => {
        const profile = keep(await call<{ id: string; timezone: string }>(c, 'get_athlete'));
        expect(profile.id).toBe(PEOPLE[who].athlete);
        const acts = keep(await call<{ activities: Table }>(c, 'list_activities', { limit: 10 }));
        const ids = col(acts.activities, 'id') as string[];
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(own.has(id), `${who} got activity ${id}`).toBe(true);
        const first = ids.find((id) => !athlete(who).activities.find((a) => a.id === id)?.stub)!;
        keep(await call(c, 'get_activity', { activity_id: first, include_intervals: true }));
        keep(await call(c, 'get_streams', { activity_id: first, points: 20 }));
        const wellness = keep(await call<{ days: Table }>(c, 'get_wellness', { oldest: '2026-11-10', newest: TODAY }));
        expect(wellness.days.rows.length).toBeGreaterThan(0);
        keep(await call(c, 'get_fitness'));
        keep(await call(c, 'list_events', { newest: '2026-12-01' }));
        keep(await call(c, 'get_curves'));
        const found = keep(await call<{ activities: Table }>(c, 'search_activities', { query: 'ride', limit: 5 }));
        for (const id of col(found.activities, 'id') as string[]) expect(own.has(id)).toBe(true);
        keep(await call(c, 'get_weekly_review', { weeks: 2 }));
        keep(await call(c, 'list_library'));
      });
      expect([...keys], `${who}'s upstream requests`).toEqual([PEOPLE[who].key]);
      for (const p of paths) {
        const athleteSeg = /^\/api\/v1\/athlete\/([^/]+)/.exec(p)?.[1];
        if (athleteSeg) expect(['0', PEOPLE[who].athlete]).toContain(athleteSeg);
        const activitySeg = /^\/api\/v1\/activity\/([^/]+)/.exec(p)?.[1];
        if (activitySeg) expect(own.has(decodeURIComponent(activitySeg))).toBe(true);
      }
    }
  });

  it("the profile cache is per credential: everyone's athlete 0 is their own, whoever asked first", async () => {
    const ids = await Promise.all(
      (['alice', 'bob', 'dave', 'alice', 'bob'] as const).map(async (w) => [
        w,
        (await call<{ id: string; timezone: string }>(await as(w), 'get_athlete')).id,
      ]),
    );
    for (const [w, id] of ids) expect(id).toBe(PEOPLE[w as Who].athlete);
    // get_wellness needs the profile's time zone: answered from each person's own cached profile.
    const [a, b] = await Promise.all([
      call<{ range: string }>(await as('alice'), 'get_wellness'),
      call<{ range: string }>(await as('bob'), 'get_wellness'),
    ]);
    expect(a.range).toBe(b.range); // same zone (Europe/London), same today — but fetched per person:
    const { keys } = await upstreamKeys(() => call(clients.get('bob')!, 'get_wellness'));
    expect([...keys]).toEqual([PEOPLE.bob.key]);
  });

  it("another person's activity is refused upstream and shows nothing of it", async () => {
    const aliceActivity = athlete('alice').activities.find((a) => !a.stub)!.id;
    const msg = await callError(await as('bob'), 'get_activity', { activity_id: aliceActivity });
    expect(msg).toMatch(/denied access \(403\)/);
    expect(msg).not.toContain(String(athlete('alice').activities.find((a) => a.id === aliceActivity)!.json['name']));
  });

  it('a cursor minted for one person does not page anyone else, and pages its owner', async () => {
    const page = await call<{ next?: string; activities: Table }>(await as('alice'), 'list_activities', { oldest: '2026-08-01', limit: 3 });
    expect(page.next).toBeDefined();
    const before = stack.fake.requests.length;
    const refused = await callError(await as('bob'), 'list_activities', { cursor: page.next });
    expect(refused).toMatch(/cursor was not issued to you/);
    expect(stack.fake.requests.length).toBe(before); // refused before any upstream call
    // A cursor with its seal stripped or altered is refused too.
    const bare = page.next!.slice(0, page.next!.lastIndexOf('~'));
    expect(await callError(await as('alice'), 'list_activities', { cursor: bare })).toMatch(/cursor was not issued to you/);
    const next = await call<{ activities: Table }>(await as('alice'), 'list_activities', { cursor: page.next });
    const own = ownActivityIds('alice');
    for (const id of col(next.activities, 'id') as string[]) expect(own.has(id)).toBe(true);
    expect(col(next.activities, 'id')).not.toEqual(col(page.activities, 'id'));
    // carol's cursor for her own athlete does not page the athlete she coaches either.
    const carol = await call<{ next?: string }>(await as('carol'), 'list_activities', { oldest: '2026-08-01', limit: 3 });
    expect(await callError(await as('carol'), 'list_activities', { cursor: carol.next, athlete_id: PEOPLE.bob.athlete })).toMatch(
      /cursor was not issued/,
    );
  });

  it('the catalogue is per person: read_only gets no write tool, a coach gets the roster and athlete_id', async () => {
    const names = async (w: Who) => (await (await as(w)).listTools()).tools.map((t) => t.name);
    const alice = await names('alice');
    const dave = await names('dave');
    const carol = await names('carol');
    expect(alice).toContain('create_event');
    expect(alice).not.toContain('list_athletes');
    expect(dave.filter((n) => /^(create|update|delete|upsert)_/.test(n))).toEqual([]);
    expect(dave).toContain('list_activities');
    expect(carol).toContain('list_athletes');
    const roster = await call<{ athletes: Table }>(await as('carol'), 'list_athletes');
    expect(JSON.stringify(roster)).toContain(PEOPLE.bob.athlete);
    expect(JSON.stringify(roster)).not.toContain(PEOPLE.alice.athlete);
    // A write tool that is not in dave's catalogue cannot be called either.
    const r = await (await as('dave')).callTool({ name: 'create_event', arguments: { date: TODAY, category: 'NOTE', name: 'x' } });
    expect(r.isError).toBe(true);
    // alice's write lands on her own calendar only.
    const created = await call<{ event?: { id: number } } & Record<string, unknown>>(await as('alice'), 'create_event', {
      date: '2026-12-03',
      category: 'NOTE',
      name: 'Alice travel day',
    });
    keep(created);
    expect(athlete('alice').events.some((e) => e['name'] === 'Alice travel day')).toBe(true);
    expect(athlete('bob').events.some((e) => e['name'] === 'Alice travel day')).toBe(false);
  });

  it('an email outside USERS_FILE gets 403 (JSON-RPC error, no WWW-Authenticate) before any upstream call', async () => {
    const before = stack.fake.requests.length;
    for (const body of [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_athlete', arguments: {} } },
    ]) {
      const r = await post(stack.mcpUrl, { 'x-pomerium-jwt-assertion': await pomerium.assertion('mallory@example.test') }, body);
      expect(r.status).toBe(403);
      expect(r.headers.get('www-authenticate')).toBeNull();
      expect(r.json.error?.code).toBe(-32001);
      expect((r.json as { id?: unknown }).id).toBe(body.id); // the refusal answers that request
      expect(r.json.error?.message).toMatch(/mallory@example\.test has no Intervals\.icu account on this server/);
      answers.push(r.text);
    }
    expect(stack.fake.requests.length).toBe(before);
  });

  it('logs carry the email and credential fingerprint of every tool call, and no key anywhere', () => {
    const toolLines = logs.lines.filter((l) => l.msg === 'tool call');
    expect(toolLines.length).toBeGreaterThan(20);
    for (const l of toolLines) {
      expect(typeof l.email).toBe('string');
      expect(l.credential).toMatch(/^k-[0-9a-f]{12}$/);
    }
    const fps = new Map<string, Set<unknown>>();
    for (const l of toolLines) (fps.get(String(l.email)) ?? fps.set(String(l.email), new Set()).get(String(l.email))!).add(l.credential);
    expect(new Set([...fps.values()].map((s) => [...s].join())).size).toBe(fps.size); // one fingerprint per person, all different
    expect(logs.lines.some((l) => l.msg === 'request completed' && typeof l.credential === 'string')).toBe(true);
    expect(leaked(logs.raw.join('\n'), KEYS)).toEqual([]);
    expect(leaked(answers.join('\n'), KEYS)).toEqual([]);
  });
});
