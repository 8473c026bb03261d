/**
 * The tool registry: every tool the server can expose, in catalogue order (the spine reads first,
 * then calendar writes, analysis, training and settings, coach). src/mcp/ decides which are exposed
 * (READ_ONLY drops the writes, coach-only tools need coach mode); src/tools/registry.test.ts checks
 * the invariants every entry must meet.
 */
import createEvent from './create-event.js';
import deleteEvent from './delete-event.js';
import getActivity from './get-activity.js';
import getAthlete from './get-athlete.js';
import getCurves from './get-curves.js';
import getFitness from './get-fitness.js';
import getStreams from './get-streams.js';
import getWeeklyReview from './get-weekly-review.js';
import getWellness from './get-wellness.js';
import listActivities from './list-activities.js';
import listAthletes from './list-athletes.js';
import listEvents from './list-events.js';
import listLibrary from './list-library.js';
import searchActivities from './search-activities.js';
import type { AnyTool } from './support/tool.js';
import updateEvent from './update-event.js';
import updateThresholds from './update-thresholds.js';
import updateWellness from './update-wellness.js';
import upsertEvents from './upsert-events.js';

export const tools: readonly AnyTool[] = [
  getAthlete,
  listActivities,
  getActivity,
  getWellness,
  getFitness,
  listEvents,
  createEvent,
  upsertEvents,
  updateEvent,
  deleteEvent,
  getStreams,
  getCurves,
  searchActivities,
  getWeeklyReview,
  listLibrary,
  updateWellness,
  updateThresholds,
  listAthletes,
];
