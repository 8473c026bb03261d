/** get_activity as a pure handler: a mocked IntervalsClient (no HTTP), a real context with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { activities, RIDE, RUN, rowsOf, STUB, SWIM, toolTest } from '../../test/support/tool-kit.js';
import getActivity from './get-activity.js';
import { STRAVA_NOTE } from './support/strava.js';

const t = toolTest();

describe('get_activity', () => {
  it('fetches by id without intervals by default and returns the detail record, nulls omitted', async () => {
    t.client.getActivity.mockResolvedValue(activities([RUN])[0]!);
    const r = await t.run(getActivity, { activity_id: 'i1003' });
    expect(t.client.getActivity).toHaveBeenCalledWith('i1003', { intervals: false }, t.signal);
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
    t.client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    const r = await t.run(getActivity, { activity_id: 'i1000' });
    expect(r.activity).toMatchObject({ avg_w: 200, np_w: 215, ftp_w: 250, trainer: true, vi: 1.07, power_zones_s: 'Z1:600 Z2:1200 SS:0' });
    expect(r.activity).not.toHaveProperty('elapsed');
    expect(r.activity).not.toHaveProperty('pace');
    expect(r).not.toHaveProperty('intervals');
  });

  it('include_intervals adds the interval table (swim pace per 100 m)', async () => {
    const swim = {
      ...SWIM,
      icu_intervals: [
        {
          type: 'WORK',
          label: '4x100',
          start_time: 0,
          moving_time: 360,
          distance: 400,
          average_speed: 1.25,
          average_heartrate: 140.6,
          zone: 3,
        },
        { type: 'RECOVERY', start_time: 360, elapsed_time: 60, distance: 0, average_speed: null, average_heartrate: null },
      ],
    };
    t.client.getActivity.mockResolvedValue(activities([swim])[0]!);
    const r = await t.run(getActivity, { activity_id: 'i1001', include_intervals: true });
    expect(t.client.getActivity).toHaveBeenCalledWith('i1001', { intervals: true }, t.signal);
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
    t.client.getActivity.mockResolvedValue(activities([{ ...RUN, icu_intervals: intervals }])[0]!);
    const run1 = await t.run(getActivity, { activity_id: 'i1003', include_intervals: true });
    expect(rowsOf(run1.intervals!)[0]).toMatchObject({ pace: '4:30/km', avg_w: 300 });

    t.client.getActivity.mockResolvedValue(activities([{ ...RIDE, icu_intervals: intervals }])[0]!);
    const ride = await t.run(getActivity, { activity_id: 'i1000', include_intervals: true });
    expect(ride.intervals!.columns).not.toContain('pace');
  });

  it('include_intervals on an activity without intervals gives an empty table', async () => {
    t.client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    const r = await t.run(getActivity, { activity_id: 'i1000', include_intervals: true });
    expect(r.intervals).toEqual({ columns: [], rows: [] });
  });

  it('a Strava stub returns only id and date, flagged, with the note (and no intervals)', async () => {
    t.client.getActivity.mockResolvedValue(activities([STUB])[0]!);
    const r = await t.run(getActivity, { activity_id: '123456789', include_intervals: true });
    expect(r).toStrictEqual({
      activity: { id: '123456789', start: '2026-04-04 08:00', strava: true },
      note: STRAVA_NOTE,
    });
  });

  it('trims the id', async () => {
    t.client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    await t.run(getActivity, { activity_id: '  i1000 ' });
    expect(t.client.getActivity.mock.calls[0]![0]).toBe('i1000');
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
