/**
 * Forgiving input, strict meaning (issue 9): per parameter, what a person or model plausibly sends
 * is normalised before validation (src/tools/support/normalise.ts); what is ambiguous or wrong is
 * still refused with the allowed values; and everything accepted before is still accepted.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CATEGORIES } from '../src/domain/events.js';
import { tools } from '../src/tools/index.js';
import type { AnyTool } from '../src/tools/support/tool.js';
import { call, callError, rowsOf, type Stack, type Table, useStack } from './support/harness.js';

const tool = (name: string): AnyTool => tools.find((t) => t.name === name)!;
const parse = (name: string, args: Record<string, unknown>) => tool(name).input.parse(args) as Record<string, unknown>;
const refused = (name: string, args: Record<string, unknown>) => {
  const r = tool(name).input.safeParse(args);
  return r.success
    ? undefined
    : r.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

const EVENT = { date: '2026-11-27' };

/** [tool, parameter, sent, normalised]: one row per loose form a parameter accepts. */
const LOOSE: [string, string, unknown, unknown][] = [
  // list_events.category: one value, any case, separators, plural, RACE = all priorities, a comma list.
  ['list_events', 'category', 'race_a', ['RACE_A']],
  ['list_events', 'category', 'RACE_A', ['RACE_A']],
  ['list_events', 'category', 'workout', ['WORKOUT']],
  ['list_events', 'category', ['WORKOUT', 'NOTE'], ['WORKOUT', 'NOTE']],
  ['list_events', 'category', ['workouts', 'Race A'], ['WORKOUT', 'RACE_A']],
  ['list_events', 'category', 'RACE', ['RACE_A', 'RACE_B', 'RACE_C']],
  ['list_events', 'category', ['races', 'note'], ['RACE_A', 'RACE_B', 'RACE_C', 'NOTE']],
  ['list_events', 'category', 'workout, note', ['WORKOUT', 'NOTE']],
  ['list_events', 'category', ['RACE_A', 'race'], ['RACE_A', 'RACE_B', 'RACE_C']],
  // create_event.category: one value in any case.
  ['create_event', 'category', 'note', 'NOTE'],
  ['create_event', 'category', 'Race-B', 'RACE_B'],
  ['create_event', 'category', 'sick', 'SICK'],
  ['create_event', 'category', 'illness', 'SICK'],
  // Sports: any case, synonyms.
  ['create_event', 'sport', 'bike', 'Ride'],
  ['create_event', 'sport', 'cycling', 'Ride'],
  ['create_event', 'sport', 'running', 'Run'],
  ['create_event', 'sport', 'RUN', 'Run'],
  ['create_event', 'sport', 'swimming', 'Swim'],
  ['create_event', 'sport', 'virtual ride', 'VirtualRide'],
  ['create_event', 'sport', 'strength', 'WeightTraining'],
  ['create_event', 'sport', 'Kitesurf', 'Kitesurf'],
  ['update_event', 'sport', 'Cycling', 'Ride'],
  ['list_activities', 'sport', 'bike', 'Ride'],
  ['list_activities', 'sport', 'run', 'Run'],
  ['list_activities', 'sport', 'virtual', 'virtual'],
  ['get_curves', 'sport', 'running', 'Run'],
  ['update_thresholds', 'sport', 'cycling', 'Ride'],
  // get_curves.kind and durations.
  ['get_curves', 'kind', 'HR', 'hr'],
  ['get_curves', 'kind', 'heart rate', 'hr'],
  ['get_curves', 'kind', 'Power', 'power'],
  ['get_curves', 'kind', 'watts', 'power'],
  ['get_curves', 'durations', 1200, [1200]],
  // get_streams.types: one name, a comma list, any case, aliases; custom names as before.
  ['get_streams', 'types', 'watts', ['watts']],
  ['get_streams', 'types', 'HeartRate', ['heartrate']],
  ['get_streams', 'types', 'hr,power', ['heartrate', 'watts']],
  ['get_streams', 'types', ['speed', 'elevation', 'gps'], ['velocity_smooth', 'altitude', 'latlng']],
  ['get_streams', 'types', ['fixed_watts', 'dfa_a1'], ['fixed_watts', 'dfa_a1']],
];

describe('forgiving input, per parameter', () => {
  it.each(LOOSE)('%s.%s: %j → %j', (name, param, sent, want) => {
    const base =
      name === 'create_event'
        ? EVENT
        : name === 'update_event'
          ? { event_id: 1 }
          : name === 'update_thresholds'
            ? { ftp: 250 }
            : name === 'get_streams'
              ? { activity_id: 'i1' }
              : {};
    expect(parse(name, { ...base, [param]: sent })[param]).toEqual(want);
  });

  it('upsert_events: one event alone is a list of one, its fields normalised like create_event', async () => {
    expect(parse('upsert_events', { events: { date: '2026-11-27', external_id: 'a' } }).events).toEqual([
      { date: '2026-11-27', external_id: 'a' },
    ]);
  });

  it('update_wellness.set: labels and "value label" for scores, h:mm sleep, numeric strings', () => {
    const set = parse('update_wellness', {
      date: '2026-11-24',
      set: { mood: 'good', soreness: '3 high', sleep_quality: 'Great', motivation: 2, sleep_hours: '7:30', weight: '71.2', hrv: 60 },
    }).set;
    expect(set).toEqual({ mood: 2, soreness: 3, sleep_quality: 1, motivation: 2, sleep_hours: 7.5, weight: 71.2, hrv: 60 });
  });
});

