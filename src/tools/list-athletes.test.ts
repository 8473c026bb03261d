/** list_athletes (coach mode) as a pure handler over a mocked client. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, activities, makeContext, PROFILE, RUN, rowsOf, STUB, toolTest, wellness } from '../../test/support/tool-kit.js';
import { IntervalsError } from '../intervals/errors.js';
import listAthletes from './list-athletes.js';

const t = toolTest({ athleteIds: [ATHLETE_ID, 'i99'] });

describe('list_athletes', () => {
  it("one row per configured athlete: today's CTL, form and zone in that athlete's time zone, the last readable activity", async () => {
    t.client.getAthlete.mockImplementation(
      async (id) => ({ ...PROFILE, id: id!, name: id === 'i99' ? 'Coached' : 'Self', sportSettings: [] }) as never,
    );
    t.client.listWellness.mockImplementation(async (id, q) => wellness(id === ATHLETE_ID ? [{ id: q.oldest, ctl: 60.04, atl: 75.5 }] : []));
    t.client.listActivities.mockImplementation(async (id) => activities(id === ATHLETE_ID ? [STUB, RUN] : []));
    const r = await t.run(listAthletes, {});
    // 03:00 UTC on the 7th is still the 6th in Los Angeles.
    expect(t.client.listWellness.mock.calls.map((c) => [c[0], c[1].oldest])).toEqual([
      [ATHLETE_ID, '2026-04-06'],
      ['i99', '2026-04-06'],
    ]);
    expect(rowsOf(r.athletes as never)).toEqual([
      { id: ATHLETE_ID, name: 'Self', ctl: 60, form: -15.5, zone: expect.any(String), last: '2026-04-05 Run Easy run' },
      { id: 'i99', name: 'Coached', ctl: null, form: null, zone: null, last: null },
    ]);
  });

  it('an athlete that cannot be read gets an error row; the others still answer', async () => {
    t.client.getAthlete.mockImplementation(async (id) => {
      if (id === 'i99') throw new IntervalsError('forbidden', 'Intervals.icu denied access (403) for athlete i99.');
      return { ...PROFILE, sportSettings: [] } as never;
    });
    const r = await t.run(listAthletes, {});
    const rows = rowsOf(r.athletes as never);
    expect(rows[0]).toMatchObject({ id: ATHLETE_ID, error: null });
    expect(rows[1]).toMatchObject({ id: 'i99', error: 'Intervals.icu denied access (403) for athlete i99.' });
  });

  it('an unexpected error is not echoed', async () => {
    t.client.getAthlete.mockRejectedValue(new Error('socket hang up at 10.0.0.3'));
    const r = await t.run(listAthletes, {});
    expect(rowsOf(r.athletes as never).map((x) => x.error)).toEqual(['Could not read this athlete.', 'Could not read this athlete.']);
  });

  it('a cancelled call is not turned into error rows', async () => {
    const abort = new AbortController();
    const c = makeContext(t.client, abort.signal, [ATHLETE_ID, 'i99']);
    t.client.getAthlete.mockImplementation(async () => {
      abort.abort();
      throw new Error('aborted');
    });
    await expect(listAthletes.handler({}, c)).rejects.toThrow('aborted');
  });
});
