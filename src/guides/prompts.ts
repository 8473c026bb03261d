/**
 * The seed's "coach project" as reusable MCP prompts: each tells the model to fetch the data first,
 * then answer briefly with concrete numbers.
 */
import * as z from 'zod';

export interface GuidePrompt {
  name: string;
  title: string;
  description: string;
  args: z.ZodRawShape;
  text: (args: Record<string, string | undefined>) => string;
}

const STYLE =
  'Answer briefly: what to do and why, citing concrete numbers (CTL/ATL/form, load, sleep, HRV, compliance). ' +
  "If data is missing, call the right tool first, then answer. Dates are the athlete's local dates (YYYY-MM-DD).";

export const PROMPTS: readonly GuidePrompt[] = [
  {
    name: 'weekly_review',
    title: 'Weekly training review',
    description: 'Review the last weeks against the plan, with fitness, fatigue and recovery.',
    args: { weeks: z.string().optional().describe('Weeks to review, default 4') },
    text: (a) =>
      `You are my endurance coach. First call get_weekly_review (weeks=${a.weeks ?? '4'}), get_wellness (last 7 days) and get_fitness. ` +
      'Then review: load and time per sport per week, planned-vs-done compliance (name missed sessions), form zone and ramp, ' +
      `sleep/HRV/resting-HR trends. End with 2-3 concrete recommendations for next week. ${STYLE}`,
  },
  {
    name: 'adjust_week',
    title: 'Adjust the coming week',
    description: 'Re-plan the next 7 days from current form, recovery and the calendar.',
    args: {
      goal: z.string().optional().describe('Goal or focus, e.g. "Olympic tri in September"'),
      constraints: z.string().optional().describe('Constraints, e.g. "right knee: no plyometrics"'),
    },
    text: (a) =>
      'You are my endurance coach. First call get_fitness, get_wellness (last 7 days) and list_events for the next 7 days' +
      `${a.goal ? `; my goal: ${a.goal}` : ''}${a.constraints ? `; constraints: ${a.constraints}` : ''}. ` +
      'Decide whether to keep, reduce or add load this week and why. Propose the exact calendar changes, show them with ' +
      'dry_run=true (update_event / create_event / upsert_events, workout text per resource intervals://workout-syntax), ' +
      `and apply them only after I confirm. ${STYLE}`,
  },
  {
    name: 'race_readiness',
    title: 'Race readiness',
    description: 'How ready am I for the next race, and how to taper.',
    args: { race_date: z.string().optional().describe('Race date YYYY-MM-DD; default: the next A/B race in the calendar') },
    text: (a) =>
      `You are my endurance coach. First find the race (${a.race_date ? `on ${a.race_date}` : 'list_events with category RACE_A, RACE_B, RACE_C over the next 6 months'}), ` +
      'then call get_weekly_review with project_to = race day, get_fitness and get_wellness (last 7 days). ' +
      'Assess: fitness now vs 6 weeks ago, projected form on race day from the planned workouts, recovery signals. ' +
      `Recommend the taper (when, how much load to cut) to arrive with form about +5 to +20. ${STYLE}`,
  },
];
