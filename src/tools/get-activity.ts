import * as z from 'zod';
import { hms, km, round } from '../domain/format.js';
import { paceFor, sportFamily } from '../domain/sports.js';
import { type Activity, type FullActivity, type Interval, isStravaStub } from '../intervals/schemas.js';
import { ACTIVITY_COLUMNS } from './support/activity-row.js';
import { activityId } from './support/params.js';
import { STRAVA_NOTE } from './support/strava.js';
import { type Columns, Fields, Table, toRecord, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

const f = (a: Activity) => a as FullActivity;

/** Detail columns on top of the list columns (units in the names; zones in seconds). */
const DETAIL_COLUMNS: Columns<Activity> = {
  ...ACTIVITY_COLUMNS,
  elapsed: (a) => (f(a).elapsed_time !== f(a).moving_time ? hms(f(a).elapsed_time) : undefined),
  max_hr: (a) => f(a).max_heartrate || undefined,
  cadence: (a) => round(f(a).average_cadence),
  kcal: (a) => f(a).calories || undefined,
  ftp_w: (a) => f(a).icu_ftp || undefined,
  ef: (a) => round(f(a).icu_efficiency_factor, 2),
  decoupling_pct: (a) => round(f(a).decoupling, 1),
  vi: (a) => round(f(a).icu_variability_index, 2),
  rpe: (a) => f(a).icu_rpe,
  feel: (a) => f(a).feel,
  trainer: (a) => f(a).trainer || undefined,
  ctl_after: (a) => round(f(a).icu_ctl, 1),
  atl_after: (a) => round(f(a).icu_atl, 1),
  power_zones_s: (a) =>
    f(a)
      .icu_zone_times?.map((z) => `${z.id}:${Math.round(z.secs)}`)
      .join(' ') || undefined,
  hr_zones_s: (a) => f(a).icu_hr_zone_times?.join(' ') || undefined,
  planned_event_id: (a) => f(a).paired_event_id,
  tags: (a) => f(a).tags?.join(', ') || undefined,
  description: (a) => f(a).description?.trim().slice(0, 500) || undefined,
};

export function intervalTable(intervals: readonly Interval[], sport: string | null | undefined): Table {
  const family = sportFamily(sport);
  return toTable(intervals, {
    type: (i) => i.type,
    label: (i) => i.label,
    start: (i) => hms(i.start_time),
    dur: (i) => hms(i.moving_time ?? i.elapsed_time),
    km: (i) => km(i.distance),
    avg_w: (i) => round(i.average_watts),
    np_w: (i) => round(i.weighted_average_watts),
    if_pct: (i) => round(i.intensity),
    avg_hr: (i) => round(i.average_heartrate),
    max_hr: (i) => round(i.max_heartrate),
    cad: (i) => round(i.average_cadence),
    pace: (i) => paceFor(i.average_speed, family),
    zone: (i) => i.zone,
    load: (i) => round(i.training_load),
  });
}

export default defineTool({
  name: 'get_activity',
  title: 'Activity details',
  description: 'One activity: power, HR, load, efficiency, zone seconds; include_intervals adds its intervals.',
  annotations: READ,
  input: z.object({
    activity_id: activityId,
    include_intervals: z.boolean().default(false),
  }),
  output: z.object({ activity: Fields, intervals: Table.optional(), note: z.string().optional() }),
  async handler(args, ctx) {
    const a = await ctx.client.getActivity(args.activity_id, { intervals: args.include_intervals }, ctx.signal);
    await ctx.assertAllowedOwner(a.icu_athlete_id, `Activity ${a.id}`);
    if (isStravaStub(a)) return { activity: toRecord(a, ACTIVITY_COLUMNS), note: STRAVA_NOTE };
    return {
      activity: toRecord(a, DETAIL_COLUMNS),
      ...(args.include_intervals ? { intervals: intervalTable(f(a).icu_intervals ?? [], f(a).type) } : {}),
    };
  },
});
