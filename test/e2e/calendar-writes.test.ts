/**
 * Calendar writes end to end: the real server driven by the SDK client against the fake
 * Intervals.icu. Checks what reaches the fake (or does not), not only what the tools answer.
 */
import { describe, expect, it } from 'vitest';
import type { AthleteState, Json } from '../fake-intervals/index.js';
import { call, callError, col, type Stack, startStack, type Table, TODAY, useStack } from '../support/harness.js';

const WRITE_TOOLS = ['create_event', 'upsert_events', 'update_event', 'delete_event'];

let stack: Stack;
let athlete: AthleteState;
useStack((s, a) => {
  stack = s;
  athlete = a;
});

/** Requests that reached the fake while fn ran (writes only unless `all`). */
async function upstream<T>(
  fn: () => Promise<T>,
  all = false,
): Promise<{ result: T; requests: { method: string; path: string; query: Record<string, string>; body: unknown }[] }> {
  const before = stack.fake.requests.length;
  const result = await fn();
  const requests = stack.fake.requests.slice(before).filter((r) => all || r.method !== 'GET');
  return { result, requests };
}

const eventById = (id: number) => athlete.events.find((e) => e['id'] === id);
const byExternalId = (ext: string) => athlete.events.filter((e) => e['external_id'] === ext);
/** A stored event of the fake matching pred, for ids. */
const findEvent = (pred: (e: Json) => boolean) => {
  const e = athlete.events.find(pred);
  if (!e) throw new Error('no such event in the fake');
  return e;
};
const dateOf = (e: Json) => String(e['start_date_local']).slice(0, 10);

describe('tools/list', () => {
  it('lists the four write tools with truthful annotations', async () => {
    const { tools } = await stack.client.listTools();
    const by = new Map(tools.map((t) => [t.name, t]));
    for (const n of WRITE_TOOLS) expect(by.has(n), n).toBe(true);
    // On the wire a hint goes out where the spec's default does not already say it (wireAnnotations).
    expect(by.get('create_event')!.annotations).toEqual({ readOnlyHint: false, destructiveHint: false });
    for (const n of ['upsert_events', 'update_event', 'delete_event']) {
      expect(by.get(n)!.annotations, n).toEqual({ readOnlyHint: false, idempotentHint: true });
    }
  });
});

