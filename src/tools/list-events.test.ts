/** list_events as a pure handler: a mocked IntervalsClient (no HTTP), a real context with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { ATHLETE_ID, events, rowsOf, toolTest } from '../../test/support/tool-kit.js';
import { InputError } from '../domain/errors.js';
import listEvents from './list-events.js';

const t = toolTest();

describe('list_events', () => {
  const EVENTS = [
    {
      id: 12,
      category: 'WORKOUT',
      start_date_local: '2026-04-08T00:00:00',
      type: 'Ride',
      name: 'Sweet spot',
      moving_time: 3600,
      icu_training_load: 65,
      icu_intensity: 85.2,
      description: '- 3x10m 90%\n',
      workout_doc: { steps: [{}, {}, {}] },
    },
    {
      id: 10,
      category: 'NOTE',
      start_date_local: '2026-04-09T00:00:00',
      name: 'Travel',
      description: 'Away all day',
      workout_doc: null,
    },
    {
      id: 11,
      category: 'WORKOUT',
      start_date_local: '2026-04-08T00:00:00',
      type: 'Run',
      name: 'Tempo',
      description: '10 min tempo please',
      workout_doc: null,
      icu_training_load: null,
    },
    {
      id: 5,
      category: 'RACE_A',
      start_date_local: '2026-04-07T09:30:00',
      type: 'Run',
      name: 'Spring 10k',
      distance: 10000,
    },
    { id: 13, category: 'WORKOUT', start_date_local: '2026-04-08T00:00:00', type: 'Swim', name: 'Empty', description: '  ' },
  ];

  it('asks for today .. today + 6 in the athlete zone by default', async () => {
    const r = await t.run(listEvents, {});
    expect(t.client.listEvents).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-04-06', newest: '2026-04-12' }, t.signal);
    expect(r).toStrictEqual({ range: '2026-04-06..2026-04-12', events: { columns: [], rows: [] } });
  });

  it('passes categories through', async () => {
    await t.run(listEvents, { category: ['WORKOUT', 'NOTE'] });
    expect(t.client.listEvents).toHaveBeenCalledWith(
      ATHLETE_ID,
      { oldest: '2026-04-06', newest: '2026-04-12', category: ['WORKOUT', 'NOTE'] },
      t.signal,
    );
  });

  it('a past newest alone counts back a week', async () => {
    const r = await t.run(listEvents, { newest: '2026-03-01' });
    expect(t.client.listEvents).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-02-23', newest: '2026-03-01' }, t.signal);
    expect(r.range).toBe('2026-02-23..2026-03-01');
  });

  it('an oldest alone runs a week forward', async () => {
    await t.run(listEvents, { oldest: '2026-05-01' });
    expect(t.client.listEvents).toHaveBeenCalledWith(ATHLETE_ID, { oldest: '2026-05-01', newest: '2026-05-07' }, t.signal);
  });

  it('sorts by date then id, flags unparsed WORKOUT text, drops empty columns', async () => {
    t.client.listEvents.mockResolvedValue(events(EVENTS));
    const r = await t.run(listEvents, {});
    expect(r.events.columns).toEqual(['id', 'date', 'cat', 'sport', 'name', 'dur', 'km', 'load', 'if_pct', 'text', 'unparsed']);
    expect(rowsOf(r.events)).toStrictEqual([
      {
        id: 5,
        date: '2026-04-07 09:30',
        cat: 'RACE_A',
        sport: 'Run',
        name: 'Spring 10k',
        dur: null,
        km: 10,
        load: null,
        if_pct: null,
        text: null,
        unparsed: null,
      },
      {
        id: 11,
        date: '2026-04-08',
        cat: 'WORKOUT',
        sport: 'Run',
        name: 'Tempo',
        dur: null,
        km: null,
        load: null,
        if_pct: null,
        text: '10 min tempo please',
        unparsed: true,
      },
      {
        id: 12,
        date: '2026-04-08',
        cat: 'WORKOUT',
        sport: 'Ride',
        name: 'Sweet spot',
        dur: '1:00:00',
        km: null,
        load: 65,
        if_pct: 85,
        text: '- 3x10m 90%',
        unparsed: null,
      },
      {
        id: 13,
        date: '2026-04-08',
        cat: 'WORKOUT',
        sport: 'Swim',
        name: 'Empty',
        dur: null,
        km: null,
        load: null,
        if_pct: null,
        text: null,
        unparsed: null, // no text: nothing to parse
      },
      {
        id: 10,
        date: '2026-04-09',
        cat: 'NOTE',
        sport: null,
        name: 'Travel',
        dur: null,
        km: null,
        load: null,
        if_pct: null,
        text: 'Away all day',
        unparsed: null, // notes are never workouts
      },
    ]);
  });

  it('no unparsed column when every workout parsed', async () => {
    t.client.listEvents.mockResolvedValue(events(EVENTS.filter((e) => e.id !== 11)));
    const r = await t.run(listEvents, {});
    expect(r.events.columns).not.toContain('unparsed');
  });

  describe('input schema', () => {
    const ok = (v: unknown) => listEvents.input.safeParse(v).success;
    it('accepts every known category', () => {
      expect(ok({ category: ['WORKOUT', 'RACE_A', 'RACE_B', 'RACE_C', 'NOTE', 'HOLIDAY', 'SICK', 'INJURED'] })).toBe(true);
    });
    // Loose spellings are accepted on purpose since issue 9 (forgiving input): one value, any case.
    it('accepts a single category, any case, and RACE for every race priority', () => {
      expect(listEvents.input.parse({ category: 'WORKOUT' }).category).toEqual(['WORKOUT']);
      expect(listEvents.input.parse({ category: ['workout'] }).category).toEqual(['WORKOUT']);
      expect(listEvents.input.parse({ category: 'race' }).category).toEqual(['RACE_A', 'RACE_B', 'RACE_C']);
    });
    it.each([[{ category: ['FOO'] }], [{ category: [] }], [{ oldest: '2026-02-30' }], [{ newest: '2026-2-3' }]])('rejects %j', (v) =>
      expect(ok(v)).toBe(false),
    );
  });

  it('range errors are InputErrors before the fetch', async () => {
    await expect(listEvents.handler({ oldest: '2026-05-01', newest: '2026-04-01' }, t.ctx)).rejects.toBeInstanceOf(InputError);
    await expect(listEvents.handler({ oldest: '2026-01-01', newest: '2027-02-05' }, t.ctx)).rejects.toThrow(/maximum is 400/);
    expect(t.client.listEvents).not.toHaveBeenCalled();
  });
});

describe('list_events pagination', () => {
  it('pages a crowded range with a cursor: every event once, even when a page ends mid-day', async () => {
    // 70 events over 3 days (30, 25, 15), plus a multi-day note that started before the range.
    const days = ['2026-04-10', '2026-04-11', '2026-04-12'];
    const counts = [30, 25, 15];
    const all = days.flatMap((d, i) =>
      Array.from({ length: counts[i]! }, (_, k) => ({
        id: 1000 * (i + 1) + k,
        category: 'NOTE',
        start_date_local: `${d}T00:00:00`,
        name: `n${k}`,
      })),
    );
    const early = {
      id: 1,
      category: 'HOLIDAY',
      start_date_local: '2026-04-01T00:00:00',
      end_date_local: '2026-04-20T00:00:00',
      name: 'Holiday',
    };
    t.client.listEvents.mockImplementation(async (_athlete, q) =>
      events([early, ...all.filter((e) => e.start_date_local.slice(0, 10) >= q.oldest && e.start_date_local.slice(0, 10) <= q.newest)]),
    );
    const seen: unknown[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await t.run(listEvents, next ? { cursor: next } : { oldest: '2026-04-10', newest: '2026-04-12' });
      seen.push(...r.events.rows.map((row) => row[0]));
      next = r.next;
      pages++;
    } while (next && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual([1, ...all.map((e) => e.id)]);
  });

  it('refuses a cursor from another tool, or with an unknown category, before any upstream call', async () => {
    const wellnessCursor = 'get_wellness:o=2026-04-01;n=2026-04-30';
    await expect(t.run(listEvents, { cursor: wellnessCursor })).rejects.toThrow(/cursor/);
    await expect(t.run(listEvents, { cursor: 'list_events:o=2026-04-01;n=2026-04-30;c=WORKOUT,BOGUS;skip=0' })).rejects.toThrow(/cursor/);
    expect(t.client.listEvents).not.toHaveBeenCalled();
  });
});

describe('list_events upstream', () => {
  it('reads the athlete the call is about, not the default (coach mode)', async () => {
    await t.run(listEvents, {}, t.asAthlete('i99'));
    expect(t.client.listEvents.mock.calls[0]![0]).toBe('i99');
  });

  it('propagates client errors unchanged', async () => {
    const err = new Error('boom');
    t.client.listEvents.mockRejectedValue(err);
    await expect(listEvents.handler({}, t.ctx)).rejects.toBe(err);
  });
});
