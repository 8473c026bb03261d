/**
 * zod validation at the Intervals.icu boundary, for the fields the tools rely on. Objects are loose
 * (the API adds fields all the time) and every field is nullish (the API sends explicit nulls).
 * Each field map is checked against the types generated from the official OpenAPI document
 * (`openapi/types.ts`), so a misspelt or invented field name fails the type check.
 */
import * as z from 'zod';
import type { components } from './openapi/types.js';

type S = components['schemas'];
/** A field map whose keys must exist on the OpenAPI schema `T`. */
type FieldsOf<T> = { [K in keyof T]?: z.ZodType };

const str = z.string().nullish();
const num = z.number().nullish();
const int = z.number().nullish();
const bool = z.boolean().nullish();
const numArr = z.array(z.number().nullable()).nullish();
const strArr = z.array(z.string()).nullish();

const sportSettingsFields = {
  id: int,
  types: strArr,
  ftp: int,
  indoor_ftp: int,
  w_prime: int,
  p_max: int,
  lthr: int,
  max_hr: int,
  threshold_pace: num,
  pace_units: str,
  power_zones: numArr,
  power_zone_names: strArr,
  hr_zones: numArr,
  hr_zone_names: strArr,
  pace_zones: numArr,
  pace_zone_names: strArr,
  sweet_spot_min: num,
  sweet_spot_max: num,
  load_order: str,
} satisfies FieldsOf<S['SportSettings']>;
export const SportSettingsSchema = z.looseObject(sportSettingsFields);
export type SportSettings = z.infer<typeof SportSettingsSchema>;

const athleteFields = {
  id: z.string(),
  name: str,
  firstname: str,
  lastname: str,
  timezone: str,
  sex: str,
  weight: num,
  icu_weight: num,
  icu_resting_hr: int,
  icu_date_of_birth: str,
  locale: str,
  measurement_preference: str,
} satisfies FieldsOf<S['Athlete']>;
export const AthleteSchema = z.looseObject({
  ...athleteFields,
  sportSettings: z.array(SportSettingsSchema).nullish(),
} satisfies FieldsOf<S['WithSportSettings']>);
export type Athlete = z.infer<typeof AthleteSchema>;

const zoneTime = z.looseObject({ id: z.string(), secs: z.number() });

const activityFields = {
  id: z.union([z.string(), z.number()]).transform(String),
  icu_athlete_id: str,
  start_date_local: z.string(),
  start_date: str,
  timezone: str,
  type: str,
  sub_type: str,
  name: str,
  description: str,
  source: str,
  moving_time: int,
  elapsed_time: int,
  distance: num,
  icu_distance: num,
  total_elevation_gain: num,
  average_speed: num,
  max_speed: num,
  icu_training_load: int,
  icu_intensity: num,
  icu_average_watts: int,
  icu_weighted_avg_watts: int,
  icu_ftp: int,
  average_heartrate: int,
  max_heartrate: int,
  average_cadence: num,
  calories: int,
  icu_efficiency_factor: num,
  decoupling: num,
  icu_rpe: int,
  feel: int,
  trainer: bool,
  race: bool,
  commute: bool,
  icu_ctl: num,
  icu_atl: num,
  icu_zone_times: z.array(zoneTime).nullish(),
  icu_hr_zone_times: numArr,
  pace_zone_times: numArr,
  paired_event_id: int,
  tags: strArr,
  stream_types: strArr,
  device_name: str,
  lthr: int,
  icu_variability_index: num,
  compliance: num,
} satisfies FieldsOf<S['Activity']>;
/**
 * The activity fields the tools read: what the activity list asks for with `fields=`. `_note` is
 * asked for too: it is how a Strava stub is told from an activity (isStravaStub), and a list that
 * projected it away would turn stubs into empty activities.
 */
export const ACTIVITY_LIST_FIELDS: readonly string[] = Object.freeze([...Object.keys(activityFields), '_note']);

/** What an interval and a group of intervals both report, in this order. */
const intervalTotalFields = {
  moving_time: int,
  elapsed_time: int,
  distance: num,
  average_watts: num,
  weighted_average_watts: num,
  intensity: num,
};

const intervalFields = {
  id: int,
  type: str,
  label: str,
  start_index: int,
  end_index: int,
  start_time: int,
  end_time: int,
  ...intervalTotalFields,
  training_load: num,
  average_heartrate: num,
  max_heartrate: num,
  average_cadence: num,
  average_speed: num,
  zone: int,
  group_id: str,
  decoupling: num,
  total_elevation_gain: num,
} satisfies FieldsOf<S['Interval']>;
export const IntervalSchema = z.looseObject(intervalFields);
export type Interval = z.infer<typeof IntervalSchema>;

const intervalGroupFields = {
  id: str,
  count: int,
  ...intervalTotalFields,
  average_heartrate: num,
  average_speed: num,
} satisfies FieldsOf<S['IntervalGroup']>;
export const IntervalGroupSchema = z.looseObject(intervalGroupFields);

export const FullActivitySchema = z.looseObject({
  ...activityFields,
  icu_intervals: z.array(IntervalSchema).nullish(),
  icu_groups: z.array(IntervalGroupSchema).nullish(),
});
export type FullActivity = z.infer<typeof FullActivitySchema>;

const stubFields = {
  id: z.union([z.string(), z.number()]).transform(String),
  icu_athlete_id: str,
  start_date_local: str,
  source: z.literal('STRAVA'),
  _note: z.string(),
} satisfies FieldsOf<S['Hidden']>;
/** What Intervals.icu returns for an activity that came in through Strava (not readable via the API). */
export const StravaStubSchema = z.looseObject(stubFields);
export type StravaStub = z.infer<typeof StravaStubSchema>;

