/** get_fitness as a pure handler: a mocked IntervalsClient (no HTTP), a real context with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, TODAY, toolTest, wellness } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import { MODEL_NOTE } from '../domain/fitness.js';
import getFitness from './get-fitness.js';

const t = toolTest();

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
    const r = await t.run(getFitness, {});
    expect(t.client.listWellness).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2025-12-10', newest: '2026-05-04', fields: FIELDS },
      t.signal,
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
    t.client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await t.run(getFitness, { oldest: '2026-04-01', newest: TODAY });
    expect(t.client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-04', newest: TODAY, fields: FIELDS }, t.signal);
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
    t.client.listWellness.mockResolvedValue(wellness(PAST.filter((w) => w.id !== '2026-03-09')));
    const r = await t.run(getFitness, { oldest: '2026-04-01', newest: TODAY });
    expect(r.change_7d).toEqual({ ctl: 3.2, atl: -6, form: 9.2 });
    expect(r).not.toHaveProperty('change_28d');
  });

  it('the default extends the series over the planned projection: projected_from = tomorrow, projection_end = last planned day', async () => {
    t.client.listWellness.mockResolvedValue(wellness([...PAST, ...FUTURE]));
    const r = await t.run(getFitness, {});
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
    t.client.listWellness.mockResolvedValue(
      wellness([
        { id: TODAY, ctl: 60, atl: 30 },
        { id: '2026-04-08', ctl: 50, atl: 85 },
      ]),
    );
    const r = await t.run(getFitness, {});
    expect(r.current).toMatchObject({ form: 30, zone: 'transition' });
    expect(r.projection_end).toMatchObject({ date: '2026-04-08', form: -35, zone: 'high risk' });
  });

  it('no projected_from when data stops at today', async () => {
    t.client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await t.run(getFitness, {});
    expect(r.daily.to).toBe(TODAY);
    expect(r).not.toHaveProperty('projected_from');
    expect(r).not.toHaveProperty('projection_end');
  });

  it('an explicit future newest is the projection end', async () => {
    t.client.listWellness.mockResolvedValue(wellness([...PAST, ...FUTURE.filter((w) => w.id <= '2026-04-10')]));
    const r = await t.run(getFitness, { newest: '2026-04-10' });
    expect(t.client.listWellness).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2025-12-14', newest: '2026-04-10', fields: FIELDS },
      t.signal,
    );
    expect(r.daily.from).toBe('2026-01-11');
    expect(r.daily.to).toBe('2026-04-10');
    expect(r.current).toMatchObject({ date: TODAY });
    expect(r.projected_from).toBe('2026-04-07');
    expect(r.projection_end).toEqual({ date: '2026-04-10', ctl: 53, atl: 40, form: 13, zone: 'fresh' });
  });

  it('a future newest without planned data still runs the series (nulls) past today but has no projection_end', async () => {
    t.client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await t.run(getFitness, { oldest: '2026-04-01', newest: '2026-04-08' });
    expect(r.daily.to).toBe('2026-04-08');
    expect(r.daily.ctl).toEqual([49, null, 49, 50, 50, 51, null, null]);
    expect(r.projected_from).toBe('2026-04-07');
    expect(r).not.toHaveProperty('projection_end');
  });

  it('a past newest: current and changes are as of newest, no projection', async () => {
    t.client.listWellness.mockResolvedValue(wellness(PAST));
    const r = await t.run(getFitness, { oldest: '2026-04-01', newest: '2026-04-04' });
    expect(t.client.listWellness).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2026-03-04', newest: '2026-04-04', fields: FIELDS },
      t.signal,
    );
    expect(r.current).toEqual({ date: '2026-04-04', ctl: 50, atl: 52, form: -2, zone: 'grey zone' });
    expect(r).not.toHaveProperty('change_7d'); // 2026-03-28 has no record
    expect(r.daily.to).toBe('2026-04-04');
    expect(r.daily.ctl).toEqual([49, null, 49, 50]);
    expect(r).not.toHaveProperty('projected_from');
  });

  it('input rejects bad dates; range errors are InputErrors before the fetch', async () => {
    expect(getFitness.input.safeParse({ oldest: '2026-02-30' }).success).toBe(false);
    expect(getFitness.input.safeParse({ newest: '2026-2-3' }).success).toBe(false);
    await expect(getFitness.handler({ oldest: '2026-04-06', newest: '2026-04-01' }, t.ctx)).rejects.toBeInstanceOf(InputError);
    await expect(getFitness.handler({ oldest: '2025-01-01', newest: '2026-04-06' }, t.ctx)).rejects.toThrow(/maximum is 400/);
    expect(t.client.listWellness).not.toHaveBeenCalled();
  });

  // With only `oldest`, the range runs to today, so the 400-day cap applies to what would be
  // fetched (the series also runs on 28 days into the projection): six years are refused unfetched.
  it('an old `oldest` alone cannot bypass the 400-day limit', async () => {
    await expect(getFitness.handler({ oldest: '2020-01-01' }, t.ctx)).rejects.toThrow(InputError);
    await expect(getFitness.handler({ oldest: '2020-01-01' }, t.ctx)).rejects.toThrow(
      /2020-01-01\.\.2026-04-06 is \d+ days; the maximum is 400/,
    );
    expect(t.client.listWellness).not.toHaveBeenCalled();
  });
});

describe('get_fitness in coach mode', () => {
  it('reads the athlete the call is about, not the default', async () => {
    await t.run(getFitness, {}, t.asAthlete('i99'));
    expect(t.client.listWellness.mock.calls.map((c) => c[0])).toEqual(['i99']);
  });
});
