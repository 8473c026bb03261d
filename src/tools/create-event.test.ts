/** create_event as a pure handler over a mocked client: checks before writing, the body, the answer. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, event, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import { IntervalsError } from '../intervals/errors.js';
import createEvent from './create-event.js';

const t = toolTest();

const WORKOUT = { date: '2026-04-10', sport: 'Ride', name: 'Sweet spot', text: '- 15m 55%\n\n3x\n- 10m 90%\n- 5m 55%\n\n- 10m 50%' };

describe('create_event', () => {
  it('dry_run returns the exact body and the workout check, and writes nothing', async () => {
    const r = await t.run(createEvent, { ...WORKOUT, time: '06:30', dry_run: true });
    expect(r.dry_run).toBe(true);
    expect(r.would_send).toEqual({
      category: 'WORKOUT',
      start_date_local: '2026-04-10T06:30:00',
      type: 'Ride',
      name: 'Sweet spot',
      description: WORKOUT.text,
    });
    expect(r.check).toMatchObject({ ok: true, steps: 4 }); // step lines, each once (the repeat block's two too)
    expect(t.client.createEvent).not.toHaveBeenCalled();
  });

  it('writes the body for the context athlete and answers with what Intervals.icu parsed', async () => {
    t.client.createEvent.mockResolvedValue(
      event({
        id: 501,
        category: 'WORKOUT',
        start_date_local: '2026-04-10T00:00:00',
        type: 'Ride',
        name: 'Sweet spot',
        description: WORKOUT.text,
        moving_time: 4200,
        icu_training_load: 62,
        workout_doc: { steps: [{}, { reps: 3, steps: [{}, {}] }, {}] },
      }),
    );
    const r = await t.run(createEvent, WORKOUT);
    expect(t.client.createEvent).toHaveBeenCalledTimes(1);
    const [athlete, body] = t.client.createEvent.mock.calls[0]!;
    expect(athlete).toBe(ATHLETE_ID);
    expect(body).toMatchObject({ category: 'WORKOUT', start_date_local: '2026-04-10T00:00:00', description: WORKOUT.text });
    expect(r.event).toMatchObject({ id: 501, cat: 'WORKOUT', name: 'Sweet spot' });
    expect(r.event).not.toHaveProperty('text');
    expect(r.parsed).toEqual({ steps: 4, dur: '1:10:00', load: 62 });
  });

  it('planned values go to the target fields of a TARGET', async () => {
    const r = await t.run(createEvent, {
      date: '2026-04-12',
      category: 'TARGET',
      name: 'Week',
      planned_secs: 36000,
      planned_km: 200,
      planned_load: 500,
      dry_run: true,
    });
    expect(r.would_send).toMatchObject({ time_target: 36000, distance_target: 200000, load_target: 500 });
  });

  it('refuses a WORKOUT without a sport, or with text that would not parse, before anything is sent', async () => {
    await expect(createEvent.handler(createEvent.input.parse({ date: '2026-04-10', text: '- 10m 60%' }), t.ctx)).rejects.toThrow(
      /a WORKOUT needs a sport/,
    );
    const bad = createEvent.input.parse({ date: '2026-04-10', sport: 'Ride', text: '- 10 minutes easy\n- 5x 1m hard' });
    const err = await createEvent.handler(bad, t.ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^Nothing was written\. Fix:/);
    expect(t.client.createEvent).not.toHaveBeenCalled();
  });

  it('a failed write whose outcome is unknown says how to check before retrying', async () => {
    t.client.createEvent.mockRejectedValue(new IntervalsError('timeout', 'Intervals.icu did not answer in time.'));
    await expect(t.run(createEvent, { date: '2026-04-10', category: 'NOTE', name: 'Travel' })).rejects.toThrow(
      /may or may not have happened: check list_events before retrying/,
    );
  });
});
