/**
 * INTERVALS_CREDENTIALS=oauth end to end: an emulated Pomerium that signs the assertion and, like
 * `upstream_oauth2`, injects each person's Intervals.icu token as `Authorization: Bearer`. The fake
 * holds several accounts with their own tokens, a revoked one and a read-only-scope one. Checked:
 * who sees what, every refusal's status and wording (never a 401 for a rejected token: Pomerium would
 * loop), and that no token appears in any answer or log line.
 */

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AthleteState, READ_SCOPE } from '../fake-intervals/index.js';
import { call, callError, col, type Stack, type Table } from '../support/harness.js';
import { type CapturedLogs, captureLogs } from '../support/logs.js';
import { AUDIENCE, emulatedPomerium, leaked, type Pomerium, post, startBehindPomerium, stopBehindPomerium } from './per-user-support.js';

const ALICE = { email: 'alice@example.test', athlete: 'i200001', token: 'tok-alice-Q7bX2vL9' };
const BOB = { email: 'bob@example.test', athlete: 'i200002', token: 'tok-bob-M3nP8sK1' };
const RO = 'tok-alice-readonly-Z5cV0aR4';
const REVOKED = 'tok-alice-revoked-H2jT6yW8';
const TOKENS = [ALICE.token, BOB.token, RO, REVOKED];
const ROUTES = `https://${AUDIENCE}/.pomerium/routes`;

let pomerium: Pomerium;
let logs: CapturedLogs;
let stack: Stack;
const answers: string[] = [];
const athlete = (id: string): AthleteState => stack.fake.state.athletes.get(id)!;

async function connect(email: string, token: string): Promise<Client> {
  return stack.connect({ 'x-pomerium-jwt-assertion': await pomerium.assertion(email), authorization: `Bearer ${token}` });
}
const toolCall = (name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 3,
  method: 'tools/call',
  params: { name, arguments: args },
});

beforeAll(async () => {
  pomerium = await emulatedPomerium();
  logs = captureLogs('debug');
  stack = await startBehindPomerium(
    pomerium,
    logs,
    { INTERVALS_CREDENTIALS: 'oauth' },
    {
      accounts: [
        {
          athleteId: ALICE.athlete,
          apiKey: 'alice-api-key-unused',
          tokens: [{ token: ALICE.token }, { token: RO, scope: READ_SCOPE }, { token: REVOKED, revoked: true }],
        },
        { athleteId: BOB.athlete, apiKey: 'bob-api-key-unused', tokens: [{ token: BOB.token }] },
      ],
    },
  );
});

afterAll(() => stopBehindPomerium(stack, pomerium));

