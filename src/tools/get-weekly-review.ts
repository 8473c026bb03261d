import * as z from 'zod';
import { addDays, datesFrom, dayOf, daysBetween, weekStart } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { MODEL_NOTE, point } from '../domain/fitness.js';
import { formZone } from '../domain/form-zones.js';
import { hm, round } from '../domain/format.js';
import {
  type ComplianceRow,
  matchPlanned,
  pendingToday,
  plannedLoads,
  projectFitness,
  summarise,
  type WeekSport,
  weeklyTotals,
  withPending,
} from '../domain/weekly-review.js';
import { type Activity, type Event, isStravaStub, readable, type Wellness } from '../intervals/schemas.js';
import { localDate as day, wholeIn } from './support/params.js';
import { stravaSkippedNote } from './support/strava.js';
import { Fields, toTable } from './support/table.js';
import { defineTool, READ, type ToolContext } from './support/tool.js';

const MAX_AHEAD = 366;

export const PROJECTION_MODEL = `${MODEL_NOTE} Projection: from today's values plus today's planned load not done yet, one step per day with the planned load of workouts and races (0 on other days); values are end of day.`;

/** The weeks asked for and what to read for them, from the arguments, checked against today. */
interface Span {
  today: string;
  /** Monday of the first and of the last week; the Sunday ending the last. */
  first: string;
  lastWeek: string;
  spanEnd: string;
  weekStarts: string[];
  projectTo: string | undefined;
}

function spanOf(args: { weeks: number; end?: string | undefined; project_to?: string | undefined }, today: string): Span {
  const end = args.end ?? today;
  if (daysBetween(today, end) > MAX_AHEAD)
    throw new InputError(`end (${end}) is more than a year ahead; give a date up to ${addDays(today, MAX_AHEAD)}.`);
  const projectTo = args.project_to;
  if (projectTo !== undefined && (projectTo <= today || daysBetween(today, projectTo) > MAX_AHEAD)) {
    throw new InputError(`project_to must be after today (${today}) and at most a year ahead.`);
  }
  const lastWeek = weekStart(end);
  const first = addDays(lastWeek, -7 * (args.weeks - 1));
  return { today, first, lastWeek, spanEnd: addDays(lastWeek, 6), weekStarts: datesFrom(first, lastWeek, 7), projectTo };
}

/** The day a week's fitness is read: its Sunday, or today for the current week. */
const fitnessDay = (s: Span, week: string) => (week <= s.today && s.today < addDays(week, 6) ? s.today : addDays(week, 6));

/**
 * Activities, planned workouts (and races, for a projection) and fitness values, in parallel. A
 * projection also needs today's activities and the events up to its date.
 */
async function fetchSpan(s: Span, ctx: ToolContext): Promise<{ acts: Activity[]; events: Event[]; wellness: Wellness[] }> {
  const { first, spanEnd, today, projectTo } = s;
  const eventsTo = projectTo && projectTo > spanEnd ? projectTo : spanEnd;
  const actsTo = projectTo && today > spanEnd ? today : spanEnd;
  const fitDates = [...s.weekStarts.map((w) => fitnessDay(s, w)), ...(projectTo ? [today] : [])].sort();
  const category = projectTo ? ['WORKOUT', 'RACE_A', 'RACE_B', 'RACE_C'] : ['WORKOUT'];
  const [acts, events, wellness] = await Promise.all([
    ctx.client.listActivities(ctx.athleteId, { oldest: first, newest: `${actsTo}T23:59:59` }, ctx.signal),
    ctx.client.listEvents(ctx.athleteId, { oldest: first, newest: eventsTo, category }, ctx.signal),
    ctx.client.listWellness(ctx.athleteId, { oldest: fitDates[0]!, newest: fitDates.at(-1)!, fields: ['id', 'ctl', 'atl'] }, ctx.signal),
  ]);
  return { acts, events, wellness };
}

type Fitness = Map<string, { ctl: number; atl: number }>;

