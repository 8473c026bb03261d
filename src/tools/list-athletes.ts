import * as z from 'zod';
import { addDays, dayOf, todayIn } from '../domain/dates.js';
import { formZone } from '../domain/form-zones.js';
import { round } from '../domain/format.js';
import { IntervalsError } from '../intervals/errors.js';
import { readable } from '../intervals/schemas.js';
import { Fields, toTable } from './support/table.js';
import { defineTool, READ, type ToolContext } from './support/tool.js';

interface Status {
  id: string;
  name?: string | undefined;
  ctl?: number | undefined;
  form?: number | undefined;
  last?: string | undefined;
  error?: string | undefined;
}

async function statusOf(id: string, ctx: ToolContext): Promise<Status> {
  try {
    const athlete = await ctx.athlete(id);
    const today = todayIn(athlete.timezone || 'UTC', ctx.now());
    const [wellness, acts] = await Promise.all([
      ctx.client.listWellness(id, { oldest: today, newest: today, fields: ['id', 'ctl', 'atl'] }, ctx.signal),
      ctx.client.listActivities(id, { oldest: addDays(today, -60), newest: `${today}T23:59:59`, limit: 5 }, ctx.signal),
    ]);
    const w = wellness.find((x) => x.id === today);
    const last = readable(acts)[0];
    return {
      id,
      name: athlete.name ?? undefined,
      ...(w?.ctl != null && w.atl != null ? { ctl: w.ctl, form: w.ctl - w.atl } : {}),
      last: last ? [dayOf(last.start_date_local), last.type, last.name].filter(Boolean).join(' ') : undefined,
    };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    return { id, error: err instanceof IntervalsError ? err.message : 'Could not read this athlete.' };
  }
}

export default defineTool({
  name: 'list_athletes',
  title: 'Athletes',
  description: "The coached athletes with today's fitness (CTL), form and zone, and last activity; use an id as athlete_id.",
  annotations: READ,
  coachOnly: true,
  input: z.object({}),
  output: Fields,
  async handler(_args, ctx) {
    const list = await Promise.all(ctx.athleteIds.map((id) => statusOf(id, ctx)));
    return {
      athletes: toTable(list, {
        id: (s) => s.id,
        name: (s) => s.name,
        ctl: (s) => round(s.ctl, 1),
        form: (s) => round(s.form, 1),
        zone: (s) => (s.form !== undefined ? formZone(s.form) : undefined),
        last: (s) => s.last,
        error: (s) => s.error,
      }),
    };
  },
});