describe('oauth: the token Pomerium injects acts for its owner', () => {
  it('each person sees their own athlete, sent upstream as their own Bearer token', async () => {
    for (const p of [ALICE, BOB]) {
      const c = await connect(p.email, p.token);
      const before = stack.fake.requests.length;
      const me = await call<{ id: string }>(c, 'get_athlete');
      expect(me.id).toBe(p.athlete);
      const acts = await call<{ activities: Table; next?: string }>(c, 'list_activities', { limit: 5 });
      answers.push(JSON.stringify(me), JSON.stringify(acts));
      const own = new Set(athlete(p.athlete).activities.map((a) => a.id));
      for (const id of col(acts.activities, 'id') as string[]) expect(own.has(id)).toBe(true);
      const sent = stack.fake.requests.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      for (const r of sent) expect(r.headers.authorization).toBe(`Bearer ${p.token}`);
    }
  });

  it('the catalogue has no coach tools (the roster refuses tokens) and no athlete_id', async () => {
    const tools = (await (await connect(ALICE.email, ALICE.token)).listTools()).tools;
    expect(tools.map((t) => t.name)).not.toContain('list_athletes');
    expect(tools.map((t) => t.name)).toContain('create_event');
    for (const t of tools) expect(Object.keys(t.inputSchema.properties ?? {})).not.toContain('athlete_id');
  });

  it("a cursor from one person's answer does not page another's", async () => {
    const page = await call<{ next?: string }>(await connect(ALICE.email, ALICE.token), 'list_activities', {
      oldest: '2026-08-01',
      limit: 2,
    });
    expect(page.next).toBeDefined();
    expect(await callError(await connect(BOB.email, BOB.token), 'list_activities', { cursor: page.next })).toMatch(
      /cursor was not issued to you/,
    );
  });

  it('no bearer token (Pomerium holds none yet): 401, the one case that lets Pomerium run the consent', async () => {
    const before = stack.fake.requests.length;
    for (const body of [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, toolCall('get_athlete')]) {
      const r = await post(stack.mcpUrl, { 'x-pomerium-jwt-assertion': await pomerium.assertion(ALICE.email) }, body);
      expect(r.status).toBe(401);
      expect(r.json.error?.message).toMatch(/no Intervals\.icu authorization yet/);
    }
    expect(stack.fake.requests.length).toBe(before);
  });

  it('a bearer token without an assertion: 403 without WWW-Authenticate, nothing sent upstream', async () => {
    const before = stack.fake.requests.length;
    const r = await post(stack.mcpUrl, { authorization: `Bearer ${ALICE.token}` }, toolCall('get_athlete'));
    expect(r.status).toBe(403);
    expect(r.headers.get('www-authenticate')).toBeNull();
    expect(r.json.error?.message).toMatch(/X-Pomerium-Jwt-Assertion/);
    answers.push(r.text);
    expect(stack.fake.requests.length).toBe(before);
  });

  it('a revoked token: HTTP 200 with a tool error to Disconnect then Connect — never 401 or insufficient_scope', async () => {
    const r = await post(
      stack.mcpUrl,
      { 'x-pomerium-jwt-assertion': await pomerium.assertion(ALICE.email), authorization: `Bearer ${REVOKED}` },
      toolCall('get_athlete'),
    );
    answers.push(r.text);
    expect(r.status).toBe(200);
    expect(r.headers.get('www-authenticate')).toBeNull();
    expect(r.text).not.toMatch(/insufficient_scope/);
    const result = r.json.result as { isError: boolean; content: { text: string }[] };
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain(`open ${ROUTES}, press Disconnect next to this server, then Connect`);
  });

  it('a read-only-scope token reads, and a write is refused naming the permission to grant', async () => {
    const c = await connect(ALICE.email, RO);
    expect((await call<{ id: string }>(c, 'get_athlete')).id).toBe(ALICE.athlete);
    const dry = await call(c, 'create_event', { date: '2026-12-02', category: 'NOTE', name: 'Stretch', dry_run: true });
    answers.push(JSON.stringify(dry));
    const msg = await callError(c, 'create_event', { date: '2026-12-02', category: 'NOTE', name: 'Stretch' });
    answers.push(msg);
    expect(msg).toMatch(/lacks the CALENDAR:WRITE permission/);
    expect(msg).toContain(ROUTES);
    expect(athlete(ALICE.athlete).events.some((e) => e['name'] === 'Stretch')).toBe(false);
    // The same write with the full token lands on alice's calendar, not bob's.
    await call(await connect(ALICE.email, ALICE.token), 'create_event', { date: '2026-12-02', category: 'NOTE', name: 'Stretch' });
    expect(athlete(ALICE.athlete).events.some((e) => e['name'] === 'Stretch')).toBe(true);
    expect(athlete(BOB.athlete).events.some((e) => e['name'] === 'Stretch')).toBe(false);
  });

  it("a token used on another athlete's data: a tool error with nothing of that data, HTTP 200", async () => {
    const aliceRide = athlete(ALICE.athlete).activities.find((a) => !a.stub)!;
    const r = await post(
      stack.mcpUrl,
      { 'x-pomerium-jwt-assertion': await pomerium.assertion(BOB.email), authorization: `Bearer ${BOB.token}` },
      toolCall('get_activity', { activity_id: aliceRide.id }),
    );
    answers.push(r.text);
    expect(r.status).toBe(200);
    const result = r.json.result as { isError: boolean; content: { text: string }[] };
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/refused access \(403\)/);
    expect(r.text).not.toContain(String(aliceRide.json['name']));
    // Naming another athlete outright is refused before any upstream call (no athlete_id in this mode).
    const bob = await connect(BOB.email, BOB.token);
    const r2 = await bob.callTool({ name: 'get_wellness', arguments: { athlete_id: ALICE.athlete } });
    expect(r2.isError).toBe(true);
    expect(JSON.stringify(r2.content)).toMatch(/athlete_id/);
    expect(r2.structuredContent).toBeUndefined();
  });

  it('no token appears in any answer or log line; tool calls log the email and a token fingerprint', () => {
    expect(leaked(answers.join('\n'), TOKENS)).toEqual([]);
    expect(leaked(logs.raw.join('\n'), TOKENS)).toEqual([]);
    const toolLines = logs.lines.filter((l) => l.msg === 'tool call');
    expect(toolLines.length).toBeGreaterThan(5);
    for (const l of toolLines) {
      expect([ALICE.email, BOB.email]).toContain(l.email);
      expect(l.credential).toMatch(/^t-[0-9a-f]{12}$/);
    }
    expect(new Set(toolLines.filter((l) => l.email === BOB.email).map((l) => l.credential)).size).toBe(1);
  });
});
