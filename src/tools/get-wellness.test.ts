/** get_wellness as a pure handler: a mocked IntervalsClient (no HTTP), a real context with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, rowsOf, TODAY, toolTest, wellness } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import getWellness from './get-wellness.js';

const t = toolTest();

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
    const r = await t.run(getWellness, {});
    expect(t.client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-03-31', newest: '2026-04-06' }, t.signal);
    expect(r).toStrictEqual({
      range: '2026-03-31..2026-04-06',
      days: { columns: [], rows: [] },
      missing: ['2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06'],
    });
  });

  it('labels the subjective scales, drops fitness-only days into missing, omits empty columns', async () => {
    t.client.listWellness.mockResolvedValue(wellness(DAYS));
    const r = await t.run(getWellness, {});
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
    t.client.listWellness.mockResolvedValue(wellness(all));
    const r = await t.run(getWellness, { oldest: '2026-04-04' });
    expect(t.client.listWellness).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-04-04', newest: '2026-04-06' }, t.signal);
    expect(r).not.toHaveProperty('missing');
    expect(r.days.rows).toHaveLength(3);
  });

  it('does not count future days as missing', async () => {
    const r = await t.run(getWellness, { oldest: '2026-04-05', newest: '2026-04-09' });
    expect(r.missing).toEqual(['2026-04-05', '2026-04-06']);
  });

  it('a range wholly in the future has nothing missing', async () => {
    const r = await t.run(getWellness, { oldest: '2026-04-07', newest: '2026-04-09' });
    expect(r).not.toHaveProperty('missing');
  });

  // Under an hour too: 2700 s (45 min) is "0:45", never a bare "45" that reads as 45 hours.
  it.each([
    [27000, '7:30'],
    [27059, '7:31'],
    [3600, '1:00'],
    [2700, '0:45'],
  ])('sleep %d s is h:mm (%s)', async (sleepSecs, expected) => {
    t.client.listWellness.mockResolvedValue(wellness([{ id: TODAY, sleepSecs }]));
    const r = await t.run(getWellness, { oldest: TODAY, newest: TODAY });
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
    t.client.listWellness.mockResolvedValue(wellness([{ id: TODAY, [field]: value }]));
    const r = await t.run(getWellness, { oldest: TODAY, newest: TODAY });
    expect(r.days.rows[0]![1]).toBe(label);
  });

  it('input rejects bad dates; range errors are InputErrors before the fetch', async () => {
    expect(getWellness.input.safeParse({ oldest: '2026-02-30' }).success).toBe(false);
    expect(getWellness.input.safeParse({ newest: '2026-2-3' }).success).toBe(false);
    await expect(getWellness.handler({ oldest: '2026-04-06', newest: '2026-04-05' }, t.ctx)).rejects.toBeInstanceOf(InputError);
    await expect(getWellness.handler({ oldest: '2025-01-01', newest: '2026-04-06' }, t.ctx)).rejects.toThrow(/maximum is 366/);
    expect(t.client.listWellness).not.toHaveBeenCalled();
  });
});

describe('get_wellness in coach mode', () => {
  it('reads the athlete the call is about, not the default', async () => {
    await t.run(getWellness, {}, t.asAthlete('i99'));
    expect(t.client.listWellness.mock.calls.map((c) => c[0])).toEqual(['i99']);
    expect(t.client.getAthlete).toHaveBeenCalledWith('i99');
  });
});
