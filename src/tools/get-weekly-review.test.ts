/** get_weekly_review as a pure handler over a mocked client: weeks, per-sport totals, compliance, projection. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, activities, events, RIDE, RUN, rowsOf, STUB, TODAY, toolTest, wellness } from '../../test/support/tool-kit.js';
import getWeeklyReview, { PROJECTION_MODEL } from './get-weekly-review.js';
import { stravaSkippedNote } from './support/strava.js';

const t = toolTest();

// TODAY (2026-04-06) is a Monday: two weeks back to the one holding today are 03-30..04-12.
const PLAN = [
  {
    id: 77,
    category: 'WORKOUT',
    start_date_local: '2026-04-05T00:00:00',
    type: 'Run',
    name: 'Easy 50',
    icu_training_load: 50,
    moving_time: 3000,
  },
  { id: 78, category: 'WORKOUT', start_date_local: '2026-04-03T00:00:00', type: 'Ride', name: 'Intervals', icu_training_load: 60 },
  { id: 79, category: 'WORKOUT', start_date_local: '2026-04-08T00:00:00', type: 'Run', name: 'Tempo', icu_training_load: 40 },
];

function upstream() {
  t.client.listActivities.mockResolvedValue(activities([RUN, STUB, RIDE]));
  t.client.listEvents.mockResolvedValue(events(PLAN));
  t.client.listWellness.mockResolvedValue(
    wellness([
      { id: '2026-04-05', ctl: 50.04, atl: 60.5 },
      { id: TODAY, ctl: 49.6, atl: 57.14 },
    ]),
  );
}

describe('get_weekly_review', () => {
  it('reads the span once per source, with fitness at each week end (today for the current week)', async () => {
    upstream();
    const r = await t.run(getWeeklyReview, { weeks: 2 });
    expect(r.range).toBe('2026-03-30..2026-04-12');
    expect(t.client.listActivities.mock.calls[0]!.slice(0, 2)).toEqual([
      ATHLETE_ID,
      { oldest: '2026-03-30', newest: '2026-04-12T23:59:59' },
    ]);
    expect(t.client.listEvents.mock.calls[0]![1]).toEqual({ oldest: '2026-03-30', newest: '2026-04-12', category: ['WORKOUT'] });
    expect(t.client.listWellness.mock.calls[0]![1]).toEqual({ oldest: '2026-04-05', newest: TODAY, fields: ['id', 'ctl', 'atl'] });
    expect(rowsOf(r.weeks as never)).toEqual([
      { week: '2026-03-30', at: '2026-04-05', time: '1:50', load: 115, ctl: 50, atl: 60.5, form: -10.5, zone: expect.any(String) },
      { week: '2026-04-06', at: TODAY, time: expect.anything(), load: 0, ctl: 49.6, atl: 57.1, form: -7.5, zone: expect.any(String) },
    ]);
  });

  it('totals per week and sport, and counts Strava stubs out with the one Strava note', async () => {
    upstream();
    const r = await t.run(getWeeklyReview, { weeks: 2 });
    expect(rowsOf(r.sports as never).map((x) => [x.week, x.n, x.time, x.km, x.load])).toEqual([
      ['2026-03-30', 1, '1:00', 30, 70],
      ['2026-03-30', 1, '0:50', 10, 45],
    ]);
    expect(r.note).toBe(stravaSkippedNote(1));
  });

  it('planned versus done: paired or same-day same-sport matches, missed before today, upcoming after, extras apart', async () => {
    upstream();
    const r = await t.run(getWeeklyReview, { weeks: 2 });
    expect(rowsOf(r.plan as never).map((x) => [x.date, x.name, x.status])).toEqual([
      ['2026-04-02', 'Zwift', 'extra'],
      ['2026-04-03', 'Intervals', 'missed'],
      ['2026-04-05', 'Easy 50', 'done'],
      ['2026-04-08', 'Tempo', 'upcoming'],
    ]);
    expect(r.compliance).toEqual({
      due: 2,
      done: 1,
      partial: 0,
      missed: 1,
      upcoming: 1,
      extra: 1,
      done_pct: 50,
      planned_load: 110,
      done_load: 45,
      extra_load: 70,
    });
    expect(r).not.toHaveProperty('projection');
  });

  it('project_to adds the projection from today over the planned load, and asks for races too', async () => {
    upstream();
    const r = await t.run(getWeeklyReview, { weeks: 2, project_to: '2026-04-20' });
    expect(t.client.listEvents.mock.calls[0]![1]).toEqual({
      oldest: '2026-03-30',
      newest: '2026-04-20',
      category: ['WORKOUT', 'RACE_A', 'RACE_B', 'RACE_C'],
    });
    const p = r.projection as { start: Record<string, unknown>; end: Record<string, unknown>; planned: never };
    expect(p.start).toMatchObject({ date: TODAY });
    expect(p.end).toMatchObject({ date: '2026-04-20' });
    expect(rowsOf(p.planned).map((x) => [x.date, x.load])).toEqual([['2026-04-08', 40]]);
    expect(r.model).toBe(PROJECTION_MODEL);
  });

  it("without today's fitness there is no projection, and the note says why", async () => {
    upstream();
    t.client.listWellness.mockResolvedValue([]);
    const r = await t.run(getWeeklyReview, { weeks: 1, project_to: '2026-04-20' });
    expect(r).not.toHaveProperty('projection');
    expect(r.note).toBe(`No fitness values for today (${TODAY}): no projection.`);
  });

  it('refuses an end more than a year ahead and a projection date not after today, before fetching', async () => {
    await expect(t.run(getWeeklyReview, { end: '2027-06-01' })).rejects.toThrow(/more than a year ahead; give a date up to 2027-04-07/);
    await expect(t.run(getWeeklyReview, { project_to: TODAY })).rejects.toThrow(
      `project_to must be after today (${TODAY}) and at most a year ahead.`,
    );
    expect(t.client.listActivities).not.toHaveBeenCalled();
  });
});
