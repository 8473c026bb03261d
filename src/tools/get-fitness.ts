import * as z from 'zod';
import { addDays, resolveRange } from '../domain/dates.js';
import { MODEL_NOTE, point, series } from '../domain/fitness.js';
import { round } from '../domain/format.js';
import { date } from './support/params.js';
import { Fields } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

const PROJECTION_DAYS = 28;

export default defineTool({
  name: 'get_fitness',
  title: 'Fitness and form',
  description:
    'Fitness (CTL), fatigue (ATL), form, load per day; form zone, 7/28-day change; future days projected from the plan. Default: 90 days + 4 weeks.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    oldest: date().optional(),
    newest: date().optional(),
  }),
  output: z.object({
    current: Fields.optional(),
    change_7d: Fields.optional(),
    change_28d: Fields.optional(),
    daily: Fields,
    projected_from: z.string().optional(),
    projection_end: Fields.optional(),
    model: z.string(),
  }),
  async handler(args, ctx) {
    const today = await ctx.today();
    const range = resolveRange(args, today, { defaultDays: 90, maxDays: 400 });
    // Without an explicit newest, the series runs on into the projection (at most 4 weeks).
    const end = args.newest ?? addDays(range.newest, range.newest === today ? PROJECTION_DAYS : 0);
    const rows = await ctx.client.listWellness(
      ctx.athleteId,
      { oldest: addDays(range.oldest, -28), newest: end, fields: ['id', 'ctl', 'atl', 'rampRate', 'ctlLoad'] },
      ctx.signal,
    );
    const byDate = new Map(rows.filter((w) => w.ctl != null && w.atl != null).map((w) => [w.id, w]));
    const at = (d: string) => {
      const w = byDate.get(d);
      return w ? { ctl: w.ctl!, atl: w.atl!, form: w.ctl! - w.atl! } : undefined;
    };
    const pastEnd = end < today ? end : today;
    const change = (days: number) => {
      const now = at(pastEnd);
      const then = at(addDays(pastEnd, -days));
      return now && then
        ? { ctl: round(now.ctl - then.ctl, 1)!, atl: round(now.atl - then.atl, 1)!, form: round(now.form - then.form, 1)! }
        : undefined;
    };
    // The series runs to the last day with data (the projection ends where planned workouts end).
    const last =
      [...byDate.keys()]
        .filter((d) => d <= end)
        .sort()
        .at(-1) ?? range.newest;
    const to = last > range.newest ? last : range.newest;
    const current = at(pastEnd);
    const endPoint = to > today ? at(to) : undefined;
    const c7 = change(7);
    const c28 = change(28);
    return {
      ...(current ? { current: point(pastEnd, current.ctl, current.atl) } : {}),
      ...(c7 ? { change_7d: c7 } : {}),
      ...(c28 ? { change_28d: c28 } : {}),
      daily: series(byDate, range.oldest, to),
      ...(to > today ? { projected_from: addDays(today, 1) } : {}),
      ...(endPoint ? { projection_end: point(to, endPoint.ctl, endPoint.atl) } : {}),
      model: MODEL_NOTE,
    };
  },
});
