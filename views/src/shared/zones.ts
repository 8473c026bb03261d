/**
 * Intervals.icu's form zones, as the tools name them (src/domain/fitness.ts `formZone`; a test
 * checks both agree). Bounds are on form = CTL − ATL.
 */
export interface Zone {
  name: string;
  /** Lower bound (exclusive above `fresh`, inclusive below; see `zoneOf`). */
  min: number;
  max: number;
}

export const ZONES: readonly Zone[] = [
  { name: 'transition', min: 25, max: Number.POSITIVE_INFINITY },
  { name: 'fresh', min: 5, max: 25 },
  { name: 'grey zone', min: -10, max: 5 },
  { name: 'optimal', min: -30, max: -10 },
  { name: 'high risk', min: Number.NEGATIVE_INFINITY, max: -30 },
];

export function zoneOf(form: number): string {
  if (form > 25) return 'transition';
  if (form > 5) return 'fresh';
  if (form >= -10) return 'grey zone';
  if (form >= -30) return 'optimal';
  return 'high risk';
}

/** CSS class for a zone name ("grey zone" → "z-grey"). */
export const zoneClass = (name: string) => `z-${name.split(' ')[0]}`;
