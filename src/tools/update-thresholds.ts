import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import { familyOfTypes } from '../domain/sports.js';
import type { SportSettings } from '../intervals/schemas.js';
import { sportArg } from './support/normalise.js';
import { wholeIn } from './support/params.js';
import { summariseSport } from './support/sport-summary.js';
import { Fields } from './support/table.js';
import { defineTool, OVERWRITE } from './support/tool.js';
import { guardWrite } from './support/write-guard.js';

const PACE_RE = /^(\d{1,2}):([0-5]\d)(?:\s*\/\s*(km|mi|100m|100y|500m))?$/i;
const PER_METERS: Record<string, number> = { km: 1000, mi: 1609.344, '100m': 100, '100y': 91.44, '500m': 500 };

/** "4:30/km", "1:45/100m" (no unit: /100m for swimming, /km otherwise) → speed in m/s. */
export function parsePace(text: string, swim: boolean): number {
  const m = PACE_RE.exec(text.trim());
  if (!m) throw new InputError(`threshold_pace "${text}" is not a pace like 4:30/km or 1:45/100m.`);
  const secs = Number(m[1]) * 60 + Number(m[2]);
  if (secs <= 0) throw new InputError(`threshold_pace "${text}" must be more than 0:00.`);
  const per = PER_METERS[(m[3] ?? (swim ? '100m' : 'km')).toLowerCase()]!;
  return Math.round((per / secs) * 10_000) / 10_000;
}

/** Zone upper bounds must rise strictly. */
function checkZones(name: string, zones: readonly number[] | undefined): void {
  if (!zones) return;
  for (let i = 1; i < zones.length; i++) {
    if (!(zones[i]! > zones[i - 1]!)) {
      throw new InputError(`${name} must be increasing upper bounds; ${zones[i]} after ${zones[i - 1]} is not.`);
    }
  }
}

/**
 * Numbers are whole and ranged by refinement; zone lists are arrays of numbers in tools/list, their
 * count and bounds checked by a refinement (the description says what they mean).
 */
const whole = (min: number, max: number) => wholeIn(min, max).optional();
const zones = (max: number) =>
  z
    .array(z.number())
    .refine((a) => a.length >= 1 && a.length <= 12 && a.every((x) => x > 0 && x <= max), {
      message: `must be a list of 1-12 upper bounds, each above 0 and at most ${max}`,
    })
    .optional();

export default defineTool({
  name: 'update_thresholds',
  title: 'Update thresholds',
  description: "Set a sport's FTP (W), LTHR/max HR (bpm), threshold pace (4:30/km), zone tops (% of threshold; HR bpm).",
  annotations: OVERWRITE,
  athleteScoped: true,
  input: z.object({
    sport: sportArg(z.string().refine((s) => s.length > 0, 'must name a sport')),
    ftp: whole(30, 2000),
    indoor_ftp: whole(30, 2000),
    lthr: whole(60, 230),
    max_hr: whole(80, 250),
    threshold_pace: z.string().optional(),
    power_zones: zones(1000),
    hr_zones: zones(260),
    pace_zones: zones(1000),
    recalc_hr_zones: z.boolean().optional(),
    dry_run: z.boolean().optional(),
  }),
  output: Fields,
  async handler(args, ctx) {
    checkZones('power_zones', args.power_zones);
    checkZones('hr_zones', args.hr_zones);
    checkZones('pace_zones', args.pace_zones);
    const { sport: _s, recalc_hr_zones: _r, dry_run: _d, ...changes } = args;
    if (Object.values(changes).every((v) => v === undefined)) {
      throw new InputError('Nothing to change: give ftp, indoor_ftp, lthr, max_hr, threshold_pace or zones.');
    }
    const all = await ctx.client.listSportSettings(ctx.athleteId, ctx.signal);
    const wanted = args.sport.toLowerCase();
    const settings = all.find((s) => (s.types ?? []).some((t) => t.toLowerCase() === wanted));
    if (!settings || settings.id === null || settings.id === undefined) {
      const known = all.flatMap((s) => s.types ?? []);
      throw new InputError(`No sport settings hold "${args.sport}". Known types: ${known.join(', ') || 'none'}.`);
    }
    const swim = familyOfTypes(settings.types) === 'swim';
    const body: Partial<SportSettings> = {};
    if (args.ftp !== undefined) body.ftp = args.ftp;
    if (args.indoor_ftp !== undefined) body.indoor_ftp = args.indoor_ftp;
    if (args.lthr !== undefined) body.lthr = args.lthr;
    if (args.max_hr !== undefined) body.max_hr = args.max_hr;
    if (args.threshold_pace !== undefined) body.threshold_pace = parsePace(args.threshold_pace, swim);
    if (args.power_zones) body.power_zones = args.power_zones;
    if (args.hr_zones) body.hr_zones = args.hr_zones;
    if (args.pace_zones) body.pace_zones = args.pace_zones;
    const lthr = body.lthr ?? settings.lthr;
    const maxHr = body.max_hr ?? settings.max_hr;
    if (lthr && maxHr && lthr >= maxHr) throw new InputError(`LTHR (${lthr}) must be below max HR (${maxHr}).`);
    const recalc = args.recalc_hr_zones ?? !args.hr_zones;
    const before = summariseSport(settings);
    if (args.dry_run) return { dry_run: true, settings_id: settings.id, would_send: body, recalc_hr_zones: recalc, before };
    const updated = await guardWrite(
      () => ctx.client.updateSportSettings(ctx.athleteId, settings.id!, body, recalc, ctx.signal),
      'it sets the same values, so repeating it is safe',
    );
    ctx.invalidate?.(ctx.athleteId);
    return { before, after: summariseSport(updated) };
  },
});
