import * as z from 'zod';
import type { SportSettings } from '../intervals/schemas.js';
import { compact, pace, round } from './format.js';
import { Fields } from './table.js';
import { familyOfTypes } from './sports.js';
import { defineTool, READ } from './tool.js';


/** Per-sport thresholds; units in the names, zones as upper bounds. */
export function summariseSport(s: SportSettings): Record<string, unknown> {
  const nums = (a: readonly (number | null)[] | null | undefined) => a?.filter((x): x is number => x !== null);
  return compact({
    types: s.types ?? [],
    ftp_w: s.ftp ?? undefined,
    indoor_ftp_w: s.indoor_ftp && s.indoor_ftp !== s.ftp ? s.indoor_ftp : undefined,
    w_prime_j: s.w_prime ?? undefined,
    lthr_bpm: s.lthr ?? undefined,
    max_hr_bpm: s.max_hr ?? undefined,
    threshold_pace: pace(s.threshold_pace, familyOfTypes(s.types) === 'swim' ? '100m' : 'km'),
    power_zones_pct: nums(s.power_zones),
    hr_zones_bpm: nums(s.hr_zones),
    pace_zones_pct: nums(s.pace_zones),
    settings_id: s.id ?? undefined,
  });
}

export default defineTool({
  name: 'get_athlete',
  title: 'Athlete profile',
  description:
    "Profile: time zone, today's date, weight; per sport FTP, LTHR, threshold pace and zone upper bounds (% of threshold, 999 = open; HR in bpm).",
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
