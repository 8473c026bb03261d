import * as z from 'zod';
import { resolveRange } from './dates.js';
import { EVENT_COLUMNS, eventCategory } from './event-row.js';
import { date } from './params.js';
import { Table, toTable } from './table.js';
import { defineTool, READ } from './tool.js';

export default defineTool({
  name: 'list_events',
  title: 'Calendar',
  description:
    'Calendar table: planned workouts (dur h:mm:ss, load, text), races, notes; unparsed = text Intervals.icu could not parse. Default: next 7 days.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    oldest: date('default today').optional(),
    newest: date().optional(),
    category: z
      .array(eventCategory)
      .min(1)
      .optional()
      .describe('e.g. ["WORKOUT"], ["RACE_A"], ["NOTE"]'),
  }),
  output: z.object({ range: z.string(), events: Table }),
  async handler(args, ctx) {
    const today = await ctx.today();
    const range = resolveRange(args, today, { defaultDays: 7, maxDays: 400, forward: true });
    const events = await ctx.client.listEvents(
      ctx.athleteId,
      { ...range, ...(args.category ? { category: args.category } : {}) },
      ctx.signal,
    );
    events.sort((a, b) => a.start_date_local.localeCompare(b.start_date_local) || a.id - b.id);
    return { range: `${range.oldest}..${range.newest}`, events: toTable(events, EVENT_COLUMNS) };
  },
});
