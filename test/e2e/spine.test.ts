/**
 * The server end to end: the real Express app on 127.0.0.1:0, driven by the SDK client over
 * Streamable HTTP, against the fake Intervals.icu. Numbers are checked against the fake's state.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AthleteState, SAMPLE_ATHLETE_ID, SAMPLE_STRAVA_STUB_ID } from '../fake-intervals/index.js';
import { call, callError, col, type Stack, startStack, type Table, TODAY, upstreamDuring } from '../support/harness.js';
import { INIT, MCP_HEADERS } from '../support/raw-mcp.js';

const r1 = (v: unknown) => Math.round((v as number) * 10) / 10;

let stack: Stack;
let athlete: AthleteState;
const SPINE = ['get_athlete', 'list_activities', 'get_activity', 'get_wellness', 'get_fitness', 'list_events'];

beforeAll(async () => {
  stack = await startStack();
  athlete = stack.fake.state.athletes.get(SAMPLE_ATHLETE_ID)!;
});
afterAll(async () => {
  await stack.close();
});

describe('initialize and tools/list', () => {
  it('identifies the server and lists the read tools with all four annotation hints', async () => {
    expect(stack.client.getServerVersion()?.name).toBe('intervals-mcp');
    const { tools } = await stack.client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of SPINE) expect(names).toContain(n);
    for (const t of tools) {
      expect(t.name).toMatch(/^[a-z]+(_[a-z]+)+$/);
      expect(t.name.length).toBeLessThanOrEqual(24);
      expect(t.description?.length).toBeGreaterThan(20);
      expect(t.outputSchema).toBeDefined();
      // readOnlyHint always goes out; the other hints only where they differ from the spec's default.
      expect(typeof t.annotations?.readOnlyHint, `${t.name}.readOnlyHint`).toBe('boolean');
    }
    for (const n of SPINE) expect(tools.find((t) => t.name === n)?.annotations?.readOnlyHint).toBe(true);
  });
});

describe('tools against the fake Intervals.icu', () => {
  it('get_athlete: time zone, local today and thresholds', async () => {
    const a = await call<{ timezone: string; today: string; sports: Record<string, unknown>[] }>(stack.client, 'get_athlete');
    expect(a.timezone).toBe('Pacific/Auckland');
    expect(a.today).toBe(TODAY);
    const ride = a.sports.find((s) => (s.types as string[]).includes('Ride'))!;
    const settings = athlete.sportSettings.find((s) => (s.types as string[]).includes('Ride'))!;
    expect(ride.ftp_w).toBe(settings.ftp);
    expect(ride.lthr_bpm).toBe(settings.lthr);
    expect(ride.power_zones_pct).toEqual(settings.power_zones);
    const run = a.sports.find((s) => (s.types as string[]).includes('Run'))!;
    expect(run.threshold_pace).toMatch(/^\d:\d\d\/km$/);
  });

  it('list_activities: the last 5, newest first, with the Strava stub flagged', async () => {
    const r = await call<{ activities: Table; note?: string }>(stack.client, 'list_activities', { limit: 5 });
    const expected = athlete.activities.slice(0, 5);
    expect(col(r.activities, 'id')).toEqual(expected.map((a) => a.id));
    const newest = expected[0]!.json;
    const row = r.activities.rows[0]!;
    const get = (name: string) => row[r.activities.columns.indexOf(name)];
    expect(get('load')).toBe(newest.icu_training_load);
    expect(get('sport')).toBe(newest.type);
    expect(get('start')).toBe((newest.start_date_local as string).slice(0, 16).replace('T', ' '));
    expect(get('km')).toBe(Math.round((newest.distance as number) / 10) / 100);
    expect(col(r.activities, 'strava')).toContain(true);
    expect(col(r.activities, 'id')).toContain(SAMPLE_STRAVA_STUB_ID);
    expect(r.note).toMatch(/not available through the Intervals\.icu API/);
  });

  it('list_activities: sport filter, and the next cursor pages through without gaps or repeats', async () => {
    const r = await call<{ activities: Table; next?: string }>(stack.client, 'list_activities', { sport: 'Run', limit: 3 });
    expect(r.activities.rows).toHaveLength(3);
    for (const s of col(r.activities, 'sport')) expect(String(s)).toMatch(/Run/);
    expect(r.next).toBeDefined();

    // Page through 30 days, 4 rows at a time: every activity once, in order.
    const seen: unknown[] = [];
    let next: string | undefined;
    do {
      const page: { activities: Table; next?: string } = await call(
        stack.client,
        'list_activities',
        next ? { cursor: next, limit: 4 } : { oldest: '2026-10-26', limit: 4 },
      );
      seen.push(...col(page.activities, 'id'));
      next = page.next;
    } while (next);
    const expected = athlete.activities.filter((a) => a.date >= '2026-10-26').map((a) => a.id);
    expect(seen).toEqual(expected);
    expect(await callError(stack.client, 'list_activities', { cursor: 'bogus' })).toMatch(/cursor/);
  });

  it('get_activity: one activity with its intervals', async () => {
    const withIntervals = athlete.activities.find((a) => !a.stub && (a.summary?.intervals.length ?? 0) > 2)!;
    const r = await call<{ activity: Record<string, unknown>; intervals: Table }>(stack.client, 'get_activity', {
      activity_id: withIntervals.id,
      include_intervals: true,
    });
    expect(r.activity.id).toBe(withIntervals.id);
    expect(r.activity.load).toBe(withIntervals.json.icu_training_load);
    expect(r.intervals.rows.length).toBe(withIntervals.summary!.intervals.length);
    expect(r.intervals.columns).toEqual(expect.arrayContaining(['type', 'start', 'dur', 'avg_hr']));
  });

  it('get_activity: a Strava stub is reported as such, not as empty data', async () => {
    const r = await call<{ activity: Record<string, unknown>; note: string }>(stack.client, 'get_activity', {
      activity_id: SAMPLE_STRAVA_STUB_ID,
    });
    expect(r.activity.strava).toBe(true);
    expect(r.note).toMatch(/Strava/);
  });

  it('get_wellness: the last 7 local days with labelled scales', async () => {
    const r = await call<{ range: string; days: Table }>(stack.client, 'get_wellness');
    expect(r.range).toBe('2026-11-18..2026-11-24');
    const dates = col(r.days, 'date') as string[];
    expect(dates.at(-1)).toBe(TODAY);
    const today = athlete.wellness.get(TODAY)!;
    const row = r.days.rows.at(-1)!;
    if (today.restingHR != null) expect(row[r.days.columns.indexOf('rhr')]).toBe(today.restingHR);
    for (const v of col(r.days, 'mood')) if (v !== null) expect(v).toMatch(/^[1-4] (great|good|ok|grumpy)$/);
  });

  it('get_wellness: a long range comes in 31-day pages joined by the next cursor', async () => {
    const first = await call<{ range: string; days: Table; next?: string }>(stack.client, 'get_wellness', { oldest: '2026-09-01' });
    expect(first.range).toBe('2026-09-01..2026-10-01');
    const second = await call<{ range: string; days: Table; next?: string }>(stack.client, 'get_wellness', { cursor: first.next });
    expect(second.range).toBe('2026-10-02..2026-11-01');
    const third = await call<{ range: string; next?: string }>(stack.client, 'get_wellness', { cursor: second.next });
    expect(third.range).toBe('2026-11-02..2026-11-24');
    expect(third.next).toBeUndefined();
  });

  it('get_fitness: 90 days of CTL/ATL/form equal to the fake, plus the projection', async () => {
    const r = await call<{
      current: Record<string, unknown>;
      daily: Record<string, unknown>;
      projected_from?: string;
      projection_end?: Record<string, unknown>;
      change_7d: Record<string, number>;
    }>(stack.client, 'get_fitness', { oldest: '2026-08-27', newest: TODAY });
    const w = athlete.wellness.get(TODAY)!;
    expect(r.current.date).toBe(TODAY);
    expect(r.current.ctl).toBe(r1(w.ctl));
    expect(r.current.atl).toBe(r1(w.atl));
    expect(r.current.form).toBe(r1((w.ctl as number) - (w.atl as number)));
    expect((r.daily.ctl as number[]).length).toBe(90);
    expect(r.daily.from).toBe('2026-08-27');
    const weekAgo = athlete.wellness.get('2026-11-17')!;
    expect(r.change_7d.ctl).toBe(r1((w.ctl as number) - (weekAgo.ctl as number)));
    expect(r.projected_from).toBeUndefined();

    const withProjection = await call<{ projected_from: string; projection_end: Record<string, unknown>; daily: Record<string, unknown> }>(
      stack.client,
      'get_fitness',
    );
    expect(withProjection.projected_from).toBe('2026-11-25');
    const end = withProjection.projection_end;
    const projected = athlete.wellness.get(end.date as string)!;
    expect(end.ctl).toBe(r1(projected.ctl));
  });

  it('list_events: the coming week in local dates', async () => {
    const r = await call<{ range: string; events: Table }>(stack.client, 'list_events');
    expect(r.range).toBe('2026-11-24..2026-11-30');
    const expected = athlete.events.filter((e) => {
      const d = (e.start_date_local as string).slice(0, 10);
      return d >= TODAY && d <= '2026-11-30';
    });
    expect(col(r.events, 'id').sort()).toEqual(expected.map((e) => e.id).sort());
    const races = await call<{ events: Table }>(stack.client, 'list_events', { newest: '2027-03-31', category: ['RACE_A'] });
    expect(col(races.events, 'cat')).toEqual(expect.arrayContaining(['RACE_A']));
  });
});

describe('bad input is refused before any upstream call', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['list_activities', { oldest: '2026-02-30' }, /real date/],
    ['list_activities', { oldest: '24/11/2026' }, /YYYY-MM-DD/],
    ['get_wellness', { oldest: '2026-11-20', newest: '2026-11-10' }, /after newest/],
    ['get_fitness', { oldest: '2020-01-01', newest: '2026-01-01' }, /maximum/],
    ['get_activity', { activity_id: 'abc' }, /activity id/],
    ['list_activities', { limit: 1000 }, /limit|100/],
    ['list_events', { category: ['BOGUS'] }, /WORKOUT/],
    ['list_activities', { athlete_id: 'i999' }, /athlete_id|Unrecognized/],
  ];
  for (const [tool, args, message] of cases) {
    it(`${tool} ${JSON.stringify(args)}`, async () => {
      let text = '';
      const calls = await upstreamDuring(stack, async () => {
        text = await callError(stack.client, tool, args);
      });
      expect(text).toMatch(message);
      // At most the cached profile read; never the data request.
      const made = calls ? stack.fake.requests.slice(-calls) : [];
      expect(made.every((r) => /\/athlete\/[^/]+$/.test(r.path))).toBe(true);
    });
  }
});

describe('time zone', () => {
  it("uses the athlete's date, not the server's: 12:00 UTC is already tomorrow in Auckland", async () => {
    const s = await startStack({ now: new Date('2026-11-24T12:00:00Z') });
    try {
      const a = await call<{ today: string }>(s.client, 'get_athlete');
      expect(a.today).toBe('2026-11-25');
      const w = await call<{ range: string }>(s.client, 'get_wellness');
      expect(w.range).toBe('2026-11-19..2026-11-25');
    } finally {
      await s.close();
    }
  });
});

describe('upstream failures', () => {
  it('a rejected API key is an actionable tool error that does not leak the key', async () => {
    const s = await startStack({ fake: { apiKey: 'the-right-key' } });
    try {
      const text = await callError(s.client, 'list_activities', { limit: 5 });
      expect(text).toMatch(/INTERVALS_API_KEY/);
      expect(text).not.toMatch(/test-api-key|Basic /);
    } finally {
      await s.close();
    }
  });

  it('a flaky upstream (502 then OK) is retried transparently for reads', async () => {
    stack.fake.failNext(502, { times: 1 });
    const r = await call<{ activities: Table }>(stack.client, 'list_activities', { limit: 2 });
    expect(r.activities.rows).toHaveLength(2);
  });
});

/** Raw HTTP with a chosen Host header (fetch drops custom Host headers). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(stack.server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP transport contract', () => {
  it('GET and DELETE /mcp answer 405 with Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const r = await raw(method, '/mcp', { host: 'localhost' });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('POST');
    }
  });

  it('a foreign Host header is refused (DNS rebinding)', async () => {
    const r = await raw('POST', '/mcp', { ...MCP_HEADERS, host: 'evil.example' }, INIT);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toMatch(/Host/);
  });

  it('a present, foreign Origin is refused; Claude and loopback origins pass', async () => {
    const bad = await raw('POST', '/mcp', { ...MCP_HEADERS, host: 'localhost', origin: 'https://evil.example' }, INIT);
    expect(bad.status).toBe(403);
    for (const origin of ['https://claude.ai', 'http://localhost:6274']) {
      const ok = await raw('POST', '/mcp', { ...MCP_HEADERS, host: 'localhost', origin }, INIT);
      expect(ok.status, origin).toBe(200);
    }
  });

  it('is stateless: no session id, plain JSON', async () => {
    const r = await raw('POST', '/mcp', { ...MCP_HEADERS, host: 'localhost' }, INIT);
    expect(r.status).toBe(200);
    expect(r.headers['mcp-session-id']).toBeUndefined();
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(r.body).result.serverInfo.name).toBe('intervals-mcp');
  });

  it('rejects a request that does not accept JSON and SSE (406), bad JSON (400) and an oversized body (413)', async () => {
    expect((await raw('POST', '/mcp', { 'content-type': 'application/json', accept: 'text/html', host: 'localhost' }, INIT)).status).toBe(
      406,
    );
    expect((await raw('POST', '/mcp', { ...MCP_HEADERS, host: 'localhost' }, '{not json')).status).toBe(400);
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1_100_000) } });
    expect((await raw('POST', '/mcp', { ...MCP_HEADERS, host: 'localhost' }, big)).status).toBe(413);
  });

  it('serves liveness and readiness probes', async () => {
    const h = await raw('GET', '/healthz', { host: 'localhost' });
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body).status).toBe('ok');
    expect((await raw('GET', '/readyz', { host: 'localhost' })).status).toBe(200);
  });
});
