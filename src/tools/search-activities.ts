import * as z from 'zod';
import { localDateTime } from '../domain/dates.js';
import { hms, km } from '../domain/format.js';
import type { ActivitySearchResult } from '../intervals/schemas.js';
import { wholeIn } from './support/params.js';
import { Fields, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

export const MAX_SEARCH = 100;

export default defineTool({
  name: 'search_activities',
  title: 'Search activities',
  description: 'Activities by name substring, or #tag.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    query: z
      .string()
      .trim()
      .refine((s) => s.length > 0 && s !== '#', 'must be a name substring or #tag'),
    limit: wholeIn(1, MAX_SEARCH).default(20),
  }),
  output: Fields,
  async handler(args, ctx) {
    const found = await ctx.client.searchActivities(ctx.athleteId, { q: args.query, limit: args.limit + 1 }, ctx.signal);
    const shown = found.slice(0, args.limit);
    return {
      activities: toTable<ActivitySearchResult>(shown, {
        id: (a) => a.id,
        start: (a) => localDateTime(a.start_date_local) ?? null,
        sport: (a) => a.type,
        name: (a) => a.name,
        moving: (a) => hms(a.moving_time),
        km: (a) => km(a.distance),
        tags: (a) => a.tags?.join(', ') || undefined,
      }),
      ...(found.length > args.limit ? { more: true } : {}),
    };
  },
});
