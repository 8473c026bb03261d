import * as z from 'zod';
import { addDays, datesFrom, resolveRange } from '../domain/dates.js';
import { compact, hm, round } from '../domain/format.js';
import type { Wellness } from '../intervals/schemas.js';
import { cursorArg, decodeCursor, encodeCursor } from './support/cursor.js';
import { date, localDate } from './support/params.js';
import { Fields, Table, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';
import { WELLNESS_COLUMNS } from './support/wellness-row.js';

/** Does a record hold anything beyond its date (fitness fields aside)? */
const hasWellness = (w: Wellness) => Object.entries(WELLNESS_COLUMNS).some(([k, get]) => k !== 'date' && get(w) != null);

/** Averages over a whole range (days with a value only), and weight at its first and last record. */
function rangeSummary(days: readonly Wellness[], r: { oldest: string; newest: string }): Record<string, string | number> {
  const avg = (get: (w: Wellness) => number | null | undefined) => {
    const xs = days.map(get).filter((v): v is number => typeof v === 'number' && v > 0);
    return xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : undefined;
  };
  const weights = days.filter((w) => typeof w.weight === 'number' && w.weight > 0).sort((a, b) => a.id.localeCompare(b.id));
  const sleep = avg((w) => w.sleepSecs);
  return compact({
    range: `${r.oldest}..${r.newest}`,
    days: days.length,
    rhr_avg: round(
      avg((w) => w.restingHR),
      1,
    ),
    hrv_avg: round(avg((w) => w.hrv)),
    sleep_avg: sleep === undefined ? undefined : hm(sleep),
    weight_kg: weights.length ? `${round(weights[0]!.weight, 1)}..${round(weights.at(-1)!.weight, 1)}` : undefined,
  }) as Record<string, string | number>;
}

/** Days per page; a longer range continues with `next` (a year of wellness would be ~20k tokens). */
export const WELLNESS_PAGE_DAYS = 31;
const Cursor = z.object({ o: localDate, n: localDate });

export default defineTool({
  name: 'get_wellness',
  title: 'Daily wellness',
  description: 'Daily weight, resting HR, HRV, sleep, 1-4 scores (1 = best); a long range adds averages. Default: 7 days.',
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
    summary: Fields.optional(),
  }),
  async handler(args, ctx) {
    const today = await ctx.today();
    const asked = args.cursor
      ? (({ o, n }) => ({ oldest: o, newest: n }))(decodeCursor('get_wellness', args.cursor, Cursor))
      : resolveRange(args, today, { defaultDays: 7, maxDays: 366 });
    const pageEnd = addDays(asked.oldest, WELLNESS_PAGE_DAYS - 1);
    const range = { oldest: asked.oldest, newest: pageEnd < asked.newest ? pageEnd : asked.newest };
    // A range longer than a page is read whole on its first page, for a summary of the whole range
    // (a model then answers "is my HRV trending down over 3 months?" without the other pages).
    const whole = !args.cursor && range.newest < asked.newest;
    const rows = await ctx.client.listWellness(ctx.athleteId, whole ? asked : range, ctx.signal);
    const recorded = rows.filter(hasWellness);
    const days = recorded.filter((w) => w.id >= range.oldest && w.id <= range.newest);
    const have = new Set(days.map((d) => d.id));
    const missing = datesFrom(range.oldest, range.newest).filter((d) => d <= today && !have.has(d));
    const next = range.newest < asked.newest ? encodeCursor('get_wellness', { o: addDays(range.newest, 1), n: asked.newest }) : undefined;
    return {
      range: `${range.oldest}..${range.newest}`,
      days: toTable(days, WELLNESS_COLUMNS),
      ...(missing.length ? { missing } : {}),
      ...(next ? { next } : {}),
      ...(whole
        ? {
            summary: rangeSummary(
              recorded.filter((w) => w.id >= asked.oldest && w.id <= asked.newest),
              asked,
            ),
          }
        : {}),
    };
  },
});
