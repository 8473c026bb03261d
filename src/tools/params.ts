/** Parameter schemas shared by several tools, so each is described (and validated) the same way. */
import * as z from 'zod';
import { isValidDate } from './dates.js';

/** A local date. Validated by one refinement (format and calendar) to keep the JSON schema short. */
export const date = (note?: string) =>
  z
    .string()
    .refine(isValidDate, 'must be a real date as YYYY-MM-DD')
    .describe(note ? `YYYY-MM-DD, ${note}` : 'YYYY-MM-DD');

/** Activity ids: `i123456` for native activities, bare digits for Strava-synced ones. */
export const activityId = z
  .string()
  .trim()
  .refine((s) => /^i?\d{1,20}$/.test(s), 'must be an Intervals.icu activity id like i12345678')
  .describe('e.g. i12345678');

export const eventId = z.number().int().positive().describe('From list_events');

export const dryRun = z.boolean().default(false).describe('Preview the exact change without writing');
