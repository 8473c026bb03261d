/**
 * The logic behind get_weekly_review, as pure functions of the upstream records: weekly totals per
 * sport (the same sums give list_activities its range totals), planned-versus-done matching, the
 * compliance summary and the fitness projection.
 */
import type { Event, FullActivity } from '../intervals/schemas.js';
import { datesFrom, dayOf, weekStart } from './dates.js';
import { K_ATL, K_CTL, stepModel } from './fitness.js';
import { round } from './format.js';
import { sportLabel } from './sports.js';

/** A done load below this share of the planned load makes the session `partial`. */
export const PARTIAL_BELOW = 0.7;

/** Count, moving time (s), distance (m) and load of a group of activities. */
export interface Totals {
  n: number;
  secs: number;
  meters: number;
  load: number;
}

/** Totals of the activities grouped by `keyOf` (its values, joined, are the group), in first-seen order. */
export function totalsBy<K extends Record<string, string>>(
  activities: readonly FullActivity[],
  keyOf: (a: FullActivity) => K,
): (K & Totals)[] {
  const by = new Map<string, K & Totals>();
  for (const a of activities) {
    const k = keyOf(a);
    const id = Object.values(k).join('|');
    const t = by.get(id) ?? { ...k, n: 0, secs: 0, meters: 0, load: 0 };
    t.n++;
    t.secs += a.moving_time ?? 0;
    t.meters += a.distance ?? 0;
    t.load += a.icu_training_load ?? 0;
    by.set(id, t);
  }
  return [...by.values()];
}

export type SportTotals = { sport: string } & Totals;
export type WeekSport = { week: string; sport: string } & Totals;

/** Totals per sport (Ride, Run, Swim, or the type), most time first. */
export const sportTotals = (activities: readonly FullActivity[]): SportTotals[] =>
  totalsBy(activities, (a) => ({ sport: sportLabel(a.type) })).sort((x, y) => y.secs - x.secs || x.sport.localeCompare(y.sport));

/** Totals per ISO week (Monday) and sport family, in week then sport order. */
export const weeklyTotals = (activities: readonly FullActivity[]): WeekSport[] =>
  totalsBy(activities, (a) => ({ week: weekStart(dayOf(a.start_date_local)), sport: sportLabel(a.type) })).sort(
    (x, y) => x.week.localeCompare(y.week) || y.load - x.load || x.sport.localeCompare(y.sport),
  );

export type Status = 'done' | 'partial' | 'missed' | 'upcoming' | 'extra';

export interface ComplianceRow {
  date: string;
  sport: string;
  name: string | undefined;
  status: Status;
  event?: Event;
  /** Activities done for this planned workout (or the one extra activity). */
  done: FullActivity[];
  plannedLoad: number | undefined;
  plannedSecs: number | undefined;
  doneLoad: number | undefined;
  doneSecs: number | undefined;
}

const sum = (xs: readonly (number | null | undefined)[]) => {
  const present = xs.filter((x): x is number => typeof x === 'number');
  return present.length ? present.reduce((a, b) => a + b, 0) : undefined;
};

function statusOf(event: Event, done: readonly FullActivity[], today: string): Status {
  const date = dayOf(event.start_date_local);
  if (!done.length) return date < today ? 'missed' : 'upcoming';
  const planned = event.icu_training_load;
  const load = sum(done.map((a) => a.icu_training_load));
  if (planned && planned > 0 && load !== undefined) return load < PARTIAL_BELOW * planned ? 'partial' : 'done';
  const plannedSecs = event.moving_time;
  const secs = sum(done.map((a) => a.moving_time));
  if (plannedSecs && plannedSecs > 0 && secs !== undefined) return secs < PARTIAL_BELOW * plannedSecs ? 'partial' : 'done';
  return 'done';
}

/**
 * Match planned WORKOUT events to activities: first by the activity's `paired_event_id`, then an
 * unmatched activity on the same day in the same sport family (the one closest in load). Planned
 * workouts without a match are missed (before today) or upcoming; unmatched activities are extra.
 * Rows are in date order, planned before extra on the same day.
 */
