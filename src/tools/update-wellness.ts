import * as z from 'zod';
import { addDays } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import type { ScaleField } from '../domain/scales.js';
import { hoursValue, numberValue, scaleValue } from './support/normalise.js';
import { localDate } from './support/params.js';
import { Fields, toRecord } from './support/table.js';
import { defineTool, OVERWRITE } from './support/tool.js';
import { WELLNESS_COLUMNS } from './support/wellness-row.js';
import { guardWrite } from './support/write-guard.js';

/** A check for one field's value: an error text, or undefined when the value is fine. */
type Check = (v: unknown) => string | undefined;

/** One writable field: its wire name, check, unit factor, JSON schema in tools/list, loose-input normaliser. */
interface Field {
  wire: string;
  check: Check;
  factor?: number;
  json: Record<string, unknown>;
  normalise?: (v: unknown) => unknown;
}

/** A number in [min, max] (an integer when `int`), or null to clear. */
const num = (min: number, max: number, int = false, extra: Partial<Field> = {}): Field => ({
  wire: '',
  check: (v) =>
    v === null || (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v)))
      ? undefined
      : `must be ${int ? 'a whole number' : 'a number'} from ${min} to ${max}, or null to clear`,
  json: { type: int ? 'integer' : 'number' },
  normalise: numberValue,
  ...extra,
});
/** A 1-4 score (1 = best): the number, its label or "2 good" as get_wellness shows it. */
const scale = (field: ScaleField): Field => ({
  ...num(1, 4, true),
  json: { type: 'integer', enum: [1, 2, 3, 4] },
  normalise: (v) => scaleValue(field, v),
});

