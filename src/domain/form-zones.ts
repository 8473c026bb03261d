/**
 * Intervals.icu's form zones (its fitness chart), on form = CTL − ATL. No imports: the MCP Apps
 * views (browser code, bundled by esbuild) shade and name the same zones from this module.
 */
export interface FormZone {
  name: string;
  /** Lower bound: a bound above zero belongs to the zone below it, one below zero to this zone (see `formZone`). */
  min: number;
  max: number;
}

/** Highest first; contiguous from −∞ to +∞. */
export const FORM_ZONES: readonly FormZone[] = [
  { name: 'transition', min: 25, max: Number.POSITIVE_INFINITY },
  { name: 'fresh', min: 5, max: 25 },
  { name: 'grey zone', min: -10, max: 5 },
  { name: 'optimal', min: -30, max: -10 },
  { name: 'high risk', min: Number.NEGATIVE_INFINITY, max: -30 },
];

/** The zone a form value is in: 25 is fresh and 5 the grey zone, −10 the grey zone and −30 optimal. */
export function formZone(form: number): string {
  const zone = FORM_ZONES.find((z) => form > z.min || (z.min < 0 && form === z.min));
  return zone?.name ?? 'high risk';
}
