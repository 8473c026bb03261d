/**
 * The six read tools as pure handlers: a mocked IntervalsClient (no HTTP), a real context factory
 * with a fixed clock. Upstream data goes through the same zod schemas the client applies, so the
 * handlers see what they would see in production.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { IntervalsClient } from '../intervals/client.js';
import { InputError } from '../domain/errors.js';
import { ActivitySchema, AthleteSchema, EventSchema, WellnessSchema, type Athlete } from '../intervals/schemas.js';
import { STRAVA_NOTE } from './support/strava.js';
import { createContextFactory } from './support/context.js';
import { MODEL_NOTE } from '../domain/fitness.js';
import getActivity from './get-activity.js';
import getAthlete from './get-athlete.js';
import getFitness from './get-fitness.js';
import getWellness from './get-wellness.js';
import listActivities from './list-activities.js';
import listEvents from './list-events.js';
import type { Table } from './support/table.js';
import type { ToolContext, ToolDefinition } from './support/tool.js';

/** 20:00 on 2026-04-06 in Los Angeles (PDT, UTC-7): already the 7th in UTC. */
const NOW = new Date('2026-04-07T03:00:00Z');
const TODAY = '2026-04-06';
const ATHLETE_ID = 'i42';

const PROFILE = {
  id: ATHLETE_ID,
  name: 'Test Athlete',
  timezone: 'America/Los_Angeles',
  weight: 71,
  icu_weight: 70.26,
  icu_resting_hr: 48,
  sportSettings: [
    {
      id: 1,
      types: ['Ride', 'VirtualRide'],
      ftp: 250,
      indoor_ftp: 250,
      w_prime: 20000,
      lthr: 165,
      max_hr: 185,
      threshold_pace: null,
      power_zones: [55, 75, 90, 105, 120, 150, 999],
      hr_zones: [137, 153, 160, 169, 173, 178, 185],
      pace_zones: null,
    },
    {
      id: 2,
      types: ['Run', 'VirtualRun', 'TrailRun'],
      ftp: null,
      indoor_ftp: null,
      lthr: 170,
      max_hr: 190,
      threshold_pace: 3.7037,
      pace_zones: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999],
    },
    { id: 3, types: ['Swim', 'OpenWaterSwim'], threshold_pace: 1.25 },
    { id: 4, types: ['Rowing'], ftp: 200, indoor_ftp: 190, types_extra: 'ignored' },
  ],
};

function mockClient(profile: unknown = PROFILE) {
  return {
    getAthlete: vi.fn<IntervalsClient['getAthlete']>(async () => AthleteSchema.parse(profile)),
    listActivities: vi.fn<IntervalsClient['listActivities']>(async () => []),
    getActivity: vi.fn<IntervalsClient['getActivity']>(),
    listWellness: vi.fn<IntervalsClient['listWellness']>(async () => []),
    listEvents: vi.fn<IntervalsClient['listEvents']>(async () => []),
  };
}
type MockClient = ReturnType<typeof mockClient>;

let client: MockClient;
let signal: AbortSignal;
let ctx: ToolContext;

function makeContext(c: MockClient, sig?: AbortSignal): ToolContext {
  const factory = createContextFactory({ client: c as unknown as IntervalsClient, athleteIds: [ATHLETE_ID], now: () => NOW });
  return factory(undefined, sig);
}

beforeEach(() => {
  client = mockClient();
  signal = new AbortController().signal;
  ctx = makeContext(client, signal);
});

/**
 * Parse the arguments as the server does (defaults applied), run the handler, and check that the
 * result matches the declared output schema exactly and is plain JSON (structuredContent).
 */
async function run<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
  args: z.input<I>,
  c: ToolContext = ctx,
): Promise<z.infer<O>> {
  const result = await tool.handler(tool.input.parse(args), c);
  expect(tool.output.parse(result)).toStrictEqual(result);
  expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  return result;
}

/** Table rows as objects keyed by column, to assert on cells by name. */
function rowsOf(t: Table): Record<string, unknown>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

const activities = (raw: unknown[]) => z.array(ActivitySchema).parse(raw);
const wellness = (raw: unknown[]) => z.array(WellnessSchema).parse(raw);
const events = (raw: unknown[]) => z.array(EventSchema).parse(raw);

// ------------------------------------------------------------------------------------------ data

const RUN = {
  id: 'i1003',
  start_date_local: '2026-04-05T07:12:00',
  type: 'Run',
  name: 'Easy run',
  source: 'GARMIN_CONNECT',
  moving_time: 3000,
  elapsed_time: 3100,
  distance: 10000,
  total_elevation_gain: 55.4,
  average_speed: 3.3333,
  icu_training_load: 45,
  icu_intensity: 78.4,
  icu_average_watts: null,
  icu_weighted_avg_watts: null,
  average_heartrate: 142,
  max_heartrate: 171,
  average_cadence: 171.6,
  calories: 650,
  icu_ftp: null,
  icu_efficiency_factor: 1.2345,
  decoupling: 3.14,
  icu_variability_index: null,
  icu_rpe: null,
  feel: 2,
  trainer: false,
  icu_ctl: 51.26,
  icu_atl: 44.04,
  icu_zone_times: null,
  icu_hr_zone_times: [600, 1800, 600, 0, 0],
  paired_event_id: 77,
  tags: ['easy', 'zone 2'],
  description: '  Legs felt fresh.  ',
};
const STUB = {
  id: 123456789,
  start_date_local: '2026-04-04T08:00:00',
  source: 'STRAVA',
  _note: 'STRAVA activities are not available via the API',
};
const SWIM = {
  id: 'i1001',
  start_date_local: '2026-04-03T06:30:00',
  type: 'Swim',
  name: 'Pool',
  source: 'GARMIN_CONNECT',
  moving_time: 1800,
  distance: 2000,
  average_speed: 1.1111,
  icu_training_load: 30,
  average_heartrate: 130,
};
const RIDE = {
  id: 'i1000',
  start_date_local: '2026-04-02T18:00:00',
  type: 'VirtualRide',
  name: 'Zwift',
  source: 'ZWIFT',
  moving_time: 3600,
  elapsed_time: 3600,
  distance: 30000,
  total_elevation_gain: 0,
  average_speed: 8.33,
  icu_training_load: 70,
  icu_intensity: 86,
  icu_average_watts: 200,
  icu_weighted_avg_watts: 215,
  icu_ftp: 250,
  average_heartrate: 150,
  trainer: true,
  icu_variability_index: 1.0749,
  icu_zone_times: [
    { id: 'Z1', secs: 600.4 },
    { id: 'Z2', secs: 1200 },
    { id: 'SS', secs: 0 },
  ],
};

