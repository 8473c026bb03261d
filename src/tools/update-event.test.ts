/** update_event as a pure handler over a mocked client: what may change, the body, dry run. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, event, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import updateEvent from './update-event.js';

const t = toolTest();

const STORED = {
  id: 9,
  category: 'WORKOUT',
  start_date_local: '2026-04-08T06:30:00',
  type: 'Ride',
  name: 'Endurance',
  description: '- 90m 65%',
  moving_time: 5400,
  icu_training_load: 70,
  workout_doc: { steps: [{}] },
};

describe('update_event', () => {
  it('refuses a call that changes nothing before any upstream call', async () => {
    await expect(t.run(updateEvent, { event_id: 9 })).rejects.toThrow(/^Nothing to change: give at least one of/);
    expect(t.client.getEvent).not.toHaveBeenCalled();
  });

  it('moves an event: the new date keeps the time of day; only changed fields are sent', async () => {
    t.client.getEvent.mockResolvedValue(event(STORED));
    t.client.updateEvent.mockResolvedValue(event({ ...STORED, start_date_local: '2026-04-10T06:30:00' }));
    const r = await t.run(updateEvent, { event_id: 9, date: '2026-04-10', name: 'Long endurance' });
    const [athlete, id, body] = t.client.updateEvent.mock.calls[0]!;
    expect([athlete, id]).toEqual([ATHLETE_ID, 9]);
    expect(body).toEqual({ start_date_local: '2026-04-10T06:30:00', name: 'Long endurance' });
    expect(r.event).toMatchObject({ id: 9, date: '2026-04-10 06:30' });
  });

  it('dry_run shows before and after, leaves out what Intervals.icu recomputes from new text, and writes nothing', async () => {
    t.client.getEvent.mockResolvedValue(event(STORED));
    const r = await t.run(updateEvent, { event_id: 9, text: '- 60m 70%', dry_run: true });
    expect(r.dry_run).toBe(true);
    expect(r.before).toMatchObject({ dur: '1:30:00', load: 70, text: '- 90m 65%' });
    expect(r.after).toMatchObject({ text: '- 60m 70%' });
    expect(r.after).not.toHaveProperty('dur');
    expect(r.after).not.toHaveProperty('load');
    expect(r.check).toMatchObject({ ok: true, steps: 1 });
    expect(t.client.updateEvent).not.toHaveBeenCalled();
  });

  it('refuses to change a past event, or to move one into the past, without allow_past', async () => {
    t.client.getEvent.mockResolvedValue(event({ ...STORED, start_date_local: '2026-04-01T06:30:00' }));
    await expect(t.run(updateEvent, { event_id: 9, name: 'x' })).rejects.toThrow(/is before today \(2026-04-06\)/);
    t.client.getEvent.mockResolvedValue(event(STORED));
    await expect(t.run(updateEvent, { event_id: 9, date: '2026-04-02' })).rejects.toThrow(
      '2026-04-02 is before today (2026-04-06): moving an event into the past needs allow_past: true.',
    );
    expect(t.client.updateEvent).not.toHaveBeenCalled();
  });

  it('a move to the date it already has is refused as changing nothing', async () => {
    t.client.getEvent.mockResolvedValue(event(STORED));
    const err = await t.run(updateEvent, { event_id: 9, date: '2026-04-08' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/Nothing changes: #9 WORKOUT 2026-04-08 "Endurance" is already on 2026-04-08/);
  });

  it('workout text that would not parse blocks the write', async () => {
    t.client.getEvent.mockResolvedValue(event(STORED));
    await expect(t.run(updateEvent, { event_id: 9, text: '- 10 minutes easy\n- 5x 1m hard' })).rejects.toThrow(
      /^Nothing was written\. Fix:/,
    );
    expect(t.client.updateEvent).not.toHaveBeenCalled();
  });
});
