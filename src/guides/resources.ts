/**
 * Reference texts served as MCP resources, so tool descriptions stay short: the model (or the user)
 * reads a guide only when it needs it.
 */
import { EVENT_CATEGORIES, type EventCategory } from '../domain/events.js';
import { describeScales } from '../domain/scales.js';

export interface GuideResource {
  name: string;
  uri: string;
  title: string;
  description: string;
  text: () => string;
}

const WORKOUT_SYNTAX = `# Intervals.icu workout text (used by create_event / upsert_events)

One step per line, starting with "- ": optional cue text, a duration or distance, then a target.

Durations: 1h, 10m, 30s, 1h2m30s, 5', 30"   — NOTE: "m" means MINUTES (400m = 400 minutes)
Distances: 500mtr (metres), 2km, 1mi, 400yrd  — use "mtr" for metres
Power (of FTP): 75%, 95-105%, 220w, 200-240w, Z2, Z3-Z4, ramp 50%-75%
Heart rate: 70% HR (of max), 95% LTHR, Z2 HR
Pace: 60% Pace, Z2 Pace, 5:00/km Pace, 1:45/100m Pace (absolute pace needs the word Pace)
Cadence: 90rpm or 85-95rpm, after the target. "freeride" turns ERG off.

Repeats: a line "4x" (or a header ending in " 4x") followed by the steps to repeat, with a blank
line before and after the block. Nested repeats are not supported. Lines without "- " are section
headers.

Example (bike, sweet spot):
Warmup
- 15m ramp 50%-75%

Main Set 3x
- 12m 88-92%
- 4m 55%

Cooldown
- 10m 50%

Example (run): "- 2km Z2 Pace" / "5x" / "- 400mtr 5:00/km Pace" / "- 90s 60% Pace".
After writing, the tools report the steps, duration and load Intervals.icu parsed; "unparsed"
means Intervals.icu could not read the text as a workout — fix the syntax and update the event.`;

const CATEGORY_MEANING: Record<EventCategory, string> = {
  WORKOUT: 'a planned workout (structured text, planned duration and load)',
  RACE_A: 'an A race: the season goal',
  RACE_B: 'a B race: important, trained through with a short taper',
  RACE_C: 'a C race: a training race',
  NOTE: 'a calendar note (name + text), no load',
  PLAN: 'a training-plan marker',
  HOLIDAY: 'holiday: training availability changes',
  SICK: 'sick days',
  INJURED: 'injury days',
  SET_EFTP: 'sets eFTP from that date',
  FITNESS_DAYS: 'changes the CTL/ATL time constants (ctl_days, atl_days) from that date',
  SEASON_START: 'starts a season (used by season curves)',
  TARGET: 'a load/time/distance target, often weekly',
  SET_FITNESS: 'sets starting fitness and fatigue',
};

export const GUIDES: readonly GuideResource[] = [
  {
    name: 'workout-syntax',
    uri: 'intervals://workout-syntax',
    title: 'Workout text syntax',
    description: 'How to write Intervals.icu workout text that parses into structured steps.',
    text: () => WORKOUT_SYNTAX,
  },
  {
    name: 'event-categories',
    uri: 'intervals://event-categories',
    title: 'Calendar event categories',
    description: 'What each Intervals.icu calendar category means.',
    text: () => `# Intervals.icu calendar categories\n\n${EVENT_CATEGORIES.map((c) => `${c}: ${CATEGORY_MEANING[c]}`).join('\n')}`,
  },
  {
    name: 'wellness-scales',
    uri: 'intervals://wellness-scales',
    title: 'Subjective wellness scales',
    description: 'Direction and labels of the 1-4 wellness scores.',
    text: () =>
      '# Intervals.icu subjective wellness scales\n\nAll are integers 1-4 where 1 is the best state and 4 the worst ' +
      '("Soreness etc. are on a 1-4 scale where 1 is good and 4 is bad", Intervals.icu developer, API forum). ' +
      'The API types them as plain int32; labels are those of the Intervals.icu wellness form:\n\n' +
      `${describeScales()}\n\nsleepScore (0-100) and readiness are device scores where higher is better.`,
  },
];
