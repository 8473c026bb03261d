import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  addDays,
  createSampleAthlete,
  type FakeIntervals,
  type Json,
  K_ATL,
  K_CTL,
  parseWorkoutText,
  SAMPLE_FACTS,
  SAMPLE_STRAVA_STUB_ID,
  STRAVA_NOTE,
  startFakeIntervals,
} from './index.js';

const TODAY = '2026-03-10'; // a Tuesday; history spans the NZ DST change (2025-09-28)
const API_KEY = 'test-api-key';
const BASIC = `Basic ${Buffer.from(`API_KEY:${API_KEY}`).toString('base64')}`;

let fake: FakeIntervals;

async function call(path: string, init: { method?: string; body?: unknown; auth?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.auth !== null) headers['authorization'] = init.auth ?? BASIC;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${fake.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body !== undefined ? JSON.stringify(init.body) : null,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever fields each answer has
  return { status: res.status, headers: res.headers, text, json: json as any };
}

beforeAll(async () => {
  fake = await startFakeIntervals({ today: TODAY, bearerTokens: ['oauth-token-1'], extraAthletes: ['i222222'] });
});

afterAll(async () => {
  await fake.close();
});

describe('sample athlete generation', () => {
  it('is deterministic, fast and does not use Math.random', () => {
    const spy = vi.spyOn(Math, 'random');
    createSampleAthlete(TODAY); // warm-up (JIT, Intl)
    let best = Infinity;
    let a: ReturnType<typeof createSampleAthlete> | null = null;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      a = createSampleAthlete(TODAY);
      best = Math.min(best, performance.now() - t0);
    }
    expect(best).toBeLessThan(200);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const b = createSampleAthlete(TODAY);
    const snap = (s: ReturnType<typeof createSampleAthlete>) => {
      const ath = s.athletes.get('i123456')!;
      return JSON.stringify({
        a: ath.activities.map((x) => x.json),
        e: ath.events.map((e) => ({ ...e, updated: null })),
        w: [...ath.wellness.values()],
      });
    };
    expect(snap(a!)).toEqual(snap(b));
  });

  it('has ~6 months of mixed sports at 5-6 sessions a week', () => {
    const ath = fake.state.athletes.get('i123456')!;
    const acts = ath.activities;
    expect(acts.length).toBeGreaterThan(130);
    expect(acts.length).toBeLessThan(190);
    const types = new Set(acts.filter((a) => !a.stub).map((a) => a.json['type']));
    for (const t of ['Ride', 'VirtualRide', 'Run', 'Swim', 'WeightTraining']) expect(types).toContain(t);
    expect(ath.firstDay).toBe(addDays(TODAY, -181));
    // every activity is before today (today's planned workout is still open)
    expect(acts[0]!.date < TODAY).toBe(true);
  });
});

describe('auth', () => {
  it('accepts Basic API_KEY and configured bearer tokens', async () => {
    expect((await call('/athlete/0')).status).toBe(200);
    expect((await call('/athlete/0', { auth: 'Bearer oauth-token-1' })).status).toBe(200);
  });
  it('rejects missing or wrong credentials with 401', async () => {
    const r = await call('/athlete/0', { auth: null });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ status: 401, error: 'Unauthorized' });
    expect((await call('/athlete/0', { auth: `Basic ${Buffer.from('API_KEY:nope').toString('base64')}` })).status).toBe(401);
    expect((await call('/athlete/0', { auth: `Basic ${Buffer.from(`someone:${API_KEY}`).toString('base64')}` })).status).toBe(401);
    expect((await call('/athlete/0', { auth: 'Bearer unknown' })).status).toBe(401);
  });
  it('answers 403 for the API key sent as Bearer', async () => {
    const r = await call('/athlete/0', { auth: `Bearer ${API_KEY}` });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ status: 403, error: 'Access denied' });
  });
  it('answers 500 with a Java-style message for malformed base64', async () => {
    const r = await call('/athlete/0', { auth: 'Basic ###' });
    expect(r.status).toBe(500);
    expect(r.json.error).toMatch(/^java\.lang\.IllegalArgumentException: /);
  });
  it('records requests', async () => {
    const before = fake.requests.length;
    await call('/athlete/0/folders?x=1', { auth: null });
    const rec = fake.requests[before]!;
    expect(rec).toMatchObject({
      method: 'GET',
      path: '/api/v1/athlete/0/folders',
      query: { x: '1' },
      hasAuthorization: false,
      status: 401,
    });
  });
});