// ------------------------------------------------------------------------------------------ get_athlete

describe('get_athlete', () => {
  it('returns the profile in the athlete zone, with per-sport thresholds and nulls left out', async () => {
    const r = await run(getAthlete, {});
    expect(client.getAthlete).toHaveBeenCalledTimes(1);
    expect(client.getAthlete.mock.calls[0]![0]).toBe(ATHLETE_ID);
    expect(r).toStrictEqual({
      id: ATHLETE_ID,
      name: 'Test Athlete',
      timezone: 'America/Los_Angeles',
      today: TODAY,
      weight_kg: 70.3,
      resting_hr: 48,
      sports: [
        {
          types: ['Ride', 'VirtualRide'],
          ftp_w: 250,
          w_prime_j: 20000,
          lthr_bpm: 165,
          max_hr_bpm: 185,
          power_zones_pct: [55, 75, 90, 105, 120, 150, 999],
          hr_zones_bpm: [137, 153, 160, 169, 173, 178, 185],
          settings_id: 1,
        },
        {
          types: ['Run', 'VirtualRun', 'TrailRun'],
          lthr_bpm: 170,
          max_hr_bpm: 190,
          threshold_pace: '4:30/km',
          pace_zones_pct: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999],
          settings_id: 2,
        },
        { types: ['Swim', 'OpenWaterSwim'], threshold_pace: '1:20/100m', settings_id: 3 },
        { types: ['Rowing'], ftp_w: 200, indoor_ftp_w: 190, settings_id: 4 },
      ],
    });
  });

  it('omits indoor FTP when it equals FTP and keeps it when it differs', async () => {
    const r = await run(getAthlete, {});
    expect(r.sports[0]).not.toHaveProperty('indoor_ftp_w');
    expect(r.sports[3]).toMatchObject({ ftp_w: 200, indoor_ftp_w: 190 });
  });

  it('falls back to weight, UTC and no name when the profile lacks them', async () => {
    const c = mockClient({ id: 'i7', name: null, timezone: null, weight: 80.04, icu_weight: null, icu_resting_hr: null, sportSettings: null });
    const r = await run(getAthlete, {}, makeContext(c));
    // In UTC it is already the 7th.
    expect(r).toStrictEqual({ id: 'i7', timezone: 'UTC', today: '2026-04-07', weight_kg: 80, sports: [] });
  });

  it('fetches the profile once per context factory (cached)', async () => {
    await run(getAthlete, {});
    await run(getAthlete, {});
    expect(client.getAthlete).toHaveBeenCalledTimes(1);
  });

  it('takes no arguments', () => {
    expect(getAthlete.input.safeParse({}).success).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------ list_activities

describe('list_activities', () => {
  it('asks for the last 90 days to the end of today and limit + 1 rows', async () => {
    await run(listActivities, {});
    expect(client.listActivities).toHaveBeenCalledTimes(1);
    expect(client.listActivities).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2026-01-07', newest: '2026-04-06T23:59:59', limit: 21 },
      signal,
    );
  });

  it('passes an explicit range and limit', async () => {
    const r = await run(listActivities, { oldest: '2026-03-01', newest: '2026-03-31', limit: 5 });
    expect(client.listActivities).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-01', newest: '2026-03-31T23:59:59', limit: 6 }, signal);
    expect(r.range).toBe('2026-03-01..2026-03-31');
  });

  it('returns a compact table: units in the names, run pace per km, swim pace per 100 m, empty columns dropped', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, SWIM, RIDE]));
    const r = await run(listActivities, {});
    expect(r.range).toBe('2026-01-07..2026-04-06');
    expect(r).not.toHaveProperty('next');
    expect(r).not.toHaveProperty('note');
    expect(r.activities.columns).toEqual(['id', 'start', 'sport', 'name', 'moving', 'km', 'elev_m', 'load', 'if_pct', 'avg_w', 'np_w', 'avg_hr', 'pace']);
    expect(rowsOf(r.activities)).toStrictEqual([
      {
        id: 'i1003',
        start: '2026-04-05 07:12',
        sport: 'Run',
        name: 'Easy run',
        moving: '50:00',
        km: 10,
        elev_m: 55,
        load: 45,
        if_pct: 78,
        avg_w: null,
        np_w: null,
        avg_hr: 142,
        pace: '5:00/km',
      },
      {
        id: 'i1001',
        start: '2026-04-03 06:30',
        sport: 'Swim',
        name: 'Pool',
        moving: '30:00',
        km: 2,
        elev_m: null,
        load: 30,
        if_pct: null,
        avg_w: null,
        np_w: null,
        avg_hr: 130,
        pace: '1:30/100m',
      },
      {
        id: 'i1000',
        start: '2026-04-02 18:00',
        sport: 'VirtualRide',
        name: 'Zwift',
        moving: '1:00:00',
        km: 30,
        elev_m: 0,
        load: 70,
        if_pct: 86,
        avg_w: 200,
        np_w: 215,
        avg_hr: 150,
        pace: null,
      },
    ]);
  });

  it('flags Strava stubs and adds the note', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, STUB]));
    const r = await run(listActivities, {});
    expect(r.note).toBe(STRAVA_NOTE);
    const rows = rowsOf(r.activities);
    expect(rows[1]).toStrictEqual({
      id: '123456789',
      start: '2026-04-04 08:00',
      sport: null,
      name: null,
      moving: null,
      km: null,
      elev_m: null,
      load: null,
      if_pct: null,
      avg_hr: null,
      pace: null,
      strava: true,
    });
    expect(rows[0]!.strava).toBeNull();
  });

  it('returns a next cursor when upstream has more than the limit, and shows only limit rows', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, SWIM, RIDE]));
    const r = await run(listActivities, { limit: 2 });
    expect(client.listActivities.mock.calls[0]![1]).toEqual({ oldest: '2026-01-07', newest: '2026-04-06T23:59:59', limit: 3 });
    expect(typeof r.next).toBe('string');
    expect(r.activities.rows.map((row) => row[0])).toEqual(['i1003', 'i1001']);
  });

  it('returns no cursor when exactly limit rows come back', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, SWIM]));
    const r = await run(listActivities, { limit: 2 });
    expect(r).not.toHaveProperty('next');
    expect(r.activities.rows).toHaveLength(2);
  });

  it('a Strava stub cut off by the limit does not add the note', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, SWIM, STUB]));
    const r = await run(listActivities, { limit: 2 });
    expect(typeof r.next).toBe('string');
    expect(r).not.toHaveProperty('note');
    expect(r.activities.columns).not.toContain('strava');
  });

  it('with a sport filter fetches the whole range (no upstream limit) and filters locally', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, STUB, SWIM, RIDE, { ...RIDE, id: 'i999', type: 'Ride' }]));
    const r = await run(listActivities, { sport: 'ride', limit: 1 });
    const params = client.listActivities.mock.calls[0]![1];
    expect(params).toStrictEqual({ oldest: '2026-01-07', newest: '2026-04-06T23:59:59' });
    expect(params).not.toHaveProperty('limit');
    expect(r.activities.rows.map((row) => row[0])).toEqual(['i1000']);
    expect(typeof r.next).toBe('string');
    expect(r).not.toHaveProperty('note'); // stubs have no type and never match a sport
  });

  it('a sport filter that matches nothing returns an empty table', async () => {
    client.listActivities.mockResolvedValue(activities([RUN, STUB]));
    const r = await run(listActivities, { sport: 'Swim' });
    expect(r.activities).toEqual({ columns: [], rows: [] });
    expect(r).not.toHaveProperty('next');
  });

  describe('input schema', () => {
    const ok = (v: unknown) => listActivities.input.safeParse(v).success;
    it('accepts the documented forms and applies limit 20', () => {
      expect(listActivities.input.parse({})).toEqual({ limit: 20 });
      expect(ok({ oldest: '2024-02-29', newest: '2026-04-06', limit: 100, sport: 'Run' })).toBe(true);
      expect(ok({ limit: 1 })).toBe(true);
    });
    it.each([
      [{ oldest: '2026-02-30' }],
      [{ newest: '2026-2-3' }],
      [{ oldest: '2026-02-03T00:00:00' }],
      [{ limit: 0 }],
      [{ limit: 101 }],
      [{ limit: 2.5 }],
      [{ limit: '5' }],
    ])('rejects %j', (v) => {
      expect(ok(v)).toBe(false);
    });
  });

  describe('range errors are InputErrors thrown before any activity is fetched', () => {
    it.each([
      [{ oldest: '2026-04-06', newest: '2026-04-01' }, /oldest \(2026-04-06\) is after newest \(2026-04-01\)/],
      [{ oldest: '2025-01-01', newest: '2026-04-06' }, /the maximum is 366/],
    ])('%j', async (args, message) => {
      const p = listActivities.handler(listActivities.input.parse(args), ctx);
      await expect(p).rejects.toBeInstanceOf(InputError);
      await expect(p).rejects.toThrow(message);
      expect(client.listActivities).not.toHaveBeenCalled();
    });
  });
});

