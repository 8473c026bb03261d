import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import { isStravaStub } from '../intervals/schemas.js';
import { addDays, datesFrom, dayOf, daysBetween, weekStart } from '../domain/dates.js';
import { localDate as day, wholeIn } from './support/params.js';
import { MODEL_NOTE, formZone, point } from '../domain/fitness.js';
import { hm, round } from '../domain/format.js';
import { stravaSkippedNote } from './support/strava.js';
import { Fields, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';
import {
  matchPlanned,
  pendingToday,
  plannedLoads,
  projectFitness,
  readable,
  summarise,
  weeklyTotals,
  withPending,
  type ComplianceRow,
  type WeekSport,
} from '../domain/weekly-review.js';

const MAX_AHEAD = 366;

export const PROJECTION_MODEL = `${MODEL_NOTE} Projection: from today's values plus today's planned load not done yet, one step per day with the planned load of workouts and races (0 on other days); values are end of day.`;

export default defineTool({
  name: 'get_weekly_review',
  title: 'Weekly review',
  description:
    'Per week to end (default today): time, km, load per sport; fitness, form; planned vs done. project_to: form on that day.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    weeks: wholeIn(1, 12).default(4),
    end: day.optional(),
    project_to: day.optional(),
  }),
  output: Fields,
  async handler(args, ctx) {
    const today = await ctx.today();
    const end = args.end ?? today;
    if (daysBetween(today, end) > MAX_AHEAD) throw new InputError(`end (${end}) is more than a year ahead; give a date up to ${addDays(today, MAX_AHEAD)}.`);
    const lastWeek = weekStart(end);
    const first = addDays(lastWeek, -7 * (args.weeks - 1));
    const spanEnd = addDays(lastWeek, 6);
    const projectTo = args.project_to;
    if (projectTo !== undefined && (projectTo <= today || daysBetween(today, projectTo) > MAX_AHEAD)) {
      throw new InputError(`project_to must be after today (${today}) and at most a year ahead.`);
    }
    const eventsTo = projectTo && projectTo > spanEnd ? projectTo : spanEnd;
    const actsTo = projectTo && today > spanEnd ? today : spanEnd;
    // Fitness is read at each week's end, today for the current week (and today for a projection).
    const weekStarts = datesFrom(first, lastWeek, 7);
    const atOf = (w: string) => (w <= today && today < addDays(w, 6) ? today : addDays(w, 6));
    const fitDates = [...weekStarts.map(atOf), ...(projectTo ? [today] : [])].sort();
    const [acts, events, wellness] = await Promise.all([
      ctx.client.listActivities(ctx.athleteId, { oldest: first, newest: `${actsTo}T23:59:59` }, ctx.signal),
      ctx.client.listEvents(
        ctx.athleteId,
        { oldest: first, newest: eventsTo, category: projectTo ? ['WORKOUT', 'RACE_A', 'RACE_B', 'RACE_C'] : ['WORKOUT'] },
        ctx.signal,
      ),
      ctx.client.listWellness(ctx.athleteId, { oldest: fitDates[0]!, newest: fitDates.at(-1)!, fields: ['id', 'ctl', 'atl'] }, ctx.signal),
    ]);
    const inSpan = (d: string) => d >= first && d <= spanEnd;
    const activities = readable(acts).filter((a) => inSpan(dayOf(a.start_date_local)));
    const stubs = acts.filter((a) => isStravaStub(a) && inSpan(dayOf(a.start_date_local))).length;
    const fit = new Map(wellness.filter((w) => w.ctl != null && w.atl != null).map((w) => [w.id, { ctl: w.ctl!, atl: w.atl! }]));

    const totals = weeklyTotals(activities);
    const weekRows = weekStarts.map((week) => {
      const ofWeek = totals.filter((t) => t.week === week);
      const at = atOf(week);
      return { week, at, secs: ofWeek.reduce((n, t) => n + t.secs, 0), load: ofWeek.reduce((n, t) => n + t.load, 0), v: fit.get(at) };
    });
    const rows = matchPlanned(
      events.filter((e) => inSpan(dayOf(e.start_date_local))),
      activities,
      today,
    );

    let projection: Record<string, unknown> | undefined;
    let note = stubs ? stravaSkippedNote(stubs) : undefined;
    if (projectTo) {
      const start = fit.get(today);
      if (!start) {
        note = [note, `No fitness values for today (${today}): no projection.`].filter(Boolean).join(' ');
      } else {
        const pending = pendingToday(events, readable(acts), today);
        const days = projectFitness(withPending(start, pending), plannedLoads(events), today, projectTo);
        const last = days.at(-1)!;
        projection = {
          start: point(today, start.ctl, start.atl),
          ...(pending ? { today_planned_load: pending } : {}),
          end: point(projectTo, last.ctl, last.atl),
          planned: toTable(days.filter((d) => d.load > 0), {
            date: (d) => d.date,
            load: (d) => d.load,
            ctl: (d) => round(d.ctl),
            atl: (d) => round(d.atl),
            form: (d) => round(d.ctl - d.atl),
          }),
        };
      }
    }

    return {
      range: `${first}..${spanEnd}`,
      weeks: toTable(weekRows, {
        week: (r) => r.week,
        at: (r) => r.at,
        time: (r) => hm(r.secs),
        load: (r) => r.load,
        ctl: (r) => round(r.v?.ctl, 1),
        atl: (r) => round(r.v?.atl, 1),
        form: (r) => (r.v ? round(r.v.ctl - r.v.atl, 1) : undefined),
        zone: (r) => (r.v ? formZone(r.v.ctl - r.v.atl) : undefined),
      }),
      sports: toTable<WeekSport>(totals, {
        week: (t) => t.week,
        sport: (t) => t.sport,
        n: (t) => t.n,
        time: (t) => hm(t.secs),
        km: (t) => (t.meters ? round(t.meters / 1000, 1) : undefined),
        load: (t) => t.load,
      }),
      plan: toTable<ComplianceRow>(rows, {
        date: (r) => r.date,
        sport: (r) => r.sport,
        name: (r) => r.name,
        status: (r) => r.status,
        plan_load: (r) => r.plannedLoad,
        load: (r) => r.doneLoad,
        plan_time: (r) => hm(r.plannedSecs),
        time: (r) => hm(r.doneSecs),
      }),
      compliance: { ...summarise(rows) },
      ...(projection ? { projection, model: PROJECTION_MODEL } : {}),
      ...(note ? { note } : {}),
    };
  },
});
