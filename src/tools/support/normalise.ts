/**
 * Forgiving input, strict meaning. What a person or a model plausibly sends, when its meaning is
 * unambiguous, is rewritten here — in one place, before validation — into the form the schemas
 * accept: a single value where a list is allowed, enum values in any case (`race_a`, `Race A`),
 * `RACE` for every race priority in a list, sport names in any case and common synonyms (`bike`,
 * `cycling` → Ride; `running` → Run). Anything else passes through unchanged, so the validator
 * refuses it with the allowed values. The JSON schema each helper shows in tools/list is the strict
 * one (zod renders a preprocess as its target schema).
 */
import * as z from 'zod';
import { EVENT_CATEGORIES } from '../../domain/events.js';
import { SCALES, type ScaleField } from '../../domain/scales.js';

/** A token compared loosely: case, spaces, hyphens and underscores ignored. */
const loose = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/**
 * `v` as one of `values` when it names one loosely (any case and separators, a plural `s`, or an
 * alias); otherwise `v` unchanged.
 */
export function matchValue<T extends string>(v: unknown, values: readonly T[], aliases: Readonly<Record<string, T>> = {}): unknown {
  if (typeof v !== 'string') return v;
  const k = loose(v);
  const hit = (x: string) => values.find((c) => loose(c) === x) ?? aliases[x];
  return hit(k) ?? (k.endsWith('s') ? hit(k.slice(0, -1)) : undefined) ?? v;
}

/**
 * A list argument as a list: one value becomes a one-item list, a comma-separated string its items;
 * `expand` turns one loose value into several (`RACE` → the three race priorities). Duplicates go.
 */
export function toList(
  v: unknown,
  item: (x: unknown) => unknown = (x) => x,
  expand: Readonly<Record<string, readonly string[]>> = {},
): unknown {
  if (v === undefined || v === null) return v;
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
  const items = raw.flatMap((x) => {
    if (typeof x !== 'string') return [x];
    const k = loose(x);
    return expand[k] ?? expand[k.replace(/s$/, '')] ?? [x.trim()];
  });
  const out = items.map(item);
  return out.every((x) => typeof x === 'string' || typeof x === 'number') ? [...new Set(out)] : out;
}

/** A closed set: an enum in tools/list, matched loosely (any case, separators, plural, aliases). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, aliases: Readonly<Record<string, T[number]>> = {}) {
  return z.preprocess((v) => matchValue(v, values, aliases), enumOf(values));
}

/** The enum, refusing with the allowed values listed. */
const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (i) => (i.input === undefined ? undefined : `must be one of ${values.join(', ')}`) });

/** A list of a closed set: an array of the enum; one value, a comma list and loose spellings accepted. */
export function listOf<const T extends readonly [string, ...string[]]>(
  values: T,
  opts: { aliases?: Readonly<Record<string, T[number]>>; expand?: Readonly<Record<string, readonly T[number][]>> } = {},
) {
  return z.preprocess(
    (v) => toList(v, (x) => matchValue(x, values, opts.aliases), opts.expand),
    z.array(enumOf(values)).refine((a) => a.length > 0, 'must name at least one value'),
  );
}

/** A list of anything (objects, numbers): a single value becomes a one-item list. */
export const asList = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), schema);

// ---------------------------------------------------------------- calendar categories

/** `RACE` (or `races`) in a category list means every race priority. */
export const RACE_EXPANSION = { race: ['RACE_A', 'RACE_B', 'RACE_C'] } as const;

const CATEGORY_ALIASES: Readonly<Record<string, (typeof EVENT_CATEGORIES)[number]>> = {
  arace: 'RACE_A',
  brace: 'RACE_B',
  crace: 'RACE_C',
  vacation: 'HOLIDAY',
  ill: 'SICK',
  illness: 'SICK',
  injury: 'INJURED',
  eftp: 'SET_EFTP',
};

/** One calendar category (create_event): one value; `RACE` alone is ambiguous and refused. */
export const categoryArg = oneOf(EVENT_CATEGORIES, CATEGORY_ALIASES);

/** Calendar categories to list (list_events): one or several; `RACE` = RACE_A, RACE_B, RACE_C. */
export const categoriesArg = listOf(EVENT_CATEGORIES, { aliases: CATEGORY_ALIASES, expand: RACE_EXPANSION });

// ---------------------------------------------------------------- sports

/**
 * Intervals.icu activity types people name (the set is open upstream: any other name passes
 * through unchanged), matched in any case; `virtual ride` → VirtualRide.
 */
export const SPORT_TYPES = [
  'Ride',
  'VirtualRide',
  'GravelRide',
  'MountainBikeRide',
  'EBikeRide',
  'EMountainBikeRide',
  'TrackRide',
  'Velomobile',
  'Handcycle',
  'Run',
  'VirtualRun',
  'TrailRun',
  'Walk',
  'Hike',
  'Swim',
  'OpenWaterSwim',
  'WeightTraining',
  'Workout',
  'Yoga',
  'Pilates',
  'Rowing',
  'VirtualRow',
  'Canoeing',
  'Kayaking',
  'NordicSki',
  'AlpineSki',
  'BackcountrySki',
  'RollerSki',
  'Snowshoe',
  'IceSkate',
  'InlineSkate',
  'Elliptical',
  'StairStepper',
  'RockClimbing',
  'Crossfit',
  'Soccer',
  'Tennis',
  'Golf',
  'Other',
] as const;

