/**
 * The answers whose token cost we promise to keep small, measured on the fake's sample athlete
 * (today = 2026-11-24). Shared by `npm run tokens` (prints the figures) and the budget test.
 */
export interface Scenario {
  label: string;
  tool: string;
  args: Record<string, unknown>;
  budget?: number;
}

export const SPINE_TOOLS = ['get_athlete', 'list_activities', 'get_activity', 'get_wellness', 'get_fitness', 'list_events'];

export interface CatalogueBudget {
  label: string;
  env: Record<string, string>;
  /** Only these tools (default: everything listed). */
  tools?: string[];
  budget: number;
}

export const CATALOGUE_BUDGETS: CatalogueBudget[] = [
  { label: 'the six read tools', env: {}, tools: SPINE_TOOLS, budget: 1200 },
  { label: 'default catalogue', env: {}, budget: 2500 },
  { label: 'READ_ONLY=true', env: { READ_ONLY: 'true' }, budget: 2500 },
];

/** An activity of the sample athlete with intervals (a structured ride). */
export const ACTIVITY_WITH_INTERVALS = 'i70000299';

export const SCENARIOS: Scenario[] = [
  { label: 'get_athlete', tool: 'get_athlete', args: {}, budget: 500 },
  { label: 'last 5 activities', tool: 'list_activities', args: { limit: 5 }, budget: 600 },
  { label: 'list_activities default (20 rows)', tool: 'list_activities', args: {}, budget: 1800 },
  { label: 'one activity with intervals', tool: 'get_activity', args: { activity_id: ACTIVITY_WITH_INTERVALS, include_intervals: true }, budget: 1200 },
  { label: 'wellness, 7 days', tool: 'get_wellness', args: {}, budget: 700 },
  { label: 'fitness, 90 days', tool: 'get_fitness', args: { oldest: '2026-08-27', newest: '2026-11-24' }, budget: 2000 },
  { label: 'fitness default (90 days + projection)', tool: 'get_fitness', args: {}, budget: 2600 },
  { label: 'planned events, 7 days', tool: 'list_events', args: {}, budget: 800 },
  { label: 'planned events, 14 days', tool: 'list_events', args: { newest: '2026-12-07' }, budget: 1500 },
];
