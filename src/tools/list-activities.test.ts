/** list_activities as a pure handler: a mocked IntervalsClient (no HTTP), a real context with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, activities, RIDE, RUN, rowsOf, STUB, SWIM, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import listActivities from './list-activities.js';
import { STRAVA_NOTE } from './support/strava.js';

const t = toolTest();

describe('list_activities', () => {
  it('asks for the last 90 days to the end of today and limit + 1 rows', async () => {
    await t.run(listActivities, {});
    expect(t.client.listActivities).toHaveBeenCalledTimes(1);
    expect(t.client.listActivities).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2026-01-07', newest: '2026-04-06T23:59:59', limit: 21 },
      t.signal,
    );
  });

  it('an explicit range fetches the whole range (for its totals) and shows limit rows', async () => {
    t.client.listActivities.mockResolvedValue(activities([RUN, SWIM, RIDE]));
    const r = await t.run(listActivities, { oldest: '2026-03-01', newest: '2026-03-31', limit: 2 });
    expect(t.client.listActivities).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-01', newest: '2026-03-31T23:59:59' }, t.signal);
    expect(r.range).toBe('2026-03-01..2026-03-31');
    expect(r.activities.rows).toHaveLength(2);
    expect(typeof r.next).toBe('string');
    // Totals cover all three activities, not just the page.
    expect(rowsOf(r.totals!).find((t) => t.sport === 'all')).toEqual({ sport: 'all', n: 3, time: '2:20', km: 42, load: 145 });
  });

  it('an explicit range without limit shows up to 50 rows; no range, 20', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      ...RUN,
      id: `i${2000 + i}`,
      start_date_local: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T0${i % 10}:00:00`,
    }));
    t.client.listActivities.mockResolvedValue(activities(many));
    expect((await t.run(listActivities, { oldest: '2026-03-01' })).activities.rows).toHaveLength(50);
    t.client.listActivities.mockResolvedValue(activities(many.slice(0, 21)));
    const recent = await t.run(listActivities, {});
    expect(recent.activities.rows).toHaveLength(20);
    expect(recent).not.toHaveProperty('totals');
  });

  it('returns a compact table: units in the names, run pace per km, swim pace per 100 m, empty columns dropped', async () => {
    t.client.listActivities.mockResolvedValue(activities([RUN, SWIM, RIDE]));
    const r = await t.run(listActivities, {});
    expect(r.range).toBe('2026-01-07..2026-04-06');
    expect(r).not.toHaveProperty('next');
    expect(r).not.toHaveProperty('note');
    expect(r.activities.columns).toEqual([
      'id',
      'start',
      'sport',
      'name',
      'moving',
      'km',
      'elev_m',
      'load',
      'if_pct',
      'avg_w',
      'np_w',
      'avg_hr',
      'pace',
    ]);
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
    t.client.listActivities.mockResolvedValue(activities([RUN, STUB]));
    const r = await t.run(listActivities, {});
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
    t.client.listActivities.mockResolvedValue(activities([RUN, SWIM, RIDE]));
    const r = await t.run(listActivities, { limit: 2 });
    expect(t.client.listActivities.mock.calls[0]![1]).toEqual({ oldest: '2026-01-07', newest: '2026-04-06T23:59:59', limit: 3 });
    expect(typeof r.next).toBe('string');
    expect(r.activities.rows.map((row) => row[0])).toEqual(['i1003', 'i1001']);
  });

  it('returns no cursor when exactly limit rows come back', async () => {
    t.client.listActivities.mockResolvedValue(activities([RUN, SWIM]));
    const r = await t.run(listActivities, { limit: 2 });
    expect(r).not.toHaveProperty('next');
    expect(r.activities.rows).toHaveLength(2);
  });

  it('a Strava stub cut off by the limit does not add the note', async () => {
    t.client.listActivities.mockResolvedValue(activities([RUN, SWIM, STUB]));
    const r = await t.run(listActivities, { limit: 2 });
    expect(typeof r.next).toBe('string');
    expect(r).not.toHaveProperty('note');
    expect(r.activities.columns).not.toContain('strava');
  });

  it('with a sport filter fetches the whole range (no upstream limit) and filters locally', async () => {
    t.client.listActivities.mockResolvedValue(activities([RUN, STUB, SWIM, RIDE, { ...RIDE, id: 'i999', type: 'Ride' }]));
    const r = await t.run(listActivities, { sport: 'ride', limit: 1 });
    const params = t.client.listActivities.mock.calls[0]![1];
    expect(params).toStrictEqual({ oldest: '2026-01-07', newest: '2026-04-06T23:59:59' });
    expect(params).not.toHaveProperty('limit');
    expect(r.activities.rows.map((row) => row[0])).toEqual(['i1000']);
    expect(typeof r.next).toBe('string');
    expect(r).not.toHaveProperty('note'); // stubs have no type and never match a sport
  });

  it('a sport filter that matches nothing returns an empty table', async () => {
    t.client.listActivities.mockResolvedValue(activities([RUN, STUB]));
    const r = await t.run(listActivities, { sport: 'Swim' });
    expect(r.activities).toEqual({ columns: [], rows: [] });
    expect(r).not.toHaveProperty('next');
  });

  describe('input schema', () => {
    const ok = (v: unknown) => listActivities.input.safeParse(v).success;
    it('accepts the documented forms; the page size is chosen later (20, or 50 for a range)', () => {
      expect(listActivities.input.parse({})).toEqual({});
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
      const p = listActivities.handler(listActivities.input.parse(args), t.ctx);
      await expect(p).rejects.toBeInstanceOf(InputError);
      await expect(p).rejects.toThrow(message);
      expect(t.client.listActivities).not.toHaveBeenCalled();
    });
  });
});

describe('list_activities in coach mode', () => {
  it('reads the athlete the call is about, not the default', async () => {
    await t.run(listActivities, {}, t.asAthlete('i99'));
    expect(t.client.listActivities.mock.calls[0]![0]).toBe('i99');
  });
});
