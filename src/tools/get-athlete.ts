import * as z from 'zod';
import { compact, round } from '../domain/format.js';
import { summariseSport } from './support/sport-summary.js';
import { Fields } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

export default defineTool({
  name: 'get_athlete',
  title: 'Athlete profile',
  description: 'Time zone, today, weight; per sport FTP, LTHR, threshold pace, zone tops (% of threshold, HR bpm; 999 = open).',
  annotations: READ,
  athleteScoped: true,
  input: z.object({}),
  output: z.object({
    id: z.string(),
    name: z.string().optional(),
    timezone: z.string(),
    today: z.string(),
    weight_kg: z.number().optional(),
    resting_hr: z.number().optional(),
    sports: z.array(Fields),
  }),
  async handler(_args, ctx) {
    const a = await ctx.athlete();
    const tz = await ctx.timezone();
    return {
      id: a.id,
      ...compact({ name: a.name ?? undefined }),
      timezone: tz,
      today: await ctx.today(),
      ...compact({ weight_kg: round(a.icu_weight ?? a.weight, 1), resting_hr: a.icu_resting_hr ?? undefined }),
      sports: (a.sportSettings ?? []).map(summariseSport),
    };
  },
});