// ------------------------------------------------------------------------------------------ get_activity

describe('get_activity', () => {
  it('fetches by id without intervals by default and returns the detail record, nulls omitted', async () => {
    client.getActivity.mockResolvedValue(activities([RUN])[0]!);
    const r = await run(getActivity, { activity_id: 'i1003' });
    expect(client.getActivity).toHaveBeenCalledWith('i1003', { intervals: false }, signal);
    expect(r).toStrictEqual({
      activity: {
        id: 'i1003',
        start: '2026-04-05 07:12',
        sport: 'Run',
        name: 'Easy run',
        moving: '50:00',
        km: 10,
        elev_m: 55,
        load: 45,
        if_pct: 78,
        avg_hr: 142,
        pace: '5:00/km',
        elapsed: '51:40',
        max_hr: 171,
        cadence: 172,
        kcal: 650,
        ef: 1.23,
        decoupling_pct: 3.1,
        feel: 2,
        ctl_after: 51.3,
        atl_after: 44,
        hr_zones_s: '600 1800 600 0 0',
        planned_event_id: 77,
        tags: 'easy, zone 2',
        description: 'Legs felt fresh.',
      },
    });
  });

  it('shows ride power, trainer flag, power zone seconds; no elapsed when equal to moving', async () => {
    client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    const r = await run(getActivity, { activity_id: 'i1000' });
    expect(r.activity).toMatchObject({ avg_w: 200, np_w: 215, ftp_w: 250, trainer: true, vi: 1.07, power_zones_s: 'Z1:600 Z2:1200 SS:0' });
    expect(r.activity).not.toHaveProperty('elapsed');
    expect(r.activity).not.toHaveProperty('pace');
    expect(r).not.toHaveProperty('intervals');
  });

  it('include_intervals adds the interval table (swim pace per 100 m)', async () => {
    const swim = {
      ...SWIM,
      icu_intervals: [
        { type: 'WORK', label: '4x100', start_time: 0, moving_time: 360, distance: 400, average_speed: 1.25, average_heartrate: 140.6, zone: 3 },
        { type: 'RECOVERY', start_time: 360, elapsed_time: 60, distance: 0, average_speed: null, average_heartrate: null },
      ],
    };
    client.getActivity.mockResolvedValue(activities([swim])[0]!);
    const r = await run(getActivity, { activity_id: 'i1001', include_intervals: true });
    expect(client.getActivity).toHaveBeenCalledWith('i1001', { intervals: true }, signal);
    expect(r.activity).toMatchObject({ pace: '1:30/100m' });
    expect(r.intervals).toStrictEqual({
      columns: ['type', 'label', 'start', 'dur', 'km', 'avg_hr', 'pace', 'zone'],
      rows: [
        ['WORK', '4x100', '0:00', '6:00', 0.4, 141, '1:20/100m', 3],
        ['RECOVERY', null, '6:00', '1:00', 0, null, null, null],
      ],
    });
  });

  it('interval pace is per km for runs and absent for rides', async () => {
    const intervals = [{ type: 'WORK', moving_time: 270, distance: 1000, average_speed: 3.7037, average_watts: 300 }];
    client.getActivity.mockResolvedValue(activities([{ ...RUN, icu_intervals: intervals }])[0]!);
    const run1 = await run(getActivity, { activity_id: 'i1003', include_intervals: true });
    expect(rowsOf(run1.intervals!)[0]).toMatchObject({ pace: '4:30/km', avg_w: 300 });

    client.getActivity.mockResolvedValue(activities([{ ...RIDE, icu_intervals: intervals }])[0]!);
    const ride = await run(getActivity, { activity_id: 'i1000', include_intervals: true });
    expect(ride.intervals!.columns).not.toContain('pace');
  });

  it('include_intervals on an activity without intervals gives an empty table', async () => {
    client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    const r = await run(getActivity, { activity_id: 'i1000', include_intervals: true });
    expect(r.intervals).toEqual({ columns: [], rows: [] });
  });

  it('a Strava stub returns only id and date, flagged, with the note (and no intervals)', async () => {
    client.getActivity.mockResolvedValue(activities([STUB])[0]!);
    const r = await run(getActivity, { activity_id: '123456789', include_intervals: true });
    expect(r).toStrictEqual({
      activity: { id: '123456789', start: '2026-04-04 08:00', strava: true },
      note: STRAVA_NOTE,
    });
  });

  it('trims the id', async () => {
    client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    await run(getActivity, { activity_id: '  i1000 ' });
    expect(client.getActivity.mock.calls[0]![0]).toBe('i1000');
  });

  describe('input schema', () => {
    const ok = (v: unknown) => getActivity.input.safeParse(v).success;
    it.each(['i12345678', '12345678', 'i1'])('accepts %s', (id) => expect(ok({ activity_id: id })).toBe(true));
    it.each(['abc', 'i12x', 'I123', 'i', '', '12-3', 'i1/../2', '../athlete/1', 12345])('rejects %j', (id) =>
      expect(ok({ activity_id: id })).toBe(false),
    );
    it('requires activity_id and defaults include_intervals to false', () => {
      expect(ok({})).toBe(false);
      expect(getActivity.input.parse({ activity_id: 'i1' })).toEqual({ activity_id: 'i1', include_intervals: false });
    });
  });
});

