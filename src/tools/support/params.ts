/** Parameter schemas shared by several tools, so each is described (and validated) the same way. */
import * as z from 'zod';
import { isValidDate } from '../../domain/dates.js';

/**
 * A local date, validated by one refinement (format and calendar) so its JSON schema is a bare
 * string: the server instructions state the format once for every tool.
 */
export const localDate = z.string().refine(isValidDate, 'must be a real date as YYYY-MM-DD');

/** A local date with a short description (the read tools, where the default matters). */
export const date = (note?: string) => localDate.describe(note ? `YYYY-MM-DD, ${note}` : 'YYYY-MM-DD');

/** Activity ids: `i123456` for native activities, bare digits for Strava-synced ones. */
export const activityId = z
  .string()
  .trim()
  .refine((s) => /^i?\d{1,20}$/.test(s), 'must be an Intervals.icu activity id like i12345678')
  .describe('e.g. i12345678');

export const eventId = z.number().int().positive().describe('From list_events');

export const dryRun = z.boolean().default(false).describe('Preview the exact change without writing');

/** A whole number in [min, max], checked by a refinement so the catalogue shows just "number". */
export const wholeIn = (min: number, max: number) =>
  z.number().refine((n) => Number.isInteger(n) && n >= min && n <= max, `must be a whole number from ${min} to ${max}`);
