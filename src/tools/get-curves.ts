import * as z from 'zod';
import { addDays, daysBetween, type Range, resolveRange } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { hms, round } from '../domain/format.js';
import { sportFamily } from '../domain/sports.js';
import type { DataCurve } from '../intervals/schemas.js';
import { asList, curveKindArg, sportArg } from './support/normalise.js';
import { localDate as day } from './support/params.js';
import { type Cell, Fields } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

export const DEFAULT_DURATIONS = [5, 15, 30, 60, 300, 600, 1200, 3600];
export const DEFAULT_DISTANCES = [400, 1000, 5000, 10000];
const DEFAULT_DAYS = 42;
const MAX_DAYS = 3660;
const MAX_DURATIONS = 20;

/** `5s`, `1m`, `20m`, `1h`, `1h30m`, or m:ss for odd durations. */
export function durLabel(s: number): string {
  if (s < 60) return `${s}s`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return s < 3600 ? `${s / 60}m` : `${Math.floor(s / 3600)}h${(s % 3600) / 60}m`;
  return hms(s)!;
}

interface Point {
  value: number;
  activityId: string | undefined;
}

/** The curve's points keyed by the requested duration (s) or distance (m); exact matches only. */
function pointAt(curve: DataCurve | undefined, x: number, pace: boolean): Point | undefined {
  if (!curve) return undefined;
  const xs = (pace ? curve.distance : curve.secs) ?? [];
  const i = xs.findIndex((v) => v !== null && (pace ? Math.abs(v - x) < 0.5 : v === x));
  const value = i >= 0 ? curve.values?.[i] : undefined;
  if (value === null || value === undefined || !Number.isFinite(value)) return undefined;
  return { value, activityId: curve.activity_id?.[i] ?? undefined };
}

export default defineTool({
  name: 'get_curves',
  title: 'Best-effort curves',
  description: 'Best power/HR/pace per duration: a (default last 42 days) vs b (the 42 days before).',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    kind: curveKindArg.optional(),
    sport: sportArg(z.string().refine((s) => s.length > 0, 'must be a sport such as Ride or Run')).optional(),
    oldest: day.optional(),
    newest: day.optional(),
    compare_oldest: day.optional(),
    compare_newest: day.optional(),
    // Limits as refinements: validated, but not spelled out in the catalogue.
    durations: asList(z.array(z.number()))
      .refine(
        (a) => a.length >= 1 && a.length <= MAX_DURATIONS && a.every((d) => d > 0 && d <= 100_000),
        `1 to ${MAX_DURATIONS} positive numbers (seconds, or metres for pace)`,
      )
      .optional()
      .describe('s; pace: m'),
  }),
  output: Fields,
  async handler(args, ctx) {
    // Bad ranges never cost an upstream call: compare_ order is checked before today is read, and a
    // reversed a (both bounds given, so today is not read) is refused by resolveRange.
    const { compare_oldest: co, compare_newest: cn } = args;
    if (co && cn && co > cn) throw new InputError(`compare_oldest (${co}) is after compare_newest (${cn}); swap them.`);
    const today = args.oldest || args.newest ? '' : await ctx.today();
    const a = resolveRange(args, today, { defaultDays: DEFAULT_DAYS, maxDays: MAX_DAYS });
    const span = daysBetween(a.oldest, a.newest) + 1;
    const b: Range =
      args.compare_oldest || args.compare_newest
        ? resolveRange({ oldest: args.compare_oldest, newest: args.compare_newest }, '', { defaultDays: span, maxDays: MAX_DAYS })
        : { oldest: addDays(a.oldest, -span), newest: addDays(a.oldest, -1) };

    const kind = args.kind ?? 'power';
    const pace = kind === 'pace';
    const sport = args.sport ?? (pace ? 'Run' : 'Ride');
    const swim = sportFamily(sport) === 'swim';
    const xs = [...new Set(args.durations ?? (pace ? DEFAULT_DISTANCES : DEFAULT_DURATIONS))].sort((x, y) => x - y);
    const specs = [`r.${a.oldest}.${a.newest}`, `r.${b.oldest}.${b.newest}`];
    const set = await ctx.client.getCurves(ctx.athleteId, kind, { type: sport, curves: specs }, ctx.signal);
    const list = set.list ?? [];
    const curveA = list.find((c) => c.id === specs[0]) ?? list[0];
    const curveB = list.find((c) => c.id === specs[1]) ?? list[1];

    // Pace: seconds per km (per 100 m for swims) from the time over the distance.
    const per = swim ? 100 : 1000;
    const val = (p: Point | undefined, x: number) => (p ? (pace ? (p.value / x) * per : p.value) : undefined);
    const show = (v: number | undefined): Cell => (v === undefined ? null : pace ? hms(v)! : Math.round(v));
    const rows: Cell[][] = xs.map((x) => {
      const pa = pointAt(curveA, x, pace);
      const va = val(pa, x);
      const vb = val(pointAt(curveB, x, pace), x);
      const delta = va !== undefined && vb !== undefined ? va - vb : undefined;
      return [
        pace ? x : durLabel(x),
        show(va),
        show(vb),
        round(delta) ?? null,
        delta !== undefined && vb ? (round((delta / vb) * 100, 1) ?? null) : null,
        pa?.activityId ?? null,
      ];
    });
    const empty = (i: number) => rows.every((r) => r[i] === null);
    const notes = [...(empty(1) ? [`No ${sport} ${kind} data in a.`] : []), ...(empty(2) ? [`No ${sport} ${kind} data in b.`] : [])];
    return {
      sport,
      a: `${a.oldest}..${a.newest}`,
      b: `${b.oldest}..${b.newest}`,
      unit: pace ? (swim ? 'pace m:ss/100m, delta s/100m' : 'pace m:ss/km, delta s/km') : kind === 'hr' ? 'bpm' : 'W',
      curve: { columns: [pace ? 'dist_m' : 'dur', 'a', 'b', 'delta', 'delta_pct', 'a_id'], rows },
      ...(notes.length ? { note: notes.join(' ') } : {}),
    };
  },
});
