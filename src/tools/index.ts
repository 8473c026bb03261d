/** The tool registry: every tool the server can expose, in catalogue order. */
import getActivity from './get-activity.js';
import getAthlete from './get-athlete.js';
import getFitness from './get-fitness.js';
import getWellness from './get-wellness.js';
import listActivities from './list-activities.js';
import listEvents from './list-events.js';
// imports: calendar writes
// imports: analysis
// imports: training, settings, coach
import type { AnyTool } from './tool.js';

export const tools: readonly AnyTool[] = [
  getAthlete,
  listActivities,
  getActivity,
  getWellness,
  getFitness,
  listEvents,
  // tools: calendar writes
  // tools: analysis
  // tools: training, settings, coach
];
