/**
 * The analysis tools end to end (SDK client → real server → fake Intervals.icu): get_streams,
 * get_curves and search_activities. Numbers are checked against what the fake serves and computes.
 */
import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { athleteCurves } from '../fake-intervals/data.js';
import { type ActivityRecord, type AthleteState, generateStreams, SAMPLE_STRAVA_STUB_ID } from '../fake-intervals/index.js';
import { call, callError, col, type Stack, type Table, upstreamDuring, useStack } from '../support/harness.js';

type Streams = { activity_id: string; points: number; every_s: number; series: Table; summary: Record<string, unknown>; note?: string };
type Curves = { sport: string; a: string; b: string; unit: string; curve: Table; note?: string };
const zoneSum = (z: unknown) =>
  String(z ?? '')
    .split(' ')
    .filter(Boolean)
    .reduce((s, p) => s + Number(p.split(':')[1]), 0);

let stack: Stack;
let athlete: AthleteState;
useStack((s, a) => {
  stack = s;
  athlete = a;
});

const activity = (pred: (a: ActivityRecord) => boolean) => athlete.activities.find((a) => !a.stub && !!a.sim && pred(a))!;

describe('get_streams', () => {
  it('a ride with a pause: ≤ points rows of bucket means, summary consistent with the streams', async () => {
    const ride = activity((a) => a.json.type === 'Ride' && a.sim!.stopAfter !== null);
    const raw = generateStreams(ride.sim!);
    const r = await call<Streams>(stack.client, 'get_streams', { activity_id: ride.id, points: 60 });

    expect(r.activity_id).toBe(ride.id);
    expect(r.points).toBe(r.series.rows.length);
    expect(r.points).toBeLessThanOrEqual(60);
    expect(r.series.columns).toEqual(['time_s', 'watts', 'heartrate', 'cadence', 'kmh', 'altitude']);
    const elapsed = raw.time!.at(-1)! + 1;
    expect(r.every_s).toBe(Math.ceil(elapsed / 60));

    // Bucket k: the mean of the samples whose time is in [k·every, (k+1)·every); rows only for buckets with samples.
    const times = col(r.series, 'time_s') as number[];
    for (const k of [0, Math.floor(times.length / 2), times.length - 1]) {
      const t0 = times[k]!;
      const idx = raw.time!.flatMap((t, i) => (t >= t0 && t < t0 + r.every_s ? [i] : []));
      const mean = (s: number[]) => idx.reduce((a, i) => a + s[i]!, 0) / idx.length;
      expect(col(r.series, 'watts')[k]).toBe(Math.round(mean(raw.watts!)));
      expect(col(r.series, 'heartrate')[k]).toBe(Math.round(mean(raw.heartrate!)));
      expect(col(r.series, 'kmh')[k]).toBe(Math.round(mean(raw.velocity_smooth!) * 3.6));
    }
    // The pause leaves a hole in the bucket times.
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeGreaterThan(r.every_s);

    const s = r.summary;
    expect(s.sport).toBe('Ride');
    expect(s.moving_s).toBe(ride.json.moving_time);
    expect(zoneSum(s.power_zones_s)).toBe(s.moving_s);
    expect(zoneSum(s.hr_zones_s) + (s.hr_dropout_s as number)).toBe(s.moving_s);
    const watts = raw.watts!.slice(1);
    expect(Math.abs((s.avg_w as number) - watts.reduce((a, b) => a + b, 0) / watts.length)).toBeLessThan(1.5);
    expect(Math.abs((s.avg_w as number) - (ride.json.icu_average_watts as number))).toBeLessThanOrEqual(3);
    expect(s.np_w as number).toBeGreaterThanOrEqual(s.avg_w as number);
    expect(s.ef).toBeCloseTo((s.np_w as number) / (s.avg_hr as number), 1);
    expect(typeof s.decoupling_pct).toBe('number');
    expect(s.thresholds).toMatch(/FTP 265 W.*HR zones ≤130\/147/);
  });

  it('an indoor ride uses its own (indoor) FTP; the default answer stays within the row budget', async () => {
    const vr = activity((a) => a.json.type === 'VirtualRide');
    const r = await call<Streams>(stack.client, 'get_streams', { activity_id: vr.id });
    expect(r.points).toBeLessThanOrEqual(120);
    expect(r.summary.thresholds).toMatch(new RegExp(`FTP ${vr.json.icu_ftp} W`));
    expect(zoneSum(r.summary.power_zones_s)).toBe(vr.json.moving_time);
  });

  it("an activity without stored zones falls back to the athlete's settings (indoor FTP for a virtual ride)", async () => {
    const vr = activity((a) => a.json.type === 'VirtualRide');
    const keys = ['icu_ftp', 'icu_power_zones', 'icu_hr_zones'] as const;
    const saved = keys.map((k) => vr.json[k]);
    for (const k of keys) vr.json[k] = null;
    try {
      const r = await call<Streams>(stack.client, 'get_streams', { activity_id: vr.id, points: 10 });
      const ride = athlete.sportSettings.find((s) => (s.types as string[]).includes('Ride'))!;
      expect(r.summary.thresholds).toContain(`FTP ${ride.indoor_ftp} W`);
      expect(r.summary.thresholds).toMatch(/from athlete's Ride settings\)$/);
      expect(zoneSum(r.summary.power_zones_s)).toBe(vr.json.moving_time);
    } finally {
      keys.forEach((k, i) => {
        vr.json[k] = saved[i];
      });
    }
  });

  it('a run: pace column, pace zones, speed-based EF; missing streams are named', async () => {
    const run = activity((a) => a.json.type === 'Run');
    const r = await call<Streams>(stack.client, 'get_streams', {
      activity_id: run.id,
      types: ['watts', 'heartrate', 'velocity_smooth'],
      points: 30,
    });
    expect(r.series.columns).toEqual(['time_s', 'heartrate', 'pace_s_km']);
    expect(r.note).toMatch(/Not recorded: watts/);
    expect(r.summary.avg_pace).toMatch(/^\d:\d\d\/km$/);
    expect(zoneSum(r.summary.pace_zones_s)).toBe(run.json.moving_time);
    expect(r.summary.np_w).toBeUndefined();
    expect(r.summary.thresholds).toMatch(/threshold pace 4:30\/km/);
  });

  it('a Strava stub is a tool error that explains Strava', async () => {
    const text = await callError(stack.client, 'get_streams', { activity_id: SAMPLE_STRAVA_STUB_ID });
    expect(text).toMatch(/came from Strava/);
    expect(text).toMatch(/not available through the Intervals\.icu API/);
  });

  it('bad input is refused before any upstream call', async () => {
    const ride = activity((a) => a.json.type === 'Ride');
    for (const args of [
      { activity_id: ride.id, points: 0 },
      { activity_id: ride.id, points: 1001 },
      { activity_id: ride.id, points: 2.5 },
      { activity_id: 'yesterday' },
      { activity_id: '../athlete/0' },
    ]) {
      let text = '';
      expect(await upstreamDuring(stack, async () => (text = await callError(stack.client, 'get_streams', args)))).toBe(0);
      expect(text.length).toBeGreaterThan(0);
    }
  });
});

describe('get_curves', () => {
  it('power, last 42 days vs the 42 before, equal to the fake', async () => {
    const r = await call<Curves>(stack.client, 'get_curves', {});
    expect(r.a).toBe('2026-10-14..2026-11-24');
    expect(r.b).toBe('2026-09-02..2026-10-13');
    expect(r.sport).toBe('Ride');
    expect(r.unit).toBe('W');
    expect(r.curve.columns).toEqual(['dur', 'a', 'b', 'delta', 'delta_pct', 'a_id']);
    expect(col(r.curve, 'dur')).toEqual(['5s', '15s', '30s', '1m', '5m', '10m', '20m', '1h']);

    const fake = athleteCurves(athlete, 'power', 'Ride', ['r.2026-10-14.2026-11-24', 'r.2026-09-02.2026-10-13'], null);
    if (!fake.ok) throw new Error('fake curves failed');
    const [ca, cb] = (fake.body as { list: { secs: number[]; values: number[]; activity_id: string[] }[] }).list;
    const at = (c: typeof ca, s: number) => c!.values[c!.secs.indexOf(s)] ?? null;
    [5, 15, 30, 60, 300, 600, 1200, 3600].forEach((secs, i) => {
      const row = r.curve.rows[i]!;
      const a = at(ca, secs);
      const b = at(cb, secs);
      expect(row[1]).toBe(a);
      expect(row[2]).toBe(b);
      if (a !== null && b !== null) {
        expect(row[3]).toBe(a - b);
        expect(row[4]).toBe(Math.round(((a - b) / b) * 1000) / 10);
      }
      expect(row[5]).toBe(a === null ? null : ca!.activity_id[ca!.secs.indexOf(secs)]);
    });
    // The activity of a's best is one of a's rides.
    const ids = new Set(athlete.activities.filter((x) => x.date >= '2026-10-14').map((x) => x.id));
    for (const id of col(r.curve, 'a_id')) if (id !== null) expect(ids.has(id as string)).toBe(true);
  });

  it('one upstream call with both periods as r.<oldest>.<newest> specs; explicit b and durations', async () => {
    const before = stack.fake.requests.length;
    const r = await call<Curves>(stack.client, 'get_curves', {
      kind: 'hr',
      oldest: '2026-11-01',
      newest: '2026-11-24',
      compare_oldest: '2025-11-01',
      durations: [60, 1200, 45],
    });
    const curveCalls = stack.fake.requests.slice(before).filter((q) => q.path.endsWith('-curves'));
    expect(curveCalls).toHaveLength(1);
    expect(curveCalls[0]!.path).toBe('/api/v1/athlete/0/hr-curves');
    expect(curveCalls[0]!.query).toMatchObject({ type: 'Ride', curves: 'r.2026-11-01.2026-11-24,r.2025-11-01.2025-11-24' });
    expect(r.b).toBe('2025-11-01..2025-11-24'); // same span as a
    expect(r.unit).toBe('bpm');
    expect(col(r.curve, 'dur')).toEqual(['45s', '1m', '20m']);
    expect(r.curve.rows[0]!.slice(1)).toEqual([null, null, null, null, null]); // not a point of the curve
  });

  it('pace: distances in metres, m:ss per km, delta in s/km', async () => {
    const r = await call<Curves>(stack.client, 'get_curves', { kind: 'pace' });
    expect(r.sport).toBe('Run');
    expect(r.curve.columns[0]).toBe('dist_m');
    expect(col(r.curve, 'dist_m')).toEqual([400, 1000, 5000, 10000]);
    const fake = athleteCurves(athlete, 'pace', 'Run', ['r.2026-10-14.2026-11-24', 'r.2026-09-02.2026-10-13'], null);
    if (!fake.ok) throw new Error('fake curves failed');
    const [ca, cb] = (fake.body as { list: { distance: number[]; values: number[] }[] }).list;
    const perKm = (c: typeof ca, d: number) => (c!.values[c!.distance.indexOf(d)]! / d) * 1000;
    const mss = (s: number) => `${Math.floor(Math.round(s) / 60)}:${String(Math.round(s) % 60).padStart(2, '0')}`;
    r.curve.rows.forEach((row) => {
      const d = row[0] as number;
      expect(row[1]).toBe(mss(perKm(ca, d)));
      expect(row[2]).toBe(mss(perKm(cb, d)));
      expect(row[3]).toBe(Math.round(perKm(ca, d) - perKm(cb, d)) || 0); // JSON has no -0
    });
  });

  it('bad ranges are refused before any upstream call', async () => {
    for (const args of [
      { oldest: '2026-11-24', newest: '2026-11-01' },
      { compare_oldest: '2025-12-01', compare_newest: '2025-11-01' },
      { oldest: '2026-02-30' },
      { kind: 'cadence' },
      { durations: [] },
      { durations: [-5] },
    ]) {
      let text = '';
      expect(await upstreamDuring(stack, async () => (text = await callError(stack.client, 'get_curves', args)))).toBe(0);
      expect(text.length).toBeGreaterThan(0);
    }
  });
});

describe('search_activities', () => {
  it('by name substring (case-insensitive), limited, with the more flag', async () => {
    const r = await call<{ activities: Table; more?: boolean }>(stack.client, 'search_activities', { query: 'long ride', limit: 3 });
    const expected = athlete.activities.filter((a) => !a.stub && String(a.json.name).toLowerCase().includes('long ride'));
    expect(expected.length).toBeGreaterThan(3);
    expect(col(r.activities, 'id')).toEqual(expected.slice(0, 3).map((a) => a.id));
    expect(r.more).toBe(true);
    expect(r.activities.columns).toEqual(['id', 'start', 'sport', 'name', 'moving', 'km', 'tags']);
    const first = expected[0]!.json;
    const row = r.activities.rows[0]!;
    expect(row[1]).toBe((first.start_date_local as string).slice(0, 16).replace('T', ' '));
    expect(row[4]).toMatch(/^\d+:\d\d:\d\d$/);
    expect(row[5]).toBe(Math.round((first.distance as number) / 10) / 100);
  });

  it('by exact #tag', async () => {
    const r = await call<{ activities: Table; more?: boolean }>(stack.client, 'search_activities', { query: '#race', limit: 100 });
    const expected = athlete.activities.filter((a) => !a.stub && (a.json.tags as string[] | null)?.includes('race'));
    expect(expected.length).toBeGreaterThan(0);
    expect(col(r.activities, 'id')).toEqual(expected.map((a) => a.id));
    for (const t of col(r.activities, 'tags')) expect(String(t).split(', ')).toContain('race');
    expect(r.more).toBeUndefined();
  });

  it('no match is an empty table; bad input is refused before any upstream call', async () => {
    const r = await call<{ activities: Table }>(stack.client, 'search_activities', { query: 'no such activity name' });
    expect(r.activities.rows).toEqual([]);
    for (const args of [{ query: '' }, { query: '   ' }, { query: '#' }, { query: 'ride', limit: 0 }, { query: 'ride', limit: 101 }]) {
      expect(await upstreamDuring(stack, () => callError(stack.client, 'search_activities', args))).toBe(0);
    }
  });
});

describe('token budgets (cl100k)', () => {
  const enc = getEncoding('cl100k_base');
  const tokens = (v: unknown) => enc.encode(JSON.stringify(v)).length;
  it('default answers: get_streams ≤ 2000 (every ride and run), get_curves ≤ 600, search_activities (20 rows) ≤ 900', async () => {
    const sample = ['Ride', 'VirtualRide', 'GravelRide', 'Run', 'Swim'].map((type) => activity((a) => a.json.type === type));
    // The longest activities are the ones with the most 4-digit time cells.
    const longest = [...athlete.activities]
      .filter((a) => !a.stub && a.sim)
      .sort((x, y) => (y.json.elapsed_time as number) - (x.json.elapsed_time as number));
    for (const a of [...sample, ...longest.slice(0, 2)]) {
      const r = await stack.client.callTool({ name: 'get_streams', arguments: { activity_id: a.id } });
      expect(tokens(r.structuredContent), a.id).toBeLessThanOrEqual(2000);
    }
    for (const kind of ['power', 'hr', 'pace']) {
      const r = await stack.client.callTool({ name: 'get_curves', arguments: { kind } });
      expect(tokens(r.structuredContent), kind).toBeLessThanOrEqual(600);
    }
    for (const query of ['ride', '#long']) {
      const r = await stack.client.callTool({ name: 'search_activities', arguments: { query } });
      expect((r.structuredContent as { activities: Table }).activities.rows).toHaveLength(20);
      expect(tokens(r.structuredContent), query).toBeLessThanOrEqual(900);
    }
  });
});
