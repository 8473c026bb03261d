import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import { addDays } from '../domain/dates.js';
import { localDate } from './support/params.js';
import { WELLNESS_COLUMNS } from './support/wellness-row.js';
import { Fields, toRecord } from './support/table.js';
import { defineTool, OVERWRITE } from './support/tool.js';
import { guardWrite } from './support/write-guard.js';

/** A check for one field's value: an error text, or undefined when the value is fine. */
type Check = (v: unknown) => string | undefined;

/** A number in [min, max] (an integer when `int`), or null to clear. */
const num =
  (min: number, max: number, int = false): Check =>
  (v) =>
    v === null || (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v)))
      ? undefined
      : `must be ${int ? 'a whole number' : 'a number'} from ${min} to ${max}, or null to clear`;
const scale = () => num(1, 4, true);

/** Argument → wire field (wellness is camelCase upstream); `factor` converts units. In `set` order. */
const FIELDS: Record<string, { wire: string; check: Check; factor?: number }> = {
  weight: { wire: 'weight', check: num(20, 300) },
  resting_hr: { wire: 'restingHR', check: num(20, 150, true) },
  hrv: { wire: 'hrv', check: num(1, 500) },
  hrv_sdnn: { wire: 'hrvSDNN', check: num(1, 500) },
  sleep_hours: { wire: 'sleepSecs', check: num(0, 24), factor: 3600 },
  sleep_score: { wire: 'sleepScore', check: num(0, 100) },
  avg_sleeping_hr: { wire: 'avgSleepingHR', check: num(20, 200) },
  sleep_quality: { wire: 'sleepQuality', check: scale() },
  soreness: { wire: 'soreness', check: scale() },
  fatigue: { wire: 'fatigue', check: scale() },
  stress: { wire: 'stress', check: scale() },
  mood: { wire: 'mood', check: scale() },
  motivation: { wire: 'motivation', check: scale() },
  injury: { wire: 'injury', check: scale() },
  hydration: { wire: 'hydration', check: scale() },
  spo2: { wire: 'spO2', check: num(50, 100) },
  systolic: { wire: 'systolic', check: num(50, 260, true) },
  diastolic: { wire: 'diastolic', check: num(30, 160, true) },
  readiness: { wire: 'readiness', check: num(0, 100) },
  respiration: { wire: 'respiration', check: num(1, 80) },
  body_fat: { wire: 'bodyFat', check: num(1, 80) },
  vo2max: { wire: 'vo2max', check: num(10, 100) },
  steps: { wire: 'steps', check: num(0, 200_000, true) },
  kcal_in: { wire: 'kcalConsumed', check: num(0, 20_000, true) },
  carbs_g: { wire: 'carbohydrates', check: num(0, 3000) },
  protein_g: { wire: 'protein', check: num(0, 1000) },
  fat_g: { wire: 'fatTotal', check: num(0, 1000) },
  comments: {
    wire: 'comments',
    check: (v) => (v === null || (typeof v === 'string' && v.length <= 2000) ? undefined : 'must be text up to 2000 characters, or null to clear'),
  },
  locked: { wire: 'locked', check: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false') },
};

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
  description: "Change a day's wellness: only the fields in set; null clears one.",
  annotations: OVERWRITE,
  athleteScoped: true,
  input: z.object({
    date: localDate,
    set: z
      .record(z.string(), z.unknown())
      .describe(
        'weight kg, resting_hr, hrv, hrv_sdnn, sleep_hours, sleep_score, avg_sleeping_hr, 1-4 scores (1 = best): sleep_quality, soreness, fatigue, stress, mood, motivation, injury, hydration; spo2, systolic, diastolic, readiness, respiration, body_fat, vo2max, steps, kcal_in, carbs_g, protein_g, fat_g, comments, locked',
      ),
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
    const after = await guardWrite(() => ctx.client.updateWellness(ctx.athleteId, day, body, ctx.signal), 'it sets the same values, so repeating it is safe');
    const stored = toRecord(after, WELLNESS_COLUMNS);
    const changed: Record<string, [unknown, unknown]> = {};
    for (const k of new Set([...Object.keys(was), ...Object.keys(stored)])) {
      if (was[k] !== stored[k]) changed[k] = [was[k] ?? null, stored[k] ?? null];
    }
    return { stored, changed };
  },
});
