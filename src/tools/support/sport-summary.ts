import { compact, pace } from '../../domain/format.js';
import { familyOfTypes } from '../../domain/sports.js';
import type { SportSettings } from '../../intervals/schemas.js';

/** Per-sport thresholds; units in the names, zones as upper bounds. */
export function summariseSport(s: SportSettings): Record<string, unknown> {
  const nums = (a: readonly (number | null)[] | null | undefined) => a?.filter((x): x is number => x !== null);
  return compact({
    types: s.types ?? [],
    ftp_w: s.ftp ?? undefined,
    indoor_ftp_w: s.indoor_ftp && s.indoor_ftp !== s.ftp ? s.indoor_ftp : undefined,
    w_prime_j: s.w_prime ?? undefined,
    lthr_bpm: s.lthr ?? undefined,
    max_hr_bpm: s.max_hr ?? undefined,
    threshold_pace: pace(s.threshold_pace, familyOfTypes(s.types) === 'swim' ? '100m' : 'km'),
    power_zones_pct: nums(s.power_zones),
    hr_zones_bpm: nums(s.hr_zones),
    pace_zones_pct: nums(s.pace_zones),
    settings_id: s.id ?? undefined,
  });
}