export function matchPlanned(
  events: readonly Event[],
  activities: readonly FullActivity[],
  today: string,
  isPlanned: (e: Event) => boolean = (e) => e.category === 'WORKOUT',
): ComplianceRow[] {
  const planned = events
    .filter(isPlanned)
    .slice()
    .sort((a, b) => a.start_date_local.localeCompare(b.start_date_local) || a.id - b.id);
  const byId = new Map(planned.map((e) => [e.id, e]));
  const doneFor = new Map<number, FullActivity[]>(planned.map((e) => [e.id, []]));
  const used = new Set<FullActivity>();
  for (const a of activities) {
    const id = a.paired_event_id;
    if (id !== null && id !== undefined && byId.has(id)) {
      doneFor.get(id)!.push(a);
      used.add(a);
    }
  }
  for (const e of planned) {
    const done = doneFor.get(e.id)!;
    if (done.length) continue;
    const date = dayOf(e.start_date_local);
    const family = sportLabel(e.type);
    const candidates = activities.filter((a) => !used.has(a) && dayOf(a.start_date_local) === date && sportLabel(a.type) === family);
    if (!candidates.length) continue;
    const target = e.icu_training_load ?? 0;
    const best = candidates.reduce((b, a) =>
      Math.abs((a.icu_training_load ?? 0) - target) < Math.abs((b.icu_training_load ?? 0) - target) ? a : b,
    );
    done.push(best);
    used.add(best);
  }
  const rows: ComplianceRow[] = planned.map((e) => {
    const done = doneFor.get(e.id)!;
    return {
      date: dayOf(e.start_date_local),
      sport: sportLabel(e.type),
      name: e.name ?? undefined,
      status: statusOf(e, done, today),
      event: e,
      done,
      plannedLoad: e.icu_training_load ?? undefined,
      plannedSecs: e.moving_time ?? undefined,
      doneLoad: sum(done.map((a) => a.icu_training_load)),
      doneSecs: sum(done.map((a) => a.moving_time)),
    };
  });
  for (const a of activities) {
    if (used.has(a)) continue;
    rows.push({
      date: dayOf(a.start_date_local),
      sport: sportLabel(a.type),
      name: a.name ?? undefined,
      status: 'extra',
      done: [a],
      plannedLoad: undefined,
      plannedSecs: undefined,
      doneLoad: a.icu_training_load ?? undefined,
      doneSecs: a.moving_time ?? undefined,
    });
  }
  const order = (r: ComplianceRow) =>
    `${r.date} ${r.status === 'extra' ? '1' : '0'} ${r.done[0]?.start_date_local ?? r.event?.start_date_local ?? ''}`;
  return rows.sort((x, y) => order(x).localeCompare(order(y)));
}

export interface ComplianceSummary {
  /** Planned workouts that were due (before today, or done already). */
  due: number;
  done: number;
  partial: number;
  missed: number;
  upcoming: number;
  extra: number;
  /** (done + partial) / due, in %. */
  done_pct?: number;
  planned_load: number;
  /** Load of the activities matched to the due planned workouts. */
  done_load: number;
  extra_load: number;
}

export function summarise(rows: readonly ComplianceRow[]): ComplianceSummary {
  const count = (s: Status) => rows.filter((r) => r.status === s).length;
  const due = rows.filter((r) => r.status === 'done' || r.status === 'partial' || r.status === 'missed');
  const done = count('done');
  const partial = count('partial');
  const pct = due.length ? round(((done + partial) / due.length) * 100) : undefined;
  return {
    due: due.length,
    done,
    partial,
    missed: count('missed'),
    upcoming: count('upcoming'),
    extra: count('extra'),
    ...(pct !== undefined ? { done_pct: pct } : {}),
    planned_load: sum(due.map((r) => r.plannedLoad)) ?? 0,
    done_load: sum(due.map((r) => r.doneLoad)) ?? 0,
    extra_load: sum(rows.filter((r) => r.status === 'extra').map((r) => r.doneLoad)) ?? 0,
  };
}

/** Events whose load counts on the fitness chart: planned workouts and races. */
export function countsForFitness(e: Event): boolean {
  return (e.category === 'WORKOUT' || e.category.startsWith('RACE_')) && e.not_on_fitness_chart !== true && (e.icu_training_load ?? 0) > 0;
}

/** Planned load per local date. */
export function plannedLoads(events: readonly Event[]): Map<string, number> {
  const loads = new Map<string, number>();
  for (const e of events) {
    if (!countsForFitness(e)) continue;
    const d = dayOf(e.start_date_local);
    loads.set(d, (loads.get(d) ?? 0) + e.icu_training_load!);
  }
  return loads;
}

export interface ProjectedDay {
  date: string;
  load: number;
  ctl: number;
  atl: number;
}

/**
 * Load of today's planned workouts and races that no activity has done yet: the projection adds it
 * to today (the model is linear in the day's load, so that is `+ load × K` on today's values).
 */
export function pendingToday(events: readonly Event[], activities: readonly FullActivity[], today: string): number {
  const todays = events.filter((e) => dayOf(e.start_date_local) === today && countsForFitness(e));
  const acts = activities.filter((a) => dayOf(a.start_date_local) === today);
  return matchPlanned(todays, acts, today, () => true)
    .filter((r) => r.status === 'upcoming')
    .reduce((n, r) => n + (r.plannedLoad ?? 0), 0);
}

/** Today's values with the pending planned load of today added. */
export function withPending(v: { ctl: number; atl: number }, load: number): { ctl: number; atl: number } {
  return { ctl: v.ctl + load * K_CTL, atl: v.atl + load * K_ATL };
}

/**
 * Day-by-day projection with the exponential model: starts from the values at the end of `from`
 * and steps every day after it through `to` with that day's planned load (0 when none).
 */
export function projectFitness(
  start: { ctl: number; atl: number },
  loads: ReadonlyMap<string, number>,
  from: string,
  to: string,
): ProjectedDay[] {
  const out: ProjectedDay[] = [];
  let v = start;
  for (const d of datesFrom(from, to).slice(1)) {
    const load = loads.get(d) ?? 0;
    v = stepModel(v, load);
    out.push({ date: d, load, ctl: v.ctl, atl: v.atl });
  }
  return out;
}
