import * as z from 'zod';
import { pace, round } from '../domain/format.js';
import { type SportFamily, sportFamily } from '../domain/sports.js';
import { downsample, summariseStreams, type Thresholds } from '../domain/stream-analysis.js';
import { IntervalsError } from '../intervals/errors.js';
import { type ActivityStream, type Athlete, type FullActivity, isStravaStub, type SportSettings } from '../intervals/schemas.js';
import { streamTypesArg } from './support/normalise.js';
import { activityId, wholeIn } from './support/params.js';
import { stravaActivityMessage } from './support/strava.js';
import { Fields } from './support/table.js';
import { defineTool, READ, type ToolContext } from './support/tool.js';

export const MAX_POINTS = 1000;
export const DEFAULT_STREAMS = ['watts', 'heartrate', 'cadence', 'velocity_smooth', 'altitude'] as const;
/** Streams the summary needs, fetched whatever the caller asked to see. */
const ANALYSIS_STREAMS = ['time', 'watts', 'heartrate', 'velocity_smooth'];

/** Zones and thresholds stored on the activity itself (those in effect when it was analysed). */
const nums = z.array(z.number().nullable()).nullish().catch(null);
const ActivityZones = z.looseObject({
  icu_ftp: z.number().nullish().catch(null),
  icu_power_zones: nums,
  icu_hr_zones: nums,
  threshold_pace: z.number().nullish().catch(null),
  pace_zones: nums,
});

const clean = (a: readonly (number | null)[] | null | undefined) => {
  const out = a?.filter((x): x is number => typeof x === 'number');
  return out?.length ? out : undefined;
};
const positive = (v: number | null | undefined) => (typeof v === 'number' && v > 0 ? v : undefined);

function thresholdsOfActivity(a: FullActivity): Thresholds {
  const p = ActivityZones.safeParse(a);
  if (!p.success) return {};
  return {
    ftp: positive(p.data.icu_ftp),
    powerZones: clean(p.data.icu_power_zones),
    hrZones: clean(p.data.icu_hr_zones),
    thresholdPace: positive(p.data.threshold_pace),
    paceZones: clean(p.data.pace_zones),
  };
}

/** The athlete's settings for this activity type (exact type first, then the same sport family). */
export function settingsFor(athlete: Athlete, type: string | null | undefined): SportSettings | undefined {
  const list = athlete.sportSettings ?? [];
  if (!type) return undefined;
  const fam = sportFamily(type);
  return (
    list.find((s) => s.types?.includes(type)) ??
    (fam === 'other' ? undefined : list.find((s) => s.types?.some((t) => sportFamily(t) === fam)))
  );
}

function thresholdsOfSettings(s: SportSettings | undefined, indoor: boolean): Thresholds {
  if (!s) return {};
  return {
    ftp: positive(indoor ? (s.indoor_ftp ?? s.ftp) : s.ftp),
    powerZones: clean(s.power_zones),
    hrZones: clean(s.hr_zones),
    thresholdPace: positive(s.threshold_pace),
    paceZones: clean(s.pace_zones),
  };
}

/**
 * The profile whose settings fill in missing thresholds: the context athlete's (cached), or in coach
 * mode the activity owner's when that is another configured athlete; never someone else's.
 */
async function ownerProfile(activity: FullActivity, ctx: ToolContext): Promise<Athlete | undefined> {
  const profile = await ctx.athlete();
  const owner = activity.icu_athlete_id;
  if (!owner || owner === profile.id) return profile;
  return ctx.athleteIds.includes(owner) ? ctx.athlete(owner) : undefined;
}

const fmtBounds = (b: readonly number[]) => b.filter((x) => x < 999).join('/');

/** The thresholds behind the zone seconds, in words, with where they came from. */
function describeThresholds(
  used: { power: boolean; hr: boolean; pace: boolean },
  th: Thresholds,
  from: Set<string>,
  family: SportFamily,
): string | undefined {
  const parts: string[] = [];
  if (used.power && th.ftp && th.powerZones) parts.push(`FTP ${th.ftp} W, power zones ≤${fmtBounds(th.powerZones)}% FTP`);
  if (used.hr && th.hrZones) parts.push(`HR zones ≤${fmtBounds(th.hrZones)} bpm`);
  if (used.pace && th.thresholdPace && th.paceZones) {
    parts.push(
      `threshold pace ${pace(th.thresholdPace, family === 'swim' ? '100m' : 'km')}, pace zones ≤${fmtBounds(th.paceZones)}% of threshold speed`,
    );
  }
  return parts.length ? `${parts.join('; ')} (from ${[...from].join(' + ')})` : undefined;
}

