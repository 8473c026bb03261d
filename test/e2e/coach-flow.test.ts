/**
 * The coaching loop of the issue's "done when", end to end against the fake: plan a week (dry run,
 * then for real), see it in the calendar, review compliance after a session lands, move one future
 * workout and delete another; READ_ONLY exposes no write tool; coach mode refuses foreign athletes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ATHLETE_ID } from '../fake-intervals/index.js';
import { API_KEY, call, callError, rowsOf, type Stack, startStack, type Table, TODAY } from '../support/harness.js';

const WEEK = [
  { external_id: 'wk48-tue', date: TODAY, sport: 'Ride', name: 'Tempo 2x20', text: '- 15m 55%\n\n2x\n- 20m 80-85%\n- 5m 55%\n\n- 10m 50%' },
  { external_id: 'wk48-thu', date: '2026-11-26', sport: 'Run', name: 'Easy 45', text: '- 45m Z2 HR' },
  { external_id: 'wk48-sat', date: '2026-11-28', sport: 'Ride', name: 'Endurance 3h', text: '- 3h 65%' },
];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('plan, check, review, adjust', () => {
  let planned: Record<string, unknown>[] = [];

  it('plans the week: a dry run writes nothing, the real run stores parsed workouts', async () => {
    const writesBefore = stack.fake.requests.filter((r) => r.method !== 'GET').length;
    const preview = await call<{ dry_run: boolean; creates: number }>(stack.client, 'upsert_events', { events: WEEK, dry_run: true });
    expect(preview.dry_run).toBe(true);
    expect(preview.creates).toBe(3);
    expect(stack.fake.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);

    const stored = await call<{ events: Table }>(stack.client, 'upsert_events', { events: WEEK });
    planned = rowsOf(stored.events);
    expect(planned).toHaveLength(3);
    for (const e of planned) {
      expect(e.unparsed).toBeFalsy();
      expect(e.load).toBeGreaterThan(0);
    }
  });

  it('sees the plan in list_events', async () => {
    const r = await call<{ events: Table }>(stack.client, 'list_events', { category: ['WORKOUT'] });
    const names = rowsOf(r.events).map((e) => e.name);
    for (const w of WEEK) expect(names).toContain(w.name);
  });

  it("reviews compliance after today's session lands", async () => {
    const today = planned.find((e) => String(e.date).startsWith(TODAY))!;
    // The athlete does the session: Intervals.icu's mark-done creates the matching activity.
    const res = await fetch(`${stack.fake.url}/api/v1/athlete/${SAMPLE_ATHLETE_ID}/events/${String(today.id)}/mark-done`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`API_KEY:${API_KEY}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    const review = await call<{ plan: Table; compliance: Record<string, unknown> }>(stack.client, 'get_weekly_review', { weeks: 1 });
    const plan = rowsOf(review.plan);
    const row = plan.find((p) => p.name === 'Tempo 2x20')!;
    expect(row.status).toBe('done');
    expect(plan.find((p) => p.name === 'Easy 45')?.status).toBe('upcoming');
  });

  it('moves a future workout and deletes another', async () => {
    const thu = planned.find((e) => e.name === 'Easy 45')!;
    const moved = await call<{ event: Record<string, unknown> }>(stack.client, 'update_event', { event_id: thu.id, date: '2026-11-27' });
    expect(String(moved.event.date)).toMatch(/^2026-11-27/);
    const sat = planned.find((e) => e.name === 'Endurance 3h')!;
    await call(stack.client, 'delete_event', { event_id: sat.id });
    const after = rowsOf((await call<{ events: Table }>(stack.client, 'list_events', { category: ['WORKOUT'] })).events);
    expect(after.find((e) => e.id === thu.id)?.date).toMatch(/^2026-11-27/);
    expect(after.find((e) => e.id === sat.id)).toBeUndefined();
  });

  it('refuses to delete a past workout without allow_past', async () => {
    const past = stack.fake.state.athletes
      .get(SAMPLE_ATHLETE_ID)!
      .events.find((e) => e.category === 'WORKOUT' && String(e.start_date_local) < '2026-11-20')!;
    expect(await callError(stack.client, 'delete_event', { event_id: past.id })).toMatch(/allow_past/);
  });
});

describe('configuration switches', () => {
  it('READ_ONLY=true exposes no write tool', async () => {
    const ro = await startStack({ env: { READ_ONLY: 'true' } });
    try {
      const { tools } = await ro.client.listTools();
      for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
      expect(tools.length).toBeGreaterThanOrEqual(10);
    } finally {
      await ro.close();
    }
  });

  it('coach mode refuses an athlete outside the allowlist before any upstream call', async () => {
    const coach = await startStack({ env: { INTERVALS_ATHLETE_IDS: 'i222222' }, fake: { extraAthletes: ['i222222'] } });
    try {
      const before = coach.fake.requests.length;
      expect(await callError(coach.client, 'list_activities', { athlete_id: 'i999999' })).toMatch(/athlete_id|i222222/);
      expect(coach.fake.requests.length).toBe(before);
      const other = await call<{ activities: Table }>(coach.client, 'list_activities', { athlete_id: 'i222222', limit: 2 });
      expect(other.activities.rows).toHaveLength(2);
    } finally {
      await coach.close();
    }
  });
});

describe('activities of athletes outside the configuration', () => {
  it('get_activity refuses an activity owned by an athlete the server is not configured for', async () => {
    // The key can read the coached athlete, but this server is configured for the owner only.
    const s = await startStack({ fake: { extraAthletes: ['i222222'] } });
    try {
      const foreign = s.fake.state.athletes.get('i222222')!.activities.find((a) => !a.stub)!;
      expect(await callError(s.client, 'get_activity', { activity_id: foreign.id })).toMatch(/not one of the configured athletes/);
      const own = s.fake.state.athletes.get(SAMPLE_ATHLETE_ID)!.activities.find((a) => !a.stub)!;
      expect((await call<{ activity: { id: string } }>(s.client, 'get_activity', { activity_id: own.id })).activity.id).toBe(own.id);
    } finally {
      await s.close();
    }
  });
});