describe('upsert_events: plan a week', () => {
  const week = [
    {
      external_id: 'plan-w51-mon',
      date: '2026-12-14',
      sport: 'Ride',
      name: 'Sweet Spot 3x15',
      text: '- 15m 55%\n\nMain Set 3x\n- 15m 88-92%\n- 5m 55%\n\n- 10m 50%',
    },
    { external_id: 'plan-w51-wed', date: '2026-12-16', sport: 'Run', name: 'Easy Run', text: '- 45m Z2 HR', time: '06:30' },
    {
      external_id: 'plan-w51-thu',
      date: '2026-12-17',
      sport: 'Swim',
      name: 'CSS 8x100',
      text: '- 400mtr 70% Pace\n\n8x\n- 100mtr 100% Pace\n- 20s intensity=rest\n\n- 200mtr 65% Pace',
    },
    { external_id: 'plan-w51-fri', date: '2026-12-18', category: 'NOTE', name: 'Rest day', text: 'Stretch and sleep.' },
  ];
  let ids: number[] = [];

  it('dry run: previews the exact bodies and writes nothing', async () => {
    const { result, requests } = await upstream(() =>
      call<{ dry_run: boolean; would_send: Record<string, unknown>[]; creates: number; updates: number; existing: string[] }>(
        stack.client,
        'upsert_events',
        { events: week, dry_run: true },
      ),
    );
    expect(requests).toEqual([]);
    expect(result).toMatchObject({ dry_run: true, creates: 4, updates: 0, existing: [] });
    expect(result.would_send[0]).toEqual({
      category: 'WORKOUT',
      start_date_local: '2026-12-14T00:00:00',
      type: 'Ride',
      name: 'Sweet Spot 3x15',
      description: week[0]!.text,
      external_id: 'plan-w51-mon',
    });
    expect(result.would_send[1]!.start_date_local).toBe('2026-12-16T06:30:00');
    expect(result.would_send[3]).toMatchObject({ category: 'NOTE', name: 'Rest day' });
    expect(byExternalId('plan-w51-mon')).toEqual([]);
  });

  it('writes the week in one bulk upsert and reports what Intervals.icu parsed', async () => {
    const { result, requests } = await upstream(() =>
      call<{ events: Table; warnings?: string[] }>(stack.client, 'upsert_events', { events: week }),
    );
    expect(requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`)).toEqual([
      `POST /api/v1/athlete/0/events/bulk {"upsert":"true"}`,
    ]);
    expect(result.warnings).toBeUndefined();
    expect(col(result.events, 'ext_id')).toEqual(week.map((w) => w.external_id));
    expect(col(result.events, 'steps')).toEqual([4, 1, 4, null]);
    expect(result.events.columns).not.toContain('unparsed');
    expect(result.events.columns).not.toContain('text');
    ids = col(result.events, 'id') as number[];
    for (const [i, id] of ids.entries()) {
      const stored = eventById(id)!;
      expect(stored['external_id']).toBe(week[i]!.external_id);
      if (i < 3) expect(stored['workout_doc']).toBeTruthy();
    }
    const loads = col(result.events, 'load');
    expect(loads[0]).toBe(eventById(ids[0]!)!['icu_training_load']);
  });

  it('list_events reads the week back', async () => {
    const r = await call<{ events: Table }>(stack.client, 'list_events', { oldest: '2026-12-14', newest: '2026-12-18' });
    const ext = col(r.events, 'ext_id');
    for (const w of week) expect(ext).toContain(w.external_id);
    expect(col(r.events, 'id')).toEqual(expect.arrayContaining(ids));
  });

  it('running it again updates the same events: no duplicates', async () => {
    const again = week.map((w, i) => (i === 0 ? { ...w, name: 'Sweet Spot 3x15 (moved up)' } : w));
    const dry = await call<{ creates: number; updates: number; existing: string[] }>(stack.client, 'upsert_events', {
      events: again,
      dry_run: true,
    });
    expect(dry).toMatchObject({ creates: 0, updates: 4 });
    expect(dry.existing.sort()).toEqual(week.map((w) => w.external_id).sort());

    const before = athlete.events.length;
    const r = await call<{ events: Table }>(stack.client, 'upsert_events', { events: again });
    expect(col(r.events, 'id')).toEqual(ids);
    expect(athlete.events.length).toBe(before);
    for (const w of week) expect(byExternalId(w.external_id)).toHaveLength(1);
    expect(eventById(ids[0]!)!['name']).toBe('Sweet Spot 3x15 (moved up)');
  });

  it('lints every workout first: all errors at once, nothing written', async () => {
    const bad = [
      { ...week[0]!, text: '- 15m 55%\n- Easy spin' },
      { ...week[1]!, text: '- 10 min easy' },
      { external_id: 'plan-w51-sat', date: '2026-12-19', name: 'No sport', text: '- 1h Z2' },
    ];
    const { result: msg, requests } = await upstream(() => callError(stack.client, 'upsert_events', { events: bad }));
    expect(requests).toEqual([]);
    expect(msg).toContain('Nothing was written');
    expect(msg).toContain('plan-w51-mon: line 2 `- Easy spin`: No duration or distance');
    expect(msg).toContain('plan-w51-wed: line 1 `- 10 min easy`: No duration or distance: write `10m` instead of `10 min`.');
    expect(msg).toContain('plan-w51-sat: a WORKOUT needs a sport');
  });

  it('refuses duplicate external_ids, a missing external_id and an empty batch', async () => {
    expect(await callError(stack.client, 'upsert_events', { events: [week[3], week[3]] })).toContain('appears twice');
    const { external_id: _drop, ...noId } = week[3]!;
    expect(await callError(stack.client, 'upsert_events', { events: [noId] })).toContain('events[0]: external_id is required');
    expect(await callError(stack.client, 'upsert_events', { events: [{ ...week[3], colour: 'red' }] })).toContain(
      'plan-w51-fri: Unrecognized key: "colour"',
    );
    expect(await callError(stack.client, 'upsert_events', { events: [] })).toContain('1 to 50 events');
  });
});

describe('create_event', () => {
  const ride = { date: '2026-12-21', sport: 'Ride', name: 'Threshold 2x20', text: '- 15m 55%\n\n2x\n- 20m 95-100%\n- 5m 50%\n\n- 10m 50%' };

  it('dry run returns the exact body and the check, writes nothing', async () => {
    const { result, requests } = await upstream(() => call(stack.client, 'create_event', { ...ride, time: '17:30', dry_run: true }));
    expect(requests).toEqual([]);
    expect(result).toEqual({
      dry_run: true,
      would_send: { category: 'WORKOUT', start_date_local: '2026-12-21T17:30:00', type: 'Ride', name: ride.name, description: ride.text },
      check: { ok: true, steps: 4, errors: [], warnings: [], estimated_secs: 15 * 60 + 2 * 25 * 60 + 10 * 60 },
    });
  });

  it('creates a workout and reports the parse: steps, duration, load', async () => {
    const { result, requests } = await upstream(() =>
      call<{ event: Record<string, unknown>; parsed: { steps: number; dur: string; load: number } }>(stack.client, 'create_event', ride),
    );
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/athlete/0/events']);
    const stored = eventById(result.event.id as number)!;
    expect(result.event).toMatchObject({ date: '2026-12-21', cat: 'WORKOUT', sport: 'Ride', name: ride.name });
    expect(result.event).not.toHaveProperty('text');
    expect(result.parsed).toEqual({ steps: 4, dur: '1:15:00', load: stored['icu_training_load'] });
  });

  it('bad workout text: a tool error naming each line and the fix, no upstream write', async () => {
    const { result: msg, requests } = await upstream(
      () => callError(stack.client, 'create_event', { ...ride, text: '- 15m 55%\n10m 50%\n3x\n- 5m 110%\n2x\n- 30s 150%' }),
      true,
    );
    expect(requests).toEqual([]);
    expect(msg).toContain('Nothing was written');
    expect(msg).toContain('line 2 `10m 50%`: Looks like a step without its leading hyphen: write `- 10m 50%`.');
    expect(msg).toContain('line 5 `2x`: Repeat inside the repeat on line 3: nested repeats are not supported');
    expect(msg).toContain('intervals://workout-syntax');
  });

  it('text that passes the check but does not parse on Intervals.icu is flagged unparsed', async () => {
    const r = await call<{ event: Record<string, unknown>; unparsed?: boolean; parsed?: unknown; warnings: string[] }>(
      stack.client,
      'create_event',
      {
        date: '2026-12-22',
        sport: 'Ride',
        name: 'Coffee spin',
        text: 'Easy spin to the cafe, ride by feel.',
      },
    );
    expect(r.unparsed).toBe(true);
    expect(r.parsed).toBeUndefined();
    expect(r.warnings).toEqual(['No step lines (`- 10m 75%`): Intervals.icu stores this as text only, without structure or planned load.']);
    expect(eventById(r.event.id as number)!['workout_doc']).toBeNull();
  });

  it('refuses `400m` in a run (400 minutes, almost surely meant as metres) before writing', async () => {
    const { result, requests } = await upstream(() =>
      callError(stack.client, 'create_event', {
        date: '2026-12-23',
        sport: 'Run',
        name: 'Track 400s',
        text: '- 10m Z2\n\n4x\n- 400m 105% Pace\n- 90s Z1\n\n- 10m Z1',
      }),
    );
    expect(requests).toEqual([]);
    expect(result).toContain('`400m` means 400 minutes; for metres write `400mtr`');
  });

  it('checks name and sport before writing', async () => {
    const { result: long, requests } = await upstream(() => callError(stack.client, 'create_event', { ...ride, name: 'x'.repeat(81) }));
    expect(requests).toEqual([]);
    expect(long).toContain('name is 81 characters; Intervals.icu allows 80');
    expect(await callError(stack.client, 'create_event', { date: '2026-12-21', category: 'NOTE', text: 'hi' })).toContain(
      'a NOTE needs a name',
    );
    expect(await callError(stack.client, 'create_event', { date: '2026-12-21', name: 'x', text: '- 1h Z2' })).toContain(
      'a WORKOUT needs a sport',
    );
    expect(await callError(stack.client, 'create_event', { date: '2026-12-21', category: 'RACE', name: 'x' })).toContain(
      'must be one of WORKOUT',
    );
    expect(await callError(stack.client, 'create_event', { date: '2026-12-21', name: 'x', sport: 'Run', time: '7am' })).toContain('HH:MM');
  });

  it('creates a note and a race with planned values', async () => {
    const note = await call<{ event: Record<string, unknown> }>(stack.client, 'create_event', {
      date: '2026-12-24',
      category: 'NOTE',
      name: 'Family visit',
      text: 'No training.',
    });
    expect(note.event).toMatchObject({ cat: 'NOTE', name: 'Family visit' });
    const race = await call<{ event: Record<string, unknown> }>(stack.client, 'create_event', {
      date: '2027-01-10',
      category: 'RACE_B',
      sport: 'Run',
      name: 'Half marathon',
      planned_secs: 5400,
      planned_km: 21.1,
      planned_load: 120,
      external_id: 'race-half-2027',
    });
    expect(race.event).toMatchObject({ cat: 'RACE_B', dur: '1:30:00', km: 21.1, load: 120, ext_id: 'race-half-2027' });
  });
});

describe('update_event', () => {
  it('moves a future workout to another date (dry run first changes nothing)', async () => {
    const ev = findEvent((e) => e['category'] === 'WORKOUT' && dateOf(e) > TODAY && typeof e['description'] === 'string');
    const id = ev['id'] as number;
    const from = dateOf(ev);
    const to = '2026-12-29';

    const { result: dry, requests: none } = await upstream(() =>
      call<{ dry_run: boolean; before: Record<string, unknown>; after: Record<string, unknown> }>(stack.client, 'update_event', {
        event_id: id,
        date: to,
        dry_run: true,
      }),
    );
    expect(none).toEqual([]);
    expect(dry.before).toMatchObject({ id, date: from });
    expect(dry.after).toEqual({ ...dry.before, date: to });
    expect(dateOf(eventById(id)!)).toBe(from);

    const { result, requests } = await upstream(() =>
      call<{ event: Record<string, unknown>; parsed: { steps: number } }>(stack.client, 'update_event', { event_id: id, date: to }),
    );
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /api/v1/athlete/0/events/${id}`]);
    expect(requests[0]!.body).toEqual({ start_date_local: `${to}T00:00:00`, end_date_local: '2026-12-30T00:00:00' });
    expect(result.event).toMatchObject({ id, date: to });
    expect(result.parsed.steps).toBeGreaterThan(0);
    expect(dateOf(eventById(id)!)).toBe(to);
  });

  it('changes the workout text after checking it; the dry run shows before and after', async () => {
    const ev = findEvent((e) => e['category'] === 'WORKOUT' && dateOf(e) > TODAY && e['type'] === 'Run');
    const id = ev['id'] as number;
    const text = '- 10m Z1\n- 30m Z2 HR\n- 5m Z1';
    const dry = await call<{ before: Record<string, unknown>; after: Record<string, unknown>; check: { steps: number } }>(
      stack.client,
      'update_event',
      {
        event_id: id,
        text,
        name: 'Steady run',
        dry_run: true,
      },
    );
    expect(dry.before.text).toBe(String(ev['description']).trim());
    expect(dry.after).toMatchObject({ text, name: 'Steady run' });
    expect(dry.after).not.toHaveProperty('load'); // recomputed by Intervals.icu
    expect(dry.check.steps).toBe(3);
    expect(eventById(id)!['description']).toBe(ev['description']);

    const r = await call<{ parsed: { steps: number; dur: string } }>(stack.client, 'update_event', {
      event_id: id,
      text,
      name: 'Steady run',
    });
    expect(r.parsed).toMatchObject({ steps: 3, dur: '45:00' });
    expect(eventById(id)!['description']).toBe(text);

    const { result: bad, requests } = await upstream(() =>
      callError(stack.client, 'update_event', { event_id: id, text: '- 10m Z1\n- steady' }),
    );
    expect(bad).toContain('line 2 `- steady`: No duration or distance');
    expect(requests).toEqual([]);
  });

  it('refuses to change a past event or move one into the past without allow_past', async () => {
    const past = findEvent((e) => e['category'] === 'WORKOUT' && dateOf(e) < TODAY);
    const { result: msg, requests } = await upstream(() =>
      callError(stack.client, 'update_event', { event_id: past['id'], name: 'Renamed' }),
    );
    expect(requests).toEqual([]);
    expect(msg).toContain(`is before today (${TODAY})`);
    expect(msg).toContain('allow_past: true');

    const future = findEvent((e) => e['category'] === 'WORKOUT' && dateOf(e) > TODAY);
    expect(await callError(stack.client, 'update_event', { event_id: future['id'], date: '2026-11-20' })).toContain(
      'needs allow_past: true',
    );

    const ok = await call<{ event: Record<string, unknown> }>(stack.client, 'update_event', {
      event_id: past['id'],
      name: 'Renamed',
      allow_past: true,
    });
    expect(ok.event.name).toBe('Renamed');
  });

  it('says so when there is nothing to change, or the event does not exist', async () => {
    expect(await callError(stack.client, 'update_event', { event_id: 1 })).toContain('Nothing to change');
    const future = findEvent((e) => e['category'] === 'WORKOUT' && dateOf(e) > TODAY);
    expect(await callError(stack.client, 'update_event', { event_id: future['id'], date: dateOf(future) })).toContain('is already on');
    expect(await callError(stack.client, 'update_event', { event_id: 999999999, name: 'x' })).toContain('404');
  });
});