/** Common names for a sport → its Intervals.icu type. */
export const SPORT_SYNONYMS: Readonly<Record<string, (typeof SPORT_TYPES)[number]>> = {
  bike: 'Ride',
  biking: 'Ride',
  cycle: 'Ride',
  cycling: 'Ride',
  roadbike: 'Ride',
  roadcycling: 'Ride',
  riding: 'Ride',
  indoorride: 'VirtualRide',
  zwift: 'VirtualRide',
  gravel: 'GravelRide',
  mtb: 'MountainBikeRide',
  mountainbike: 'MountainBikeRide',
  running: 'Run',
  jog: 'Run',
  jogging: 'Run',
  treadmill: 'VirtualRun',
  trailrunning: 'TrailRun',
  swimming: 'Swim',
  openwater: 'OpenWaterSwim',
  walking: 'Walk',
  hiking: 'Hike',
  strength: 'WeightTraining',
  weights: 'WeightTraining',
  gym: 'WeightTraining',
  row: 'Rowing',
  rower: 'Rowing',
  xcski: 'NordicSki',
};

/** A sport name as its Intervals.icu type when it names one (any case, synonyms); else unchanged (trimmed). */
export function normaliseSport(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const hit = matchValue(v, SPORT_TYPES, SPORT_SYNONYMS);
  return typeof hit === 'string' ? hit.trim() : hit;
}

/** A sport argument: a string in tools/list; any case and synonyms accepted; always trimmed, so tools need not. */
export const sportArg = (schema: z.ZodType<string, string> = z.string()) => z.preprocess(normaliseSport, schema);

// ---------------------------------------------------------------- wellness

/**
 * A 1-4 wellness score: the number, its label (`good`), or "value label" as get_wellness shows it
 * (`2 good`); the label counts only on that field's own scale.
 */
export function scaleValue(field: ScaleField, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  const m = /^([1-4])(?:\s+[a-z]+)?$/.exec(s);
  if (m) return Number(m[1]);
  const i = (SCALES[field] as readonly string[]).findIndex((label) => label === s || (label === 'avg' && s === 'average'));
  return i >= 0 ? i + 1 : v;
}

/** Hours as a number: `7.5`, `"7.5"`, `"7:30"` (h:mm, as get_wellness shows sleep) or `"7h30"`. */
export function hoursValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^\s*(\d{1,2})\s*(?::|h)\s*([0-5]\d)?\s*m?\s*$/i.exec(v);
  if (m) return Number(m[1]) + Number(m[2] ?? 0) / 60;
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** A number sent as a numeric string (`"72.5"`) as the number; anything else unchanged. */
export function numberValue(v: unknown): unknown {
  if (typeof v !== 'string' || v.trim() === '') return v;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : v;
}

// ---------------------------------------------------------------- streams and curves

/**
 * Intervals.icu stream names the catalogue lists (the common ones; time, fixed_watts,
 * left_right_balance, thb, dfa_a1 and custom streams with other names are still read, as before).
 */
export const STREAM_TYPES = [
  'watts',
  'heartrate',
  'cadence',
  'velocity_smooth',
  'altitude',
  'distance',
  'latlng',
  'temp',
  'grade_smooth',
  'torque',
  'smo2',
  'respiration',
  'core_temperature',
  'w_bal',
] as const;

const STREAM_ALIASES: Readonly<Record<string, (typeof STREAM_TYPES)[number]>> = {
  power: 'watts',
  hr: 'heartrate',
  heart: 'heartrate',
  speed: 'velocity_smooth',
  velocity: 'velocity_smooth',
  pace: 'velocity_smooth',
  elevation: 'altitude',
  gps: 'latlng',
  position: 'latlng',
  temperature: 'temp',
  grade: 'grade_smooth',
  gradient: 'grade_smooth',
  wbal: 'w_bal',
};

const STREAM_NAME = /^[a-z][a-z0-9_]*$/i;

/**
 * Stream types: an enum of the known names in tools/list; one name or a comma list, any case and
 * aliases (`hr`, `power`, `speed`) accepted; another lower-case name (a custom stream) is read as before.
 */
export const streamTypesArg = z.preprocess(
  (v) =>
    toList(v, (x) => {
      const m = matchValue(x, STREAM_TYPES, STREAM_ALIASES);
      return typeof m === 'string' ? m.trim() : m;
    }),
  z
    .array(
      z
        .string()
        .refine((t) => STREAM_NAME.test(t), `must be a stream name: ${STREAM_TYPES.join(', ')}`)
        .meta({ enum: [...STREAM_TYPES] }),
    )
    .refine((a) => a.length >= 1 && a.length <= 20, 'must be 1 to 20 stream names'),
);

/** Curve kinds, any case; `heart rate`, `watts`, `speed` accepted. */
export const curveKindArg = oneOf(['power', 'hr', 'pace'] as const, { heartrate: 'hr', heart: 'hr', watts: 'power', speed: 'pace' });