/**
 * How a stream appears in the table: its column name and the value per bucket mean. Whole units for
 * W, bpm, rpm and m; speed (velocity_smooth, m/s) as whole km/h, or as pace in whole seconds per km
 * (per 100 m for swims) for runs: one token a cell instead of three, and the unit sport people use.
 */
export function column(type: string, family: SportFamily): { name: string; value: (v: number | null) => number | null } {
  const whole = (v: number | null) => (v === null ? null : Math.round(v));
  if (type === 'velocity_smooth') {
    if (family === 'run' || family === 'swim') {
      const per = family === 'swim' ? 100 : 1000;
      return { name: family === 'swim' ? 'pace_s_100m' : 'pace_s_km', value: (v) => (v !== null && v > 0.2 ? Math.round(per / v) : null) };
    }
    return { name: 'kmh', value: (v) => (v === null ? null : Math.round(v * 3.6)) };
  }
  if (['watts', 'heartrate', 'cadence', 'altitude', 'distance', 'fixed_watts', 'fixed_heartrate'].includes(type))
    return { name: type, value: whole };
  if (type === 'lat' || type === 'lng') return { name: type, value: (v) => (v === null ? null : (round(v, 5) ?? null)) };
  return { name: type, value: (v) => (v === null ? null : (round(v, Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2) ?? null)) };
}

type ByType = Map<string, readonly (number | null)[]>;

/**
 * The activity and its streams, fetched together; refused when the activity belongs to an athlete
 * outside the configured ones, or came from Strava (whichever of the two calls finds that out).
 */
async function fetchReadable(
  id: string,
  types: readonly string[],
  ctx: ToolContext,
): Promise<{ activity: FullActivity; streams: ActivityStream[] }> {
  const [act, str] = await Promise.allSettled([ctx.client.getActivity(id, {}, ctx.signal), ctx.client.getStreams(id, types, ctx.signal)]);
  if (act.status === 'rejected') throw act.reason;
  await ctx.assertAllowedOwner(act.value.icu_athlete_id, `Activity ${id}`);
  if (isStravaStub(act.value)) throw new IntervalsError('strava', stravaActivityMessage(id));
  if (str.status === 'rejected') {
    if (str.reason instanceof IntervalsError && str.reason.kind === 'strava') throw new IntervalsError('strava', stravaActivityMessage(id));
    throw str.reason;
  }
  return { activity: act.value as FullActivity, streams: str.value };
}

/** Streams by type; `latlng` becomes `lat` and `lng`, a second series `<type>2`. */
function streamsByType(streams: readonly ActivityStream[]): ByType {
  const byType: ByType = new Map();
  for (const s of streams) {
    if (!s.data) continue;
    if (s.type === 'latlng') {
      byType.set('lat', s.data);
      if (s.data2) byType.set('lng', s.data2);
    } else {
      byType.set(s.type, s.data);
      if (s.data2) byType.set(`${s.type}2`, s.data2);
    }
  }
  return byType;
}

/**
 * The thresholds behind the zone seconds: the activity's own (those in effect when it was analysed),
 * then the athlete's settings for its sport for whatever the activity lacks; `from` says which.
 */
