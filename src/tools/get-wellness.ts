import * as z from 'zod';
import type { Wellness } from '../intervals/schemas.js';
import { addDays, resolveRange } from './dates.js';
import { hm, round } from './format.js';
import { cursorArg, decodeCursor, encodeCursor } from './cursor.js';
import { date, localDate } from './params.js';
import { labelScale } from './scales.js';
import { Table, toTable, type Columns } from './table.js';
import { defineTool, READ } from './tool.js';

/** Units in the names; subjective scores as "value label" on Intervals.icu's 1-4 scales. */
export const WELLNESS_COLUMNS: Columns<Wellness> = {
  date: (w) => w.id,
  weight_kg: (w) => round(w.weight, 1),
  rhr: (w) => w.restingHR,
  hrv: (w) => round(w.hrv),
  hrv_sdnn: (w) => round(w.hrvSDNN),
  sleep: (w) => (w.sleepSecs ? hm(w.sleepSecs) : undefined),
  sleep_score: (w) => round(w.sleepScore),
  sleep_hr: (w) => round(w.avgSleepingHR),
  sleep_q: (w) => labelScale('sleepQuality', w.sleepQuality),
  soreness: (w) => labelScale('soreness', w.soreness),
  fatigue: (w) => labelScale('fatigue', w.fatigue),
  stress: (w) => labelScale('stress', w.stress),
  mood: (w) => labelScale('mood', w.mood),
  motivation: (w) => labelScale('motivation', w.motivation),
  injury: (w) => labelScale('injury', w.injury),
  hydration: (w) => labelScale('hydration', w.hydration),
  readiness: (w) => round(w.readiness),
  spo2: (w) => round(w.spO2, 1),
  bp: (w) => (w.systolic && w.diastolic ? `${w.systolic}/${w.diastolic}` : undefined),
  resp: (w) => round(w.respiration, 1),
  steps: (w) => w.steps,
  kcal_in: (w) => w.kcalConsumed,
  body_fat: (w) => round(w.bodyFat, 1),
  vo2max: (w) => round(w.vo2max, 1),
  comments: (w) => w.comments?.trim() || undefined,
};

/** Does a record hold anything beyond its date (fitness fields aside)? */
const hasWellness = (w: Wellness) => Object.entries(WELLNESS_COLUMNS).some(([k, get]) => k !== 'date' && get(w) != null);

/** Days per page; a longer range continues with `next` (a year of wellness would be ~20k tokens). */
export const WELLNESS_PAGE_DAYS = 31;
const Cursor = z.object({ o: localDate, n: localDate });

export default defineTool({
  name: 'get_wellness',
  title: 'Daily wellness',
  description:
    'Daily wellness: weight kg, rhr bpm, hrv ms, sleep h:mm, scores as "value label" on 1-4 scales (1 = best). Default: 7 days.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    oldest: date().optional(),
    newest: date('default today').optional(),
    cursor: cursorArg,
  }),
  output: z.object({
    range: z.string(),
    days: Table,
    missing: z.array(z.string()).optional(),
    next: z.string().optional(),
  }),
  async handler(args, ctx) {
    const today = await ctx.today();
    const asked = args.cursor
      ? (({ o, n }) => ({ oldest: o, newest: n }))(decodeCursor('get_wellness', args.cursor, Cursor))
      : resolveRange(args, today, { defaultDays: 7, maxDays: 366 });
    const pageEnd = addDays(asked.oldest, WELLNESS_PAGE_DAYS - 1);
    const range = { oldest: asked.oldest, newest: pageEnd < asked.newest ? pageEnd : asked.newest };
    const rows = await ctx.client.listWellness(ctx.athleteId, range, ctx.signal);
    const days = rows.filter((w) => w.id >= range.oldest && w.id <= range.newest && hasWellness(w));
    const have = new Set(days.map((d) => d.id));
    const missing: string[] = [];
    for (let d = range.oldest; d <= range.newest && d <= today; d = addDays(d, 1)) if (!have.has(d)) missing.push(d);
    const next = range.newest < asked.newest ? encodeCursor('get_wellness', { o: addDays(range.newest, 1), n: asked.newest }) : undefined;
    return {
      range: `${range.oldest}..${range.newest}`,
      days: toTable(days, WELLNESS_COLUMNS),
      ...(missing.length ? { missing } : {}),
      ...(next ? { next } : {}),
    };
  },
});
