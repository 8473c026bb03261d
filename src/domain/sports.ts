/**
 * Sport families from Intervals.icu activity types, one classification for every tool: power sports
 * (rides), speed sports shown as pace (runs, walks, hikes per km; swims per 100 m), and the rest.
 */
import { pace } from './format.js';

export type SportFamily = 'ride' | 'run' | 'swim' | 'other';

export function sportFamily(type: string | null | undefined): SportFamily {
  if (!type) return 'other';
  if (/ride|cycl|bike|velomobile/i.test(type)) return 'ride';
  if (/swim/i.test(type)) return 'swim';
  if (/run|walk|hike/i.test(type)) return 'run';
  return 'other';
}

/** The first family of a sport-settings type list (`["Ride","VirtualRide"]` → ride). */
export const familyOfTypes = (types: readonly string[] | null | undefined): SportFamily =>
  (types ?? []).map(sportFamily).find((f) => f !== 'other') ?? 'other';

/** A speed (m/s) as pace for the sport: per 100 m for swims, per km for runs, walks and hikes. */
export function paceFor(speed: number | null | undefined, family: SportFamily): string | undefined {
  return family === 'swim' ? pace(speed, '100m') : family === 'run' ? pace(speed) : undefined;
}

/** The label activities are grouped under in totals: Ride, Run, Swim, or the type itself. */
export function sportLabel(type: string | null | undefined): string {
  const family = sportFamily(type);
  if (family === 'ride') return 'Ride';
  if (family === 'swim') return 'Swim';
  if (family === 'run' && /run/i.test(type!)) return 'Run';
  return type || 'Other';
}