/** An activity as a list or get returns it: the full record or a Strava stub, told apart up front. */
export const ActivitySchema = z.union([StravaStubSchema, FullActivitySchema]);
export type Activity = FullActivity | StravaStub;
/** Why a Strava-synced activity has no data, and what to do: said in these words by every answer. */
export const STRAVA_REASON = 'Strava-synced activities are not available through the Intervals.icu API';
export const STRAVA_FIX = 'Sync the device (Garmin, Wahoo, Zwift…) to Intervals.icu directly, or upload the file.';

export function isStravaStub(a: Activity): a is StravaStub {
  return a.source === 'STRAVA' && typeof (a as StravaStub)._note === 'string';
}

/** Activities the API can read (Strava-synced stubs carry no type, time or load). */
export const readable = (list: readonly Activity[]): FullActivity[] => list.filter((a): a is FullActivity => !isStravaStub(a));

export const IntervalsDtoSchema = z.looseObject({
  id: str,
  icu_intervals: z.array(IntervalSchema).nullish(),
  icu_groups: z.array(IntervalGroupSchema).nullish(),
} satisfies FieldsOf<S['IntervalsDTO']>);

const wellnessFields = {
  id: z.string(),
  ctl: num,
  atl: num,
  rampRate: num,
  ctlLoad: num,
  atlLoad: num,
  weight: num,
  restingHR: int,
  hrv: num,
  hrvSDNN: num,
  sleepSecs: int,
  sleepScore: num,
  sleepQuality: int,
  avgSleepingHR: num,
  soreness: int,
  fatigue: int,
  stress: int,
  mood: int,
  motivation: int,
  injury: int,
  spO2: num,
  systolic: int,
  diastolic: int,
  hydration: int,
  hydrationVolume: num,
  readiness: num,
  respiration: num,
  bodyFat: num,
  vo2max: num,
  steps: int,
  kcalConsumed: int,
  carbohydrates: num,
  protein: num,
  fatTotal: num,
  bloodGlucose: num,
  lactate: num,
  baevskySI: num,
  abdomen: num,
  menstrualPhase: str,
  comments: str,
  locked: bool,
} satisfies FieldsOf<S['Wellness']>;
/** The wellness fields the tools read: what the wellness list asks for with `fields=` by default. */
export const WELLNESS_LIST_FIELDS: readonly string[] = Object.freeze(Object.keys(wellnessFields));
export const WellnessSchema = z.looseObject(wellnessFields);
export type Wellness = z.infer<typeof WellnessSchema>;

const eventFields = {
  id: z.number(),
  uid: str,
  athlete_id: str,
  category: z.string(),
  type: str,
  start_date_local: z.string(),
  end_date_local: str,
  name: str,
  description: str,
  moving_time: int,
  distance: num,
  icu_training_load: int,
  icu_intensity: num,
  icu_ctl: num,
  icu_atl: num,
  workout_doc: z.record(z.string(), z.unknown()).nullish(),
  external_id: str,
  indoor: bool,
  color: str,
  tags: strArr,
  load_target: int,
  time_target: int,
  distance_target: num,
  for_week: bool,
  not_on_fitness_chart: bool,
  show_as_note: bool,
  updated: str,
} satisfies FieldsOf<S['Event']>;
export const EventSchema = z.looseObject(eventFields);
export type Event = z.infer<typeof EventSchema>;

export const ActivityStreamSchema = z.looseObject({
  type: z.string(),
  name: str,
  data: z.array(z.number().nullable()).nullish(),
  data2: z.array(z.number().nullable()).nullish(),
} satisfies FieldsOf<S['ActivityStream']>);
export type ActivityStream = z.infer<typeof ActivityStreamSchema>;

export const ActivitySearchResultSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: str,
  start_date_local: str,
  type: str,
  distance: num,
  moving_time: int,
  tags: strArr,
} satisfies FieldsOf<S['ActivitySearchResult']>);
export type ActivitySearchResult = z.infer<typeof ActivitySearchResultSchema>;

export const DataCurveSchema = z.looseObject({
  id: str,
  label: str,
  start_date_local: str,
  end_date_local: str,
  secs: numArr,
  values: numArr,
  distance: numArr,
  activity_id: z.array(z.string().nullable()).nullish(),
} satisfies FieldsOf<S['DataCurve']>);
export const DataCurveSetSchema = z.looseObject({ list: z.array(DataCurveSchema).nullish() });
export type DataCurve = z.infer<typeof DataCurveSchema>;

export const BestEffortsSchema = z.looseObject({
  efforts: z
    .array(
      z.looseObject({
        start_index: int,
        end_index: int,
        average: num,
        duration: int,
        distance: num,
      }),
    )
    .nullish(),
} satisfies FieldsOf<S['BestEfforts']>);

const workoutFields = {
  id: int,
  folder_id: int,
  name: str,
  description: str,
  type: str,
  moving_time: int,
  distance: num,
  icu_training_load: int,
  icu_intensity: num,
  indoor: bool,
  tags: strArr,
  day: int,
} satisfies FieldsOf<S['Workout']>;
export const WorkoutSchema = z.looseObject(workoutFields);
export type Workout = z.infer<typeof WorkoutSchema>;

export const FolderSchema = z.looseObject({
  id: int,
  type: str,
  name: str,
  description: str,
  num_workouts: int,
  duration_weeks: int,
  children: z.array(WorkoutSchema).nullish(),
} satisfies FieldsOf<S['Folder']>);
export type Folder = z.infer<typeof FolderSchema>;
