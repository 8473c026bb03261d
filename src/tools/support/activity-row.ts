/** The compact activity columns shared by list_activities, get_activity and search results. */

import { localDateTime } from '../../domain/dates.js';
import { hms, km, round } from '../../domain/format.js';
import { paceFor, sportFamily } from '../../domain/sports.js';
import { type Activity, type FullActivity, isStravaStub } from '../../intervals/schemas.js';
import type { Columns } from './table.js';

const full = (a: Activity): FullActivity | undefined => (isStravaStub(a) ? undefined : (a as FullActivity));

/** Units are in the names: moving h:mm:ss, km, elev_m, if_pct (% of threshold), W, bpm. */
export const ACTIVITY_COLUMNS: Columns<Activity> = {
  id: (a) => a.id,
  start: (a) => localDateTime(a.start_date_local) ?? null,
  sport: (a) => full(a)?.type,
  name: (a) => full(a)?.name,
  moving: (a) => hms(full(a)?.moving_time),
  km: (a) => km(full(a)?.distance),
  elev_m: (a) => round(full(a)?.total_elevation_gain),
  load: (a) => full(a)?.icu_training_load,
  if_pct: (a) => round(full(a)?.icu_intensity),
  avg_w: (a) => full(a)?.icu_average_watts || undefined,
  np_w: (a) => full(a)?.icu_weighted_avg_watts || undefined,
  avg_hr: (a) => full(a)?.average_heartrate || undefined,
  pace: (a) => paceFor(full(a)?.average_speed, sportFamily(full(a)?.type)),
  strava: (a) => (isStravaStub(a) ? true : undefined),
};

/** Does an activity type belong to the requested sport family (Ride matches VirtualRide, GravelRide…)? */
export function matchesSport(type: string | null | undefined, sport: string): boolean {
  if (!type) return false;
  return type.toLowerCase().includes(sport.toLowerCase());
}