describe('routing and access', () => {
  it('404s unknown routes in Spring style', async () => {
    const r = await call('/athlete-profile');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ status: 404, error: 'Not Found', path: '/api/v1/athlete-profile' });
    expect(typeof r.json.timestamp).toBe('string');
    expect(r.headers.get('content-type')).toBe('application/json');
  });
  it('resolves athlete 0 and rejects other athletes', async () => {
    const a = await call('/athlete/0');
    expect(a.json).toMatchObject({
      id: 'i123456',
      name: 'Sam Sample',
      timezone: 'Pacific/Auckland',
      weight: 70.5,
      icu_resting_hr: 48,
      icu_api_key: null,
    });
    const ride = a.json.sportSettings.find((s: Json) => (s['types'] as string[]).includes('Ride'));
    expect(ride).toMatchObject({
      ftp: 265,
      indoor_ftp: 255,
      lthr: 162,
      max_hr: 186,
      w_prime: 20000,
      power_zones: [55, 75, 90, 105, 120, 150, 999],
    });
    const run = a.json.sportSettings.find((s: Json) => (s['types'] as string[]).includes('Run'));
    expect(run).toMatchObject({ threshold_pace: 3.7, pace_units: 'MINS_KM', lthr: 168, ftp: null });
    expect((await call('/athlete/i123456')).json.id).toBe('i123456');
    expect(await call('/athlete/i999999/activities?oldest=2026-01-01')).toMatchObject({
      status: 403,
      json: { status: 403, error: 'Access denied' },
    });
  });
  it('matches SAMPLE_FACTS', async () => {
    const a = (await call('/athlete/0')).json;
    const ss = a.sportSettings as Json[];
    expect(ss.find((s) => s['id'] === SAMPLE_FACTS.ride.sportSettingsId)).toMatchObject({
      ftp: SAMPLE_FACTS.ride.ftp,
      hr_zones: SAMPLE_FACTS.ride.hrZones,
    });
    expect(ss.find((s) => s['id'] === SAMPLE_FACTS.run.sportSettingsId)).toMatchObject({ threshold_pace: SAMPLE_FACTS.run.thresholdPace });
    expect(ss.find((s) => s['id'] === SAMPLE_FACTS.swim.sportSettingsId)).toMatchObject({ threshold_pace: 1.25, pace_units: 'SECS_100M' });
    const folders = (await call('/athlete/0/folders')).json as Json[];
    expect(folders.map((f) => f['id'])).toEqual([...SAMPLE_FACTS.folderIds]);
    const events = (await call(`/athlete/0/events?oldest=${addDays(TODAY, -40)}&newest=${addDays(TODAY, 50)}`)).json as Json[];
    expect(Math.min(...events.map((e) => e['id'] as number))).toBe(SAMPLE_FACTS.firstEventId);
  });
  it('serves a coached athlete generated from another seed', async () => {
    const r = await call('/athlete/i222222/activities?oldest=2026-02-01');
    expect(r.status).toBe(200);
    expect(r.json.length).toBeGreaterThan(10);
    const own = await call('/athlete/0/activities?oldest=2026-02-01');
    expect(r.json[0].id).not.toBe(own.json[0].id);
    expect((await call('/athlete/i222222')).json.name).not.toBe('Sam Sample');
  });
  it('lists coached athletes with an API key only', async () => {
    const r = (await call('/athletes')).json as Json[];
    expect(r.map((a) => a['id'])).toEqual(['i123456', 'i222222']);
    expect((await call('/athletes', { auth: 'Bearer oauth-token-1' })).status).toBe(403);
  });
  it('404s unknown activities and events', async () => {
    expect((await call('/activity/i1')).status).toBe(404);
    expect((await call('/athlete/0/events/1')).status).toBe(404);
  });
});

