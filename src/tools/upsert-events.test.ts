/** upsert_events as a pure handler over a mocked client: per-item checks, dry run, the bulk write. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, event, events, rowsOf, toolTest } from '../../test/support/tool-kit.js';
import upsertEvents from './upsert-events.js';

const t = toolTest();

const item = (n: number, over: Record<string, unknown> = {}) => ({
  external_id: `plan-w1-${n}`,
  date: `2026-04-1${n}`,
  sport: 'Run',
  name: `Run ${n}`,
  text: '- 40m 75%',
  ...over,
});

describe('upsert_events', () => {
  it('refuses an empty batch and one over 50 events', async () => {
    await expect(t.run(upsertEvents, { events: [] })).rejects.toThrow(/events must hold 1 to 50 events \(got 0\)/);
    const many = Array.from({ length: 51 }, (_, i) => item(1, { external_id: `x${i}` }));
    await expect(t.run(upsertEvents, { events: many })).rejects.toThrow(/got 51\); split a longer plan/);
  });

  it('lists every bad item by its external_id (or index), and sends nothing', async () => {
    const r = t.run(upsertEvents, {
      events: [item(1), item(2, { external_id: 'plan-w1-1' }), { date: '2026-04-13', sport: 'Run' }, item(4, { sport: undefined })],
    });
    const err = (await r.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^Nothing was written\. Fix:/);
    expect(err.message).toContain('plan-w1-1: external_id appears twice; each event needs its own.');
    expect(err.message).toContain('events[2]: external_id is required');
    expect(err.message).toContain('plan-w1-4: a WORKOUT needs a sport');
    expect(t.client.upsertEvents).not.toHaveBeenCalled();
    expect(t.client.listEvents).not.toHaveBeenCalled();
  });

  it('dry_run reads which external_ids already exist in the span and writes nothing', async () => {
    t.client.listEvents.mockResolvedValue(
      events([{ id: 3, category: 'WORKOUT', start_date_local: '2026-04-12T00:00:00', external_id: 'plan-w1-2' }]),
    );
    const r = await t.run(upsertEvents, { events: [item(3), item(1), item(2)], dry_run: true });
    expect(t.client.listEvents.mock.calls[0]!.slice(0, 2)).toEqual([ATHLETE_ID, { oldest: '2026-04-11', newest: '2026-04-13' }]);
    expect(r).toMatchObject({ dry_run: true, creates: 2, updates: 1, existing: ['plan-w1-2'] });
    expect((r.would_send as unknown[]).length).toBe(3);
    expect(t.client.upsertEvents).not.toHaveBeenCalled();
  });

  it('writes every body in one call and answers with a table of what was stored', async () => {
    t.client.upsertEvents.mockResolvedValue([
      event({
        id: 11,
        category: 'WORKOUT',
        start_date_local: '2026-04-11T00:00:00',
        type: 'Run',
        name: 'Run 1',
        external_id: 'plan-w1-1',
        workout_doc: { steps: [{}] },
        description: '- 40m 75%',
      }),
      event({
        id: 12,
        category: 'WORKOUT',
        start_date_local: '2026-04-12T00:00:00',
        type: 'Run',
        name: 'Run 2',
        external_id: 'plan-w1-2',
        description: '- 40m 75%',
      }),
    ]);
    const r = await t.run(upsertEvents, { events: [item(1), item(2)] });
    const [athlete, bodies] = t.client.upsertEvents.mock.calls[0]!;
    expect(athlete).toBe(ATHLETE_ID);
    expect(bodies).toEqual([
      {
        category: 'WORKOUT',
        start_date_local: '2026-04-11T00:00:00',
        type: 'Run',
        name: 'Run 1',
        description: '- 40m 75%',
        external_id: 'plan-w1-1',
      },
      {
        category: 'WORKOUT',
        start_date_local: '2026-04-12T00:00:00',
        type: 'Run',
        name: 'Run 2',
        description: '- 40m 75%',
        external_id: 'plan-w1-2',
      },
    ]);
    const rows = rowsOf(r.events as never);
    expect(rows.map((x) => [x.id, x.ext_id, x.steps ?? null, x.unparsed ?? null])).toEqual([
      [11, 'plan-w1-1', 1, null],
      [12, 'plan-w1-2', null, true],
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/^plan-w1-2: Intervals.icu did not turn the workout text into steps/)]);
  });
});