describe('delete_event', () => {
  it('deletes a future workout (dry run first deletes nothing)', async () => {
    const ev = findEvent((e) => e['category'] === 'WORKOUT' && dateOf(e) >= TODAY);
    const id = ev['id'] as number;
    const { result: dry, requests: none } = await upstream(() =>
      call<{ would_delete: Record<string, unknown> }>(stack.client, 'delete_event', { event_id: id, dry_run: true }),
    );
    expect(none).toEqual([]);
    expect(dry.would_delete).toMatchObject({ id, name: ev['name'] });
    expect(eventById(id)).toBeDefined();

    const { result, requests } = await upstream(() =>
      call<{ deleted: Record<string, unknown> }>(stack.client, 'delete_event', { event_id: id }),
    );
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/v1/athlete/0/events/${id}`]);
    expect(result.deleted).toMatchObject({ id, cat: 'WORKOUT' });
    expect(eventById(id)).toBeUndefined();
  });

  it('refuses a past event without allow_past', async () => {
    const past = findEvent((e) => dateOf(e) < TODAY);
    const { result: msg, requests } = await upstream(() => callError(stack.client, 'delete_event', { event_id: past['id'] }));
    expect(requests).toEqual([]);
    expect(msg).toContain('allow_past: true');
    expect(eventById(past['id'] as number)).toBeDefined();
  });

  it('refuses a race without allow_race', async () => {
    const race = findEvent((e) => e['category'] === 'RACE_A');
    const id = race['id'] as number;
    const { result: msg, requests } = await upstream(() => callError(stack.client, 'delete_event', { event_id: id }));
    expect(requests).toEqual([]);
    expect(msg).toContain('is a race');
    expect(msg).toContain('allow_race: true');
    const dry = await call<{ would_delete: Record<string, unknown> }>(stack.client, 'delete_event', {
      event_id: id,
      allow_race: true,
      dry_run: true,
    });
    expect(dry.would_delete).toMatchObject({ id, cat: 'RACE_A' });
    expect(eventById(id)).toBeDefined();
  });
});

describe('failed writes are not retried', () => {
  it('a 502 on POST /events: exactly one request and advice to check before retrying', async () => {
    await call(stack.client, 'list_events'); // warm the profile cache: the next request is the write
    stack.fake.failNext(502);
    const before = athlete.events.length;
    const { result: msg, requests } = await upstream(
      () => callError(stack.client, 'create_event', { date: '2026-12-27', sport: 'Ride', name: 'Endurance', text: '- 2h Z2' }),
      true,
    );
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/athlete/0/events']);
    expect(msg).toContain('502');
    expect(msg).toContain('The write may or may not have happened: check list_events before retrying.');
    expect(msg).not.toContain('try again shortly');
    expect(athlete.events.length).toBe(before);
  });

  it('a 503 on the bulk upsert says a retry is safe', async () => {
    stack.fake.failNext(503);
    const { result: msg, requests } = await upstream(() =>
      callError(stack.client, 'upsert_events', { events: [{ external_id: 'plan-x', date: '2026-12-28', category: 'NOTE', name: 'x' }] }),
    );
    expect(requests).toHaveLength(1);
    expect(msg).toContain('retry: the same external_ids update, never duplicate');
  });
});

describe('READ_ONLY=true', () => {
  it('exposes none of the write tools and refuses calls to them', async () => {
    const ro = await startStack({ env: { READ_ONLY: 'true' } });
    try {
      const { tools } = await ro.client.listTools();
      const names = tools.map((t) => t.name);
      for (const n of WRITE_TOOLS) expect(names).not.toContain(n);
      for (const n of WRITE_TOOLS) {
        const r = await ro.client.callTool({ name: n, arguments: { event_id: 1, date: '2026-12-01', events: [] } }).then(
          (res) => (res.content as { text: string }[]).map((c) => c.text).join('\n'),
          (err: Error) => err.message,
        );
        expect(r).toContain(`Tool ${n} not found`);
      }
      expect(ro.fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await ro.close();
    }
  });
});
