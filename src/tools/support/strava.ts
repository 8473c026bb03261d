/**
 * Strava-synced activities, which the Intervals.icu API returns as stubs (id, date, source): every
 * tool tells them apart with `isStravaStub`, or `readable` for a list (both intervals/schemas.ts), and
 * says the same reason and the same fix in the words below.
 */
import { STRAVA_FIX, STRAVA_REASON } from '../../intervals/schemas.js';

/** The error for one activity that came from Strava. */
export const stravaActivityMessage = (id: string) => `Activity ${id} came from Strava: ${STRAVA_REASON}. ${STRAVA_FIX}`;

/** The note beside a table whose strava=true rows hold only an id and a date. */
export const STRAVA_NOTE = `Rows with strava=true came from Strava (only id and date are known): ${STRAVA_REASON}. ${STRAVA_FIX}`;

/** The note for Strava-synced activities left out of totals. */
export const stravaSkippedNote = (n: number) =>
  `${n} Strava-synced activit${n > 1 ? 'ies' : 'y'} not counted: ${STRAVA_REASON}. ${STRAVA_FIX}`;