describe('strict meaning: still refused, with the allowed values', () => {
  it.each([
    ['create_event', { ...EVENT, category: 'RACE' }, /category: must be one of WORKOUT, RACE_A, RACE_B, RACE_C, NOTE/],
    ['create_event', { ...EVENT, category: 'training' }, /must be one of WORKOUT/],
    ['list_events', { category: ['FOO'] }, /must be one of WORKOUT/],
    ['list_events', { category: [] }, /at least one/],
    ['get_curves', { kind: 'cadence' }, /must be one of power, hr, pace/],
    ['get_streams', { activity_id: 'i1', types: ['heart rate!'] }, /must be a stream name/],
    ['get_curves', { durations: [] }, /1 to 20/],
    ['list_activities', { limit: '5' }, /expected number/],
  ] as [string, Record<string, unknown>, RegExp][])('%s %j', (name, args, message) => {
    expect(refused(name, args)).toMatch(message);
  });

  it("update_wellness: a word that is not on that field's scale is passed on and refused by the field check", () => {
    // "great" is a mood and sleep label, not a soreness one: left as is, then refused by wellnessBody.
    expect(parse('update_wellness', { date: '2026-11-24', set: { soreness: 'great' } }).set).toEqual({ soreness: 'great' });
  });
});

describe('nothing accepted before is refused now', () => {
  it.each([
    ['list_events', { category: [...EVENT_CATEGORIES] }],
    ['list_events', { category: ['WORKOUT', 'NOTE'], oldest: '2026-11-01', newest: '2026-11-30' }],
    [
      'create_event',
      {
        ...EVENT,
        category: 'WORKOUT',
        sport: 'Ride',
        name: 'x',
        text: '- 10m 50%',
        time: '06:30',
        planned_secs: 3600,
        planned_km: 30,
        planned_load: 60,
        external_id: 'e',
        dry_run: true,
      },
    ],
    ['create_event', { ...EVENT, sport: 'VirtualRide' }],
    ['create_event', { ...EVENT, sport: 'Zumba' }],
    ['list_activities', { sport: 'Ride', limit: 100 }],
    ['list_activities', { sport: 'GravelRide' }],
    ['get_streams', { activity_id: 'i1', types: ['watts', 'heartrate', 'temp', 'latlng', 'fixed_watts', 'MyCustomField'] }],
    ['get_curves', { kind: 'pace', sport: 'Run', durations: [400, 1000] }],
    ['update_thresholds', { sport: 'Ride', ftp: 250, power_zones: [55, 75, 90, 105, 120, 150, 999] }],
    [
      'update_wellness',
      { date: '2026-11-24', set: { weight: 70.1, sleep_hours: 7.25, soreness: 3, comments: 'Legs heavy', hrv: null, locked: true } },
    ],
    ['upsert_events', { events: [{ date: '2026-11-27', external_id: 'a', category: 'WORKOUT', sport: 'Ride' }], dry_run: true }],
  ] as [string, Record<string, unknown>][])('%s %j', (name, args) => {
    expect(refused(name, args)).toBeUndefined();
  });
});

describe('over MCP, end to end', () => {
  let stack: Stack;
  useStack((s) => {
    stack = s;
  });

  it('list_events accepts "category": "race_a" and ["WORKOUT","NOTE"]', async () => {
    const range = { oldest: '2026-11-01', newest: '2027-03-31' };
    const races = await call<{ events: Table }>(stack.client, 'list_events', { ...range, category: 'race_a' });
    expect(rowsOf(races.events).length).toBeGreaterThan(0);
    expect(new Set(rowsOf(races.events).map((e) => e.cat))).toEqual(new Set(['RACE_A']));
    const mixed = await call<{ events: Table }>(stack.client, 'list_events', { ...range, category: ['WORKOUT', 'NOTE'] });
    expect([...new Set(rowsOf(mixed.events).map((e) => e.cat))].every((c) => c === 'WORKOUT' || c === 'NOTE')).toBe(true);
  });

  it('an ambiguous single category is refused as a tool error naming the allowed values', async () => {
    const text = await callError(stack.client, 'create_event', { date: '2026-11-27', category: 'race', dry_run: true });
    expect(text).toMatch(/category: must be one of WORKOUT, RACE_A, RACE_B, RACE_C/);
  });
});