async function thresholdsFor(
  activity: FullActivity,
  byType: ByType,
  family: SportFamily,
  ctx: ToolContext,
): Promise<{ th: Thresholds; from: Set<string> }> {
  const own = thresholdsOfActivity(activity);
  const from = new Set<string>();
  if (Object.values(own).some((v) => v !== undefined)) from.add('the activity');
  const lacks = (...keys: (keyof Thresholds)[]) => keys.some((k) => own[k] === undefined);
  const needed =
    (byType.has('watts') && lacks('ftp', 'powerZones')) ||
    (byType.has('heartrate') && lacks('hrZones')) ||
    (family !== 'ride' && byType.has('velocity_smooth') && lacks('thresholdPace', 'paceZones'));
  const profile = needed ? await ownerProfile(activity, ctx) : undefined;
  if (!profile) return { th: own, from };
  const settings = settingsFor(profile, activity.type);
  const indoor = !!activity.trainer || /^virtual/i.test(activity.type ?? '');
  const fallback = thresholdsOfSettings(settings, indoor);
  const filled = (Object.keys(fallback) as (keyof Thresholds)[]).filter((k) => own[k] === undefined && fallback[k] !== undefined);
  if (!filled.length) return { th: own, from };
  from.add(`athlete's ${settings?.types?.[0] ?? activity.type} settings`);
  return { th: { ...own, ...Object.fromEntries(filled.map((k) => [k, fallback[k]])) }, from };
}

/** The summary on the full-resolution streams, with the thresholds behind its zone seconds in words. */
function summaryOf(
  activity: FullActivity,
  family: SportFamily,
  time: readonly (number | null)[],
  byType: ByType,
  th: Thresholds,
  from: Set<string>,
): Record<string, string | number> {
  const summary: Record<string, string | number> = {
    ...(activity.type ? { sport: activity.type } : {}),
    ...(time.length
      ? summariseStreams(
          family,
          { time, watts: byType.get('watts'), heartrate: byType.get('heartrate'), velocity: byType.get('velocity_smooth') },
          th,
        )
      : {}),
  };
  const used = { power: 'power_zones_s' in summary, hr: 'hr_zones_s' in summary, pace: 'pace_zones_s' in summary };
  const thresholds = describeThresholds(used, th, from, family);
  if (thresholds) summary.thresholds = thresholds;
  return summary;
}

/** The shown streams averaged into at most `points` time buckets, one column each. */
function seriesTable(time: readonly (number | null)[], byType: ByType, shown: readonly string[], family: SportFamily, points: number) {
  const ds = downsample(time, Object.fromEntries(shown.map((t) => [t, byType.get(t)!])), points, { dropZero: new Set(['heartrate']) });
  const cols = shown.map((t) => column(t, family));
  const rows = ds.time.map((t, i) => [t, ...shown.map((name, j) => cols[j]!.value(ds.series[name]![i] ?? null))]);
  return { points: rows.length, every_s: ds.every, series: { columns: ['time_s', ...cols.map((c) => c.name)], rows } };
}

export default defineTool({
  name: 'get_streams',
  title: 'Activity streams',
  description: 'Time series of an activity averaged to `points` rows, plus zone seconds, NP, EF, decoupling.',
  annotations: READ,
  input: z.object({
    activity_id: activityId,
    types: streamTypesArg.optional(),
    // Bounds as a refinement: validated the same, but not spelled out in the catalogue.
    points: wholeIn(1, MAX_POINTS).default(120),
  }),
  // Loose: the description documents the shape (activity_id, points, every_s, series table, summary).
  output: Fields,
  async handler(args, ctx) {
    const id = args.activity_id;
    const wanted = [...new Set((args.types ?? DEFAULT_STREAMS).filter((t) => t !== 'time'))];
    const { activity, streams } = await fetchReadable(id, [...new Set([...ANALYSIS_STREAMS, ...wanted])], ctx);
    const family = sportFamily(activity.type);
    const byType = streamsByType(streams);
    const first = [...byType.values()][0];
    const time = byType.get('time') ?? (first ? first.map((_, i) => i) : []);
    const { th, from } = time.length ? await thresholdsFor(activity, byType, family, ctx) : { th: {}, from: new Set<string>() };
    const summary = summaryOf(activity, family, time, byType, th, from);
    const shown = wanted.flatMap((t) => (t === 'latlng' ? ['lat', 'lng'] : [t, `${t}2`])).filter((t) => byType.has(t));
    const missing = wanted.filter((t) => !shown.includes(t) && !(t === 'latlng' && shown.includes('lat')));
    const notes = [
      ...(time.length === 0 ? ['No streams recorded for this activity.'] : []),
      ...(missing.length && time.length ? [`Not recorded: ${missing.join(', ')}.`] : []),
    ];
    return {
      activity_id: id,
      ...seriesTable(time, byType, shown, family, args.points),
      summary,
      ...(notes.length ? { note: notes.join(' ') } : {}),
    };
  },
});
