/** update_wellness as a pure handler over a mocked client: field checks, the date guard, dry run, the diff. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, TODAY, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import { WellnessSchema } from '../intervals/schemas.js';
import updateWellness, { wellnessBody } from './update-wellness.js';

const t = toolTest();

const day = (raw: Record<string, unknown>) => WellnessSchema.parse({ id: TODAY, ...raw });

describe('wellnessBody', () => {
  it('maps fields to their wire names, converts hours to seconds, and null clears (-1, or "" for the comment)', () => {
    expect(wellnessBody({ mood: 2, resting_hr: 47, sleep_hours: 7.5, weight: null, comments: null })).toEqual({
      mood: 2,
      restingHR: 47,
      sleepSecs: 27000,
      weight: -1,
      comments: '',
    });
  });

  it('names every bad field at once, with the reason for computed ones and the writable list for unknown ones', () => {
    const err = (() => {
      try {
        wellnessBody({ ctl: 50, mood: 9, colour: 'red' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/^Nothing written\. /);
    expect(err!.message).toContain('ctl: not writable, fitness (ctl) is computed from training load');
    expect(err!.message).toContain('mood must be');
    expect(err!.message).toContain('colour: not a writable wellness field');
    expect(err!.message).toMatch(/Writable: weight, resting_hr, /);
  });

  it('refuses an empty set', () => {
    expect(() => wellnessBody({})).toThrow('Nothing to change: put at least one field in set.');
  });
});

describe('update_wellness', () => {
  it('dry_run shows the day as stored and the body, and writes nothing', async () => {
    t.client.getWellness.mockResolvedValue(day({ restingHR: 50, mood: 3 }));
    const r = await t.run(updateWellness, { date: TODAY, set: { mood: 2 }, dry_run: true });
    expect(t.client.getWellness.mock.calls[0]!.slice(0, 2)).toEqual([ATHLETE_ID, TODAY]);
    expect(r).toMatchObject({ dry_run: true, would_send: { mood: 2 }, before: { rhr: 50 } });
    expect(t.client.updateWellness).not.toHaveBeenCalled();
  });

  it('writes and answers with the stored day and each changed value as [before, after]', async () => {
    t.client.getWellness.mockResolvedValue(day({ restingHR: 50, weight: 70 }));
    t.client.updateWellness.mockResolvedValue(day({ restingHR: 47, weight: 70 }));
    const r = await t.run(updateWellness, { date: TODAY, set: { resting_hr: 47 } });
    expect(t.client.updateWellness.mock.calls[0]!.slice(0, 3)).toEqual([ATHLETE_ID, TODAY, { restingHR: 47 }]);
    expect(r.stored).toEqual({ date: TODAY, rhr: 47, weight_kg: 70 });
    expect(r.changed).toEqual({ rhr: [50, 47] });
  });

  it('refuses a date after tomorrow in the athlete zone, before any upstream call but the profile', async () => {
    await expect(t.run(updateWellness, { date: '2026-04-08', set: { mood: 2 } })).rejects.toThrow(
      '2026-04-08 is in the future (today is 2026-04-06); wellness can be logged up to tomorrow. Check the date.',
    );
    expect(t.client.getWellness).not.toHaveBeenCalled();
  });
});
