/**
 * Whole-range totals for answers whose rows paginate: count, moving time, distance and load per
 * sport, computed from every activity of the range so the first page answers "how much?" on its
 * own, whatever the page size (a model never sums a partial page).
 */

import { hm } from '../../domain/format.js';
import { sportLabel } from '../../domain/sports.js';
import { sportTotals, totalsBy } from '../../domain/weekly-review.js';
import { type Activity, type Event, readable } from '../../intervals/schemas.js';
import { type Table, toTable } from './table.js';

/** Per sport (Ride, Run, Swim, or the type), most time first, then `all` when there are several. */
export function rangeTotals(activities: readonly Activity[]): Table {
  const full = readable(activities);
  const rows = sportTotals(full);
  if (rows.length > 1) rows.push(...totalsBy(full, () => ({ sport: 'all' })));
  return toTable(rows, {
    sport: (t) => t.sport,
    n: (t) => t.n,
    time: (t) => hm(t.secs),
    km: (t) => Math.round(t.meters / 100) / 10,
    load: (t) => Math.round(t.load),
  });
}

/**
 * The calendar's totals for a whole range: planned workouts per sport (count, planned time, load),
 * then every other category by count (races, notes, sick days…).
 */
export function calendarTotals(events: readonly Event[]): Table {
  const by = new Map<string, { cat: string; sport?: string; n: number; secs: number; load: number }>();
  for (const e of events) {
    const workout = e.category === 'WORKOUT';
    const sport = workout ? sportLabel(e.type) : undefined;
    const key = `${e.category}|${sport ?? ''}`;
    const t = by.get(key) ?? { cat: e.category, ...(sport ? { sport } : {}), n: 0, secs: 0, load: 0 };
    t.n += 1;
    t.secs += e.moving_time ?? 0;
    t.load += e.icu_training_load ?? 0;
    by.set(key, t);
  }
  const rows = [...by.values()].sort(
    (a, b) => (a.cat === 'WORKOUT' ? 0 : 1) - (b.cat === 'WORKOUT' ? 0 : 1) || b.secs - a.secs || a.cat.localeCompare(b.cat),
  );
  return toTable(rows, {
    cat: (t) => t.cat,
    sport: (t) => t.sport,
    n: (t) => t.n,
    time: (t) => (t.cat === 'WORKOUT' ? hm(t.secs) : undefined),
    load: (t) => (t.cat === 'WORKOUT' ? Math.round(t.load) : undefined),
  });
}