describe('activities', () => {
  it('requires oldest', async () => {
    const r = await call('/athlete/0/activities');
    expect(r.status).toBe(422);
    expect(r.json).toEqual({ status: 422, error: "Required request parameter 'oldest' is not present" });
  });
  it('lists newest first, applies limit (the newest N) and inclusive date-only bounds', async () => {
    const all = (await call('/athlete/0/activities?oldest=2000-01-01')).json as Json[];
    const dates = all.map((a) => String(a['start_date_local']));
    expect([...dates].sort().reverse()).toEqual(dates);
    const lim = (await call('/athlete/0/activities?oldest=2000-01-01&limit=3')).json as Json[];
    expect(lim.map((a) => a['id'])).toEqual(all.slice(0, 3).map((a) => a['id']));
    const day = String(all[5]!['start_date_local']).slice(0, 10);
    const onDay = all.filter((a) => String(a['start_date_local']).startsWith(day));
    const r = (await call(`/athlete/0/activities?oldest=${day}&newest=${day}`)).json as Json[];
    expect(r.map((a) => a['id'])).toEqual(onDay.map((a) => a['id']));
  });
  it('projects fields and drops nulls', async () => {
    const r = (await call('/athlete/0/activities?oldest=2026-01-01&fields=name,type,icu_training_load,icu_weighted_avg_watts'))
      .json as Json[];
    const run = r.find((a) => a['type'] === 'Run')!;
    expect(Object.keys(run).sort()).toEqual(['icu_training_load', 'id', 'name', 'type']);
  });
  it('contains exactly one Strava stub among the newest five, never the newest', async () => {
    const all = (await call('/athlete/0/activities?oldest=2000-01-01')).json as Json[];
    const stubs = all.filter((a) => a['source'] === 'STRAVA');
    expect(stubs).toHaveLength(1);
    const idx = all.findIndex((a) => a['source'] === 'STRAVA');
    expect(idx).toBeGreaterThan(0);
    expect(idx).toBeLessThan(5);
    expect(stubs[0]).toEqual({
      id: SAMPLE_STRAVA_STUB_ID,
      icu_athlete_id: 'i123456',
      start_date_local: expect.any(String),
      source: 'STRAVA',
      _note: STRAVA_NOTE,
    });
    const one = await call(`/activity/${SAMPLE_STRAVA_STUB_ID}`);
    expect(one.json).toEqual(stubs[0]);
    const s = await call(`/activity/${SAMPLE_STRAVA_STUB_ID}/streams`);
    expect(s).toMatchObject({ status: 422, json: { status: 422, error: 'Cannot read Strava activities via the API' } });
  });
  it('has consistent loads, zones and UTC start dates across the DST change', async () => {
    const all = ((await call('/athlete/0/activities?oldest=2000-01-01')).json as Json[]).filter((a) => a['source'] !== 'STRAVA');
    const offsets = new Set<number>();
    for (const a of all) {
      const local = Date.parse(`${String(a['start_date_local'])}Z`);
      const utc = Date.parse(String(a['start_date']));
      offsets.add((local - utc) / 3600000);
      expect(String(a['start_date'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(a['icu_athlete_id']).toBe('i123456');
      expect(String(a['id'])).toMatch(/^i\d+$/);
      if (a['type'] === 'Ride' || a['type'] === 'VirtualRide' || a['type'] === 'GravelRide') {
        const ifv = (a['icu_intensity'] as number) / 100;
        const expected = ((a['moving_time'] as number) / 3600) * ifv * ifv * 100;
        expect(Math.abs((a['icu_training_load'] as number) - expected)).toBeLessThanOrEqual(1);
        expect(Math.abs((a['icu_weighted_avg_watts'] as number) / (a['icu_ftp'] as number) - ifv)).toBeLessThan(0.01);
        expect((a['icu_zone_times'] as { id: string }[]).map((z) => z.id)).toEqual(['Z1', 'Z2', 'Z3', 'Z4', 'Z5', 'Z6', 'Z7', 'SS']);
      }
    }
    expect([...offsets].sort()).toEqual([12, 13]);
  });
  it('pairs most past planned workouts, with exactly one missed', async () => {
    const events = (await call(`/athlete/0/events?oldest=${addDays(TODAY, -28)}&newest=${addDays(TODAY, -1)}&category=WORKOUT`))
      .json as Json[];
    const acts = (await call(`/athlete/0/activities?oldest=${addDays(TODAY, -28)}`)).json as Json[];
    const paired = new Set<unknown>(acts.map((a) => a['paired_event_id']).filter((x) => x != null));
    const missed = events.filter((e) => !paired.has(e['id']));
    expect(events.length).toBeGreaterThan(8);
    expect(missed).toHaveLength(1);
  });
  it('searches by name and by #tag', async () => {
    const r = (await call('/athlete/0/activities/search?q=SWEET&limit=2')).json as Json[];
    expect(r).toHaveLength(2);
    expect(r.every((a) => String(a['name']).includes('Sweet Spot'))).toBe(true);
    expect(Object.keys(r[0]!).sort()).toEqual([
      'description',
      'distance',
      'id',
      'moving_time',
      'name',
      'race',
      'start_date_local',
      'tags',
      'type',
    ]);
    const tagged = (await call('/athlete/0/activities/search-full?q=%23long')).json as Json[];
    expect(tagged.length).toBeGreaterThan(10);
    expect(tagged.every((a) => (a['tags'] as string[]).includes('long'))).toBe(true);
    expect(tagged[0]).toHaveProperty('icu_training_load');
  });
});

describe('activity detail', () => {
  async function findStructuredRide(): Promise<Json> {
    const r = (await call('/athlete/0/activities/search-full?q=VO2max')).json as Json[];
    return r[0]!;
  }
  it('adds intervals and groups with intervals=true and /intervals agrees', async () => {
    const ride = await findStructuredRide();
    const a = (await call(`/activity/${ride['id']}?intervals=true`)).json;
    const dto = (await call(`/activity/${ride['id']}/intervals`)).json;
    expect(dto.id).toBe(ride['id']);
    expect(dto.icu_intervals).toHaveLength(a.icu_intervals.length);
    expect(dto.icu_groups).toHaveLength(a.icu_groups.length);
    const work = (a.icu_intervals as Json[]).filter((i) => i['type'] === 'WORK');
    expect(work).toHaveLength(5);
    expect(work.every((i) => i['moving_time'] === 240)).toBe(true);
    expect(a.icu_groups[0]).toMatchObject({ count: 5 });
    expect(work[0]).toHaveProperty('average_watts');
    expect((await call(`/activity/${ride['id']}`)).json).not.toHaveProperty('icu_intervals');
  });
  it('serves 1 Hz streams with HR drift', async () => {
    const list = (await call('/athlete/0/activities/search-full?q=Long%20Ride&limit=1')).json as Json[];
    const ride = list[0]!;
    const r = await call(`/activity/${ride['id']}/streams.json?types=time,watts,heartrate,nope`);
    expect(r.status).toBe(200);
    const streams = r.json as Json[];
    expect(streams.map((s) => s['type'])).toEqual(['time', 'watts', 'heartrate']);
    expect(streams[0]).toMatchObject({
      name: null,
      data2: null,
      valueType: 'java.lang.Integer',
      valueTypeIsArray: false,
      anomalies: null,
      custom: false,
      allNull: false,
    });
    const time = streams[0]!['data'] as number[];
    const watts = streams[1]!['data'] as number[];
    const hr = streams[2]!['data'] as number[];
    expect(time.length).toBe((ride['moving_time'] as number) + 1);
    expect(time[time.length - 1]).toBe(ride['elapsed_time']);
    expect(watts.length).toBe(time.length);
    const avgW = watts.reduce((s, x) => s + x, 0) / watts.length;
    expect(Math.abs(avgW - (ride['icu_average_watts'] as number)) / avgW).toBeLessThan(0.05);
    // Pw:HR decoupling: second half HR per watt is higher than the first
    const half = Math.floor(time.length / 2);
    const ef = (a: number, b: number) => watts.slice(a, b).reduce((s, x) => s + x, 0) / hr.slice(a, b).reduce((s, x) => s + x, 0);
    expect(ef(600, half)).toBeGreaterThan(ef(half, time.length - 600));
    const all = (await call(`/activity/${ride['id']}/streams`)).json as Json[];
    expect(all.map((s) => s['type'])).toEqual(ride['stream_types']);
  });
  it('computes best efforts from the streams', async () => {
    const ride = await findStructuredRide();
    const r = (await call(`/activity/${ride['id']}/best-efforts?stream=watts&duration=240&count=3`)).json;
    expect(r.efforts).toHaveLength(3);
    for (const e of r.efforts) {
      expect(e.end_index - e.start_index).toBe(240);
      expect(e.average).toBeGreaterThan(265);
    }
    expect((await call(`/activity/${ride['id']}/best-efforts?duration=60`)).status).toBe(422);
  });
});

describe('curves', () => {
  it('requires type for power curves', async () => {
    expect((await call('/athlete/0/power-curves?curves=42d')).status).toBe(422);
  });
  it('returns one DataCurve per spec', async () => {
    const r = (await call('/athlete/0/power-curves.json?type=Ride&curves=84d,r.2025-10-01.2025-12-31')).json;
    expect(r.activities).toEqual({});
    expect(r.list).toHaveLength(2);
    const [c1, c2] = r.list as Json[];
    expect(c1).toMatchObject({ id: '84d', start_date_local: `${addDays(TODAY, -83)}T00:00:00` });
    expect(c2).toMatchObject({ id: 'r.2025-10-01.2025-12-31', start_date_local: '2025-10-01T00:00:00' });
    const values = c1!['values'] as number[];
    expect((c1!['secs'] as number[]).length).toBe(values.length);
    expect((c1!['activity_id'] as string[]).length).toBe(values.length);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    const hr = (await call('/athlete/0/hr-curves?type=Run&curves=42d')).json;
    expect(hr.list[0].values.length).toBeGreaterThan(5);
    const pace = (await call('/athlete/0/pace-curves?type=Run&curves=42d')).json;
    expect(pace.list[0].distance[0]).toBe(400);
  });
});

describe('wellness and fitness', () => {
  it('follows the CTL/ATL recurrence and projects future days', async () => {
    const rows = (await call(`/athlete/0/wellness?oldest=${addDays(TODAY, -30)}&newest=${addDays(TODAY, 60)}`)).json as Json[];
    expect(rows[0]!['id']).toBe(addDays(TODAY, -30));
    for (let i = 1; i < rows.length; i++) {
      const p = rows[i - 1]!;
      const w = rows[i]!;
      const ctl = (p['ctl'] as number) + ((w['ctlLoad'] as number) - (p['ctl'] as number)) * K_CTL;
      const atl = (p['atl'] as number) + ((w['atlLoad'] as number) - (p['atl'] as number)) * K_ATL;
      expect(Math.abs((w['ctl'] as number) - ctl)).toBeLessThan(1e-6);
      expect(Math.abs((w['atl'] as number) - atl)).toBeLessThan(1e-6);
      if (i >= 7) expect(Math.abs((w['rampRate'] as number) - ((w['ctl'] as number) - (rows[i - 7]!['ctl'] as number)))).toBeLessThan(1e-9);
    }
    // projections run through the A race (today + 42) and no further
    const last = rows[rows.length - 1]!;
    expect(last['id']).toBe(addDays(TODAY, 42));
    const future = rows.filter((w) => String(w['id']) > TODAY);
    expect(future.length).toBe(42);
    expect(future.every((w) => typeof w['ctl'] === 'number' && w['weight'] === null && w['hrv'] === null)).toBe(true);
    expect(last['ctlLoad']).toBe(165);
  });
  it('keeps nulls in full records, has gaps, and projects fields dropping nulls', async () => {
    const rows = (await call(`/athlete/0/wellness.json?oldest=${addDays(TODAY, -181)}&newest=${TODAY}`)).json as Json[];
    expect(rows).toHaveLength(182);
    expect(Object.keys(rows[0]!)).toHaveLength(46);
    expect(rows.some((w) => w['hrv'] === null && w['weight'] !== null)).toBe(true);
    expect(rows.filter((w) => w['weight'] === null && w['restingHR'] === null && w['sleepSecs'] === null).length).toBe(2);
    const sq = rows.map((w) => w['sleepQuality']).filter((x) => x !== null) as number[];
    expect(sq.every((x) => x >= 1 && x <= 4)).toBe(true);
    const proj = (await call(`/athlete/0/wellness?oldest=${addDays(TODAY, -7)}&newest=${TODAY}&fields=ctl,hrv`)).json as Json[];
    expect(proj).toHaveLength(8);
    for (const w of proj) for (const k of Object.keys(w)) expect(['id', 'ctl', 'hrv']).toContain(k);
  });
  it('activities carry icu_ctl/icu_atl after the activity', async () => {
    const acts = (await call(`/athlete/0/activities?oldest=${addDays(TODAY, -20)}`)).json as Json[];
    const a = acts.find((x) => x['source'] !== 'STRAVA' && x['type'] === 'Run')!;
    const day = String(a['start_date_local']).slice(0, 10);
    const [prev] = (await call(`/athlete/0/wellness?oldest=${addDays(day, -1)}&newest=${addDays(day, -1)}`)).json as Json[];
    const sameDay = acts.filter((x) => String(x['start_date_local']).startsWith(day));
    if (sameDay.length === 1) {
      const ctl = (prev!['ctl'] as number) + ((a['icu_training_load'] as number) - (prev!['ctl'] as number)) * K_CTL;
      expect(Math.abs((a['icu_ctl'] as number) - ctl)).toBeLessThan(1e-6);
    }
    expect(typeof a['icu_atl']).toBe('number');
  });
  it('PUT merges partial bodies, -1 clears, unknown fields 422, computed fields ignored', async () => {
    const date = addDays(TODAY, -3);
    const before = (await call(`/athlete/0/wellness/${date}`)).json as Json;
    const r = await call(`/athlete/0/wellness/${date}`, {
      method: 'PUT',
      body: { weight: 71.2, comments: 'heavy legs', ctl: 999, restingHR: -1 },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: date,
      weight: 71.2,
      comments: 'heavy legs',
      restingHR: null,
      ctl: before['ctl'],
      sleepSecs: before['sleepSecs'],
    });
    expect(Object.keys(r.json)).toHaveLength(46);
    const back = (await call(`/athlete/0/wellness/${date}`)).json as Json;
    expect(back['weight']).toBe(71.2);
    const bad = await call(`/athlete/0/wellness/${date}`, { method: 'PUT', body: { feel: 3 } });
    expect(bad).toMatchObject({ status: 422, json: { status: 422, error: 'Unrecognized wellness field [feel]' } });
    // creates a missing record (beyond the projection horizon)
    const far = addDays(TODAY, 90);
    const c = await call(`/athlete/0/wellness/${far}`, { method: 'PUT', body: { weight: 70 } });
    expect(c.json).toMatchObject({ id: far, weight: 70 });
    expect(typeof c.json.ctl).toBe('number');
  });
});

describe('events', () => {
  it('defaults to today .. today+6 and filters by category', async () => {
    const r = (await call('/athlete/0/events')).json as Json[];
    expect(r.length).toBeGreaterThan(3);
    for (const e of r) {
      expect(String(e['start_date_local']) >= `${TODAY}T00:00:00`).toBe(true);
      expect(String(e['start_date_local']) <= `${addDays(TODAY, 6)}T23:59:59`).toBe(true);
    }
    const sorted = [...r].sort((a, b) => String(a['start_date_local']).localeCompare(String(b['start_date_local'])));
    expect(r).toEqual(sorted);
    const w = r[0]!;
    expect(w).toMatchObject({ category: 'WORKOUT', external_id: null });
    expect(typeof w['uid']).toBe('string');
    expect(w['workout_doc']).toMatchObject({ steps: expect.any(Array) });
    const races = (await call(`/athlete/0/events?oldest=${TODAY}&newest=${addDays(TODAY, 60)}&category=RACE_A,RACE_C,NOTE`)).json as Json[];
    expect(races.map((e) => e['category'])).toEqual(['NOTE', 'RACE_C', 'RACE_A']);
    expect(races[2]).toMatchObject({ name: 'Lake Taupo Olympic Tri', start_date_local: `${addDays(TODAY, 42)}T00:00:00` });
  });
  it('creates, reads back, updates and deletes a workout; projections follow', async () => {
    const date = addDays(TODAY, 30);
    const wellBefore = (await call(`/athlete/0/wellness/${addDays(TODAY, 31)}`)).json as Json;
    const r = await call('/athlete/0/events', {
      method: 'POST',
      body: {
        category: 'WORKOUT',
        type: 'Ride',
        start_date_local: `${date}T00:00:00`,
        name: 'Over-unders',
        description: '- 15m 55%\n\nMain Set 4x\n- 8m 95-105%\n- 4m 55%\n\n- 10m 50%',
      },
    });
    expect(r.status).toBe(200);
    const ev = r.json as Json;
    expect(typeof ev['id']).toBe('number');
    expect(String(ev['uid'])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ev).toMatchObject({ moving_time: 4380, end_date_local: `${addDays(date, 1)}T00:00:00`, athlete_id: 'i123456' });
    expect(ev['icu_training_load']).toBeGreaterThan(50);
    expect(ev['workout_doc']).toMatchObject({ duration: 4380, target: 'POWER' });
    expect((await call(`/athlete/0/events/${ev['id']}`)).json).toEqual(ev);
    const wellAfter = (await call(`/athlete/0/wellness/${addDays(TODAY, 31)}`)).json as Json;
    expect(wellAfter['ctl'] as number).toBeGreaterThan(wellBefore['ctl'] as number);

    const u = await call(`/athlete/0/events/${ev['id']}`, { method: 'PUT', body: { name: 'Renamed' } });
    expect(u.json).toMatchObject({
      id: ev['id'],
      name: 'Renamed',
      icu_training_load: ev['icu_training_load'],
      description: ev['description'],
    });

    const prose = await call(`/athlete/0/events/${ev['id']}`, {
      method: 'PUT',
      body: { description: 'Ride easy for an hour or so, enjoy it' },
    });
    expect(prose.json).toMatchObject({ workout_doc: null, moving_time: null, icu_training_load: null });

    const d = await call(`/athlete/0/events/${ev['id']}`, { method: 'DELETE' });
    expect(d).toMatchObject({ status: 200, json: { id: ev['id'] } });
    expect((await call(`/athlete/0/events/${ev['id']}`)).status).toBe(404);
  });
  it('validates names and categories', async () => {
    const long = await call('/athlete/0/events', {
      method: 'POST',
      body: { category: 'NOTE', start_date_local: `${TODAY}T00:00:00`, name: 'x'.repeat(81) },
    });
    expect(long).toMatchObject({ status: 422, json: { status: 422, error: 'Name is too long' } });
    const ok = await call('/athlete/0/events', {
      method: 'POST',
      body: { category: 'NOTE', start_date_local: TODAY, name: 'x'.repeat(80) },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.start_date_local).toBe(`${TODAY}T00:00:00`);
    await call(`/athlete/0/events/${ok.json.id}`, { method: 'DELETE' });
  });
  it('bulk upsert by external_id is idempotent and bulk-delete works', async () => {
    const body = [
      {
        category: 'WORKOUT',
        type: 'Run',
        start_date_local: `${addDays(TODAY, 3)}T00:00:00`,
        name: 'Strides',
        description: '- 10m Z2 Pace\n\n6x\n- 20s 110% Pace\n- 40s 60% Pace\n\n- 5m Z1 Pace',
        external_id: 'ext-1',
      },
      { category: 'NOTE', start_date_local: `${addDays(TODAY, 4)}T00:00:00`, name: 'Massage', external_id: 'ext-2' },
    ];
    const count = () => fake.state.athletes.get('i123456')!.events.length;
    const n0 = count();
    const a = (await call('/athlete/0/events/bulk?upsert=true', { method: 'POST', body })).json as Json[];
    expect(a).toHaveLength(2);
    expect(count()).toBe(n0 + 2);
    const b = (await call('/athlete/0/events/bulk?upsert=true', { method: 'POST', body: [{ ...body[0], name: 'Strides v2' }, body[1]] }))
      .json as Json[];
    expect(b.map((e) => e['id'])).toEqual(a.map((e) => e['id']));
    expect(b[0]!['name']).toBe('Strides v2');
    expect(count()).toBe(n0 + 2);
    expect(a[0]!['workout_doc']).toMatchObject({ target: 'PACE' });
    const del = await call('/athlete/0/events/bulk-delete', {
      method: 'PUT',
      body: [{ external_id: 'ext-1' }, { id: a[1]!['id'] }, { id: 1 }],
    });
    expect(del.json).toEqual({ eventsDeleted: 2 });
    expect(count()).toBe(n0);
  });
});

describe('sport settings and library', () => {
  it('gets by type or id and PUT requires recalcHrZones', async () => {
    const byType = (await call('/athlete/0/sport-settings/Ride')).json as Json;
    const byId = (await call(`/athlete/0/sport-settings/${byType['id']}`)).json as Json;
    expect(byId).toEqual(byType);
    const bad = await call('/athlete/0/sport-settings/Ride', { method: 'PUT', body: { ftp: 270 } });
    expect(bad.status).toBe(422);
    const ok = await call('/athlete/0/sport-settings/Ride?recalcHrZones=false', { method: 'PUT', body: { ftp: 270 } });
    expect(ok.json).toMatchObject({ ftp: 270, indoor_ftp: 255, lthr: 162 });
    expect((await call('/athlete/0/sport-settings')).json.find((s: Json) => s['id'] === byType['id']).ftp).toBe(270);
    await call('/athlete/0/sport-settings/Ride?recalcHrZones=false', { method: 'PUT', body: { ftp: 265 } });
  });
  it('lists folders and workouts', async () => {
    const folders = (await call('/athlete/0/folders')).json as Json[];
    expect(folders.map((f) => [f['type'], f['name'], (f['children'] as unknown[]).length])).toEqual([
      ['FOLDER', 'Bike workouts', 3],
      ['PLAN', 'Base block', 2],
    ]);
    const workouts = (await call('/athlete/0/workouts')).json as Json[];
    expect(workouts).toHaveLength(5);
    expect(workouts[0]).toMatchObject({ folder_id: folders[0]!['id'], workout_doc: expect.any(Object) });
  });
  it('summarises weeks', async () => {
    const r = (await call(`/athlete/0/athlete-summary?start=${addDays(TODAY, -20)}&end=${TODAY}`)).json as Json[];
    expect(r.length).toBeGreaterThanOrEqual(3);
    expect(r[0]).toHaveProperty('fitness');
    expect(r[0]).toHaveProperty('byCategory');
  });
});

describe('failNext', () => {
  it('fails the next requests with Retry-After, then recovers', async () => {
    fake.failNext(429, { times: 2, retryAfter: '1' });
    const a = await call('/athlete/0');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.json).toEqual({ status: 429, error: 'Too Many Requests' });
    expect((await call('/athlete/0')).status).toBe(429);
    expect((await call('/athlete/0')).status).toBe(200);
  });
  it('sends plain-text gateway errors', async () => {
    fake.failNext(502);
    const r = await call('/athlete/0');
    expect(r.status).toBe(502);
    expect(r.text).toBe('Bad Gateway');
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    fake.failNext(503, { body: '{"status":503,"error":"down"}' });
    expect((await call('/athlete/0')).json).toEqual({ status: 503, error: 'down' });
  });
});

describe('workout text parser', () => {
  const s = { ftp: 250, lthr: 160, maxHr: 185, thresholdPace: 4 };
  it('treats m as minutes and mtr as metres', () => {
    const r = parseWorkoutText('- 10m 50%\n- 400mtr 100% Pace', s);
    if (!r.ok) throw new Error('parse failed');
    expect(r.doc.steps[0]).toMatchObject({ duration: 600, power: { value: 50, units: '%ftp' } });
    expect(r.doc.steps[1]).toMatchObject({ distance: 400, duration: 100, pace: { value: 100, units: '%pace' } });
    expect(r.moving_time).toBe(700);
    expect(r.distance).toBe(400);
  });
  it('parses durations in all notations', () => {
    const r = parseWorkoutText(
      `- 1h 60%\n- 1h2m30s 60%\n- 5' 60%\n- 30" 60%\n- 1'30" 60%\n- 2km Z2 Pace\n- 1mi Z2 Pace\n- 100yrd Z2 Pace`,
      s,
    );
    if (!r.ok) throw new Error('parse failed');
    expect(r.doc.steps.slice(0, 5).map((x) => x.duration)).toEqual([3600, 3750, 300, 30, 90]);
    expect(r.doc.steps.slice(5).map((x) => x.distance)).toEqual([2000, 1609.344, 91.44]);
  });
  it('expands repeats and computes load and intensity', () => {
    const r = parseWorkoutText('- 15m 55%\n\nMain Set 4x\n- 8m 95-105%\n- 4m 55%\n\n- 10m 50%', s);
    if (!r.ok) throw new Error('parse failed');
    expect(r.doc.steps).toHaveLength(3);
    expect(r.doc.steps[1]).toMatchObject({
      text: 'Main Set',
      reps: 4,
      steps: [{ duration: 480, power: { start: 95, end: 105, units: '%ftp' } }, { duration: 240 }],
    });
    expect(r.moving_time).toBe(15 * 60 + 4 * 12 * 60 + 600);
    const expected = (15 / 60) * 0.55 ** 2 * 100 + 4 * ((8 / 60) * 1 + (4 / 60) * 0.55 ** 2) * 100 + (10 / 60) * 0.5 ** 2 * 100;
    expect(r.icu_training_load).toBe(Math.round(expected));
    expect(r.icu_intensity).toBeCloseTo(Math.sqrt(expected / ((r.moving_time / 3600) * 100)) * 100, 6);
    expect(r.segments).toHaveLength(1 + 8 + 1);
    const standalone = parseWorkoutText('3x\n- 1m 120%\n- 1m 50%', s);
    expect(standalone.ok && standalone.moving_time).toBe(360);
  });
  it('parses watts, zones, HR, pace, cadence, ramps and freeride', () => {
    const r = parseWorkoutText(
      [
        '- 10m 200-240w',
        '- 10m Z2',
        '- 10m Z3-Z4',
        '- 10m 70% HR',
        '- 10m 95% LTHR',
        '- 10m Z2 HR',
        '- 10m 60% Pace',
        '- 10m 5:00/km Pace',
        '- 10m 75% 90rpm',
        '- 10m ramp 50%-75%',
        '- 5m freeride',
        '- Fast finish 2m 110%',
      ].join('\n'),
      s,
    );
    if (!r.ok) throw new Error('parse failed');
    const st = r.doc.steps;
    expect(st[0]).toMatchObject({ power: { start: 200, end: 240, units: 'w' } });
    expect(st[1]).toMatchObject({ power: { value: 2, units: 'power_zone' } });
    expect(st[2]).toMatchObject({ power: { start: 3, end: 4, units: 'power_zone' } });
    expect(st[3]).toMatchObject({ hr: { value: 70, units: '%hr' } });
    expect(st[4]).toMatchObject({ hr: { value: 95, units: '%lthr' } });
    expect(st[5]).toMatchObject({ hr: { value: 2, units: 'hr_zone' } });
    expect(st[6]).toMatchObject({ pace: { value: 60, units: '%pace' } });
    expect(st[7]).toMatchObject({ pace: { value: 300, units: 'secs/km' } });
    expect(st[8]).toMatchObject({ power: { value: 75 }, cadence: { value: 90, units: 'rpm' } });
    expect(st[9]).toMatchObject({ ramp: true, power: { start: 50, end: 75, units: '%ftp' } });
    expect(st[10]).toMatchObject({ freeride: true, duration: 300 });
    expect(st[11]).toMatchObject({ text: 'Fast finish', duration: 120, power: { value: 110 } });
    // 220 W at FTP 250 = 88 %
    const w = parseWorkoutText('- 1h 220w', s);
    expect(w.ok && w.icu_training_load).toBe(Math.round(0.88 ** 2 * 100));
  });
  it('reports unparseable step lines and prose', () => {
    const r = parseWorkoutText('Warmup\n- 10m 50%\n- easy spin until warm\n- 5m 60%', s);
    expect(r).toEqual({ ok: false, errors: [{ line: 3, text: '- easy spin until warm', message: expect.any(String) }] });
    const prose = parseWorkoutText('Just ride for an hour, nice and easy.', s);
    expect(prose.ok).toBe(false);
  });
});

describe('default today', () => {
  it('uses the current date in Pacific/Auckland when today is not given', async () => {
    const f = await startFakeIntervals();
    try {
      const nz = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Pacific/Auckland',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date());
      expect(f.today).toBe(nz);
      const res = await fetch(`${f.url}/api/v1/athlete/0/events`, { headers: { authorization: BASIC } });
      const events = (await res.json()) as Json[];
      expect(events.every((e) => String(e['start_date_local']).slice(0, 10) >= nz)).toBe(true);
    } finally {
      await f.close();
    }
  });
});

describe('accounts: several people, each with their own key and tokens', () => {
  let multi: FakeIntervals;
  const basic = (key: string) => `Basic ${Buffer.from(`API_KEY:${key}`).toString('base64')}`;
  const get = async (path: string, auth: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${multi.url}/api/v1${path}`, {
      method,
      headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : null,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever fields each answer has
    return { status: res.status, json: (await res.json()) as any };
  };
  beforeAll(async () => {
    multi = await startFakeIntervals({
      today: TODAY,
      bearerTokens: ['oauth-token-1'],
      accounts: [
        {
          athleteId: 'i300001',
          apiKey: 'key-a',
          tokens: [
            { token: 'tok-a' },
            { token: 'tok-a-ro', scope: 'ACTIVITY:READ,WELLNESS:READ,CALENDAR:READ,SETTINGS:READ,LIBRARY:READ' },
            { token: 'tok-a-old', revoked: true },
          ],
        },
        { athleteId: 'i300002', apiKey: 'key-b', tokens: [{ token: 'tok-b' }], coaches: ['i300001'] },
      ],
    });
  });
  afterAll(async () => {
    await multi.close();
  });

  it('athlete 0 is the credential owner, for keys and tokens', async () => {
    expect((await get('/athlete/0', basic('key-a'))).json.id).toBe('i300001');
    expect((await get('/athlete/0', 'Bearer tok-a')).json.id).toBe('i300001');
    expect((await get('/athlete/0', basic('key-b'))).json.id).toBe('i300002');
    // The default key and tokens are unchanged: the sample athlete.
    expect((await get('/athlete/0', BASIC)).json.id).toBe(SAMPLE_FACTS.athleteId);
    expect((await get('/athlete/0', 'Bearer oauth-token-1')).json.id).toBe(SAMPLE_FACTS.athleteId);
  });

  it("another account's athlete and activities are 403; a coach reaches the coached athlete", async () => {
    expect((await get('/athlete/i300002', basic('key-a'))).status).toBe(403);
    expect((await get('/athlete/i300001', BASIC)).status).toBe(403);
    expect((await get(`/athlete/${SAMPLE_FACTS.athleteId}`, basic('key-a'))).status).toBe(403);
    const actB = multi.state.athletes.get('i300002')!.activities[0]!.id;
    expect((await get(`/activity/${actB}`, basic('key-a'))).status).toBe(403);
    expect((await get(`/activity/${actB}`, basic('key-b'))).status).toBe(200);
    expect((await get('/athlete/i300001', basic('key-b'))).status).toBe(200);
    const roster = (await get('/athletes', basic('key-b'))).json as { id: string }[];
    expect(roster.map((a) => a.id)).toEqual(['i300002', 'i300001']);
  });

  it('a revoked token is 401; a read-only token reads but cannot write (403 naming the scope)', async () => {
    expect((await get('/athlete/0', 'Bearer tok-a-old')).status).toBe(401);
    expect((await get('/athlete/0/wellness?oldest=2026-03-01&newest=2026-03-02', 'Bearer tok-a-ro')).status).toBe(200);
    const w = await get('/athlete/0/events', 'Bearer tok-a-ro', 'POST', {
      category: 'NOTE',
      start_date_local: '2026-03-12T00:00:00',
      name: 'n',
    });
    expect(w.status).toBe(403);
    expect(w.json.error).toMatch(/CALENDAR:WRITE/);
    expect(
      (await get('/athlete/0/events', 'Bearer tok-a', 'POST', { category: 'NOTE', start_date_local: '2026-03-12T00:00:00', name: 'n' }))
        .status,
    ).toBe(200);
    expect((await get('/athletes', 'Bearer tok-b')).status).toBe(403);
  });
});
