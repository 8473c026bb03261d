/** Intervals.icu calendar event categories (the API's enum). */
export const EVENT_CATEGORIES = [
  'WORKOUT',
  'RACE_A',
  'RACE_B',
  'RACE_C',
  'NOTE',
  'PLAN',
  'HOLIDAY',
  'SICK',
  'INJURED',
  'SET_EFTP',
  'FITNESS_DAYS',
  'SEASON_START',
  'TARGET',
  'SET_FITNESS',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];
