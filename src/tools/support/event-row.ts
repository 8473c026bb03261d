/** The compact calendar columns shared by list_events and the calendar write tools. */
import { localDateTime } from '../../domain/dates.js';
import { hms, km, round } from '../../domain/format.js';
import type { Event } from '../../intervals/schemas.js';
import type { Columns } from './table.js';

/** A WORKOUT with text that Intervals.icu did not turn into structured steps. */
export const isUnparsed = (e: Event) => e.category === 'WORKOUT' && !!e.description?.trim() && !e.workout_doc;

export const EVENT_COLUMNS: Columns<Event> = {
  id: (e) => e.id,
  date: (e) => localDateTime(e.start_date_local) ?? e.start_date_local,
  cat: (e) => e.category,
  sport: (e) => e.type,
  name: (e) => e.name,
  dur: (e) => hms(e.moving_time),
  km: (e) => km(e.distance),
  load: (e) => e.icu_training_load,
  if_pct: (e) => round(e.icu_intensity),
  text: (e) => e.description?.trim() || undefined,
  ext_id: (e) => e.external_id,
  unparsed: (e) => (isUnparsed(e) ? true : undefined),
};