/** Fitness, fatigue and form from today to project_to over the planned load, or why there is none. */
function projection(s: Span & { projectTo: string }, fit: Fitness, events: readonly Event[], acts: readonly Activity[]) {
  const { today, projectTo } = s;
  const start = fit.get(today);
  if (!start) return { note: `No fitness values for today (${today}): no projection.` };
  const pending = pendingToday(events, readable(acts), today);
  const days = projectFitness(withPending(start, pending), plannedLoads(events), today, projectTo);
  const last = days.at(-1)!;
  return {
    projection: {
      start: point(today, start.ctl, start.atl),
      ...(pending ? { today_planned_load: pending } : {}),
      end: point(projectTo, last.ctl, last.atl),
      planned: toTable(
        days.filter((d) => d.load > 0),
        { date: (d) => d.date, load: (d) => d.load, ctl: (d) => round(d.ctl), atl: (d) => round(d.atl), form: (d) => round(d.ctl - d.atl) },
      ),
    },
  };
}

/** One row per week: time and load done, fitness values at the week's fitness day. */
function weekTable(s: Span, totals: readonly WeekSport[], fit: Fitness) {
  const rows = s.weekStarts.map((week) => {
    const ofWeek = totals.filter((t) => t.week === week);
    const at = fitnessDay(s, week);
    return { week, at, secs: ofWeek.reduce((n, t) => n + t.secs, 0), load: ofWeek.reduce((n, t) => n + t.load, 0), v: fit.get(at) };
  });
  return toTable(rows, {
    week: (r) => r.week,
    at: (r) => r.at,
    time: (r) => hm(r.secs),
    load: (r) => r.load,
    ctl: (r) => round(r.v?.ctl, 1),
    atl: (r) => round(r.v?.atl, 1),
    form: (r) => (r.v ? round(r.v.ctl - r.v.atl, 1) : undefined),
    zone: (r) => (r.v ? formZone(r.v.ctl - r.v.atl) : undefined),
  });
}

const sportTable = (totals: readonly WeekSport[]) =>
  toTable<WeekSport>(totals, {
    week: (t) => t.week,
    sport: (t) => t.sport,
    n: (t) => t.n,
    time: (t) => hm(t.secs),
    km: (t) => (t.meters ? round(t.meters / 1000, 1) : undefined),
    load: (t) => t.load,
  });

const planTable = (rows: readonly ComplianceRow[]) =>
  toTable<ComplianceRow>(rows, {
    date: (r) => r.date,
    sport: (r) => r.sport,
    name: (r) => r.name,
    status: (r) => r.status,
    plan_load: (r) => r.plannedLoad,
    load: (r) => r.doneLoad,
    plan_time: (r) => hm(r.plannedSecs),
    time: (r) => hm(r.doneSecs),
  });

export default defineTool({
  name: 'get_weekly_review',
  title: 'Weekly review',
  description: 'Per week to end (default today): time, km, load per sport; fitness, form; planned vs done. project_to: form on that day.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    weeks: wholeIn(1, 12).default(4),
    end: day.optional(),
    project_to: day.optional(),
  }),
  output: Fields,
  async handler(args, ctx) {
    const span = spanOf(args, await ctx.today());
    const { acts, events, wellness } = await fetchSpan(span, ctx);
    const inSpan = (d: string) => d >= span.first && d <= span.spanEnd;
    const activities = readable(acts).filter((a) => inSpan(dayOf(a.start_date_local)));
    const stubs = acts.filter((a) => isStravaStub(a) && inSpan(dayOf(a.start_date_local))).length;
    const fit: Fitness = new Map(wellness.filter((w) => w.ctl != null && w.atl != null).map((w) => [w.id, { ctl: w.ctl!, atl: w.atl! }]));
    const totals = weeklyTotals(activities);
    const rows = matchPlanned(
      events.filter((e) => inSpan(dayOf(e.start_date_local))),
      activities,
      span.today,
    );
    const projected = span.projectTo ? projection({ ...span, projectTo: span.projectTo }, fit, events, acts) : {};
    const note = [stubs ? stravaSkippedNote(stubs) : undefined, 'note' in projected ? projected.note : undefined].filter(Boolean).join(' ');
    return {
      range: `${span.first}..${span.spanEnd}`,
      weeks: weekTable(span, totals, fit),
      sports: sportTable(totals),
      plan: planTable(rows),
      compliance: { ...summarise(rows) },
      ...('projection' in projected ? { projection: projected.projection, model: PROJECTION_MODEL } : {}),
      ...(note ? { note } : {}),
    };
  },
});
