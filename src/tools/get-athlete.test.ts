/** get_athlete as a pure handler: a mocked IntervalsClient (no HTTP), a real context with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, makeContext, mockClient, PROFILE, TODAY, toolTest } from '../../test/support/tool-kit.js';
import { type Athlete, AthleteSchema } from '../intervals/schemas.js';
import getAthlete from './get-athlete.js';

const t = toolTest();

describe('get_athlete', () => {
  it('returns the profile in the athlete zone, with per-sport thresholds and nulls left out', async () => {
    const r = await t.run(getAthlete, {});
    expect(t.client.getAthlete).toHaveBeenCalledTimes(1);
    expect(t.client.getAthlete.mock.calls[0]![0]).toBe(ATHLETE_ID);
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
    const r = await t.run(getAthlete, {});
    expect(r.sports[0]).not.toHaveProperty('indoor_ftp_w');
    expect(r.sports[3]).toMatchObject({ ftp_w: 200, indoor_ftp_w: 190 });
  });

  it('falls back to weight, UTC and no name when the profile lacks them', async () => {
    const c = mockClient({
      id: 'i7',
      name: null,
      timezone: null,
      weight: 80.04,
      icu_weight: null,
      icu_resting_hr: null,
      sportSettings: null,
    });
    const r = await t.run(getAthlete, {}, makeContext(c));
    // In UTC it is already the 7th.
    expect(r).toStrictEqual({ id: 'i7', timezone: 'UTC', today: '2026-04-07', weight_kg: 80, sports: [] });
  });

  it('fetches the profile once per context factory (cached)', async () => {
    await t.run(getAthlete, {});
    await t.run(getAthlete, {});
    expect(t.client.getAthlete).toHaveBeenCalledTimes(1);
  });

  it('takes no arguments', () => {
    expect(getAthlete.input.safeParse({}).success).toBe(true);
  });
});

describe('get_athlete and the context', () => {
  it('reads the athlete the call is about, not the default (coach mode)', async () => {
    const other = t.asAthlete('i99');
    const r = await t.run(getAthlete, {}, other);
    expect(t.client.getAthlete).toHaveBeenCalledWith('i99');
    expect(r.id).toBe(ATHLETE_ID); // the mock returns the same profile for everyone
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