// ------------------------------------------------------------------------------------------ get_wellness

describe('get_wellness', () => {
  const DAYS = [
    { id: '2026-03-30', weight: 70, restingHR: 50 }, // before the range: upstream over-delivery is dropped
    {
      id: '2026-03-31',
      ctl: 50,
      atl: 45,
      weight: 70.44,
      restingHR: 48,
      hrv: 61.6,
      hrvSDNN: null,
      sleepSecs: 27000,
      sleepScore: 82.4,
      sleepQuality: 2,
      avgSleepingHR: 46.2,
      soreness: 1,
      fatigue: 3,
      stress: 4,
      mood: 2,
      motivation: 2,
      injury: 1,
      hydration: 5,
      systolic: 120,
      diastolic: 80,
      comments: '  felt ok ',
    },
    { id: '2026-04-01', ctl: 50.5, atl: 46, rampRate: 3, ctlLoad: 60, atlLoad: 60 }, // fitness only
    { id: '2026-04-02', mood: 0, restingHR: null, comments: '   ' },
  ];

  it('asks for the last 7 days by default', async () => {
    const r = await run(getWellness, {});
    expect(client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-31', newest: '2026-04-06' }, signal);
    expect(r).toStrictEqual({
      range: '2026-03-31..2026-04-06',
      days: { columns: [], rows: [] },
      missing: ['2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06'],
    });
  });

  it('labels the subjective scales, drops fitness-only days into missing, omits empty columns', async () => {
    client.listWellness.mockResolvedValue(wellness(DAYS));
    const r = await run(getWellness, {});
    expect(r.days.columns).toEqual([
      'date',
      'weight_kg',
      'rhr',
      'hrv',
      'sleep',
      'sleep_score',
      'sleep_hr',
      'sleep_q',
      'soreness',
      'fatigue',
      'stress',
      'mood',
      'motivation',
      'injury',
      'hydration',
      'bp',
      'comments',
    ]);
    expect(rowsOf(r.days)).toStrictEqual([
      {
        date: '2026-03-31',
        weight_kg: 70.4,
        rhr: 48,
        hrv: 62,
        sleep: '7:30',
        sleep_score: 82,
        sleep_hr: 46,
        sleep_q: '2 good',
        soreness: '1 low',
        fatigue: '3 high',
        stress: '4 extreme',
        mood: '2 good',
        motivation: '2 high',
        injury: '1 none',
        hydration: '5', // out of range: the number as text
        bp: '120/80',
        comments: 'felt ok',
      },
      {
        date: '2026-04-02',
        weight_kg: null,
        rhr: null,
        hrv: null,
        sleep: null,
        sleep_score: null,
        sleep_hr: null,
        sleep_q: null,
        soreness: null,
        fatigue: null,
        stress: null,
        mood: '0',
        motivation: null,
        injury: null,
        hydration: null,
        bp: null,
        comments: null,
      },
    ]);
    expect(r.missing).toEqual(['2026-04-01', '2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06']);
  });

  it('lists no missing days when every day has data', async () => {
    const all = ['2026-04-04', '2026-04-05', '2026-04-06'].map((id) => ({ id, restingHR: 47 }));
    client.listWellness.mockResolvedValue(wellness(all));
    const r = await run(getWellness, { oldest: '2026-04-04' });
    expect(client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-04-04', newest: '2026-04-06' }, signal);
    expect(r).not.toHaveProperty('missing');
    expect(r.days.rows).toHaveLength(3);
  });

  it('does not count future days as missing', async () => {
    const r = await run(getWellness, { oldest: '2026-04-05', newest: '2026-04-09' });
    expect(r.missing).toEqual(['2026-04-05', '2026-04-06']);
  });

  it('a range wholly in the future has nothing missing', async () => {
    const r = await run(getWellness, { oldest: '2026-04-07', newest: '2026-04-09' });
    expect(r).not.toHaveProperty('missing');
  });

  // Under an hour too: 2700 s (45 min) is "0:45", never a bare "45" that reads as 45 hours.
  it.each([
    [27000, '7:30'],
    [27059, '7:31'],
    [3600, '1:00'],
    [2700, '0:45'],
  ])('sleep %d s is h:mm (%s)', async (sleepSecs, expected) => {
    client.listWellness.mockResolvedValue(wellness([{ id: TODAY, sleepSecs }]));
    const r = await run(getWellness, { oldest: TODAY, newest: TODAY });
    expect(rowsOf(r.days)[0]!.sleep).toBe(expected);
  });

  it.each([
    ['sleepQuality', 1, '1 great'],
    ['sleepQuality', 4, '4 poor'],
    ['mood', 1, '1 great'],
    ['mood', 4, '4 grumpy'],
    ['motivation', 1, '1 extreme'],
    ['hydration', 3, '3 poor'],
    ['injury', 4, '4 injured'],
    ['fatigue', 7, '7'],
  ])('%s %d → %s', async (field, value, label) => {
    client.listWellness.mockResolvedValue(wellness([{ id: TODAY, [field]: value }]));
    const r = await run(getWellness, { oldest: TODAY, newest: TODAY });
    expect(r.days.rows[0]![1]).toBe(label);
  });

  it('input rejects bad dates; range errors are InputErrors before the fetch', async () => {
    expect(getWellness.input.safeParse({ oldest: '2026-02-30' }).success).toBe(false);
    expect(getWellness.input.safeParse({ newest: '2026-2-3' }).success).toBe(false);
    await expect(getWellness.handler({ oldest: '2026-04-06', newest: '2026-04-05' }, ctx)).rejects.toBeInstanceOf(InputError);
    await expect(getWellness.handler({ oldest: '2025-01-01', newest: '2026-04-06' }, ctx)).rejects.toThrow(/maximum is 366/);
    expect(client.listWellness).not.toHaveBeenCalled();
  });
});

// ------------------------------------------------------------------------------------------ get_fitness

describe('get_fitness', () => {
  const FIELDS = ['id', 'ctl', 'atl', 'rampRate', 'ctlLoad'];
  const PAST = [
    { id: '2026-03-09', ctl: 40, atl: 30 }, // today - 28
    { id: '2026-03-30', ctl: 48.04, atl: 50 }, // today - 7
    { id: '2026-04-01', ctl: 49.4, atl: 55.6, ctlLoad: 80, rampRate: 3.25 },
    // 2026-04-02: no record
    { id: '2026-04-03', ctl: 49, atl: 53, ctlLoad: 0, rampRate: null },
    { id: '2026-04-04', ctl: 50, atl: 52, ctlLoad: 60, rampRate: 4 },
    { id: '2026-04-05', ctl: 50.4, atl: 48.2, ctlLoad: 30 },
    { id: '2026-04-06', ctl: 51.26, atl: 44.04, ctlLoad: 0, rampRate: 4.44 },
  ];
  const FUTURE = [
    { id: '2026-04-07', ctl: 52, atl: 50, ctlLoad: 90 },
    { id: '2026-04-10', ctl: 53, atl: 40, ctlLoad: 0 },
    { id: '2026-04-16', ctl: 54.04, atl: 30.01, ctlLoad: 50 },
  ];

  it('by default asks for 90 days + 28 days of lead-in through today + 28, with only the fitness fields', async () => {
    const r = await run(getFitness, {});
    expect(client.listWellness).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2025-12-10', newest: '2026-05-04', fields: FIELDS },
      signal,
    );
    // No data at all: an all-null series over the default range, nothing current, no projection.
    expect(r).not.toHaveProperty('current');
    expect(r).not.toHaveProperty('change_7d');
    expect(r).not.toHaveProperty('projected_from');
    expect(r).not.toHaveProperty('projection_end');
    expect(r.model).toBe(MODEL_NOTE);
    expect(r.daily.from).toBe('2026-01-07');
    expect(r.daily.to).toBe(TODAY);
    expect(r.daily.ctl).toHaveLength(90);
    expect((r.daily.ctl as unknown[]).every((v) => v === null)).toBe(true);
  });

  it('current, 7- and 28-day changes, and a series with null gaps (no projection when newest = today)', async () => {
    client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await run(getFitness, { oldest: '2026-04-01', newest: TODAY });
    expect(client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-04', newest: TODAY, fields: FIELDS }, signal);
    expect(r).toStrictEqual({
      current: { date: TODAY, ctl: 51.3, atl: 44, form: 7.2, zone: 'fresh' },
      change_7d: { ctl: 3.2, atl: -6, form: 9.2 },
      change_28d: { ctl: 11.3, atl: 14, form: -2.8 },
      daily: {
        from: '2026-04-01',
        to: TODAY,
        ctl: [49, null, 49, 50, 50, 51],
        atl: [56, null, 53, 52, 48, 44],
        form: [-6, null, -4, -2, 2, 7],
        load: [80, null, 0, 60, 30, 0],
        ramp: [3.3, null, null, 4, null, 4.4],
      },
      model: MODEL_NOTE,
    });
  });

  it('omits a change when the day it compares with has no record', async () => {
    client.listWellness.mockResolvedValue(wellness(PAST.filter((w) => w.id !== '2026-03-09')));
    const r = await run(getFitness, { oldest: '2026-04-01', newest: TODAY });
    expect(r.change_7d).toEqual({ ctl: 3.2, atl: -6, form: 9.2 });
    expect(r).not.toHaveProperty('change_28d');
  });

  it('the default extends the series over the planned projection: projected_from = tomorrow, projection_end = last planned day', async () => {
    client.listWellness.mockResolvedValue(wellness([...PAST, ...FUTURE]));
    const r = await run(getFitness, {});
    expect(r.current).toEqual({ date: TODAY, ctl: 51.3, atl: 44, form: 7.2, zone: 'fresh' });
    expect(r.projected_from).toBe('2026-04-07');
    expect(r.projection_end).toEqual({ date: '2026-04-16', ctl: 54, atl: 30, form: 24, zone: 'fresh' });
    expect(r.daily.from).toBe('2026-01-07');
    expect(r.daily.to).toBe('2026-04-16');
    expect(r.daily.ctl).toHaveLength(100);
    expect((r.daily.ctl as unknown[]).slice(-10)).toEqual([52, null, null, 53, null, null, null, null, null, 54]);
    expect((r.daily.load as unknown[]).slice(-10)).toEqual([90, null, null, 0, null, null, null, null, null, 50]);
  });

  it('form zones follow Intervals.icu (transition above 25, high risk below -30)', async () => {
    client.listWellness.mockResolvedValue(wellness([{ id: TODAY, ctl: 60, atl: 30 }, { id: '2026-04-08', ctl: 50, atl: 85 }]));
    const r = await run(getFitness, {});
    expect(r.current).toMatchObject({ form: 30, zone: 'transition' });
    expect(r.projection_end).toMatchObject({ date: '2026-04-08', form: -35, zone: 'high risk' });
  });

  it('no projected_from when data stops at today', async () => {
    client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await run(getFitness, {});
    expect(r.daily.to).toBe(TODAY);
    expect(r).not.toHaveProperty('projected_from');
    expect(r).not.toHaveProperty('projection_end');
  });

  it('an explicit future newest is the projection end', async () => {
    client.listWellness.mockResolvedValue(wellness([...PAST, ...FUTURE.filter((w) => w.id <= '2026-04-10')]));
    const r = await run(getFitness, { newest: '2026-04-10' });
    expect(client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2025-12-14', newest: '2026-04-10', fields: FIELDS }, signal);
    expect(r.daily.from).toBe('2026-01-11');
    expect(r.daily.to).toBe('2026-04-10');
    expect(r.current).toMatchObject({ date: TODAY });
    expect(r.projected_from).toBe('2026-04-07');
    expect(r.projection_end).toEqual({ date: '2026-04-10', ctl: 53, atl: 40, form: 13, zone: 'fresh' });
  });

  it('a future newest without planned data still runs the series (nulls) past today but has no projection_end', async () => {
    client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await run(getFitness, { oldest: '2026-04-01', newest: '2026-04-08' });
    expect(r.daily.to).toBe('2026-04-08');
    expect(r.daily.ctl).toEqual([49, null, 49, 50, 50, 51, null, null]);
    expect(r.projected_from).toBe('2026-04-07');
    expect(r).not.toHaveProperty('projection_end');
  });

  it('a past newest: current and changes are as of newest, no projection', async () => {
    client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await run(getFitness, { oldest: '2026-04-01', newest: '2026-04-04' });
    expect(client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-04', newest: '2026-04-04', fields: FIELDS }, signal);
    expect(r.current).toEqual({ date: '2026-04-04', ctl: 50, atl: 52, form: -2, zone: 'grey zone' });
    expect(r).not.toHaveProperty('change_7d'); // 2026-03-28 has no record
    expect(r.daily.to).toBe('2026-04-04');
    expect(r.daily.ctl).toEqual([49, null, 49, 50]);
    expect(r).not.toHaveProperty('projected_from');
  });

  it('input rejects bad dates; range errors are InputErrors before the fetch', async () => {
    expect(getFitness.input.safeParse({ oldest: '2026-02-30' }).success).toBe(false);
    expect(getFitness.input.safeParse({ newest: '2026-2-3' }).success).toBe(false);
    await expect(getFitness.handler({ oldest: '2026-04-06', newest: '2026-04-01' }, ctx)).rejects.toBeInstanceOf(InputError);
    await expect(getFitness.handler({ oldest: '2025-01-01', newest: '2026-04-06' }, ctx)).rejects.toThrow(/maximum is 400/);
    expect(client.listWellness).not.toHaveBeenCalled();
  });

  // With only `oldest`, the range runs to today, so the 400-day cap applies to what would be
  // fetched (the series also runs on 28 days into the projection): six years are refused unfetched.
  it('an old `oldest` alone cannot bypass the 400-day limit', async () => {
    await expect(getFitness.handler({ oldest: '2020-01-01' }, ctx)).rejects.toThrow(InputError);
    await expect(getFitness.handler({ oldest: '2020-01-01' }, ctx)).rejects.toThrow(/2020-01-01\.\.2026-04-06 is \d+ days; the maximum is 400/);
    expect(client.listWellness).not.toHaveBeenCalled();
  });
});

// ------------------------------------------------------------------------------------------ list_events

describe('list_events', () => {
  const EVENTS = [
    {
      id: 12,
      category: 'WORKOUT',
      start_date_local: '2026-04-08T00:00:00',
      type: 'Ride',
      name: 'Sweet spot',
      moving_time: 3600,
      icu_training_load: 65,
      icu_intensity: 85.2,
      description: '- 3x10m 90%\n',
      workout_doc: { steps: [{}, {}, {}] },
    },
    {
      id: 10,
      category: 'NOTE',
      start_date_local: '2026-04-09T00:00:00',
      name: 'Travel',
      description: 'Away all day',
      workout_doc: null,
    },
    {
      id: 11,
      category: 'WORKOUT',
      start_date_local: '2026-04-08T00:00:00',
      type: 'Run',
      name: 'Tempo',
      description: '10 min tempo please',
      workout_doc: null,
      icu_training_load: null,
    },
    {
      id: 5,
      category: 'RACE_A',
      start_date_local: '2026-04-07T09:30:00',
      type: 'Run',
      name: 'Spring 10k',
      distance: 10000,
    },
    { id: 13, category: 'WORKOUT', start_date_local: '2026-04-08T00:00:00', type: 'Swim', name: 'Empty', description: '  ' },
  ];

  it('asks for today .. today + 6 in the athlete zone by default', async () => {
    const r = await run(listEvents, {});
    expect(client.listEvents).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-04-06', newest: '2026-04-12' }, signal);
    expect(r).toStrictEqual({ range: '2026-04-06..2026-04-12', events: { columns: [], rows: [] } });
  });

  it('passes categories through', async () => {
    await run(listEvents, { category: ['WORKOUT', 'NOTE'] });
    expect(client.listEvents).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2026-04-06', newest: '2026-04-12', category: ['WORKOUT', 'NOTE'] },
      signal,
    );
  });

  it('a past newest alone counts back a week', async () => {
    const r = await run(listEvents, { newest: '2026-03-01' });
    expect(client.listEvents).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-02-23', newest: '2026-03-01' }, signal);
    expect(r.range).toBe('2026-02-23..2026-03-01');
  });

  it('an oldest alone runs a week forward', async () => {
    await run(listEvents, { oldest: '2026-05-01' });
    expect(client.listEvents).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-05-01', newest: '2026-05-07' }, signal);
  });

  it('sorts by date then id, flags unparsed WORKOUT text, drops empty columns', async () => {
    client.listEvents.mockResolvedValue(events(EVENTS));
    const r = await run(listEvents, {});
    expect(r.events.columns).toEqual(['id', 'date', 'cat', 'sport', 'name', 'dur', 'km', 'load', 'if_pct', 'text', 'unparsed']);
    expect(rowsOf(r.events)).toStrictEqual([
      {
        id: 5,
        date: '2026-04-07 09:30',
        cat: 'RACE_A',
        sport: 'Run',
        name: 'Spring 10k',
        dur: null,
        km: 10,
        load: null,
        if_pct: null,
        text: null,
        unparsed: null,
      },
      {
        id: 11,
        date: '2026-04-08',
        cat: 'WORKOUT',
        sport: 'Run',
        name: 'Tempo',
        dur: null,
        km: null,
        load: null,
        if_pct: null,
        text: '10 min tempo please',
        unparsed: true,
      },
      {
        id: 12,
        date: '2026-04-08',
        cat: 'WORKOUT',
        sport: 'Ride',
        name: 'Sweet spot',
        dur: '1:00:00',
        km: null,
        load: 65,
        if_pct: 85,
        text: '- 3x10m 90%',
        unparsed: null,
      },
      {
        id: 13,
        date: '2026-04-08',
        cat: 'WORKOUT',
        sport: 'Swim',
        name: 'Empty',
        dur: null,
        km: null,
        load: null,
        if_pct: null,
        text: null,
        unparsed: null, // no text: nothing to parse
      },
      {
        id: 10,
        date: '2026-04-09',
        cat: 'NOTE',
        sport: null,
        name: 'Travel',
        dur: null,
        km: null,
        load: null,
        if_pct: null,
        text: 'Away all day',
        unparsed: null, // notes are never workouts
      },
    ]);
  });

  it('no unparsed column when every workout parsed', async () => {
    client.listEvents.mockResolvedValue(events(EVENTS.filter((e) => e.id !== 11)));
    const r = await run(listEvents, {});
    expect(r.events.columns).not.toContain('unparsed');
  });

  describe('input schema', () => {
    const ok = (v: unknown) => listEvents.input.safeParse(v).success;
    it('accepts every known category', () => {
      expect(ok({ category: ['WORKOUT', 'RACE_A', 'RACE_B', 'RACE_C', 'NOTE', 'HOLIDAY', 'SICK', 'INJURED'] })).toBe(true);
    });
    it.each([
      [{ category: ['FOO'] }],
      [{ category: ['workout'] }],
      [{ category: [] }],
      [{ category: 'WORKOUT' }],
      [{ oldest: '2026-02-30' }],
      [{ newest: '2026-2-3' }],
    ])('rejects %j', (v) => expect(ok(v)).toBe(false));
  });

  it('range errors are InputErrors before the fetch', async () => {
    await expect(listEvents.handler({ oldest: '2026-05-01', newest: '2026-04-01' }, ctx)).rejects.toBeInstanceOf(InputError);
    await expect(listEvents.handler({ oldest: '2026-01-01', newest: '2027-02-05' }, ctx)).rejects.toThrow(/maximum is 400/);
    expect(client.listEvents).not.toHaveBeenCalled();
  });
});

// ------------------------------------------------------------------------------------------ all tools

describe('every read tool', () => {
  const all = [getAthlete, listActivities, getActivity, getWellness, getFitness, listEvents];

  it('is a read with the READ annotations and a short snake_case name', () => {
    for (const t of all) {
      expect(t.name).toMatch(/^[a-z]+(_[a-z]+)+$/);
      expect(t.name.length).toBeLessThanOrEqual(24);
      expect(t.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
    }
  });

  it('athlete-scoped tools use ctx.athleteId (coach mode)', async () => {
    const factory = createContextFactory({ client: client as unknown as IntervalsClient, athleteIds: [ATHLETE_ID, 'i99'], now: () => NOW });
    const other = factory('i99');
    client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    await run(listActivities, {}, other);
    await run(getWellness, {}, other);
    await run(getFitness, {}, other);
    await run(listEvents, {}, other);
    const r = await run(getAthlete, {}, other);
    expect(client.getAthlete).toHaveBeenCalledWith('i99');
    expect(r.id).toBe(ATHLETE_ID); // the mock returns the same profile for everyone
    expect(client.listActivities.mock.calls[0]![0]).toBe('i99');
    expect(client.listWellness.mock.calls.map((c) => c[0])).toEqual(['i99', 'i99']);
    expect(client.listEvents.mock.calls[0]![0]).toBe('i99');
  });

  it('propagates client errors unchanged', async () => {
    const err = new Error('boom');
    client.listEvents.mockRejectedValue(err);
    await expect(listEvents.handler({}, ctx)).rejects.toBe(err);
  });

  it('a profile fetch failure is not cached', async () => {
    const c = mockClient();
    c.getAthlete.mockRejectedValueOnce(new Error('down'));
    const x = makeContext(c);
    await expect(getAthlete.handler({}, x)).rejects.toThrow('down');
    await expect(getAthlete.handler({}, x)).resolves.toMatchObject({ id: ATHLETE_ID });
    expect(c.getAthlete).toHaveBeenCalledTimes(2);
  });

  it('the sample profile parses', () => {
    const a: Athlete = AthleteSchema.parse(PROFILE);
    expect(a.sportSettings).toHaveLength(4);
  });
});

describe('list_events pagination', () => {
  it('pages a crowded range with a cursor: every event once, even when a page ends mid-day', async () => {
    // 70 events over 3 days (30, 25, 15), plus a multi-day note that started before the range.
    const days = ['2026-04-10', '2026-04-11', '2026-04-12'];
    const counts = [30, 25, 15];
    const all = days.flatMap((d, i) =>
      Array.from({ length: counts[i]! }, (_, k) => ({ id: 1000 * (i + 1) + k, category: 'NOTE', start_date_local: `${d}T00:00:00`, name: `n${k}` })),
    );
    const early = { id: 1, category: 'HOLIDAY', start_date_local: '2026-04-01T00:00:00', end_date_local: '2026-04-20T00:00:00', name: 'Holiday' };
    client.listEvents.mockImplementation(async (_athlete, q) =>
      events([early, ...all.filter((e) => e.start_date_local.slice(0, 10) >= q.oldest && e.start_date_local.slice(0, 10) <= q.newest)]),
    );
    const seen: unknown[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await run(listEvents, next ? { cursor: next } : { oldest: '2026-04-10', newest: '2026-04-12' });
      seen.push(...r.events.rows.map((row) => row[0]));
      next = r.next;
      pages++;
    } while (next && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual([1, ...all.map((e) => e.id)]);
  });

  it('refuses a cursor from another tool before any upstream call', async () => {
    const wellnessCursor = 'get_wellness:o=2026-04-01;n=2026-04-30';
    await expect(run(listEvents, { cursor: wellnessCursor })).rejects.toThrow(/cursor/);
    expect(client.listEvents).not.toHaveBeenCalled();
  });
});
