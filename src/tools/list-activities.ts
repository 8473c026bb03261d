import * as z from 'zod';
import { isStravaStub } from '../intervals/schemas.js';
import { ACTIVITY_COLUMNS, matchesSport, STRAVA_NOTE } from './activity-row.js';
import { resolveRange } from './dates.js';
import { date } from './params.js';
import { Table, toTable } from './table.js';
import { defineTool, READ } from './tool.js';

export const MAX_ACTIVITIES = 100;

export default defineTool({
  name: 'list_activities',
  title: 'List activities',
  description:
    'Completed activities, newest first, as a table (moving h:mm:ss, km, elev_m, load, if_pct % of threshold, W, bpm). Default: 90 days, limit 20.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    oldest: date().optional(),
    newest: date('default today').optional(),
    limit: z.number().int().min(1).max(MAX_ACTIVITIES).default(20),
    sport: z.string().trim().optional().describe('e.g. Ride (also matches VirtualRide), Run, Swim'),
  }),
  output: z.object({
    range: z.string(),
    more: z.boolean().optional(),
    activities: Table,
    note: z.string().optional(),
  }),
  async handler(args, ctx) {
    const today = await ctx.today();
    const range = resolveRange(args, today, { defaultDays: 90, maxDays: 366 });
    // With a sport filter an upstream limit would cut before filtering, so filter the whole range.
    const fetchLimit = args.sport ? undefined : args.limit + 1;
    const all = await ctx.client.listActivities(
      ctx.athleteId,
      { oldest: range.oldest, newest: `${range.newest}T23:59:59`, ...(fetchLimit ? { limit: fetchLimit } : {}) },
      ctx.signal,
    );
    const filtered = args.sport ? all.filter((a) => !isStravaStub(a) && matchesSport(a.type, args.sport!)) : all;
    const shown = filtered.slice(0, args.limit);
    return {
      range: `${range.oldest}..${range.newest}`,
      ...(filtered.length > args.limit ? { more: true } : {}),
      activities: toTable(shown, ACTIVITY_COLUMNS),
      ...(shown.some(isStravaStub) ? { note: STRAVA_NOTE } : {}),
    };
  },
});
