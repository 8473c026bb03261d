import * as z from 'zod';
import { dayOf, resolveRange } from '../domain/dates.js';
import { EVENT_CATEGORIES } from '../domain/events.js';
import { cursorArg, cursorList, decodeCursor, encodeCursor } from './support/cursor.js';
import { EVENT_COLUMNS } from './support/event-row.js';
import { categoriesArg } from './support/normalise.js';
import { date, localDate } from './support/params.js';
import { calendarTotals } from './support/range-totals.js';
import { Table, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

/** Rows per page; a longer range continues with `next`. */
export const EVENTS_PAGE = 60;

const Cursor = z.object({
  o: localDate,
  n: localDate,
  c: cursorList(z.enum(EVENT_CATEGORIES)).optional(),
  skip: z.coerce.number().int().min(0),
});

export default defineTool({
  name: 'list_events',
  title: 'Calendar',
  description: 'Workouts, races, notes (unparsed = text Intervals.icu could not read); a range adds totals. Default: next 7 days.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    oldest: date('default today').optional(),
    newest: date().optional(),
    category: categoriesArg.optional(),
    cursor: cursorArg,
  }),
  output: z.object({ range: z.string(), totals: Table.optional(), events: Table, next: z.string().optional() }),
  async handler(args, ctx) {
    const page = args.cursor ? decodeCursor('list_events', args.cursor, Cursor) : undefined;
    const range = page
      ? { oldest: page.o, newest: page.n }
      : resolveRange(args, await ctx.today(), { defaultDays: 7, maxDays: 400, forward: true });
    const category = page ? page.c : args.category;
    const events = await ctx.client.listEvents(ctx.athleteId, { ...range, ...(category ? { category } : {}) }, ctx.signal);
    events.sort((a, b) => a.start_date_local.localeCompare(b.start_date_local) || a.id - b.id);
    // Intervals.icu filters by date: a page may start part-way through a day, so skip what the
    // previous page already returned of that first day.
    const fromPage = page ? events.filter((e) => dayOf(e.start_date_local) >= page.o) : events;
    const rest = fromPage.slice(page?.skip ?? 0);
    const shown = rest.slice(0, EVENTS_PAGE);
    let next: string | undefined;
    if (rest.length > shown.length) {
      const lastDay = dayOf(shown.at(-1)!.start_date_local);
      const sameDay = shown.filter((e) => e.start_date_local.startsWith(lastDay)).length;
      const carried = lastDay === range.oldest ? (page?.skip ?? 0) : 0;
      next = encodeCursor('list_events', { o: lastDay, n: range.newest, ...(category ? { c: category } : {}), skip: carried + sameDay });
    }
    // A range the caller chose gets whole-range totals on its first page (planned time and load per
    // sport, other categories by count), so "how much is planned" never needs the other pages.
    const explicit = !page && (args.oldest !== undefined || args.newest !== undefined) && events.length > 0;
    return {
      range: `${range.oldest}..${range.newest}`,
      ...(explicit ? { totals: calendarTotals(events) } : {}),
      events: toTable(shown, EVENT_COLUMNS),
      ...(next ? { next } : {}),
    };
  },
});
