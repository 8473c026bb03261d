/** get_streams as a pure handler over a mocked client: streams to a table, the summary, thresholds, refusals. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { activities, STUB, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import { IntervalsError } from '../intervals/errors.js';
import { ActivityStreamSchema } from '../intervals/schemas.js';
import getStreams, { column } from './get-streams.js';
import { stravaActivityMessage } from './support/strava.js';

const t = toolTest();

const N = 600; // ten minutes at 1 s
const series = (v: (i: number) => number | null) => Array.from({ length: N }, (_, i) => v(i));
const streams = (s: Record<string, (number | null)[]>) =>
  z.array(ActivityStreamSchema).parse(Object.entries(s).map(([type, data]) => ({ type, data })));

const RIDE = {
  id: 'i500',
  start_date_local: '2026-04-05T09:00:00',
  type: 'Ride',
  name: 'Steady',
  source: 'GARMIN_CONNECT',
  icu_ftp: 250,
  icu_power_zones: [55, 75, 90, 105, 120, 150, 999],
  icu_hr_zones: [137, 153, 160, 169, 173, 178, 185],
};
const RUN = { id: 'i600', start_date_local: '2026-04-05T07:00:00', type: 'Run', name: 'Tempo', source: 'GARMIN_CONNECT' };

describe('get_streams', () => {
  it('a ride: fetches what the summary needs plus what was asked, buckets to the point budget, whole units per column', async () => {
    t.client.getActivity.mockResolvedValue(activities([RIDE])[0]!);
    t.client.getStreams.mockResolvedValue(
      streams({
        time: series((i) => i),
        watts: series(() => 200),
        heartrate: series(() => 140),
        velocity_smooth: series(() => 8),
        cadence: series(() => 90.4),
        altitude: series(() => 12.6),
      }),
    );
    const r = await t.run(getStreams, { activity_id: 'i500', points: 60 });
    expect(t.client.getStreams.mock.calls[0]!.slice(0, 2)).toEqual([
      'i500',
      ['time', 'watts', 'heartrate', 'velocity_smooth', 'cadence', 'altitude'],
    ]);
    expect(r).toMatchObject({ activity_id: 'i500', points: 60, every_s: 10 });
    const table = r.series as { columns: string[]; rows: number[][] };
    expect(table.columns).toEqual(['time_s', 'watts', 'heartrate', 'cadence', 'kmh', 'altitude']);
    expect(table.rows[0]).toEqual([0, 200, 140, 90, 29, 13]);
    expect(table.rows.at(-1)![0]).toBe(590);
    // 200 W at FTP 250 is 80 % (zone 3 of ≤55/75/90…); 140 bpm is HR zone 2. Thresholds from the activity: no profile read.
    expect(r.summary).toMatchObject({
      sport: 'Ride',
      moving_s: 599,
      avg_w: 200,
      np_w: 200,
      avg_hr: 140,
      power_zones_s: 'Z3:599',
      hr_zones_s: 'Z2:599',
      ef: 1.43,
    });
    expect((r.summary as Record<string, string>).thresholds).toMatch(
      /^FTP 250 W, power zones ≤55\/75\/90\/105\/120\/150% FTP; HR zones ≤137\/153\/160\/169\/173\/178\/185 bpm \(from the activity\)$/,
    );
    expect(t.client.getAthlete).not.toHaveBeenCalled();
  });

  it("a run without zones of its own uses the athlete's Run settings, and shows speed as pace in s/km", async () => {
    t.client.getActivity.mockResolvedValue(activities([RUN])[0]!);
    t.client.getStreams.mockResolvedValue(streams({ time: series((i) => i), velocity_smooth: series(() => 3.3333) }));
    const r = await t.run(getStreams, { activity_id: 'i600', types: ['velocity_smooth'], points: 10 });
    expect((r.series as { columns: string[]; rows: number[][] }).columns).toEqual(['time_s', 'pace_s_km']);
    expect((r.series as { rows: number[][] }).rows[0]).toEqual([0, 300]);
    // 3.3333 m/s is 90 % of the 3.7037 m/s threshold: zone 3 of ≤77.5/87.7/94.3…
    expect(r.summary).toMatchObject({ sport: 'Run', avg_pace: '5:00/km', pace_zones_s: 'Z3:599' });
    expect((r.summary as Record<string, string>).thresholds).toMatch(/threshold pace 4:30\/km, .*\(from athlete's Run settings\)$/);
  });

  it('says which asked-for streams were not recorded, and when nothing was', async () => {
    t.client.getActivity.mockResolvedValue(activities([RUN])[0]!);
    t.client.getStreams.mockResolvedValue(streams({ time: series((i) => i), heartrate: series(() => 150) }));
    const r = await t.run(getStreams, { activity_id: 'i600', types: ['heartrate', 'watts', 'temp'] });
    expect(r.note).toBe('Not recorded: watts, temp.');
    t.client.getStreams.mockResolvedValue([]);
    const none = await t.run(getStreams, { activity_id: 'i600' });
    expect(none).toMatchObject({ points: 0, note: 'No streams recorded for this activity.' });
  });

  it('a Strava-synced activity is refused with the one Strava message, whichever call finds out', async () => {
    t.client.getActivity.mockResolvedValue(activities([STUB])[0]!);
    await expect(t.run(getStreams, { activity_id: '123456789' })).rejects.toMatchObject({
      kind: 'strava',
      message: stravaActivityMessage('123456789'),
    });
    t.client.getActivity.mockResolvedValue(activities([RUN])[0]!);
    t.client.getStreams.mockRejectedValue(new IntervalsError('strava', 'Cannot read Strava activities via the API', 422));
    await expect(t.run(getStreams, { activity_id: 'i600' })).rejects.toMatchObject({
      kind: 'strava',
      message: stravaActivityMessage('i600'),
    });
  });

  it("refuses another athlete's activity", async () => {
    t.client.getActivity.mockResolvedValue(activities([{ ...RUN, icu_athlete_id: 'i7' }])[0]!);
    const err = await t.run(getStreams, { activity_id: 'i600' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('Activity i600 belongs to athlete i7, who is not one of the configured athletes.');
  });

  it('refuses a point budget outside 1..1000 in the input schema', () => {
    for (const points of [0, 1001, 2.5]) expect(getStreams.input.safeParse({ activity_id: 'i1', points }).success).toBe(false);
  });
});

describe('column', () => {
  it('names and rounds each stream for its sport', () => {
    expect(column('velocity_smooth', 'swim').name).toBe('pace_s_100m');
    expect(column('velocity_smooth', 'swim').value(1.25)).toBe(80);
    expect(column('velocity_smooth', 'run').value(0.1)).toBeNull(); // standing still has no pace
    expect(column('velocity_smooth', 'ride').value(10)).toBe(36);
    expect(column('lat', 'ride').value(47.1234567)).toBe(47.12346);
    expect(column('temp', 'ride').value(21.46)).toBe(21.5);
  });
});
