/** update_thresholds as a pure handler over a mocked client: pace parsing, checks, dry run, the write. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, PROFILE, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import { SportSettingsSchema } from '../intervals/schemas.js';
import updateThresholds, { parsePace } from './update-thresholds.js';

const t = toolTest();

describe('parsePace', () => {
  it('turns a pace into speed in m/s; without a unit: per 100 m for swims, per km otherwise', () => {
    expect(parsePace('4:30/km', false)).toBe(3.7037);
    expect(parsePace('4:30', false)).toBe(3.7037);
    expect(parsePace('1:40', true)).toBe(1);
    expect(parsePace('8:00 / mi', false)).toBe(3.3528);
  });

  it('refuses what is not a pace, and zero', () => {
    expect(() => parsePace('fast', false)).toThrow(InputError);
    expect(() => parsePace('4:75/km', false)).toThrow(/is not a pace like 4:30\/km/);
    expect(() => parsePace('0:00', false)).toThrow(/must be more than 0:00/);
  });
});

describe('update_thresholds', () => {
  it('dry_run finds the settings by sport type in any case and shows the body and the current values', async () => {
    const r = await t.run(updateThresholds, { sport: 'virtualride', ftp: 265, dry_run: true });
    expect(t.client.listSportSettings.mock.calls[0]![0]).toBe(ATHLETE_ID);
    expect(r).toMatchObject({ dry_run: true, settings_id: 1, would_send: { ftp: 265 }, recalc_hr_zones: true });
    expect(r.before).toMatchObject({ ftp_w: 250 });
    expect(t.client.updateSportSettings).not.toHaveBeenCalled();
  });

  it('writes, drops the cached profile, and answers before and after', async () => {
    const invalidated: string[] = [];
    const c = { ...t.ctx, invalidate: (id: string) => void invalidated.push(id) };
    t.client.updateSportSettings.mockResolvedValue(SportSettingsSchema.parse({ ...PROFILE.sportSettings[1], threshold_pace: 3.8462 }));
    const r = await t.run(updateThresholds, { sport: 'Run', threshold_pace: '4:20/km', hr_zones: [140, 155, 165, 175, 190] }, c);
    const [athlete, id, body, recalc] = t.client.updateSportSettings.mock.calls[0]!;
    expect([athlete, id, recalc]).toEqual([ATHLETE_ID, 2, false]);
    expect(body).toEqual({ threshold_pace: 3.8462, hr_zones: [140, 155, 165, 175, 190] });
    expect(invalidated).toEqual([ATHLETE_ID]);
    expect(r).toHaveProperty('before');
    expect(r).toHaveProperty('after');
  });

  it('refuses nothing to change, an unknown sport (listing the known ones), LTHR at or above max HR, and falling zones', async () => {
    await expect(t.run(updateThresholds, { sport: 'Ride' })).rejects.toThrow(/^Nothing to change/);
    await expect(t.run(updateThresholds, { sport: 'Kayak', ftp: 200 })).rejects.toThrow(
      'No sport settings hold "Kayak". Known types: Ride, VirtualRide, Run, VirtualRun, TrailRun, Swim, OpenWaterSwim, Rowing.',
    );
    await expect(t.run(updateThresholds, { sport: 'Ride', lthr: 190 })).rejects.toThrow('LTHR (190) must be below max HR (185).');
    await expect(t.run(updateThresholds, { sport: 'Ride', power_zones: [55, 75, 70] })).rejects.toThrow(
      'power_zones must be increasing upper bounds; 70 after 75 is not.',
    );
    expect(t.client.updateSportSettings).not.toHaveBeenCalled();
  });

  it('validates whole-number bounds in the input schema', () => {
    expect(updateThresholds.input.safeParse({ sport: 'Ride', ftp: 265.5 }).success).toBe(false);
    expect(updateThresholds.input.safeParse({ sport: 'Ride', ftp: 20 }).success).toBe(false);
    expect(updateThresholds.input.safeParse({ sport: 'Ride', ftp: 265 }).success).toBe(true);
  });
});
