import * as z from 'zod';
import type { Wellness } from '../intervals/schemas.js';
import { addDays, datesFrom, resolveRange } from '../domain/dates.js';
import { cursorArg, decodeCursor, encodeCursor } from './support/cursor.js';
import { date, localDate } from './support/params.js';
import { WELLNESS_COLUMNS } from './support/wellness-row.js';
import { Table, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';


/** Does a record hold anything beyond its date (fitness fields aside)? */
const hasWellness = (w: Wellness) => Object.entries(WELLNESS_COLUMNS).some(([k, get]) => k !== 'date' && get(w) != null);

/** Days per page; a longer range continues with `next` (a year of wellness would be ~20k tokens). */
export const WELLNESS_PAGE_DAYS = 31;
const Cursor = z.object({ o: localDate, n: localDate });

export default defineTool({
  name: 'get_wellness',
  title: 'Daily wellness',
  description:
    'Daily weight, resting HR, HRV, sleep and 1-4 scores (1 = best). Default: 7 days.',
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
    const missing = datesFrom(range.oldest, range.newest).filter((d) => d <= today && !have.has(d));
    const next = range.newest < asked.newest ? encodeCursor('get_wellness', { o: addDays(range.newest, 1), n: asked.newest }) : undefined;
    return {
      range: `${range.oldest}..${range.newest}`,
      days: toTable(days, WELLNESS_COLUMNS),
      ...(missing.length ? { missing } : {}),
      ...(next ? { next } : {}),
    };
  },
});
