/**
 * Intervals.icu's subjective wellness scales. The developer's definition: "Soreness etc. are on a 1-4
 * scale where 1 is good and 4 is bad" (forum.intervals.icu t/609 post 34); the labels are the ones
 * the Intervals.icu wellness form shows for each value.
 */
export const SCALES = {
  sleepQuality: ['great', 'good', 'avg', 'poor'],
  soreness: ['low', 'avg', 'high', 'extreme'],
  fatigue: ['low', 'avg', 'high', 'extreme'],
  stress: ['low', 'avg', 'high', 'extreme'],
  mood: ['great', 'good', 'ok', 'grumpy'],
  motivation: ['extreme', 'high', 'avg', 'low'],
  injury: ['none', 'niggle', 'poor', 'injured'],
  hydration: ['good', 'ok', 'poor', 'bad'],
} as const satisfies Record<string, readonly [string, string, string, string]>;

export type ScaleField = keyof typeof SCALES;
export const SCALE_FIELDS = Object.keys(SCALES) as ScaleField[];

/** 2 → "2 good" (mood); out-of-range values are passed through as numbers in text. */
export function labelScale(field: ScaleField, v: number | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const label = SCALES[field][v - 1];
  return label ? `${v} ${label}` : String(v);
}

/** One line per scale, used by the subjective-scales resource and descriptions. */
export function describeScales(): string {
  return SCALE_FIELDS.map((f) => `${f}: ${SCALES[f].map((l, i) => `${i + 1}=${l}`).join(', ')}`).join('\n');
}
