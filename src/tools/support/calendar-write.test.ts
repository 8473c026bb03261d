import { describe, expect, it } from 'vitest';
import { lintWorkoutText } from '../../domain/workout-text.js';
import { IntervalsError } from '../../intervals/errors.js';
import type { Event } from '../../intervals/schemas.js';
import { checkEvent, eventBody, moveFields, parsedSteps, problemsError, UNPARSED_WARNING, writtenEvent } from './calendar-write.js';
import { guardWrite } from './write-guard.js';

const event = (e: Partial<Event>): Event => ({ id: 7, category: 'WORKOUT', start_date_local: '2026-12-01T00:00:00', ...e }) as Event;

describe('eventBody', () => {
  it('builds the EventEx body: full local datetime, planned values, target fields for TARGET', () => {
    expect(
      eventBody({ date: '2026-12-01', category: 'WORKOUT', sport: 'Run', name: 'Easy', text: '- 45m Z2', time: '06:30', planned_load: 40 }),
    ).toEqual({
      category: 'WORKOUT',
      start_date_local: '2026-12-01T06:30:00',
      type: 'Run',
      name: 'Easy',
      description: '- 45m Z2',
      icu_training_load: 40,
    });
    expect(eventBody({ date: '2026-12-07', category: 'TARGET', planned_secs: 36000, planned_km: 250.5, planned_load: 600 })).toEqual({
      category: 'TARGET',
      start_date_local: '2026-12-07T00:00:00',
      time_target: 36000,
      distance_target: 250500,
      load_target: 600,
    });
  });

  it('moves keep the time of day and a multi-day length', () => {
    expect(moveFields(event({ start_date_local: '2026-12-01T07:15:00' }), '2026-12-03')).toEqual({
      start_date_local: '2026-12-03T07:15:00',
    });
    expect(moveFields(event({ start_date_local: '2026-12-11T00:00:00', end_date_local: '2026-12-14T00:00:00' }), '2026-12-20')).toEqual({
      start_date_local: '2026-12-20T00:00:00',
      end_date_local: '2026-12-23T00:00:00',
    });
  });
});

describe('checkEvent', () => {
  it('collects name, sport and workout text problems', () => {
    const c = checkEvent({ category: 'WORKOUT', name: 'n'.repeat(81), text: '- easy' });
    expect(c.problems).toEqual([
      'name is 81 characters; Intervals.icu allows 80. Shorten it (details go in text).',
      'a WORKOUT needs a sport, e.g. Ride, Run, Swim.',
      'line 1 `- easy`: No duration or distance: add one, e.g. `10m` (minutes), `30s`, `1h`, `400mtr`, `2km`.',
    ]);
    expect(problemsError(c.problems).message).toMatch(/^Nothing was written\. Fix:\n- name is 81[\s\S]*intervals:\/\/workout-syntax\.\)$/);
    expect(problemsError(['a NOTE needs a name.']).message).toBe('Nothing was written. Fix:\n- a NOTE needs a name.');
  });

  it('does not lint notes, and an update needs neither sport nor name', () => {
    expect(checkEvent({ category: 'NOTE', name: 'Trip', text: '10m 50%' })).toEqual({ problems: [] });
    expect(checkEvent({ category: 'WORKOUT' }, { isNew: false })).toEqual({ problems: [] });
    expect(checkEvent({ category: 'NOTE' }, { isNew: false })).toEqual({ problems: [] });
    expect(checkEvent({ category: 'NOTE', name: ' ' }, { isNew: false }).problems).toEqual(['a NOTE needs a name.']);
  });
});

describe('writtenEvent', () => {
  const doc = { steps: [{ duration: 600 }, { reps: 3, steps: [{ duration: 300 }, { duration: 120 }] }, { duration: 300 }] };

  it('reports the parse: leaf steps, duration and load', () => {
    expect(parsedSteps(doc)).toBe(4);
    const text = '- 10m 50%\n\n3x\n- 5m 100%\n- 2m 50%\n\n- 5m 50%';
    const r = writtenEvent(
      event({ type: 'Ride', name: 'VO2', description: text, workout_doc: doc, moving_time: 2160, icu_training_load: 48 }),
      lintWorkoutText(text, 'Ride'),
    );
    expect(r).toEqual({
      event: { id: 7, date: '2026-12-01', cat: 'WORKOUT', sport: 'Ride', name: 'VO2', dur: '36:00', load: 48 },
      parsed: { steps: 4, dur: '36:00', load: 48 },
    });
  });

  it('flags a workout Intervals.icu did not parse although the text looked fine', () => {
    const text = '- 10m 50%\n- 20m 90%';
    const r = writtenEvent(event({ type: 'Ride', description: text, workout_doc: null }), lintWorkoutText(text, 'Ride'));
    expect(r.unparsed).toBe(true);
    expect(r.parsed).toBeUndefined();
    expect(r.warnings).toEqual([UNPARSED_WARNING]);
  });

  it('warns when Intervals.icu found fewer steps than the text has', () => {
    const text = '- 10m 50%\n- 20m 90%\n- 5m 50%';
    const r = writtenEvent(
      event({ type: 'Ride', description: text, workout_doc: { steps: [{ duration: 600 }, { duration: 1200 }] } }),
      lintWorkoutText(text, 'Ride'),
    );
    expect(r.warnings).toEqual(['Intervals.icu parsed 2 steps, the text has 3: check the step lines.']);
  });

  it('notes and races carry no parse status', () => {
    expect(writtenEvent(event({ category: 'NOTE', name: 'Trip', description: 'Away' }))).toEqual({
      event: { id: 7, date: '2026-12-01', cat: 'NOTE', name: 'Trip' },
    });
  });
});

describe('guardWrite', () => {
  it('adds the may-or-may-not advice to upstream, network and timeout failures only', async () => {
    // The messages the client gives failed writes: no retry advice of its own.
    const upstream = new IntervalsError('upstream', 'Intervals.icu failed (502) for event 7.', 502);
    await expect(guardWrite(() => Promise.reject(upstream))).rejects.toMatchObject({
      kind: 'upstream',
      status: 502,
      message: 'Intervals.icu failed (502) for event 7. The write may or may not have happened: check list_events before retrying.',
    });
    const timeout = new IntervalsError('timeout', 'Intervals.icu did not answer within 30 s for event 7.');
    await expect(guardWrite(() => Promise.reject(timeout), 'retry freely')).rejects.toMatchObject({
      message: 'Intervals.icu did not answer within 30 s for event 7. The write may or may not have happened: retry freely.',
    });
    const validation = new IntervalsError('validation', 'Intervals.icu rejected the request (422) for event 7.', 422);
    await expect(guardWrite(() => Promise.reject(validation))).rejects.toBe(validation);
    await expect(guardWrite(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
