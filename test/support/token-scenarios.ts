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
  // Complete schemas (issue 9): every parameter typed, closed sets as enums, typed array items,
  // object items with their properties (upsert_events items, update_wellness.set), dates as
  // "format":"date". Before: 2,549 default, 1,679 READ_ONLY, 1,055 six read tools (with the MCP Apps
  // metadata; 2,493 default when the issue was filed).
  { label: 'the six read tools', env: {}, tools: SPINE_TOOLS, budget: 1200 },
  // 3,103 with all four hints on every tool; 2,800 with the hints the spec does not already imply
  // (wireAnnotations in src/mcp/server.ts) and descriptions that no longer repeat the schema.
  { label: 'default catalogue', env: {}, budget: 2800 },
  { label: 'READ_ONLY=true', env: { READ_ONLY: 'true' }, budget: 1900 },
  // Coach mode adds athlete_id (an enum of the athletes) to every athlete-scoped tool.
  { label: 'coach mode, 2 athletes', env: { INTERVALS_ATHLETE_IDS: 'i222222' }, budget: 3200 },
];

/** An activity of the sample athlete with intervals (a structured ride). */
export const ACTIVITY_WITH_INTERVALS = 'i70000299';

export const SCENARIOS: Scenario[] = [
  { label: 'get_athlete', tool: 'get_athlete', args: {}, budget: 500 },
  { label: 'last 5 activities', tool: 'list_activities', args: { limit: 5 }, budget: 600 },
  { label: 'list_activities default (20 rows)', tool: 'list_activities', args: {}, budget: 1800 },
  // An explicit range: whole-range totals per sport plus up to 50 rows, so a month is one page.
  {
    label: 'list_activities, last 4 weeks (totals + 22 rows)',
    tool: 'list_activities',
    args: { oldest: '2026-10-28', newest: '2026-11-24' },
    budget: 1500,
  },
  {
    label: 'one activity with intervals',
    tool: 'get_activity',
    args: { activity_id: ACTIVITY_WITH_INTERVALS, include_intervals: true },
    budget: 1200,
  },
  { label: 'wellness, 7 days', tool: 'get_wellness', args: {}, budget: 700 },
  { label: 'fitness, 90 days', tool: 'get_fitness', args: { oldest: '2026-08-27', newest: '2026-11-24' }, budget: 2000 },
  { label: 'fitness default (90 days + projection)', tool: 'get_fitness', args: {}, budget: 2600 },
  { label: 'planned events, 7 days', tool: 'list_events', args: {}, budget: 800 },
  { label: 'planned events, 14 days', tool: 'list_events', args: { newest: '2026-12-07' }, budget: 1500 },
  { label: 'get_streams default (ride, 120 points)', tool: 'get_streams', args: { activity_id: ACTIVITY_WITH_INTERVALS }, budget: 2000 },
  { label: 'get_curves default (power, 42 days vs previous)', tool: 'get_curves', args: {}, budget: 600 },
  { label: 'search_activities (20 rows)', tool: 'search_activities', args: { query: 'ride' }, budget: 900 },
  { label: 'weekly review, 4 weeks', tool: 'get_weekly_review', args: {}, budget: 1500 },
  { label: 'weekly review, 4 weeks + projection to race day', tool: 'get_weekly_review', args: { project_to: '2027-01-05' }, budget: 2000 },
  { label: 'list_library', tool: 'list_library', args: {}, budget: 400 },
  { label: 'list_athletes (coach mode, 2 athletes)', tool: 'list_athletes', args: {}, budget: 300 },
  { label: 'update_wellness dry run', tool: 'update_wellness', args: { date: '2026-11-24', set: { mood: 2 }, dry_run: true }, budget: 300 },
  {
    label: 'create_event dry run',
    tool: 'create_event',
    args: {
      date: '2026-11-27',
      sport: 'Ride',
      name: 'Sweet spot 3x12',
      text: '- 15m 55%\n\n3x\n- 12m 90%\n- 4m 55%\n\n- 10m 50%',
      dry_run: true,
    },
    budget: 400,
  },
];
