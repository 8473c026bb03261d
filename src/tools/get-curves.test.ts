/** get_curves as a pure handler over a mocked client: the periods, the lookup per duration, pace. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, rowsOf, toolTest } from '../../test/support/tool-kit.js';
import { DataCurveSetSchema } from '../intervals/schemas.js';
import getCurves, { durLabel } from './get-curves.js';

const t = toolTest();

const curves = (list: unknown[]) => DataCurveSetSchema.parse({ list });

describe('durLabel', () => {
  it('labels durations the way athletes say them', () => {
    expect([5, 60, 300, 1200, 3600, 5400, 7200, 90].map(durLabel)).toEqual(['5s', '1m', '5m', '20m', '1h', '1h30m', '2h', '1:30']);
  });
});

describe('get_curves', () => {
  it('by default compares the last 42 days (to today in the athlete zone) with the 42 before, power on Ride', async () => {
    t.client.getCurves.mockResolvedValue(
      curves([
        { id: 'r.2026-02-24.2026-04-06', secs: [5, 60, 300, 1200], values: [900, 400, 300, 260], activity_id: ['i1', 'i2', 'i3', 'i4'] },
        { id: 'r.2026-01-13.2026-02-23', secs: [5, 60, 300, 1200], values: [1000, 380, 300, null] },
      ]),
    );
    const r = await t.run(getCurves, { durations: [5, 60, 300, 1200] });
    expect(t.client.getCurves.mock.calls[0]!.slice(0, 3)).toEqual([
      ATHLETE_ID,
      'power',
      { type: 'Ride', curves: ['r.2026-02-24.2026-04-06', 'r.2026-01-13.2026-02-23'] },
    ]);
    expect(r).toMatchObject({ sport: 'Ride', a: '2026-02-24..2026-04-06', b: '2026-01-13..2026-02-23', unit: 'W' });
    expect(rowsOf(r.curve as never)).toEqual([
      { dur: '5s', a: 900, b: 1000, delta: -100, delta_pct: -10, a_id: 'i1' },
      { dur: '1m', a: 400, b: 380, delta: 20, delta_pct: 5.3, a_id: 'i2' },
      { dur: '5m', a: 300, b: 300, delta: 0, delta_pct: 0, a_id: 'i3' },
      { dur: '20m', a: 260, b: null, delta: null, delta_pct: null, a_id: 'i4' },
    ]);
    expect(r).not.toHaveProperty('note');
  });

  it('pace: time over distance as m:ss per km (per 100 m for swims), on the run by default', async () => {
    t.client.getCurves.mockResolvedValue(curves([{ id: 'x', distance: [1000, 5000], values: [210, 1200] }]));
    const run = await t.run(getCurves, { kind: 'pace', durations: [1000, 5000] });
    expect(t.client.getCurves.mock.calls[0]![2].type).toBe('Run');
    expect(run.unit).toBe('pace m:ss/km, delta s/km');
    expect(rowsOf(run.curve as never).map((x) => [x.dist_m, x.a])).toEqual([
      [1000, '3:30'],
      [5000, '4:00'],
    ]);
    expect(run.note).toBe('No Run pace data in b.');
    t.client.getCurves.mockResolvedValue(curves([{ id: 'x', distance: [100, 400], values: [95, 400] }]));
    const swim = await t.run(getCurves, { kind: 'pace', sport: 'Swim', durations: [400, 100] });
    expect(swim.unit).toBe('pace m:ss/100m, delta s/100m');
    expect(rowsOf(swim.curve as never).map((x) => [x.dist_m, x.a])).toEqual([
      [100, '1:35'],
      [400, '1:40'],
    ]);
  });

  it('an explicit period a; b defaults to the same span just before it', async () => {
    await t.run(getCurves, { oldest: '2026-03-01', newest: '2026-03-10' });
    expect(t.client.getCurves.mock.calls[0]![2].curves).toEqual(['r.2026-03-01.2026-03-10', 'r.2026-02-19.2026-02-28']);
    expect(t.client.getAthlete).not.toHaveBeenCalled();
  });

  it('refuses reversed periods before any upstream call', async () => {
    await expect(t.run(getCurves, { oldest: '2026-03-10', newest: '2026-03-01' })).rejects.toThrow(
      'oldest (2026-03-10) is after newest (2026-03-01); swap them.',
    );
    await expect(t.run(getCurves, { compare_oldest: '2026-03-10', compare_newest: '2026-03-01' })).rejects.toThrow(/^compare_oldest/);
    expect(t.client.getCurves).not.toHaveBeenCalled();
  });
});
