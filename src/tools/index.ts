/** The tool registry: every tool the server can expose, in catalogue order. */
import getActivity from './get-activity.js';
import getAthlete from './get-athlete.js';
import getFitness from './get-fitness.js';
import getWellness from './get-wellness.js';
import listActivities from './list-activities.js';
import listEvents from './list-events.js';
// imports: calendar writes
import createEvent from './create-event.js';
import deleteEvent from './delete-event.js';
import updateEvent from './update-event.js';
import upsertEvents from './upsert-events.js';
// imports: analysis
import getCurves from './get-curves.js';
import getStreams from './get-streams.js';
import searchActivities from './search-activities.js';
// imports: training, settings, coach
import getWeeklyReview from './get-weekly-review.js';
import listAthletes from './list-athletes.js';
import listLibrary from './list-library.js';
import updateThresholds from './update-thresholds.js';
import updateWellness from './update-wellness.js';
import type { AnyTool } from './support/tool.js';

export const tools: readonly AnyTool[] = [
  getAthlete,
  listActivities,
  getActivity,
  getWellness,
  getFitness,
  listEvents,
  // tools: calendar writes
  createEvent,
  upsertEvents,
  updateEvent,
  deleteEvent,
  // tools: analysis
  getStreams,
  getCurves,
  searchActivities,
  // tools: training, settings, coach
  getWeeklyReview,
  listLibrary,
  updateWellness,
  updateThresholds,
  listAthletes,
];
