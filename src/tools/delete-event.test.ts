/** delete_event as a pure handler over a mocked client: the past and race guards, dry run, the delete. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, event, TODAY, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import { IntervalsError } from '../intervals/errors.js';
import deleteEvent from './delete-event.js';

const t = toolTest();

const at = (date: string, over: Record<string, unknown> = {}) =>
  event({ id: 7, category: 'WORKOUT', start_date_local: `${date}T00:00:00`, type: 'Run', name: 'Tempo', ...over });

describe('delete_event', () => {
  it("deletes today's event of the context athlete and answers with what was deleted", async () => {
    t.client.getEvent.mockResolvedValue(at(TODAY));
    const r = await t.run(deleteEvent, { event_id: 7 });
    expect(t.client.getEvent.mock.calls[0]!.slice(0, 2)).toEqual([ATHLETE_ID, 7]);
    expect(t.client.deleteEvent.mock.calls[0]!.slice(0, 2)).toEqual([ATHLETE_ID, 7]);
    expect(r).toEqual({ deleted: { id: 7, date: TODAY, cat: 'WORKOUT', sport: 'Run', name: 'Tempo' } });
  });

  it('dry_run shows the event and deletes nothing', async () => {
    t.client.getEvent.mockResolvedValue(at('2026-04-09'));
    const r = await t.run(deleteEvent, { event_id: 7, dry_run: true });
    expect(r).toEqual({ dry_run: true, would_delete: expect.objectContaining({ id: 7, date: '2026-04-09' }) });
    expect(t.client.deleteEvent).not.toHaveBeenCalled();
  });

  it('refuses a past event unless allow_past (today is the athlete zone date, not UTC)', async () => {
    t.client.getEvent.mockResolvedValue(at('2026-04-05'));
    const err = await t.run(deleteEvent, { event_id: 7 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      '#7 WORKOUT 2026-04-05 "Tempo" is before today (2026-04-06); past events are history. Pass allow_past: true only if the athlete asked to delete it.',
    );
    expect(t.client.deleteEvent).not.toHaveBeenCalled();
    await t.run(deleteEvent, { event_id: 7, allow_past: true });
    expect(t.client.deleteEvent).toHaveBeenCalledTimes(1);
  });

  it('refuses a race of any priority unless allow_race', async () => {
    for (const category of ['RACE_A', 'RACE_B', 'RACE_C']) {
      t.client.getEvent.mockResolvedValue(at('2026-05-01', { category }));
      await expect(t.run(deleteEvent, { event_id: 7 })).rejects.toThrow(/is a race\. Pass allow_race: true/);
    }
    expect(t.client.deleteEvent).not.toHaveBeenCalled();
    await t.run(deleteEvent, { event_id: 7, allow_race: true });
    expect(t.client.deleteEvent).toHaveBeenCalledTimes(1);
  });

  it('a lost connection during the delete says a retry is harmless', async () => {
    t.client.getEvent.mockResolvedValue(at('2026-05-01'));
    t.client.deleteEvent.mockRejectedValue(new IntervalsError('network', 'Could not reach Intervals.icu.'));
    await expect(t.run(deleteEvent, { event_id: 7 })).rejects.toThrow(/deleting again is harmless/);
  });
});
