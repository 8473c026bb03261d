/** Parameter schemas shared by several tools, so each is described (and validated) the same way. */
import * as z from 'zod';
import { isDateInHorizon, MIN_DATE } from '../../domain/dates.js';

/**
 * A local date, validated by one refinement (format, calendar, horizon); its JSON schema says
 * `"format":"date"` (YYYY-MM-DD), so every tool states the format without a description.
 */
export const localDate = z
  .string()
  .refine((s) => isDateInHorizon(s), `must be a real date as YYYY-MM-DD, from ${MIN_DATE} to two years ahead`)
  .meta({ format: 'date' });

/** A local date with a short note (where the default matters). */
export const date = (note?: string) => (note ? localDate.describe(note) : localDate);

/** Activity ids: `i123456` for native activities, bare digits for Strava-synced ones. */
export const activityId = z
  .string()
  .trim()
  .refine((s) => /^i?\d{1,20}$/.test(s), 'must be an Intervals.icu activity id like i12345678');

/**
 * The one whole-number argument: an integer in [min, max] (no upper bound when `max` is left out),
 * checked by a refinement so the catalogue shows just `"type":"integer"` (no bounds).
 */
export const wholeIn = (min: number, max = Number.POSITIVE_INFINITY) =>
  z
    .number()
    .refine(
      (n) => Number.isInteger(n) && n >= min && n <= max,
      Number.isFinite(max) ? `must be a whole number from ${min} to ${max}` : `must be a whole number ≥ ${min}`,
    )
    .meta({ type: 'integer' });
