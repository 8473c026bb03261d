/**
 * Training analysis, athlete settings, wellness writes and coach mode end to end: the SDK client →
 * the real server → the fake Intervals.icu. Numbers are recomputed from the fake's own state, and
 * writes are checked by what reached the fake (or did not).
 */
import { getEncoding } from 'js-tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, weekStart } from '../../src/domain/dates.js';
import { type ActivityRecord, type AthleteState, type Json, SAMPLE_ATHLETE_ID } from '../fake-intervals/index.js';
import { call, callError, col, rowsOf, type Stack, startStack, type Table, TODAY, useStack } from '../support/harness.js';

const enc = getEncoding('cl100k_base');

type Review = {
  range: string;
  weeks: Table;
  sports: Table;
  plan: Table;
  compliance: Record<string, number>;
  projection?: { start: Json; end: Json; today_planned_load?: number; planned: Table };
  model?: string;
  note?: string;
};

let stack: Stack;
let athlete: AthleteState;
useStack((s, a) => {
  stack = s;
  athlete = a;
});

/** Requests that reached the fake while fn ran. */
async function upstream<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; requests: { method: string; path: string; query: Record<string, string>; body: unknown }[] }> {
  const before = stack.fake.requests.length;
  const result = await fn();
  return { result, requests: stack.fake.requests.slice(before) };
}

// Independent of the implementation: the families the review groups by.
const family = (t: unknown) =>
  /ride/i.test(String(t)) ? 'Ride' : /run/i.test(String(t)) ? 'Run' : /swim/i.test(String(t)) ? 'Swim' : String(t);
const hm = (s: number) => `${Math.floor(Math.round(s / 60) / 60)}:${String(Math.round(s / 60) % 60).padStart(2, '0')}`;
const readable = (from: string, to: string) => athlete.activities.filter((a) => !a.stub && a.date >= from && a.date <= to);
const workouts = (from: string, to: string) =>
  athlete.events.filter(
    (e) =>
      e['category'] === 'WORKOUT' && String(e['start_date_local']).slice(0, 10) >= from && String(e['start_date_local']).slice(0, 10) <= to,
  );
const round1 = (x: number) => Math.round(x * 10) / 10;

