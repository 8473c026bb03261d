import * as z from 'zod';
import { resolveRange } from '../domain/dates.js';
import { isStravaStub } from '../intervals/schemas.js';
import { ACTIVITY_COLUMNS, matchesSport } from './support/activity-row.js';
import { cursorArg, decodeCursor, encodeCursor } from './support/cursor.js';
import { sportArg } from './support/normalise.js';
import { date, localDate, wholeIn } from './support/params.js';
import { rangeTotals } from './support/range-totals.js';
import { STRAVA_NOTE } from './support/strava.js';
import { Table, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

export const MAX_ACTIVITIES = 100;
/** Rows per page without a range ("my last activities"). */
export const RECENT_PAGE = 20;
/**
 * Rows per page for an explicit range: a heavy month (one or two sessions a day) fits one page, about
 * 2,700 tokens with the totals (a typical month, 20-30 rows, ~1,300); the totals cover the whole range.
 */
export const RANGE_PAGE = 50;

/** Next page: the same range and filter, up to (not including) the last row's start. */
const Cursor = z.object({
  o: localDate,
  b: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
  s: z.string().optional(),
  l: z.coerce.number().int().min(1).max(MAX_ACTIVITIES).optional(),
});

/** `2026-11-18T06:13:58` → `2026-11-18T06:13:57` (local time as a plain string, no time zone). */
export function secondBefore(local: string): string {
  return new Date(Date.parse(`${local.slice(0, 19)}Z`) - 1000).toISOString().slice(0, 19);
}

export default defineTool({
  name: 'list_activities',
  title: 'List activities',
  description: 'Completed activities, newest first; a range adds totals per sport (50 rows a page). Default: last 90 days, 20 rows.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    oldest: date().optional(),
    newest: date('default today').optional(),
    limit: wholeIn(1, MAX_ACTIVITIES).optional(),
    sport: sportArg().optional().describe('Ride also matches VirtualRide…'),
    cursor: cursorArg,
  }),
  output: z.object({
    range: z.string(),
    totals: Table.optional(),
    activities: Table,
    next: z.string().optional(),
    note: z.string().optional(),
  }),
  async handler(args, ctx) {
    const page = args.cursor ? decodeCursor('list_activities', args.cursor, Cursor) : undefined;
    const range = page
      ? { oldest: page.o, newest: page.b.slice(0, 10) }
      : resolveRange(args, await ctx.today(), { defaultDays: 90, maxDays: 366 });
    const sport = page ? page.s : args.sport;
    const explicit = !page && (args.oldest !== undefined || args.newest !== undefined);
    const limit = page?.l ?? args.limit ?? (explicit ? RANGE_PAGE : RECENT_PAGE);
    const newest = page ? page.b : `${range.newest}T23:59:59`;
    // Totals need the whole range, and with a sport filter an upstream limit would cut before
    // filtering: then fetch the range, else only one row more than the page.
    const fetchLimit = sport || explicit ? undefined : limit + 1;
    const all = await ctx.client.listActivities(
      ctx.athleteId,
      { oldest: range.oldest, newest, ...(fetchLimit ? { limit: fetchLimit } : {}) },
      ctx.signal,
    );
    const filtered = sport ? all.filter((a) => !isStravaStub(a) && matchesSport(a.type, sport)) : all;
    const shown = filtered.slice(0, limit);
    const last = shown.at(-1)?.start_date_local;
    const next =
      filtered.length > limit && last
        ? encodeCursor('list_activities', {
            o: range.oldest,
            b: secondBefore(last),
            ...(sport ? { s: sport } : {}),
            ...(limit !== RECENT_PAGE ? { l: limit } : {}),
          })
        : undefined;
    return {
      range: `${range.oldest}..${range.newest}`,
      ...(explicit ? { totals: rangeTotals(filtered) } : {}),
      activities: toTable(shown, ACTIVITY_COLUMNS),
      ...(next ? { next } : {}),
      ...(shown.some(isStravaStub) ? { note: STRAVA_NOTE } : {}),
    };
  },
});
