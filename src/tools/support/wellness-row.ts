import { hm, round } from '../../domain/format.js';
import { labelScale } from '../../domain/scales.js';
import type { Wellness } from '../../intervals/schemas.js';
import type { Columns } from './table.js';

/** Units in the names; subjective scores as "value label" on Intervals.icu's 1-4 scales. */
export const WELLNESS_COLUMNS: Columns<Wellness> = {
  date: (w) => w.id,
  weight_kg: (w) => round(w.weight, 1),
  rhr: (w) => w.restingHR,
  hrv: (w) => round(w.hrv),
  hrv_sdnn: (w) => round(w.hrvSDNN),
  sleep: (w) => (w.sleepSecs ? hm(w.sleepSecs) : undefined),
  sleep_score: (w) => round(w.sleepScore),
  sleep_hr: (w) => round(w.avgSleepingHR),
  sleep_q: (w) => labelScale('sleepQuality', w.sleepQuality),
  soreness: (w) => labelScale('soreness', w.soreness),
  fatigue: (w) => labelScale('fatigue', w.fatigue),
  stress: (w) => labelScale('stress', w.stress),
  mood: (w) => labelScale('mood', w.mood),
  motivation: (w) => labelScale('motivation', w.motivation),
  injury: (w) => labelScale('injury', w.injury),
  hydration: (w) => labelScale('hydration', w.hydration),
  readiness: (w) => round(w.readiness),
  spo2: (w) => round(w.spO2, 1),
  bp: (w) => (w.systolic && w.diastolic ? `${w.systolic}/${w.diastolic}` : undefined),
  resp: (w) => round(w.respiration, 1),
  steps: (w) => w.steps,
  kcal_in: (w) => w.kcalConsumed,
  body_fat: (w) => round(w.bodyFat, 1),
  vo2max: (w) => round(w.vo2max, 1),
  comments: (w) => w.comments?.trim() || undefined,
};