describe('get_weekly_review', () => {
  let review: Review;
  let text: string;
  let requests: { method: string; path: string; query: Record<string, string> }[];

  beforeAll(async () => {
    const r = await upstream(() => stack.client.callTool({ name: 'get_weekly_review', arguments: {} }));
    expect(r.result.isError, JSON.stringify(r.result.content)).toBeFalsy();
    review = r.result.structuredContent as Review;
    text = (r.result.content as { text: string }[])[0]!.text;
    requests = r.requests;
  });

  it('covers the 4 ISO weeks ending with the current one, in 3 data reads', () => {
    expect(review.range).toBe('2026-11-02..2026-11-29');
    const data = requests.filter((q) => !/^\/api\/v1\/athlete\/[^/]+$/.test(q.path));
    expect(data.map((q) => q.path.split('/').at(-1)).sort()).toEqual(['activities', 'events', 'wellness']);
    expect(data.every((q) => q.method === 'GET')).toBe(true);
  });

  it('the default answer stays within 1,500 tokens', () => {
    expect(text).toBe(JSON.stringify(review));
    expect(enc.encode(text).length).toBeLessThanOrEqual(1500);
  });

  it('per week and sport: n, time, km and load equal sums over the fake activities', () => {
    const expected = new Map<string, { n: number; secs: number; m: number; load: number }>();
    for (const a of readable('2026-11-02', '2026-11-29')) {
      const key = `${weekStart(a.date)} ${family(a.json['type'])}`;
      const t = expected.get(key) ?? { n: 0, secs: 0, m: 0, load: 0 };
      t.n++;
      t.secs += Number(a.json['moving_time'] ?? 0);
      t.m += Number(a.json['distance'] ?? 0);
      t.load += Number(a.json['icu_training_load'] ?? 0);
      expected.set(key, t);
    }
    const got = rowsOf(review.sports);
    expect(got.map((r) => `${r.week} ${r.sport}`).sort()).toEqual([...expected.keys()].sort());
    for (const r of got) {
      const e = expected.get(`${r.week} ${r.sport}`)!;
      expect(r.n).toBe(e.n);
      expect(r.load).toBe(e.load);
      expect(r.time).toBe(hm(e.secs));
      expect(r.km ?? 0).toBeCloseTo(e.m / 1000, 1);
    }
    // The Strava stub has no readable data: counted nowhere, said so.
    expect(review.note).toMatch(/1 Strava-synced activity/);
  });

  it('weeks: totals and fitness at each week end (today for the current week) from the fake wellness', () => {
    const got = rowsOf(review.weeks);
    expect(got.map((r) => r.week)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(got.map((r) => r.at)).toEqual(['2026-11-08', '2026-11-15', '2026-11-22', TODAY]);
    for (const r of got) {
      const w = athlete.wellness.get(String(r.at))!;
      const ctl = w['ctl'] as number;
      const atl = w['atl'] as number;
      expect(r.ctl).toBe(round1(ctl));
      expect(r.atl).toBe(round1(atl));
      expect(r.form).toBe(round1(ctl - atl));
      const load = readable(String(r.week), addDays(String(r.week), 6)).reduce((s, a) => s + Number(a.json['icu_training_load']), 0);
      expect(r.load).toBe(load);
    }
  });

  it('planned vs done: one row per planned workout and per unplanned activity', () => {
    const rows = rowsOf(review.plan);
    const planned = workouts('2026-11-02', '2026-11-29');
    const acts = readable('2026-11-02', '2026-11-29');
    const paired = new Set<unknown>(acts.map((a) => a.json['paired_event_id']).filter((x) => x !== null));
    // The fake pairs every done planned workout, so unpaired activities are the extras.
    expect(rows.filter((r) => r.status !== 'extra')).toHaveLength(planned.length);
    expect(rows.filter((r) => r.status === 'extra')).toHaveLength(acts.filter((a) => a.json['paired_event_id'] === null).length);

    // The missed key session (no activity paired, before today) shows missed.
    const missed = planned.filter((e) => !paired.has(e['id']) && String(e['start_date_local']).slice(0, 10) < TODAY);
    expect(missed).toHaveLength(1);
    const m = rows.find((r) => r.date === String(missed[0]!['start_date_local']).slice(0, 10) && r.status !== 'extra')!;
    expect(m).toMatchObject({ status: 'missed', name: missed[0]!['name'], plan_load: missed[0]!['icu_training_load'] });
    expect(m.load).toBeNull();

    // A paired one is done, with the activity's load and time beside the plan's.
    const act = acts.find((a) => a.json['paired_event_id'] !== null)!;
    const ev = planned.find((e) => e['id'] === act.json['paired_event_id'])!;
    const row = rows.find((r) => r.date === act.date && r.name === ev['name'])!;
    expect(row).toMatchObject({
      sport: family(ev['type']),
      status: act.load < 0.7 * Number(ev['icu_training_load']) ? 'partial' : 'done',
      plan_load: ev['icu_training_load'],
      load: act.json['icu_training_load'],
      plan_time: hm(Number(ev['moving_time'])),
      time: hm(Number(act.json['moving_time'])),
    });

    // Today and the rest of the week are upcoming; rest days have no row.
    expect(rows.filter((r) => String(r.date) >= TODAY).every((r) => r.status === 'upcoming')).toBe(true);
    expect(col(review.plan, 'date')).not.toContain('2026-11-23');
  });

  it('compliance summary agrees with the rows', () => {
    const rows = rowsOf(review.plan);
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    const c = review.compliance;
    expect(c).toMatchObject({
      done: count('done'),
      partial: count('partial'),
      missed: 1,
      upcoming: count('upcoming'),
      extra: count('extra'),
    });
    expect(c.due).toBe(c.done! + c.partial! + c.missed!);
    expect(c.done_pct).toBe(Math.round(((c.done! + c.partial!) / c.due!) * 100));
    const due = rows.filter((r) => ['done', 'partial', 'missed'].includes(String(r.status)));
    expect(c.planned_load).toBe(due.reduce((s, r) => s + Number(r.plan_load), 0));
    expect(c.done_load).toBe(due.reduce((s, r) => s + Number(r.load ?? 0), 0));
  });

  it('projection to the A race equals a hand-run of the recurrence from today', async () => {
    const race = athlete.events.find((e) => e['category'] === 'RACE_A')!;
    const raceDay = String(race['start_date_local']).slice(0, 10);
    const r = await call<Review>(stack.client, 'get_weekly_review', { weeks: 1, project_to: raceDay });

    const counts = (e: Json) =>
      (e['category'] === 'WORKOUT' || String(e['category']).startsWith('RACE_')) &&
      e['not_on_fitness_chart'] !== true &&
      Number(e['icu_training_load'] ?? 0) > 0;
    const loadOn = (d: string) =>
      athlete.events
        .filter((e) => counts(e) && String(e['start_date_local']).slice(0, 10) === d)
        .reduce((s, e) => s + Number(e['icu_training_load']), 0);
    const w = athlete.wellness.get(TODAY)!;
    const doneToday = new Set(athlete.activities.filter((a: ActivityRecord) => a.date === TODAY).map((a) => a.json['paired_event_id']));
    const pending = athlete.events
      .filter((e) => counts(e) && String(e['start_date_local']).slice(0, 10) === TODAY && !doneToday.has(e['id']))
      .reduce((s, e) => s + Number(e['icu_training_load']), 0);
    const kc = 1 - Math.exp(-1 / 42);
    const ka = 1 - Math.exp(-1 / 7);
    let ctl = (w['ctl'] as number) + pending * kc;
    let atl = (w['atl'] as number) + pending * ka;
    const atWorkouts: unknown[][] = [];
    for (let d = addDays(TODAY, 1); d <= raceDay; d = addDays(d, 1)) {
      const load = loadOn(d);
      ctl = ctl * Math.exp(-1 / 42) + load * kc;
      atl = atl * Math.exp(-1 / 7) + load * ka;
      if (load > 0) atWorkouts.push([d, load, Math.round(ctl), Math.round(atl), Math.round(ctl - atl) || 0]); // JSON has no -0
    }
    expect(r.projection!.today_planned_load).toBe(pending);
    expect(r.projection!.start).toMatchObject({ date: TODAY, ctl: round1(w['ctl'] as number), atl: round1(w['atl'] as number) });
    expect(r.projection!.end).toMatchObject({ date: raceDay, ctl: round1(ctl), atl: round1(atl), form: round1(ctl - atl) });
    expect(r.projection!.end['zone']).toBe(
      ctl - atl > 25 ? 'transition' : ctl - atl > 5 ? 'fresh' : ctl - atl >= -10 ? 'grey zone' : ctl - atl >= -30 ? 'optimal' : 'high risk',
    );
    expect(r.projection!.planned).toEqual({ columns: ['date', 'load', 'ctl', 'atl', 'form'], rows: atWorkouts });
    expect(r.model).toMatch(/42- and 7-day exponentially weighted/);
  });

  it('refuses a projection date that is not in the future, without fetching data', async () => {
    const { result, requests: reqs } = await upstream(() => callError(stack.client, 'get_weekly_review', { project_to: '2026-11-20' }));
    expect(result).toMatch(/project_to must be after today/);
    expect(reqs.filter((q) => !/^\/api\/v1\/athlete\/[^/]+$/.test(q.path))).toEqual([]);
    expect(await callError(stack.client, 'get_weekly_review', { weeks: 13 })).toMatch(/1 to 12/);
  });
});

describe('list_library', () => {
  it('lists every folder workout, compact; filters by folder name', async () => {
    const all = await call<{ workouts: Table }>(stack.client, 'list_library');
    const expected = athlete.folders.flatMap((f) => (f['children'] as Json[]).map((w) => w['id']));
    expect(col(all.workouts, 'id')).toEqual(expected);
    expect(all.workouts.columns).toEqual(['folder', 'id', 'name', 'sport', 'dur', 'load', 'day']);
    const base = await call<{ workouts: Table }>(stack.client, 'list_library', { folder: 'BASE' });
    expect(col(base.workouts, 'folder').every((f) => f === 'Base block (plan)')).toBe(true);
    expect(col(base.workouts, 'day')).toEqual([0, 2]);
  });
});

describe('update_wellness', () => {
  const DAY = '2026-11-23';
  const puts = <R extends { method: string }>(reqs: R[]) => reqs.filter((q) => q.method !== 'GET');

  it('dry run: shows the body and the current row, writes nothing', async () => {
    const { result, requests } = await upstream(() =>
      call<{ dry_run: boolean; would_send: Json; before: Json }>(stack.client, 'update_wellness', {
        date: DAY,
        set: { weight: 70.1, sleep_hours: 7.25 },
        dry_run: true,
      }),
    );
    expect(puts(requests)).toEqual([]);
    expect(result.dry_run).toBe(true);
    expect(result.would_send).toEqual({ weight: 70.1, sleepSecs: 26100 });
    expect(result.before['date']).toBe(DAY);
    expect(athlete.wellness.get(DAY)!['weight']).not.toBe(70.1);
  });

  it('partial write: only the given fields change; read back with get_wellness', async () => {
    const before = { ...athlete.wellness.get(DAY)! };
    const { result, requests } = await upstream(() =>
      call<{ stored: Json; changed: Record<string, unknown[]> }>(stack.client, 'update_wellness', {
        date: DAY,
        set: { weight: 70.1, sleep_hours: 7.25, soreness: 3, comments: 'Legs heavy' },
      }),
    );
    expect(puts(requests)).toHaveLength(1);
    expect(puts(requests)[0]).toMatchObject({
      method: 'PUT',
      path: `/api/v1/athlete/0/wellness/${DAY}`,
      body: { weight: 70.1, sleepSecs: 26100, soreness: 3, comments: 'Legs heavy' },
    });
    expect(result.stored).toMatchObject({ date: DAY, weight_kg: 70.1, sleep: '7:15', soreness: '3 high', comments: 'Legs heavy' });
    expect(result.changed['weight_kg']).toEqual([before['weight'], 70.1]);

    const after = athlete.wellness.get(DAY)!;
    for (const k of ['restingHR', 'hrv', 'mood', 'steps', 'ctl', 'atl']) expect(after[k], k).toEqual(before[k]);

    const read = await call<{ days: Table }>(stack.client, 'get_wellness', { oldest: DAY, newest: DAY });
    const row = rowsOf(read.days)[0]!;
    expect(row).toMatchObject({
      date: DAY,
      weight_kg: 70.1,
      sleep: '7:15',
      soreness: '3 high',
      rhr: before['restingHR'],
      comments: 'Legs heavy',
    });
    expect(row).toEqual({ ...Object.fromEntries(Object.entries(result.stored)), ...row });
  });

  it('null clears a field (-1 upstream)', async () => {
    expect(athlete.wellness.get(DAY)!['hrv']).not.toBeNull();
    const { requests } = await upstream(() => call(stack.client, 'update_wellness', { date: DAY, set: { hrv: null, comments: null } }));
    expect(puts(requests)[0]!.body).toEqual({ hrv: -1, comments: '' });
    expect(athlete.wellness.get(DAY)!['hrv']).toBeNull();
    const read = await call<{ days: Table }>(stack.client, 'get_wellness', { oldest: DAY, newest: DAY });
    expect(read.days.columns).not.toContain('hrv');
    expect(read.days.columns).not.toContain('comments');
  });

  it('refuses out-of-range values, unknown and computed fields, a far future date: nothing written', async () => {
    const { result, requests } = await upstream(async () => [
      await callError(stack.client, 'update_wellness', { date: DAY, set: { soreness: 5 } }),
      await callError(stack.client, 'update_wellness', { date: DAY, set: { weight: 70, feel: 2 } }),
      await callError(stack.client, 'update_wellness', { date: DAY, set: { ctl: 80 } }),
      await callError(stack.client, 'update_wellness', { date: DAY, set: { wieght: 70 } }),
      await callError(stack.client, 'update_wellness', { date: DAY, weight: 70 } as Record<string, unknown>),
      await callError(stack.client, 'update_wellness', { date: DAY, set: {} }),
      await callError(stack.client, 'update_wellness', { date: addDays(TODAY, 2), set: { weight: 70 } }),
    ]);
    expect(puts(requests)).toEqual([]);
    const [range, feel, ctl, typo, flat, empty, future] = result;
    expect(range).toMatch(/soreness must be a whole number from 1 to 4/);
    expect(feel).toMatch(/feel: not writable.*belongs to an activity/);
    expect(ctl).toMatch(/ctl: not writable.*computed/);
    expect(typo).toMatch(/wieght: not a writable wellness field.*Writable: weight, /);
    expect(flat).toMatch(/unknown parameter weight \(parameters: date, set/);
    expect(empty).toMatch(/Nothing to change/);
    expect(future).toMatch(/in the future.*up to tomorrow/);
    expect(athlete.wellness.get(DAY)!['soreness']).toBe(3);
  });
});

describe('update_thresholds', () => {
  it('dry run, then a real write that get_athlete shows at once (profile cache invalidated)', async () => {
    const ride = () => athlete.sportSettings.find((s) => (s['types'] as string[]).includes('Ride'))!;
    const ftp0 = ride()['ftp'] as number;
    // Warm the profile cache.
    const a0 = await call<{ sports: Json[] }>(stack.client, 'get_athlete');
    expect(a0.sports.find((s) => (s['types'] as string[]).includes('Ride'))!['ftp_w']).toBe(ftp0);

    const dry = await upstream(() =>
      call<Json>(stack.client, 'update_thresholds', { sport: 'VirtualRide', ftp: ftp0 + 15, dry_run: true }),
    );
    expect(dry.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(dry.result).toMatchObject({ dry_run: true, settings_id: ride()['id'], would_send: { ftp: ftp0 + 15 }, recalc_hr_zones: true });
    expect(ride()['ftp']).toBe(ftp0);

    const real = await upstream(() =>
      call<{ before: Json; after: Json }>(stack.client, 'update_thresholds', {
        sport: 'Ride',
        ftp: ftp0 + 15,
        power_zones: [56, 76, 91, 106, 121, 151, 999],
      }),
    );
    const put = real.requests.filter((q) => q.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({
      path: `/api/v1/athlete/0/sport-settings/${ride()['id']}`,
      query: { recalcHrZones: 'true' },
      body: { ftp: ftp0 + 15, power_zones: [56, 76, 91, 106, 121, 151, 999] },
    });
    expect(real.result.before['ftp_w']).toBe(ftp0);
    expect(real.result.after).toMatchObject({ ftp_w: ftp0 + 15, power_zones_pct: [56, 76, 91, 106, 121, 151, 999] });

    const a1 = await call<{ sports: Json[] }>(stack.client, 'get_athlete');
    expect(a1.sports.find((s) => (s['types'] as string[]).includes('Ride'))!['ftp_w']).toBe(ftp0 + 15);
  });

  it('threshold pace as min:ss per km or per 100 m → m/s; hr_zones keep recalcHrZones off', async () => {
    const run = await upstream(() =>
      call<{ after: Json }>(stack.client, 'update_thresholds', {
        sport: 'Run',
        threshold_pace: '4:10/km',
        hr_zones: [135, 150, 160, 168, 175, 182, 190],
      }),
    );
    const put = run.requests.find((q) => q.method === 'PUT')!;
    expect(put.query).toEqual({ recalcHrZones: 'false' });
    expect(put.body).toMatchObject({ threshold_pace: Math.round((1000 / 250) * 10_000) / 10_000 });
    expect(run.result.after).toMatchObject({ threshold_pace: '4:10/km', hr_zones_bpm: [135, 150, 160, 168, 175, 182, 190] });
    const swim = await call<{ after: Json }>(stack.client, 'update_thresholds', { sport: 'swim', threshold_pace: '1:45' });
    expect(swim.after['threshold_pace']).toBe('1:45/100m');
  });

  it('refuses bad zones, bad values and unknown sports before writing', async () => {
    const { result, requests } = await upstream(async () => [
      await callError(stack.client, 'update_thresholds', { sport: 'Ride', power_zones: [55, 75, 70, 105] }),
      await callError(stack.client, 'update_thresholds', { sport: 'Ride', ftp: 5000 }),
      await callError(stack.client, 'update_thresholds', { sport: 'Rowing', ftp: 200 }),
      await callError(stack.client, 'update_thresholds', { sport: 'Run', threshold_pace: 'fast' }),
      await callError(stack.client, 'update_thresholds', { sport: 'Run', lthr: 200 }),
      await callError(stack.client, 'update_thresholds', { sport: 'Run' }),
    ]);
    expect(requests.filter((q) => q.method !== 'GET')).toEqual([]);
    const [zones, ftp, sport, pace, lthr, nothing] = result;
    expect(zones).toMatch(/power_zones must be increasing.*70 after 75/);
    expect(ftp).toMatch(/whole number from 30 to 2000/);
    expect(sport).toMatch(/No sport settings hold "Rowing".*Ride, VirtualRide/);
    expect(pace).toMatch(/not a pace like 4:30\/km/);
    expect(lthr).toMatch(/LTHR \(200\) must be below max HR/);
    expect(nothing).toMatch(/Nothing to change/);
  });
});

describe('catalogue', () => {
  it('registers the tools with truthful annotations; list_athletes only in coach mode', async () => {
    const { tools } = await stack.client.listTools();
    const by = new Map(tools.map((t) => [t.name, t]));
    for (const n of ['get_weekly_review', 'list_library']) expect(by.get(n)?.annotations?.readOnlyHint, n).toBe(true);
    for (const n of ['update_wellness', 'update_thresholds']) {
      expect(by.get(n)?.annotations, n).toEqual({ readOnlyHint: false, idempotentHint: true });
    }
    expect(by.has('list_athletes')).toBe(false);
  });

  it('READ_ONLY=true drops the two write tools', async () => {
    const ro = await startStack({ env: { READ_ONLY: 'true' } });
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('get_weekly_review');
      expect(names).not.toContain('update_wellness');
      expect(names).not.toContain('update_thresholds');
    } finally {
      await ro.close();
    }
  });
});

describe('coach mode', () => {
  let coach: Stack;
  beforeAll(async () => {
    coach = await startStack({ env: { INTERVALS_ATHLETE_IDS: 'i222222' }, fake: { extraAthletes: ['i222222'] } });
  });
  afterAll(async () => {
    await coach.close();
  });

  it('list_athletes: one status line per configured athlete, fetched from each', async () => {
    const { tools } = await coach.client.listTools();
    const la = tools.find((t) => t.name === 'list_athletes')!;
    expect(la).toBeDefined();
    expect(enc.encode(JSON.stringify(la)).length).toBeLessThanOrEqual(120);

    const r = await call<{ athletes: Table }>(coach.client, 'list_athletes');
    const rows = rowsOf(r.athletes);
    expect(rows.map((x) => x.id)).toEqual(['0', 'i222222']);
    for (const [row, id] of [
      [rows[0]!, SAMPLE_ATHLETE_ID],
      [rows[1]!, 'i222222'],
    ] as const) {
      const ath = coach.fake.state.athletes.get(id)!;
      const w = ath.wellness.get(TODAY)!;
      expect(row.name).toBe(ath.athlete['name']);
      expect(row.ctl).toBe(round1(w['ctl'] as number));
      expect(row.form).toBe(round1((w['ctl'] as number) - (w['atl'] as number)));
      expect(typeof row.zone).toBe('string');
      const last = ath.activities.find((a) => !a.stub)!;
      expect(row.last).toBe(`${last.date} ${last.json['type']} ${last.json['name']}`);
    }
  });

  it('a failing athlete shows its error instead of failing the call', async () => {
    coach.fake.state.athletes.delete('i222222');
    try {
      const r = await call<{ athletes: Table }>(coach.client, 'list_athletes');
      const rows = rowsOf(r.athletes);
      expect(rows[0]!.name).toBe('Sam Sample');
      expect(rows[1]).toMatchObject({ id: 'i222222' });
      expect(String(rows[1]!.error)).toMatch(/403/);
    } finally {
      // Restore for the tests below.
      const { addCoachedAthlete } = await import('../fake-intervals/index.js');
      addCoachedAthlete(coach.fake.state, 'i222222', TODAY);
    }
  });

  it('athlete_id: an allowed athlete works, another is refused with no upstream call', async () => {
    const ok = await upstream2(coach, () =>
      call<{ activities: Table }>(coach.client, 'list_activities', { athlete_id: 'i222222', limit: 3 }),
    );
    expect(ok.requests.some((q) => q.path === '/api/v1/athlete/i222222/activities')).toBe(true);
    expect(ok.result.activities.rows.length).toBe(3);

    const review = await call<Review>(coach.client, 'get_weekly_review', { athlete_id: 'i222222', weeks: 1 });
    expect(review.range).toBe('2026-11-23..2026-11-29');

    const bad = await upstream2(coach, () => callError(coach.client, 'list_activities', { athlete_id: 'i999999' }));
    expect(bad.requests).toEqual([]);
    expect(bad.result).toMatch(/athlete_id/);
    expect(bad.result).toMatch(/not one of the configured athletes \(0, i222222\)/);
  });
});

async function upstream2<T>(s: Stack, fn: () => Promise<T>): Promise<{ result: T; requests: { path: string }[] }> {
  const before = s.fake.requests.length;
  const result = await fn();
  return { result, requests: s.fake.requests.slice(before) };
}