/** Argument → wire field (wellness is camelCase upstream); `factor` converts units. In `set` order. */
const SPEC: Record<string, Field> = {
  weight: num(20, 300),
  resting_hr: num(20, 150, true),
  hrv: num(1, 500),
  hrv_sdnn: num(1, 500),
  sleep_hours: num(0, 24, false, { factor: 3600, normalise: hoursValue }),
  sleep_score: num(0, 100),
  avg_sleeping_hr: num(20, 200),
  sleep_quality: scale('sleepQuality'),
  soreness: scale('soreness'),
  fatigue: scale('fatigue'),
  stress: scale('stress'),
  mood: scale('mood'),
  motivation: scale('motivation'),
  injury: scale('injury'),
  hydration: scale('hydration'),
  spo2: num(50, 100),
  systolic: num(50, 260, true),
  diastolic: num(30, 160, true),
  readiness: num(0, 100),
  respiration: num(1, 80),
  body_fat: num(1, 80),
  vo2max: num(10, 100),
  steps: num(0, 200_000, true),
  kcal_in: num(0, 20_000, true),
  carbs_g: num(0, 3000),
  protein_g: num(0, 1000),
  fat_g: num(0, 1000),
  comments: {
    wire: '',
    check: (v) =>
      v === null || (typeof v === 'string' && v.length <= 2000) ? undefined : 'must be text up to 2000 characters, or null to clear',
    json: { type: 'string' },
  },
  locked: { wire: '', check: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'), json: { type: 'boolean' } },
};
const WIRE: Record<string, string> = {
  resting_hr: 'restingHR',
  hrv_sdnn: 'hrvSDNN',
  sleep_hours: 'sleepSecs',
  sleep_score: 'sleepScore',
  avg_sleeping_hr: 'avgSleepingHR',
  sleep_quality: 'sleepQuality',
  spo2: 'spO2',
  body_fat: 'bodyFat',
  kcal_in: 'kcalConsumed',
  carbs_g: 'carbohydrates',
  protein_g: 'protein',
  fat_g: 'fatTotal',
};
const FIELDS: Record<string, Field> = Object.fromEntries(Object.entries(SPEC).map(([k, f]) => [k, { ...f, wire: WIRE[k] ?? k }]));

/**
 * `set` in tools/list: every writable field with its type and range (scores as the enum 1-4).
 * Values are normalised here (labels, "7:30" sleep, numeric strings) and checked by wellnessBody,
 * which names every bad field at once; unknown keys pass through to it so it can say why
 * (computed, or belongs to an activity). null clears a field (said in the description).
 */
const SetArg = z
  .looseObject(
    Object.fromEntries(
      Object.entries(FIELDS).map(([k, f]) => [
        k,
        z
          .preprocess((v) => (f.normalise ? f.normalise(v) : v), z.unknown())
          .optional()
          .meta(f.json),
      ]),
    ),
  )
  .describe('Fields to change; null clears one. Scores: 1 = best.');

/** Fields people try that are not writable, with the reason. */
const NOT_WRITABLE: Record<string, string> = {
  ctl: 'fitness (ctl) is computed from training load',
  atl: 'fatigue (atl) is computed from training load',
  form: 'form is ctl - atl, computed',
  ramp: 'the ramp rate is computed',
  rampRate: 'the ramp rate is computed',
  load: 'the daily load comes from activities',
  feel: 'feel is not a wellness field: it belongs to an activity',
  rpe: 'RPE is not a wellness field: it belongs to an activity',
};

/**
 * Validate `set` and build the request body: `-1` clears a numeric field, `""` the comment.
 * Throws an InputError naming every bad field, before anything is sent.
 */
export function wellnessBody(set: Record<string, unknown>): Record<string, unknown> {
  const problems: string[] = [];
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(set)) {
    const f = FIELDS[k];
    if (!f) {
      problems.push(NOT_WRITABLE[k] ? `${k}: not writable, ${NOT_WRITABLE[k]}` : `${k}: not a writable wellness field`);
      continue;
    }
    if (v === undefined) continue;
    const bad = f.check(v);
    if (bad) {
      problems.push(`${k} ${bad}`);
      continue;
    }
    if (v === null) body[f.wire] = k === 'comments' ? '' : -1;
    else body[f.wire] = f.factor && typeof v === 'number' ? Math.round(v * f.factor) : v;
  }
  if (problems.length) {
    const unknown = problems.some((p) => p.includes('not a writable'));
    throw new InputError(`Nothing written. ${problems.join('; ')}.${unknown ? ` Writable: ${Object.keys(FIELDS).join(', ')}.` : ''}`);
  }
  if (!Object.keys(body).length) throw new InputError('Nothing to change: put at least one field in set.');
  return body;
}

export default defineTool({
  name: 'update_wellness',
  title: 'Update wellness',
  description: "Log or correct a day's wellness.",
  annotations: OVERWRITE,
  athleteScoped: true,
  input: z.object({
    date: localDate,
    set: SetArg,
    dry_run: z.boolean().optional(),
  }),
  output: Fields,
  async handler(args, ctx) {
    const body = wellnessBody(args.set);
    const day = args.date;
    const today = await ctx.today();
    if (day > addDays(today, 1)) {
      throw new InputError(`${day} is in the future (today is ${today}); wellness can be logged up to tomorrow. Check the date.`);
    }
    const before = await ctx.client.getWellness(ctx.athleteId, day, ctx.signal);
    const was = toRecord(before, WELLNESS_COLUMNS);
    if (args.dry_run) return { dry_run: true, would_send: body, before: was };
    const after = await guardWrite(
      () => ctx.client.updateWellness(ctx.athleteId, day, body, ctx.signal),
      'it sets the same values, so repeating it is safe',
    );
    const stored = toRecord(after, WELLNESS_COLUMNS);
    const changed: Record<string, [unknown, unknown]> = {};
    for (const k of new Set([...Object.keys(was), ...Object.keys(stored)])) {
      if (was[k] !== stored[k]) changed[k] = [was[k] ?? null, stored[k] ?? null];
    }
    return { stored, changed };
  },
});
