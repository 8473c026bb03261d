/**
 * Deterministic sample data and in-memory state for the fake Intervals.icu server.
 *
 * Everything is generated from a seeded PRNG (no Math.random) relative to `today` (a local
 * 'YYYY-MM-DD' date of the athlete), so the same `today` always gives the same data.
 */

import { readFileSync } from 'node:fs';
import {
  type ActivitySim,
  hashString,
  MMP_SECS,
  PACE_DISTANCES,
  Rng,
  type SimSegment,
  type SimSummary,
  type Sport,
  streamTypesFor,
  summarize,
  type Terrain,
} from './sim.js';
import { type FlatSegment, type ParseSettings, parseWorkoutText } from './workout-text.js';

export type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

export const SAMPLE_ATHLETE_ID = 'i123456';
export const SAMPLE_STRAVA_STUB_ID = '12345678901';
export const STRAVA_NOTE = 'STRAVA activities are not available via the API';
export const K_CTL = 1 - Math.exp(-1 / 42);
export const K_ATL = 1 - Math.exp(-1 / 7);
/** CTL and ATL on the day before the first wellness record. */
export const SEED_FITNESS = 40;
/** Number of days of history (first activity day = today - HISTORY_DAYS + 1). */
export const HISTORY_DAYS = 182;

/** A string enum of the vendored OpenAPI spec (src/intervals/openapi/), e.g. `Event.category`. */
function apiEnum(schema: string, property: string): readonly string[] {
  const spec = JSON.parse(readFileSync(new URL('../../src/intervals/openapi/intervals-icu-openapi.json', import.meta.url), 'utf8')) as {
    components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
  };
  const values = spec.components.schemas[schema]?.properties?.[property]?.enum;
  if (!values?.length) throw new Error(`the OpenAPI spec has no enum for ${schema}.${property}`);
  return values;
}

/**
 * The calendar categories Intervals.icu accepts: the `Event.category` enum of the vendored OpenAPI
 * spec. Read from the spec, not from the server's own list (src/domain/events.ts), so that a wrong
 * category in the server is refused here as the real API would refuse it.
 */
export const EVENT_CATEGORIES: readonly string[] = apiEnum('Event', 'category');

export const EVENT_KEYS = [
  'id',
  'start_date_local',
  'icu_training_load',
  'icu_atl',
  'icu_ctl',
  'type',
  'carbs_used',
  'ss_p_max',
  'ss_w_prime',
  'ss_cp',
  'calendar_id',
  'uid',
  'athlete_id',
  'category',
  'end_date_local',
  'name',
  'description',
  'indoor',
  'color',
  'moving_time',
  'icu_ftp',
  'w_prime',
  'p_max',
  'atl_days',
  'ctl_days',
  'updated',
  'not_on_fitness_chart',
  'show_as_note',
  'show_on_ctl_line',
  'for_week',
  'target',
  'joules',
  'joules_above_ftp',
  'workout_doc',
  'push_errors',
  'athlete_cannot_edit',
  'hide_from_athlete',
  'structure_read_only',
  'created_by_id',
  'shared_event_id',
  'entered',
  'carbs_per_hour',
  'sub_type',
  'distance',
  'tags',
  'attachments',
  'oauth_client_id',
  'external_id',
  'load_target',
  'time_target',
  'distance_target',
  'training_availability',
  'max_training_time',
  'can_train_sports',
  'plan_athlete_id',
  'plan_folder_id',
  'plan_workout_id',
  'plan_applied',
  'icu_intensity',
  'strain_score',
] as const;

export const WELLNESS_KEYS = [
  'id',
  'ctl',
  'atl',
  'rampRate',
  'ctlLoad',
  'atlLoad',
  'sportInfo',
  'updated',
  'weight',
  'restingHR',
  'hrv',
  'hrvSDNN',
  'menstrualPhase',
  'menstrualPhasePredicted',
  'kcalConsumed',
  'sleepSecs',
  'sleepScore',
  'sleepQuality',
  'avgSleepingHR',
  'soreness',
  'fatigue',
  'stress',
  'mood',
  'motivation',
  'injury',
  'spO2',
  'systolic',
  'diastolic',
  'hydration',
  'hydrationVolume',
  'readiness',
  'baevskySI',
  'bloodGlucose',
  'lactate',
  'bodyFat',
  'abdomen',
  'vo2max',
  'comments',
  'steps',
  'respiration',
  'carbohydrates',
  'protein',
  'fatTotal',
  'locked',
  'tempWeight',
  'tempRestingHR',
] as const;

/** Wellness fields computed by the server (ignored when sent in a PUT). */
export const WELLNESS_COMPUTED = new Set(['id', 'ctl', 'atl', 'rampRate', 'ctlLoad', 'atlLoad', 'sportInfo', 'updated']);
const WELLNESS_NON_NUMERIC = new Set([
  'id',
  'sportInfo',
  'updated',
  'menstrualPhase',
  'menstrualPhasePredicted',
  'comments',
  'locked',
  'tempWeight',
  'tempRestingHR',
]);

const SPORT_SETTINGS_KEYS = [
  'id',
  'athlete_id',
  'types',
  'warmup_time',
  'cooldown_time',
  'ftp',
  'indoor_ftp',
  'w_prime',
  'p_max',
  'power_zones',
  'sweet_spot_min',
  'sweet_spot_max',
  'power_spike_threshold',
  'power_zone_names',
  'ftp_est_min_secs',
  'use_laps_for_power_intervals',
  'keep_all_laps_for_power_intervals',
  'power_intervals_start_locked',
  'after_kj0',
  'after_kj1',
  'power_field',
  'lthr',
  'max_hr',
  'hr_zones',
  'hr_zone_names',
  'hr_load_type',
  'hrrc_min_percent',
  'threshold_pace',
  'pace_units',
  'pace_zones',
  'pace_zone_names',
  'pace_load_type',
  'gap_model',
  'elevation_correction',
  'use_gap_zone_times',
  'best_effort_distances',
  'pace_curve_start',
  'load_order',
  'tiz_order',
  'workout_order',
  'interval_display',
  'default_gear_id',
  'default_indoor_gear_id',
  'extract_workouts',
  'show_pauses',
  'ignore_velocity',
  'default_workout_time',
  'update_activity_name_from_workout',
  'created',
  'updated',
  'mmp_model',
  'display',
  'activity_field_ids',
  'activity_charts',
  'custom_field_ids',
  'custom_field_values',
  'custom_zones_ids',
  'calendar_tile_activity_panel_id',
  'other',
  'iseFTPSupported',
  'use_distance_for_intervals',
] as const;

const ACTIVITY_KEYS = [
  'id',
  'icu_athlete_id',
  'start_date_local',
  'start_date',
  'timezone',
  'type',
  'sub_type',
  'name',
  'description',
  'source',
  'external_id',
  'strava_id',
  'device_name',
  'trainer',
  'commute',
  'race',
  'moving_time',
  'elapsed_time',
  'icu_recording_time',
  'coasting_time',
  'distance',
  'icu_distance',
  'total_elevation_gain',
  'total_elevation_loss',
  'average_speed',
  'max_speed',
  'pace',
  'gap',
  'average_altitude',
  'min_altitude',
  'max_altitude',
  'icu_training_load',
  'power_load',
  'hr_load',
  'pace_load',
  'hr_load_type',
  'pace_load_type',
  'icu_intensity',
  'icu_ftp',
  'icu_average_watts',
  'icu_weighted_avg_watts',
  'icu_joules',
  'icu_joules_above_ftp',
  'icu_variability_index',
  'icu_efficiency_factor',
  'icu_power_hr',
  'decoupling',
  'device_watts',
  'power_meter',
  'icu_w_prime',
  'p_max',
  'icu_rolling_ftp',
  'icu_rolling_ftp_delta',
  'has_heartrate',
  'average_heartrate',
  'max_heartrate',
  'lthr',
  'athlete_max_hr',
  'icu_resting_hr',
  'icu_weight',
  'trimp',
  'average_cadence',
  'calories',
  'average_temp',
  'threshold_pace',
  'icu_hr_zones',
  'icu_power_zones',
  'pace_zones',
  'icu_sweet_spot_min',
  'icu_sweet_spot_max',
  'icu_zone_times',
  'icu_hr_zone_times',
  'pace_zone_times',
  'gap_zone_times',
  'polarization_index',
  'icu_ctl',
  'icu_atl',
  'icu_rpe',
  'session_rpe',
  'feel',
  'perceived_exertion',
  'kg_lifted',
  'paired_event_id',
  'compliance',
  'tags',
  'stream_types',
  'interval_summary',
  'icu_lap_count',
  'icu_achievements',
  'lengths',
  'pool_length',
  'carbs_used',
  'carbs_ingested',
  'gear',
  'icu_sync_date',
  'created',
  'analyzed',
  'route_id',
  'attachments',
  'strain_score',
] as const;

const WORKOUT_KEYS = [
  'athlete_id',
  'id',
  'icu_training_load',
  'name',
  'description',
  'type',
  'indoor',
  'color',
  'moving_time',
  'updated',
  'joules',
  'joules_above_ftp',
  'workout_doc',
  'folder_id',
  'day',
  'days',
  'plan_applied',
  'hide_from_athlete',
  'target',
  'targets',
  'carbs_per_hour',
  'tags',
  'attachments',
  'time',
  'sub_type',
  'for_week',
  'distance',
  'icu_intensity',
] as const;

const FOLDER_KEYS = [
  'athlete_id',
  'id',
  'type',
  'name',
  'description',
  'children',
  'visibility',
  'start_date_local',
  'rollout_weeks',
  'auto_rollout_day',
  'read_only_workouts',
  'starting_ctl',
  'starting_atl',
  'activity_types',
  'num_workouts',
  'duration_weeks',
  'hours_per_week_min',
  'hours_per_week_max',
  'workout_targets',
  'blurb',
  'canEdit',
  'sharedWithCount',
  'shareToken',
  'owner',
] as const;

function blank(keys: readonly string[]): Json {
  const o: Json = {};
  for (const k of keys) o[k] = null;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Dates and time zones
// ---------------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Days since 1970-01-01 for a 'YYYY-MM-DD[...]' string. */
export function dayNum(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new Error(`Invalid date: ${date}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000);
}

export function dayStr(n: number): string {
  return new Date(n * 86400000).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return dayStr(dayNum(date) + n);
}

/** Monday = 0 ... Sunday = 6. */
export function weekday(n: number): number {
  return (((n + 3) % 7) + 7) % 7;
}

/**
 * Normalises a local date or datetime ('YYYY-MM-DD', 'YYYY-MM-DDTHH:MM[:SS]') to 'YYYY-MM-DDTHH:MM:SS'.
 * Returns null when invalid.
 */
export function normalizeLocalDateTime(s: string, endOfDay = false): string | null {
  if (DATE_RE.test(s)) return isValidDate(s) ? `${s}T${endOfDay ? '23:59:59' : '00:00:00'}` : null;
  const base = s.replace(/\.\d+$/, '');
  const m = DATETIME_RE.exec(base);
  if (!m) return null;
  const d = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isValidDate(d)) return null;
  return `${d}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dtf(tz: string): Intl.DateTimeFormat {
  let f = dtfCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    dtfCache.set(tz, f);
  }
  return f;
}

function localPartsAt(ms: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = dtf(tz).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour') % 24, mi: get('minute'), s: get('second') };
}

function tzOffsetMs(ms: number, tz: string): number {
  const p = localPartsAt(ms, tz);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

const offsetCache = new Map<string, number>();

/** Converts a local 'YYYY-MM-DDTHH:MM:SS' in `tz` to epoch milliseconds. */
export function localToUtcMs(local: string, tz: string): number {
  const m = DATETIME_RE.exec(local);
  if (!m) throw new Error(`Invalid local datetime: ${local}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // offsets only change on the hour in practice: cache per local date and hour
  const key = `${tz}|${local.slice(0, 13)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return guess - cached;
  const off1 = tzOffsetMs(guess, tz);
  const utc1 = guess - off1;
  const off2 = tzOffsetMs(utc1, tz);
  const off = off2 === off1 ? off1 : off2;
  if (offsetCache.size > 20000) offsetCache.clear();
  offsetCache.set(key, off);
  return guess - off;
}

/** 'YYYY-MM-DD' today in the given IANA time zone (real clock). */
export function todayInTimeZone(tz: string, now: number = Date.now()): string {
  const p = localPartsAt(now, tz);
  return `${String(p.y).padStart(4, '0')}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

const isoZ = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoOffset = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
const pad2 = (n: number) => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Athlete profile
// ---------------------------------------------------------------------------------------------

export interface AthleteProfile {
  id: string;
  name: string;
  firstname: string;
  lastname: string;
  sex: 'M' | 'F';
  timezone: string;
  city: string;
  country: string;
  weight: number;
  restingHr: number;
  dob: string;
  ride: { ftp: number; indoorFtp: number; lthr: number; maxHr: number; wPrime: number; pMax: number; hrZones: number[] };
  run: { lthr: number; maxHr: number; thresholdPace: number; hrZones: number[] };
  swim: { thresholdPace: number; lthr: number; maxHr: number; hrZones: number[] };
  seed: number;
  stubId: string;
  activityBase: number;
  eventBase: number;
  idBase: number;
}

/** Facts about the sample athlete that tests can rely on (dates are relative to `today`). */
export const SAMPLE_FACTS = {
  athleteId: 'i123456',
  name: 'Sam Sample',
  timezone: 'Pacific/Auckland',
  weight: 70.5,
  restingHr: 48,
  stravaStubId: '12345678901',
  ride: {
    sportSettingsId: 101,
    ftp: 265,
    indoorFtp: 255,
    lthr: 162,
    maxHr: 186,
    wPrime: 20000,
    hrZones: [130, 147, 155, 162, 170, 176, 186],
  },
  run: { sportSettingsId: 102, lthr: 168, maxHr: 190, thresholdPace: 3.7, paceUnits: 'MINS_KM' },
  swim: { sportSettingsId: 103, thresholdPace: 1.25, paceUnits: 'SECS_100M' },
  /** First activity / wellness day = today - 181. */
  historyDays: 182,
  /** Planned workouts cover today .. today+14 (Mon rest days excepted). */
  plannedDaysAhead: 14,
  noteTravelOffsetDays: 17,
  raceCOffsetDays: 24,
  raceAOffsetDays: 42,
  raceAName: 'Lake Taupo Olympic Tri',
  folderIds: [301, 302],
  workoutIds: [401, 402, 403, 404, 405],
  firstEventId: 41000001,
} as const;

export const POWER_ZONES = [55, 75, 90, 105, 120, 150, 999];
export const POWER_ZONE_NAMES = ['Active Recovery', 'Endurance', 'Tempo', 'Threshold', 'VO2 Max', 'Anaerobic', 'Neuromuscular'];
export const HR_ZONE_NAMES = ['Recovery', 'Aerobic', 'Tempo', 'SubThreshold', 'SuperThreshold', 'Aerobic Capacity', 'Anaerobic'];
export const PACE_ZONES = [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999];
export const PACE_ZONE_NAMES = ['Zone 1', 'Zone 2', 'Zone 3', 'Zone 4', 'Zone 5a', 'Zone 5b', 'Zone 5c'];

export function hrZonesFromLthr(lthr: number, maxHr: number): number[] {
  return [...[0.8, 0.907, 0.957, 1, 1.049, 1.086].map((f) => Math.round(f * lthr)), maxHr];
}

export function sampleProfile(): AthleteProfile {
  return {
    id: SAMPLE_ATHLETE_ID,
    name: 'Sam Sample',
    firstname: 'Sam',
    lastname: 'Sample',
    sex: 'M',
    timezone: 'Pacific/Auckland',
    city: 'Auckland',
    country: 'New Zealand',
    weight: 70.5,
    restingHr: 48,
    dob: '1988-03-14',
    ride: { ftp: 265, indoorFtp: 255, lthr: 162, maxHr: 186, wPrime: 20000, pMax: 1050, hrZones: [130, 147, 155, 162, 170, 176, 186] },
    run: { lthr: 168, maxHr: 190, thresholdPace: 3.7, hrZones: hrZonesFromLthr(168, 190) },
    swim: { thresholdPace: 1.25, lthr: 150, maxHr: 175, hrZones: hrZonesFromLthr(150, 175) },
    seed: hashString(SAMPLE_ATHLETE_ID),
    stubId: SAMPLE_STRAVA_STUB_ID,
    activityBase: 70000100,
    eventBase: 41000000,
    idBase: 100,
  };
}

const EXTRA_NAMES: [string, string, 'M' | 'F'][] = [
  ['Alex', 'Coached', 'F'],
  ['Jordan', 'Rider', 'M'],
  ['Casey', 'Runner', 'F'],
  ['Riley', 'Tri', 'M'],
];

/** A coached athlete generated from a different seed (index >= 1). */
export function extraProfile(id: string, index: number): AthleteProfile {
  const rng = new Rng(hashString(id) ^ 0x9e3779b9);
  const [first, last, sex] = EXTRA_NAMES[(index - 1) % EXTRA_NAMES.length] ?? ['Alex', 'Coached', 'F'];
  const ftp = rng.int(205, 290);
  const lthr = rng.int(158, 172);
  const maxHr = lthr + rng.int(18, 26);
  const runLthr = lthr + rng.int(3, 8);
  const runMax = maxHr + rng.int(2, 6);
  return {
    id,
    name: `${first} ${last}`,
    firstname: first,
    lastname: last,
    sex,
    timezone: 'Europe/London',
    city: 'London',
    country: 'United Kingdom',
    weight: Math.round(rng.range(56, 78) * 10) / 10,
    restingHr: rng.int(44, 56),
    dob: `19${rng.int(75, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
    ride: {
      ftp,
      indoorFtp: ftp - rng.int(5, 12),
      lthr,
      maxHr,
      wPrime: rng.int(15000, 24000),
      pMax: rng.int(800, 1200),
      hrZones: hrZonesFromLthr(lthr, maxHr),
    },
    run: {
      lthr: runLthr,
      maxHr: runMax,
      thresholdPace: Math.round(rng.range(3.2, 4.1) * 100) / 100,
      hrZones: hrZonesFromLthr(runLthr, runMax),
    },
    swim: {
      thresholdPace: Math.round(rng.range(1.0, 1.35) * 100) / 100,
      lthr: lthr - 12,
      maxHr: maxHr - 12,
      hrZones: hrZonesFromLthr(lthr - 12, maxHr - 12),
    },
    seed: hashString(id),
    stubId: String(12345678901 + index),
    activityBase: 70000100 + index * 1000000,
    eventBase: 41000000 + index * 100000,
    idBase: 100 + index * 1000,
  };
}

function buildSportSettings(p: AthleteProfile, created: string): Json[] {
  const base = (id: number): Json => {
    const o = blank(SPORT_SETTINGS_KEYS);
    Object.assign(o, {
      id,
      athlete_id: p.id,
      warmup_time: 600,
      cooldown_time: 600,
      use_laps_for_power_intervals: false,
      keep_all_laps_for_power_intervals: false,
      power_intervals_start_locked: false,
      hr_load_type: 'HRSS',
      elevation_correction: 'AUTO',
      use_gap_zone_times: false,
      extract_workouts: true,
      show_pauses: 0,
      ignore_velocity: false,
      update_activity_name_from_workout: true,
      created,
      updated: created,
      other: false,
      iseFTPSupported: false,
      use_distance_for_intervals: false,
      tiz_order: 'POWER_HR_PACE',
      workout_order: 'POWER_HR_PACE',
      interval_display: 'POWER_HR_PACE',
    });
    return o;
  };
  const ride = base(p.idBase + 1);
  Object.assign(ride, {
    types: ['Ride', 'VirtualRide', 'GravelRide'],
    ftp: p.ride.ftp,
    indoor_ftp: p.ride.indoorFtp,
    w_prime: p.ride.wPrime,
    p_max: p.ride.pMax,
    power_zones: [...POWER_ZONES],
    power_zone_names: [...POWER_ZONE_NAMES],
    sweet_spot_min: 84,
    sweet_spot_max: 97,
    power_spike_threshold: 30,
    ftp_est_min_secs: 180,
    after_kj0: 1000,
    after_kj1: 2000,
    power_field: 'power',
    lthr: p.ride.lthr,
    max_hr: p.ride.maxHr,
    hr_zones: [...p.ride.hrZones],
    hr_zone_names: [...HR_ZONE_NAMES],
    hrrc_min_percent: 10,
    threshold_pace: null,
    pace_units: null,
    load_order: 'POWER_HR_PACE',
    mmp_model: {
      type: 'MORTON_3P',
      criticalPower: Math.round(p.ride.ftp * 1.03),
      wPrime: p.ride.wPrime,
      pMax: p.ride.pMax,
      inputPointIndexes: null,
      ftp: p.ride.ftp,
    },
    iseFTPSupported: true,
  });
  const run = base(p.idBase + 2);
  Object.assign(run, {
    types: ['Run', 'VirtualRun', 'TrailRun'],
    ftp: null,
    indoor_ftp: null,
    power_zones: null,
    lthr: p.run.lthr,
    max_hr: p.run.maxHr,
    hr_zones: [...p.run.hrZones],
    hr_zone_names: [...HR_ZONE_NAMES],
    threshold_pace: p.run.thresholdPace,
    pace_units: 'MINS_KM',
    pace_zones: [...PACE_ZONES],
    pace_zone_names: [...PACE_ZONE_NAMES],
    pace_load_type: 'RUN',
    gap_model: 'STRAVA_RUN',
    best_effort_distances: [400, 1000, 1609.344, 5000, 10000, 21097.5, 42195],
    pace_curve_start: 400,
    load_order: 'PACE_HR_POWER',
    tiz_order: 'PACE_HR_POWER',
    workout_order: 'PACE_HR_POWER',
    interval_display: 'PACE_HR_POWER',
  });
  const swim = base(p.idBase + 3);
  Object.assign(swim, {
    types: ['Swim', 'OpenWaterSwim'],
    ftp: null,
    indoor_ftp: null,
    power_zones: null,
    lthr: p.swim.lthr,
    max_hr: p.swim.maxHr,
    hr_zones: [...p.swim.hrZones],
    hr_zone_names: [...HR_ZONE_NAMES],
    threshold_pace: p.swim.thresholdPace,
    pace_units: 'SECS_100M',
    pace_zones: [...PACE_ZONES],
    pace_zone_names: [...PACE_ZONE_NAMES],
    pace_load_type: 'SWIM',
    gap_model: 'NONE',
    best_effort_distances: [100, 200, 400, 800, 1500],
    pace_curve_start: 50,
    load_order: 'PACE_HR_POWER',
    tiz_order: 'PACE_HR_POWER',
    workout_order: 'PACE_HR_POWER',
    interval_display: 'PACE_HR_POWER',
  });
  const other = base(p.idBase + 4);
  Object.assign(other, {
    types: ['WeightTraining', 'Walk', 'Hike', 'Workout', 'Other'],
    lthr: p.ride.lthr,
    max_hr: p.ride.maxHr,
    hr_zones: [...p.ride.hrZones],
    hr_zone_names: [...HR_ZONE_NAMES],
    load_order: 'HR_POWER_PACE',
    other: true,
  });
  return [ride, run, swim, other];
}

function buildAthleteJson(p: AthleteProfile, today: string, coach: boolean): Json {
  return {
    id: p.id,
    name: p.name,
    firstname: p.firstname,
    lastname: p.lastname,
    profile_medium: null,
    measurement_preference: 'meters',
    weight_pref_lb: false,
    fahrenheit: false,
    weight: p.weight,
    email: null,
    sex: p.sex,
    city: p.city,
    state: null,
    country: p.country,
    bikes: [],
    shoes: [],
    timezone: p.timezone,
    locale: 'en',
    date_format: null,
    time_format: null,
    visibility: 'PRIVATE',
    icu_last_seen: isoOffset(localToUtcMs(`${today}T07:30:00`, p.timezone)),
    status: null,
    icu_resting_hr: p.restingHr,
    icu_weight: p.weight,
    icu_activated: '2021-02-01T09:00:00.000+00:00',
    icu_coach: coach,
    bio: null,
    website: null,
    icu_date_of_birth: p.dob,
    icu_api_key: null,
    icu_type_settings: [
      { type: 'Ride', ctlFactor: 1.0, atlFactor: 1.0 },
      { type: 'Run', ctlFactor: 1.0, atlFactor: 1.0 },
      { type: 'Swim', ctlFactor: 1.0, atlFactor: 1.0 },
      { type: 'WeightTraining', ctlFactor: 1.0, atlFactor: 1.0 },
    ],
    icu_form_as_percent: false,
    icu_mmp_days: 42,
    icu_wellness_prompt: false,
    icu_wellness_keys: ['weight', 'restingHR', 'hrv', 'sleepSecs', 'sleepScore', 'soreness', 'fatigue', 'stress', 'mood', 'motivation'],
    icu_track_menstrual_cycle: false,
    icu_garmin_health: true,
    icu_garmin_training: true,
    icu_garmin_sync_activities: true,
    icu_garmin_download_wellness: true,
    icu_garmin_upload_workouts: true,
    strava_allowed: true,
    strava_id: 12345678,
    strava_sync_activities: true,
    strava_authorized: true,
    height: 1.78,
    height_units: 'CM',
    plan: 'SUPPORTER',
    plan_expires: null,
    training_plan_id: null,
    training_plan_start_date: null,
  };
}

// ---------------------------------------------------------------------------------------------
// State types
// ---------------------------------------------------------------------------------------------

export interface ActivityRecord {
  /** The id the API exposes (the Strava id for the stub). */
  id: string;
  date: string;
  startLocal: string;
  /** Training load that feeds fitness (also for the Strava stub, whose data is hidden). */
  load: number;
  stub: boolean;
  json: Json;
  sim: ActivitySim | null;
  summary: SimSummary | null;
}

export interface AthleteState {
  id: string;
  profile: AthleteProfile;
  today: string;
  timezone: string;
  athlete: Json;
  sportSettings: Json[];
  /** Newest first. */
  activities: ActivityRecord[];
  events: Json[];
  wellness: Map<string, Json>;
  folders: Json[];
  workouts: Json[];
  firstDay: string;
  nextEventId: number;
  uidRng: Rng;
}

export interface FakeState {
  /** The athlete that owns the API key / tokens (athlete id `0`). */
  ownerId: string;
  athletes: Map<string, AthleteState>;
}

// ---------------------------------------------------------------------------------------------
// Sessions (the training plan template)
// ---------------------------------------------------------------------------------------------

interface SessionPlan {
  sport: Sport;
  type: string;
  /** Activity name when done. */
  name: string;
  /** Name of the planned workout. */
  planName: string;
  text: string | null;
  hour: number;
  minute: number;
  indoor: boolean;
  /** Key sessions are on the calendar in the past 4 weeks (and paired with the activity). */
  key: boolean;
  tags: string[];
  minutes: number;
}

const RIDE_KEY = [
  { name: 'VO2max 5x4m', text: 'Warmup\n- 15m ramp 50%-75%\n\nMain Set 5x\n- 4m 112-118%\n- 4m 50%\n\nCooldown\n- 10m 50%' },
  { name: 'Threshold 3x10m', text: '- 15m 55-70%\n\n3x\n- 10m 95-100%\n- 5m 55%\n\n- 10m 50%' },
  { name: 'Sweet Spot 3x15m', text: '- 15m 55%\n\nMain Set 3x\n- 15m 88-92%\n- 5m 55%\n\n- 10m 50%' },
  { name: 'Threshold 4x8m', text: '- 15m 55%\n\nMain Set 4x\n- 8m 95-105%\n- 4m 55%\n\n- 10m 50%' },
];
const RUN_KEY = [
  { name: 'Run Intervals 6x3m', text: '- 15m 70-75% Pace\n\n6x\n- 3m 103-107% Pace\n- 2m 65% Pace\n\n- 10m 70% Pace' },
  { name: 'Tempo Run 20m', text: '- 15m 75% Pace\n- 20m 90-94% Pace\n- 10m 72% Pace' },
];
const CLUB_TT: Omit<SessionPlan, 'minute'> = {
  sport: 'Ride',
  type: 'Ride',
  name: 'Club 20km TT',
  planName: 'Club 20km TT',
  text: 'Warmup\n- 20m ramp 50%-80%\n- 1m 110%\n- 4m 55%\n\nRace\n- 30m 101-104%\n\nCooldown\n- 15m 50%',
  hour: 8,
  indoor: false,
  key: false,
  tags: ['race'],
  minutes: 65,
};
const SWIM_TEXT =
  'Warmup\n- 400mtr 70% Pace\n\nMain Set 8x\n- 100mtr 98-102% Pace\n- 20s intensity=rest\n\n- pull 600mtr 80% Pace\n\nCooldown\n- 200mtr 65% Pace';
const SWIM_EASY_TEXT = 'Warmup\n- 300mtr 70% Pace\n\n- 1000mtr 78-82% Pace\n\nCooldown\n- 200mtr 65% Pace';

function sessionsFor(dn: number, weekIdx: number, cycle: number, progress: number, rng: Rng): SessionPlan[] {
  const scale = [1, 1.08, 1.15, 0.65][cycle] ?? 1;
  const wd = weekday(dn);
  const out: SessionPlan[] = [];
  const mk = (s: Omit<SessionPlan, 'minute'> & { minute?: number }): SessionPlan => ({ ...s, minute: s.minute ?? rng.int(0, 25) });
  switch (wd) {
    case 0:
      break;
    case 1: {
      if (cycle === 3) {
        out.push(
          mk({
            sport: 'Ride',
            type: 'VirtualRide',
            name: 'Endurance 1h',
            planName: 'Endurance 1h',
            text: '- 10m 50%\n- 40m Z2 90rpm\n- 10m 50%',
            hour: 17,
            indoor: true,
            key: true,
            tags: ['zwift'],
            minutes: 60,
          }),
        );
      } else {
        const w = RIDE_KEY[weekIdx % RIDE_KEY.length] ?? RIDE_KEY[0]!;
        out.push(
          mk({
            sport: 'Ride',
            type: 'VirtualRide',
            name: w.name,
            planName: w.name,
            text: w.text,
            hour: 17,
            indoor: true,
            key: true,
            tags: ['zwift', 'intervals'],
            minutes: 0,
          }),
        );
      }
      break;
    }
    case 2: {
      const n = Math.round((38 + 14 * progress) * scale);
      out.push(
        mk({
          sport: 'Run',
          type: 'Run',
          name: 'Morning Run',
          planName: 'Easy Run',
          text: `- ${n}m Z2 HR`,
          hour: 6,
          indoor: false,
          key: false,
          tags: [],
          minutes: n,
        }),
      );
      break;
    }
    case 3: {
      out.push(
        mk({
          sport: 'Swim',
          type: 'Swim',
          name: 'Pool Swim',
          planName: cycle === 3 ? 'Easy Swim' : 'Swim CSS 8x100',
          text: cycle === 3 ? SWIM_EASY_TEXT : SWIM_TEXT,
          hour: 6,
          indoor: true,
          key: false,
          tags: [],
          minutes: 0,
        }),
      );
      if (weekIdx % 2 === 0) {
        out.push(
          mk({
            sport: 'WeightTraining',
            type: 'WeightTraining',
            name: 'Strength - Gym',
            planName: 'Strength',
            text: null,
            hour: 18,
            minute: 30,
            indoor: true,
            key: false,
            tags: ['strength'],
            minutes: cycle === 3 ? 30 : 45,
          }),
        );
      }
      break;
    }
    case 4: {
      if (cycle === 3) break;
      if (weekIdx % 2 === 1) {
        const w = RUN_KEY[(weekIdx >> 1) % RUN_KEY.length] ?? RUN_KEY[0]!;
        out.push(
          mk({
            sport: 'Run',
            type: 'Run',
            name: w.name,
            planName: w.name,
            text: w.text,
            hour: 6,
            indoor: false,
            key: true,
            tags: ['intervals'],
            minutes: 0,
          }),
        );
      } else {
        const n = Math.round((50 + 20 * progress) * scale);
        const type = weekIdx % 4 === 0 ? 'VirtualRide' : 'Ride';
        out.push(
          mk({
            sport: 'Ride',
            type,
            name: 'Endurance Ride',
            planName: 'Endurance Ride',
            text: `- 10m 50%\n- ${n}m 60-70% 90rpm\n- 5m 50%`,
            hour: 17,
            indoor: type === 'VirtualRide',
            key: true,
            tags: type === 'VirtualRide' ? ['zwift'] : [],
            minutes: n + 15,
          }),
        );
      }
      break;
    }
    case 5: {
      const n = Math.round((80 + 80 * progress) * scale);
      const gravel = weekIdx % 3 === 2;
      out.push(
        mk({
          sport: 'Ride',
          type: gravel ? 'GravelRide' : 'Ride',
          name: gravel ? 'Gravel Adventure' : 'Long Ride',
          planName: gravel ? 'Gravel Adventure' : 'Long Ride',
          text: `- 20m 55-65%\n- ${n}m 65-75%\n- 10m 55%`,
          hour: 7,
          minute: 30,
          indoor: false,
          key: true,
          tags: ['long'],
          minutes: n + 30,
        }),
      );
      break;
    }
    case 6: {
      const n = Math.round((45 + 35 * progress) * scale);
      out.push(
        mk({
          sport: 'Run',
          type: 'Run',
          name: 'Long Run',
          planName: 'Long Run',
          text: `- 10m 70% Pace\n- ${n}m 76-82% Pace\n- 5m 70% Pace`,
          hour: 7,
          minute: 45,
          indoor: false,
          key: false,
          tags: ['long'],
          minutes: n + 15,
        }),
      );
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parse settings from sport settings
// ---------------------------------------------------------------------------------------------

export function sportOfType(type: string | null | undefined): Sport | null {
  if (!type) return null;
  if (/Ride$|^Ride$|Cyclocross|Velomobile|Handcycle/.test(type)) return 'Ride';
  if (/Run$/.test(type)) return 'Run';
  if (/Swim$/.test(type)) return 'Swim';
  if (type === 'WeightTraining') return 'WeightTraining';
  return null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const numArr = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);

export function sportSettingsFor(ath: AthleteState, type: string | null | undefined): Json | undefined {
  if (type) {
    const found = ath.sportSettings.find((s) => Array.isArray(s['types']) && (s['types'] as unknown[]).includes(type));
    if (found) return found;
  }
  const sport = sportOfType(type);
  if (sport === 'Run') return ath.sportSettings.find((s) => (s['types'] as unknown[] | null)?.includes('Run'));
  if (sport === 'Swim') return ath.sportSettings.find((s) => (s['types'] as unknown[] | null)?.includes('Swim'));
  if (sport === 'Ride' || !type) return ath.sportSettings.find((s) => (s['types'] as unknown[] | null)?.includes('Ride'));
  return ath.sportSettings.find((s) => s['other'] === true);
}

const parseCache = new Map<string, ReturnType<typeof parseWorkoutText>>();

/** parseWorkoutText with a small memo (results are treated as read-only by the generator). */
function parseCached(text: string, settings: ParseSettings): ReturnType<typeof parseWorkoutText> {
  const key = `${text}\u0000${JSON.stringify(settings)}`;
  let r = parseCache.get(key);
  if (!r) {
    r = parseWorkoutText(text, settings);
    if (parseCache.size > 500) parseCache.clear();
    parseCache.set(key, r);
  }
  return r;
}

export function parseSettingsFor(ath: AthleteState, type: string | null | undefined, indoor = false): ParseSettings {
  const ss = sportSettingsFor(ath, type);
  const sport = sportOfType(type);
  if (!ss) return { sport };
  return {
    sport,
    ftp: indoor ? (num(ss['indoor_ftp']) ?? num(ss['ftp'])) : num(ss['ftp']),
    lthr: num(ss['lthr']),
    maxHr: num(ss['max_hr']),
    thresholdPace: num(ss['threshold_pace']),
    powerZones: numArr(ss['power_zones']),
    hrZones: numArr(ss['hr_zones']),
    paceZones: numArr(ss['pace_zones']),
    sweetSpotMin: num(ss['sweet_spot_min']),
    sweetSpotMax: num(ss['sweet_spot_max']),
  };
}

// ---------------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------------

const RIDE_NOTES = ['Legs felt good today.', 'Windy out there.', 'Struggled on the last rep.', 'Nice and steady.', 'Hot day, drank a lot.'];
const RUN_NOTES = ['Easy shuffle along the waterfront.', 'Calves a bit tight.', 'Felt smooth.', 'Rain most of the way.'];

function toSimSegments(segs: FlatSegment[], exec: number, rng: Rng): SimSegment[] {
  const blockMax = new Map<number, number>();
  for (const s of segs) {
    if (s.block === null) continue;
    const mid = ((s.ifStart ?? 0.55) + (s.ifEnd ?? 0.55)) / 2;
    blockMax.set(s.block, Math.max(blockMax.get(s.block) ?? 0, mid));
  }
  return segs.map((s) => {
    const f = s.rest ? 0 : exec * (1 + 0.008 * rng.gauss());
    const a = (s.ifStart ?? 0.55) * f;
    const b = (s.ifEnd ?? 0.55) * f;
    const rawMid = ((s.ifStart ?? 0.55) + (s.ifEnd ?? 0.55)) / 2;
    let work: boolean;
    if (s.block !== null) work = rawMid >= (blockMax.get(s.block) ?? 0) - 1e-9 && rawMid >= 0.7;
    else work = rawMid >= 0.76 || (s.secs >= 1200 && rawMid >= 0.62 && !s.warmup && !s.cooldown);
    return {
      secs: s.secs,
      ifStart: a,
      ifEnd: b,
      work,
      label: s.text ?? (s.warmup ? 'Warmup' : s.cooldown ? 'Cooldown' : null),
      groupKey: s.block !== null && work ? `b${s.block}s${s.stepInBlock}` : null,
      cadence: s.cadence,
      rest: s.rest,
    };
  });
}

function makeTerrain(rng: Rng, kind: 'road' | 'gravel' | 'run' | 'virtual'): Terrain {
  const amp: Record<typeof kind, [number, number, number]> = {
    road: [45, 16, 5],
    gravel: [80, 28, 9],
    run: [14, 6, 2],
    virtual: [35, 12, 4],
  };
  const len: Record<typeof kind, [number, number, number]> = {
    road: [6000, 1800, 400],
    gravel: [4500, 1400, 300],
    run: [2500, 800, 200],
    virtual: [5000, 1500, 350],
  };
  const a = amp[kind];
  const l = len[kind];
  return {
    base: Math.round(rng.range(20, 260)),
    a: [a[0] * rng.range(0.7, 1.3), a[1] * rng.range(0.7, 1.3), a[2] * rng.range(0.7, 1.3)],
    l: [l[0] * rng.range(0.8, 1.2), l[1] * rng.range(0.8, 1.2), l[2] * rng.range(0.8, 1.2)],
    p: [rng.range(0, 6.28), rng.range(0, 6.28), rng.range(0, 6.28)],
  };
}

function buildActivity(ath: AthleteState, s: SessionPlan, date: string, id: string, rng: Rng): ActivityRecord {
  const p = ath.profile;
  const exec = 1 + Math.max(-0.04, Math.min(0.04, 0.015 * rng.gauss()));
  let segments: SimSegment[];
  if (s.text) {
    const parsed = parseCached(s.text, parseSettingsFor(ath, s.type, s.indoor));
    if (!parsed.ok) throw new Error(`sample workout does not parse: ${s.text}`);
    segments = toSimSegments(parsed.segments, exec, rng);
  } else {
    segments = [{ secs: s.minutes * 60, ifStart: 0.55, ifEnd: 0.55, work: false, label: null, groupKey: null, cadence: null, rest: false }];
  }

  // A recording stop for outdoor sessions: split the longest ungrouped segment in two.
  let stopAfter: number | null = null;
  let stopSecs = 0;
  const outdoor = !s.indoor && (s.sport === 'Ride' || s.sport === 'Run');
  if (outdoor && (s.sport === 'Ride' || rng.chance(0.5))) {
    let best = -1;
    segments.forEach((seg, i) => {
      if (!seg.groupKey && seg.secs >= 240 && (best < 0 || seg.secs > (segments[best]?.secs ?? 0))) best = i;
    });
    const seg = segments[best];
    if (seg) {
      const h1 = Math.round(seg.secs / 2);
      const mid = seg.ifStart + ((seg.ifEnd - seg.ifStart) * h1) / seg.secs;
      const first: SimSegment = { ...seg, secs: h1, ifEnd: mid };
      const second: SimSegment = { ...seg, secs: seg.secs - h1, ifStart: mid };
      segments.splice(best, 1, first, second);
      stopAfter = segments.slice(0, best + 1).reduce((a, x) => a + x.secs, 0);
      stopSecs = s.sport === 'Run' ? rng.int(15, 90) : s.minutes >= 120 ? rng.int(420, 1200) : rng.int(45, 300);
    }
  }

  const ss = sportSettingsFor(ath, s.type);
  const hrZones = numArr(ss?.['hr_zones']) ?? p.ride.hrZones;
  const lthr = num(ss?.['lthr']) ?? p.ride.lthr;
  const maxHr = num(ss?.['max_hr']) ?? p.ride.maxHr;
  const totalH = segments.reduce((a, x) => a + x.secs, 0) / 3600;
  const sim: ActivitySim = {
    sport: s.sport,
    indoor: s.indoor,
    ftp: s.sport === 'Ride' ? (s.indoor ? p.ride.indoorFtp : p.ride.ftp) : null,
    lthr,
    maxHr,
    restHr: p.restingHr,
    thresholdPace: s.sport === 'Run' ? p.run.thresholdPace : s.sport === 'Swim' ? p.swim.thresholdPace : null,
    weight: p.weight,
    hrZones,
    powerZones: s.sport === 'Ride' ? [...POWER_ZONES] : null,
    paceZones: s.sport === 'Run' || s.sport === 'Swim' ? [...PACE_ZONES] : null,
    sweetSpot: [84, 97],
    segments,
    drift:
      s.sport === 'Ride'
        ? (s.indoor ? rng.range(0.03, 0.06) : rng.range(0.01, 0.04)) * (0.6 + Math.min(1, totalH / 2.5))
        : s.sport === 'Run'
          ? rng.range(0.01, 0.045)
          : s.sport === 'Swim'
            ? rng.range(0.005, 0.02)
            : 0,
    stopAfter,
    stopSecs,
    terrain:
      s.sport === 'Ride'
        ? makeTerrain(rng, s.indoor ? 'virtual' : s.type === 'GravelRide' ? 'gravel' : 'road')
        : s.sport === 'Run'
          ? makeTerrain(rng, 'run')
          : null,
    sprint: s.sport === 'Ride' ? (s.indoor ? 0.15 * rng.next() : rng.next() ** 2) : 0,
    seed: hashString(id),
  };
  const sum = summarize(sim);
  const startLocal = `${date}T${pad2(s.hour)}:${pad2(s.minute)}:${pad2(rng.int(0, 59))}`;
  const startMs = localToUtcMs(startLocal, ath.timezone);
  const syncMs = startMs + (sum.elapsed_time + rng.int(120, 1500)) * 1000;
  const ifv = sum.if ?? 0.55;
  const rpe = rng.chance(0.75)
    ? Math.max(1, Math.min(10, Math.round(2 + (ifv - 0.5) * 14 + 0.7 * rng.gauss() + (totalH > 2 ? 1 : 0))))
    : null;
  const feel = rng.chance(0.6) ? Math.max(1, Math.min(5, Math.round(2.4 + 0.9 * rng.gauss()))) : null;
  const isRide = s.sport === 'Ride';
  const isPace = s.sport === 'Run' || s.sport === 'Swim';
  const notes = isRide ? RIDE_NOTES : RUN_NOTES;
  const source = s.type === 'VirtualRide' ? 'ZWIFT' : 'GARMIN_CONNECT';
  const device = s.type === 'VirtualRide' ? 'Zwift' : isRide ? 'Garmin Edge 540' : 'Garmin Forerunner 965';
  const json = blank(ACTIVITY_KEYS);
  Object.assign(json, {
    id,
    icu_athlete_id: ath.id,
    start_date_local: startLocal,
    start_date: isoZ(startMs),
    timezone: ath.timezone,
    type: s.type,
    sub_type: 'NONE',
    name: s.name,
    description: rng.chance(0.2) ? rng.pick(notes) : null,
    source,
    external_id: source === 'GARMIN_CONNECT' ? String(15000000000 + (hashString(id) % 900000000)) : null,
    device_name: device,
    trainer: s.indoor && s.sport === 'Ride',
    commute: false,
    race: false,
    moving_time: sum.moving_time,
    elapsed_time: sum.elapsed_time,
    icu_recording_time: sum.elapsed_time,
    coasting_time: isRide && !s.indoor ? Math.round(sum.moving_time * 0.04) : isRide ? 0 : null,
    distance: s.sport === 'WeightTraining' ? null : sum.distance,
    icu_distance: s.sport === 'WeightTraining' ? null : sum.distance,
    total_elevation_gain: sum.total_elevation_gain,
    total_elevation_loss: sum.total_elevation_loss,
    average_speed: s.sport === 'WeightTraining' ? null : sum.average_speed,
    max_speed: s.sport === 'WeightTraining' ? null : sum.max_speed,
    pace: isPace ? sum.average_speed : null,
    gap: s.sport === 'Run' ? Math.round(sum.average_speed * 1.012 * 1000) / 1000 : null,
    average_altitude: sum.average_altitude,
    min_altitude: sum.min_altitude,
    max_altitude: sum.max_altitude,
    icu_training_load: sum.icu_training_load,
    power_load: isRide ? sum.icu_training_load : null,
    hr_load: Math.max(1, Math.round(sum.icu_training_load * rng.range(0.88, 1.1))),
    pace_load: isPace ? sum.icu_training_load : null,
    hr_load_type: 'HRSS',
    pace_load_type: s.sport === 'Run' ? 'RUN' : s.sport === 'Swim' ? 'SWIM' : null,
    icu_intensity: sum.icu_intensity,
    icu_ftp: isRide ? sim.ftp : null,
    icu_average_watts: sum.icu_average_watts,
    icu_weighted_avg_watts: sum.icu_weighted_avg_watts,
    icu_joules: sum.icu_joules,
    icu_joules_above_ftp: sum.icu_joules_above_ftp,
    icu_variability_index: sum.icu_variability_index,
    icu_efficiency_factor: sum.icu_efficiency_factor,
    icu_power_hr: sum.icu_power_hr,
    decoupling: sum.decoupling !== null ? Math.round(sum.decoupling * 1000) / 1000 : null,
    device_watts: isRide ? true : null,
    power_meter: isRide ? (s.indoor ? 'Wahoo KICKR' : 'Favero Assioma') : null,
    icu_w_prime: isRide ? p.ride.wPrime : null,
    p_max: isRide ? p.ride.pMax : null,
    icu_rolling_ftp: isRide ? p.ride.ftp : null,
    icu_rolling_ftp_delta: isRide ? 0 : null,
    has_heartrate: true,
    average_heartrate: sum.average_heartrate,
    max_heartrate: sum.max_heartrate,
    lthr,
    athlete_max_hr: maxHr,
    icu_resting_hr: p.restingHr,
    icu_weight: p.weight,
    trimp: sum.trimp,
    average_cadence: sum.average_cadence,
    calories: sum.calories,
    average_temp: s.indoor ? null : Math.round(rng.range(9, 23) * 10) / 10,
    threshold_pace: sim.thresholdPace,
    icu_hr_zones: [...hrZones],
    icu_power_zones: isRide ? [...POWER_ZONES] : null,
    pace_zones: isPace ? [...PACE_ZONES] : null,
    icu_sweet_spot_min: isRide ? 84 : null,
    icu_sweet_spot_max: isRide ? 97 : null,
    icu_zone_times: sum.icu_zone_times,
    icu_hr_zone_times: sum.icu_hr_zone_times,
    pace_zone_times: sum.pace_zone_times,
    gap_zone_times: s.sport === 'Run' ? sum.pace_zone_times : null,
    icu_rpe: rpe,
    session_rpe: rpe !== null ? Math.round((rpe * sum.moving_time) / 60) : null,
    feel,
    kg_lifted: s.sport === 'WeightTraining' ? Math.round(rng.range(2500, 5000)) : null,
    tags: [...s.tags],
    stream_types: streamTypesFor(sim),
    interval_summary: sum.interval_summary.length ? sum.interval_summary : null,
    icu_lap_count: Math.max(1, sim.segments.length),
    icu_achievements: [],
    lengths: s.sport === 'Swim' ? Math.round(sum.distance / 25) : null,
    pool_length: s.sport === 'Swim' ? 25 : null,
    gear:
      isRide && !s.indoor
        ? {
            id: `b${p.idBase + 11}`,
            name: s.type === 'GravelRide' ? 'Gravel bike' : 'Road bike',
            distance: null,
            primary: s.type !== 'GravelRide',
          }
        : null,
    icu_sync_date: isoOffset(syncMs),
    created: isoOffset(syncMs),
    analyzed: isoOffset(syncMs + 4000),
    attachments: null,
  });
  return { id, date, startLocal, load: sum.icu_training_load, stub: false, json, sim, summary: sum };
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export interface EventResult {
  ok: true;
  event: Json;
}
export interface ErrorResult {
  ok: false;
  status: number;
  error: string;
}

function uuid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${'89ab'[Math.floor(rng.next() * 4)] ?? '8'}${rng.hex(3)}-${rng.hex(12)}`;
}

const isCategory = (c: unknown): c is string => typeof c === 'string' && EVENT_CATEGORIES.includes(c);

/** Applies workout-text parsing to a WORKOUT event in place. */
function applyWorkoutParse(ath: AthleteState, ev: Json, input: Json): void {
  const desc = ev['description'];
  if (ev['category'] !== 'WORKOUT' || typeof desc !== 'string' || desc.trim() === '') {
    if (!('workout_doc' in input)) ev['workout_doc'] = ev['workout_doc'] ?? null;
    return;
  }
  const type = typeof ev['type'] === 'string' ? (ev['type'] as string) : null;
  const indoor = ev['indoor'] === true || type === 'VirtualRide';
  const settings = parseSettingsFor(ath, type, indoor);
  const r = parseCached(desc, settings);
  if (r.ok) {
    ev['workout_doc'] = structuredClone(r.doc);
    ev['moving_time'] = r.moving_time;
    ev['icu_training_load'] = r.icu_training_load;
    ev['icu_intensity'] = r.icu_intensity;
    ev['distance'] = r.distance;
    ev['target'] = r.doc.target === 'AUTO' ? 'AUTO' : r.doc.target;
    const ftp = settings.ftp ?? null;
    if (sportOfType(type) === 'Ride' && ftp) {
      let joules = 0;
      let above = 0;
      for (const seg of r.segments) {
        const f = ((seg.ifStart ?? 0) + (seg.ifEnd ?? 0)) / 2;
        joules += seg.secs * f * ftp;
        if (f > 1) above += seg.secs * (f - 1) * ftp;
      }
      ev['joules'] = Math.round(joules);
      ev['joules_above_ftp'] = Math.round(above);
      ev['icu_ftp'] = ftp;
    }
  } else {
    ev['workout_doc'] = null;
    ev['moving_time'] = num(input['moving_time']);
    ev['icu_training_load'] = num(input['icu_training_load']);
    ev['icu_intensity'] = null;
    ev['joules'] = null;
    ev['joules_above_ftp'] = null;
  }
}

/**
 * Validates and builds (or merges into `existing`) an Event from an EventEx body.
 * Does not store it; the caller assigns ids and recomputes fitness.
 */
export function materializeEvent(ath: AthleteState, input: Json, existing: Json | null, nowIso: string): EventResult | ErrorResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, status: 422, error: 'Invalid event' };
  const ev: Json = existing ? { ...existing } : blank(EVENT_KEYS);
  const allowed = new Set<string>(EVENT_KEYS);
  for (const [k, v] of Object.entries(input)) {
    if (!allowed.has(k) || k === 'id' || k === 'uid' || k === 'athlete_id' || k === 'icu_ctl' || k === 'icu_atl') continue;
    if (v === undefined) continue;
    ev[k] = v;
  }
  if (!existing) {
    Object.assign(ev, {
      athlete_id: ath.id,
      created_by_id: ath.id,
      not_on_fitness_chart: ev['not_on_fitness_chart'] ?? false,
      show_as_note: ev['show_as_note'] ?? false,
      show_on_ctl_line: ev['show_on_ctl_line'] ?? false,
      for_week: ev['for_week'] ?? false,
      athlete_cannot_edit: ev['athlete_cannot_edit'] ?? false,
      hide_from_athlete: ev['hide_from_athlete'] ?? false,
      structure_read_only: ev['structure_read_only'] ?? false,
      entered: false,
      indoor: ev['indoor'] ?? false,
      sub_type: ev['sub_type'] ?? 'NONE',
      tags: ev['tags'] ?? null,
      external_id: ev['external_id'] ?? null,
    });
  }
  if (!isCategory(ev['category'])) {
    return {
      ok: false,
      status: 422,
      error: ev['category'] == null ? 'Event category is required' : `Invalid category [${String(ev['category'])}]`,
    };
  }
  if (typeof ev['start_date_local'] !== 'string') return { ok: false, status: 422, error: 'start_date_local is required' };
  const start = normalizeLocalDateTime(ev['start_date_local'] as string);
  if (!start) return { ok: false, status: 422, error: `Invalid start_date_local [${String(ev['start_date_local'])}]` };
  ev['start_date_local'] = start;
  if (typeof ev['name'] === 'string' && (ev['name'] as string).length > 80) return { ok: false, status: 422, error: 'Name is too long' };
  const startChanged = !existing || existing['start_date_local'] !== start;
  if (typeof input['end_date_local'] === 'string') {
    const end = normalizeLocalDateTime(input['end_date_local'] as string);
    if (!end) return { ok: false, status: 422, error: `Invalid end_date_local [${String(input['end_date_local'])}]` };
    ev['end_date_local'] = end;
  } else if (startChanged || typeof ev['end_date_local'] !== 'string') {
    ev['end_date_local'] = `${addDays(start.slice(0, 10), 1)}T00:00:00`;
  }
  const reparse = !existing || 'description' in input || 'type' in input || 'category' in input || 'indoor' in input;
  if (reparse) applyWorkoutParse(ath, ev, input);
  ev['updated'] = nowIso;
  return { ok: true, event: ev };
}

function storeNewEvent(ath: AthleteState, ev: Json): Json {
  ev['id'] = ath.nextEventId++;
  ev['uid'] = uuid(ath.uidRng);
  ath.events.push(ev);
  return ev;
}

export function sortEvents(events: Json[]): Json[] {
  return [...events].sort((a, b) => {
    const sa = String(a['start_date_local']);
    const sb = String(b['start_date_local']);
    return sa < sb ? -1 : sa > sb ? 1 : Number(a['id']) - Number(b['id']);
  });
}

export function createEvent(ath: AthleteState, input: Json, nowIso: string): EventResult | ErrorResult {
  const r = materializeEvent(ath, input, null, nowIso);
  if (!r.ok) return r;
  storeNewEvent(ath, r.event);
  recomputeFitness(ath);
  return r;
}

export function updateEvent(ath: AthleteState, id: number, input: Json, nowIso: string): EventResult | ErrorResult {
  const idx = ath.events.findIndex((e) => e['id'] === id);
  const existing = ath.events[idx];
  if (!existing) return { ok: false, status: 404, error: 'Not Found' };
  const r = materializeEvent(ath, input, existing, nowIso);
  if (!r.ok) return r;
  ath.events[idx] = r.event;
  recomputeFitness(ath);
  return r;
}

export function deleteEvent(ath: AthleteState, id: number): boolean {
  const idx = ath.events.findIndex((e) => e['id'] === id);
  if (idx < 0) return false;
  ath.events.splice(idx, 1);
  for (const a of ath.activities) if (a.json['paired_event_id'] === id) a.json['paired_event_id'] = null;
  recomputeFitness(ath);
  return true;
}

export function bulkCreateEvents(
  ath: AthleteState,
  inputs: unknown,
  upsert: boolean,
  nowIso: string,
): { ok: true; events: Json[] } | ErrorResult {
  if (!Array.isArray(inputs)) return { ok: false, status: 422, error: 'Expected an array of events' };
  const planned: { existingIdx: number; event: Json }[] = [];
  for (const input of inputs as Json[]) {
    let existingIdx = -1;
    if (upsert && input && typeof input === 'object' && typeof input['external_id'] === 'string') {
      existingIdx = ath.events.findIndex((e) => e['external_id'] === input['external_id']);
      // an external_id may also appear earlier in the same batch
      const inBatch = planned.find((p) => p.event['external_id'] === input['external_id'] && p.existingIdx < 0);
      if (existingIdx < 0 && inBatch) {
        const r = materializeEvent(ath, input, inBatch.event, nowIso);
        if (!r.ok) return r;
        Object.assign(inBatch.event, r.event);
        planned.push({ existingIdx: -2, event: inBatch.event });
        continue;
      }
    }
    const r = materializeEvent(ath, input, existingIdx >= 0 ? (ath.events[existingIdx] ?? null) : null, nowIso);
    if (!r.ok) return r;
    planned.push({ existingIdx, event: r.event });
  }
  const out: Json[] = [];
  for (const p of planned) {
    if (p.existingIdx >= 0) {
      ath.events[p.existingIdx] = p.event;
      out.push(p.event);
    } else if (p.existingIdx === -1) {
      out.push(storeNewEvent(ath, p.event));
    } else {
      out.push(p.event);
    }
  }
  recomputeFitness(ath);
  return { ok: true, events: out };
}

export function bulkDeleteEvents(ath: AthleteState, body: unknown): { ok: true; eventsDeleted: number } | ErrorResult {
  if (!Array.isArray(body)) return { ok: false, status: 422, error: 'Expected an array of {id} or {external_id}' };
  let n = 0;
  for (const d of body as Json[]) {
    if (!d || typeof d !== 'object') continue;
    const id = d['id'];
    const ext = d['external_id'];
    const idx = ath.events.findIndex(
      (e) => (typeof id === 'number' && e['id'] === id) || (typeof ext === 'string' && e['external_id'] === ext),
    );
    if (idx >= 0) {
      const removed = ath.events.splice(idx, 1)[0];
      for (const a of ath.activities) if (removed && a.json['paired_event_id'] === removed['id']) a.json['paired_event_id'] = null;
      n++;
    }
  }
  recomputeFitness(ath);
  return { ok: true, eventsDeleted: n };
}

// ---------------------------------------------------------------------------------------------
// Wellness and fitness
// ---------------------------------------------------------------------------------------------

export function blankWellness(date: string): Json {
  const w = blank(WELLNESS_KEYS);
  w['id'] = date;
  return w;
}

function hasUserData(w: Json): boolean {
  for (const k of WELLNESS_KEYS) if (!WELLNESS_COMPUTED.has(k) && w[k] !== null && w[k] !== undefined) return true;
  return false;
}

function countsForFitness(e: Json): boolean {
  const c = e['category'];
  return (
    (c === 'WORKOUT' || c === 'RACE_A' || c === 'RACE_B' || c === 'RACE_C') &&
    e['not_on_fitness_chart'] !== true &&
    typeof e['icu_training_load'] === 'number'
  );
}

/**
 * Recomputes ctl/atl/rampRate/ctlLoad/atlLoad for every day from the first activity day to the
 * last planned event (future days use planned loads), activity icu_ctl/icu_atl and event
 * icu_ctl/icu_atl. Past values only depend on activities, so they do not change.
 */
export function recomputeFitness(ath: AthleteState): void {
  const T = dayNum(ath.today);
  const F = dayNum(ath.firstDay);
  const actual = new Map<number, number>();
  const byDay = new Map<number, ActivityRecord[]>();
  for (const a of ath.activities) {
    const d = dayNum(a.date);
    if (d > T) continue;
    actual.set(d, (actual.get(d) ?? 0) + a.load);
    const arr = byDay.get(d) ?? [];
    arr.push(a);
    byDay.set(d, arr);
  }
  let H = T;
  const planned = new Map<number, number>();
  for (const e of ath.events) {
    const d = dayNum(String(e['start_date_local']));
    if (d > H) H = d;
    if (d > T && countsForFitness(e)) planned.set(d, (planned.get(d) ?? 0) + (e['icu_training_load'] as number));
  }
  for (const [date, w] of ath.wellness) {
    const d = dayNum(date);
    if (d > H && hasUserData(w)) H = d;
  }
  for (const [date, w] of [...ath.wellness]) {
    const d = dayNum(date);
    if (d > H && !hasUserData(w)) ath.wellness.delete(date);
  }
  const series = new Map<number, { ctl: number; atl: number }>();
  let ctl = SEED_FITNESS;
  let atl = SEED_FITNESS;
  const hist: number[] = [];
  for (let d = F; d <= H; d++) {
    const load = d <= T ? (actual.get(d) ?? 0) : (planned.get(d) ?? 0);
    const prevCtl = ctl;
    const prevAtl = atl;
    // activities on that day: values after each one
    const acts = (byDay.get(d) ?? []).slice().sort((a, b) => (a.startLocal < b.startLocal ? -1 : 1));
    let cum = 0;
    for (const a of acts) {
      cum += a.load;
      if (!a.stub) {
        a.json['icu_ctl'] = prevCtl + (cum - prevCtl) * K_CTL;
        a.json['icu_atl'] = prevAtl + (cum - prevAtl) * K_ATL;
      }
    }
    ctl = prevCtl + (load - prevCtl) * K_CTL;
    atl = prevAtl + (load - prevAtl) * K_ATL;
    hist.push(ctl);
    const idx = hist.length - 1;
    const date = dayStr(d);
    let w = ath.wellness.get(date);
    if (!w) {
      w = blankWellness(date);
      ath.wellness.set(date, w);
    }
    w['ctl'] = ctl;
    w['atl'] = atl;
    w['rampRate'] = ctl - (idx >= 7 ? (hist[idx - 7] ?? SEED_FITNESS) : SEED_FITNESS);
    w['ctlLoad'] = load;
    w['atlLoad'] = load;
    series.set(d, { ctl, atl });
  }
  for (const e of ath.events) {
    const v = series.get(dayNum(String(e['start_date_local'])));
    e['icu_ctl'] = v ? v.ctl : null;
    e['icu_atl'] = v ? v.atl : null;
  }
}

export interface WellnessResult {
  ok: true;
  record: Json;
}

/** PUT /wellness/{date}: merges a partial camelCase body. */
export function putWellness(ath: AthleteState, date: string, body: unknown, nowIso: string): WellnessResult | ErrorResult {
  if (!isValidDate(date)) return { ok: false, status: 422, error: `Invalid date [${date}]` };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: 422, error: 'Expected a JSON object' };
  const allowed = new Set<string>(WELLNESS_KEYS);
  for (const k of Object.keys(body as Json)) {
    if (!allowed.has(k)) return { ok: false, status: 422, error: `Unrecognized wellness field [${k}]` };
  }
  const rec = ath.wellness.get(date) ?? blankWellness(date);
  for (const [k, v] of Object.entries(body as Json)) {
    if (WELLNESS_COMPUTED.has(k)) continue;
    if (v === null || v === undefined) continue;
    if (!WELLNESS_NON_NUMERIC.has(k)) {
      // Jackson-style coercion of numeric strings
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) return { ok: false, status: 422, error: `Invalid value for wellness field [${k}]` };
      rec[k] = n === -1 ? null : n;
    } else {
      rec[k] = v;
    }
  }
  rec['updated'] = nowIso;
  ath.wellness.set(date, rec);
  recomputeFitness(ath);
  return { ok: true, record: rec };
}

// ---------------------------------------------------------------------------------------------
// Sport settings
// ---------------------------------------------------------------------------------------------

export function findSportSettings(ath: AthleteState, key: string): Json | undefined {
  if (/^\d+$/.test(key)) return ath.sportSettings.find((s) => s['id'] === Number(key));
  return ath.sportSettings.find((s) => Array.isArray(s['types']) && (s['types'] as unknown[]).includes(key));
}

export function updateSportSettings(
  ath: AthleteState,
  key: string,
  body: unknown,
  nowIso: string,
): { ok: true; settings: Json } | ErrorResult {
  const ss = findSportSettings(ath, key);
  if (!ss) return { ok: false, status: 404, error: 'Not Found' };
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: 422, error: 'Expected a JSON object' };
  const allowed = new Set<string>(SPORT_SETTINGS_KEYS);
  for (const [k, v] of Object.entries(body as Json)) {
    if (!allowed.has(k) || k === 'id' || k === 'athlete_id' || k === 'created' || k === 'updated' || v === undefined) continue;
    ss[k] = v === -1 ? null : v;
  }
  ss['updated'] = nowIso;
  return { ok: true, settings: ss };
}

// ---------------------------------------------------------------------------------------------
// Library (folders and workouts)
// ---------------------------------------------------------------------------------------------

function buildWorkout(
  ath: AthleteState,
  id: number,
  folderId: number,
  name: string,
  type: string,
  text: string,
  day: number | null,
  updated: string,
): Json {
  const w = blank(WORKOUT_KEYS);
  const indoor = type === 'VirtualRide';
  const r = parseWorkoutText(text, parseSettingsFor(ath, type, indoor));
  Object.assign(w, {
    athlete_id: ath.id,
    id,
    name,
    description: text,
    type,
    indoor,
    folder_id: folderId,
    day,
    days: null,
    hide_from_athlete: false,
    updated,
    targets: ['AUTO'],
    tags: [],
    for_week: false,
    sub_type: 'NONE',
  });
  if (r.ok) {
    Object.assign(w, {
      icu_training_load: r.icu_training_load,
      moving_time: r.moving_time,
      workout_doc: r.doc,
      icu_intensity: r.icu_intensity,
      distance: r.distance,
      target: r.doc.target,
    });
  }
  return w;
}

function buildLibrary(ath: AthleteState, updated: string): { folders: Json[]; workouts: Json[] } {
  const b = ath.profile.idBase;
  const f1 = b + 201;
  const f2 = b + 202;
  const w = [
    buildWorkout(ath, b + 301, f1, 'Sweet Spot 3x15m', 'Ride', RIDE_KEY[2]!.text, null, updated),
    buildWorkout(ath, b + 302, f1, 'VO2max 5x4m', 'Ride', RIDE_KEY[0]!.text, null, updated),
    buildWorkout(ath, b + 303, f1, 'Endurance 2h', 'Ride', '- 15m 55%\n- 1h35m 65-72%\n- 10m 50%', null, updated),
    buildWorkout(ath, b + 304, f2, 'Base Ride 90m', 'Ride', '- 10m 50%\n- 70m Z2\n- 10m 50%', 0, updated),
    buildWorkout(ath, b + 305, f2, 'Tempo Run 40m', 'Run', '- 10m 70% Pace\n- 20m 85-88% Pace\n- 10m 70% Pace', 2, updated),
  ];
  const folder = (id: number, type: string, name: string, children: Json[], extra: Json): Json => {
    const f = blank(FOLDER_KEYS);
    Object.assign(f, {
      athlete_id: ath.id,
      id,
      type,
      name,
      description: null,
      children,
      visibility: 'PRIVATE',
      read_only_workouts: false,
      num_workouts: children.length,
      canEdit: true,
      sharedWithCount: 0,
      ...extra,
    });
    return f;
  };
  const folders = [
    folder(f1, 'FOLDER', 'Bike workouts', w.slice(0, 3), {}),
    folder(f2, 'PLAN', 'Base block', w.slice(3), {
      description: 'A one-week taste of base training.',
      duration_weeks: 1,
      activity_types: ['Ride', 'Run'],
      hours_per_week_min: 2,
      hours_per_week_max: 3,
      rollout_weeks: 0,
      auto_rollout_day: null,
    }),
  ];
  return { folders, workouts: w };
}

// ---------------------------------------------------------------------------------------------
// Athlete generation
// ---------------------------------------------------------------------------------------------

function wellnessMeasurements(
  rng: Rng,
  p: AthleteProfile,
  date: string,
  dIdx: number,
  nDays: number,
  prev: { ctl: number; atl: number },
  tz: string,
  blankDay: boolean,
): Json {
  const w = blankWellness(date);
  if (blankDay) return w;
  const form = prev.ctl - prev.atl; // morning form
  const strain = Math.max(0, -form);
  const frac = dIdx / Math.max(1, nDays - 1);
  w['weight'] = Math.round((p.weight + 0.8 * (1 - frac) + 0.3 * Math.sin((2 * Math.PI * dIdx) / 45) + 0.15 * rng.gauss()) * 10) / 10;
  const rhr = Math.round(p.restingHr + strain * 0.12 + 1.1 * rng.gauss());
  w['restingHR'] = rhr;
  if (rng.chance(0.9)) {
    const hrv = Math.round(62 - strain * 0.35 + 5 * rng.gauss());
    w['hrv'] = hrv;
    w['hrvSDNN'] = Math.round(hrv * 1.3 + 3 * rng.gauss());
  }
  if (rng.chance(0.92)) {
    const sleep = Math.round((7 * 3600 + 40 * 60 * rng.gauss()) / 60) * 60;
    const score = Math.max(35, Math.min(98, Math.round(78 + 8 * rng.gauss() + (sleep - 7 * 3600) / 600)));
    w['sleepSecs'] = sleep;
    w['sleepScore'] = score;
    w['sleepQuality'] = score >= 85 ? 1 : score >= 75 ? 2 : score >= 60 ? 3 : 4;
    w['avgSleepingHR'] = Math.round((rhr + 4 + rng.gauss()) * 10) / 10;
  }
  if (rng.chance(0.7)) {
    const clamp4 = (x: number) => Math.max(1, Math.min(4, Math.round(x)));
    w['soreness'] = clamp4(1.2 + strain / 12 + 0.6 * rng.gauss());
    w['fatigue'] = clamp4(1.4 + strain / 10 + 0.6 * rng.gauss());
    w['stress'] = clamp4(1.6 + 0.7 * rng.gauss());
    w['mood'] = clamp4(1.8 + strain / 20 + 0.6 * rng.gauss());
    w['motivation'] = clamp4(1.7 + strain / 18 + 0.6 * rng.gauss());
    w['injury'] = 1;
  }
  w['spO2'] = Math.round((96.8 + 0.7 * rng.gauss()) * 10) / 10;
  w['readiness'] = Math.max(5, Math.min(100, Math.round(70 - strain * 0.9 + 9 * rng.gauss())));
  w['steps'] = Math.max(1500, Math.round(9000 + 2500 * rng.gauss()));
  w['respiration'] = Math.round((14.2 + 0.6 * rng.gauss()) * 10) / 10;
  if (rng.chance(0.05)) w['comments'] = rng.pick(['Legs heavy.', 'Slept badly, noisy neighbours.', 'Feeling fresh!', 'Bit of a sniffle.']);
  w['updated'] = isoOffset(localToUtcMs(`${date}T07:${pad2(rng.int(0, 59))}:00`, tz) + rng.int(0, 999));
  return w;
}

/** Generates one athlete (deterministic for a given profile and `today`). */
export function generateAthlete(profile: AthleteProfile, today: string, coach = false): AthleteState {
  if (!isValidDate(today)) throw new Error(`Invalid today: ${today}`);
  const rng = new Rng(profile.seed);
  const T = dayNum(today);
  const start = T - HISTORY_DAYS + 1;
  const created = isoOffset(localToUtcMs(`${dayStr(start - 400)}T10:00:00`, profile.timezone));
  const ath: AthleteState = {
    id: profile.id,
    profile,
    today,
    timezone: profile.timezone,
    athlete: buildAthleteJson(profile, today, coach),
    sportSettings: buildSportSettings(profile, created),
    activities: [],
    events: [],
    wellness: new Map(),
    folders: [],
    workouts: [],
    firstDay: dayStr(start),
    nextEventId: profile.eventBase + 1,
    uidRng: new Rng(profile.seed ^ 0x2545f491),
  };

  // --- activities (through yesterday) and the calendar
  const mondayStart = start - weekday(start);
  const nWeeks = Math.ceil((T + 15 - mondayStart) / 7);
  let seq = 0;
  const acts: ActivityRecord[] = [];
  const keyPast: { date: string; session: SessionPlan; activity: ActivityRecord | null }[] = [];
  const missedDay = (() => {
    // the Tuesday in [today-13, today-7]
    for (let d = T - 13; d <= T - 7; d++) if (weekday(d) === 1) return d;
    return T - 7;
  })();
  const raceDay = (() => {
    // a club time trial on the Saturday in [today-56, today-50]
    for (let d = T - 56; d <= T - 50; d++) if (weekday(d) === 5) return d;
    return T - 53;
  })();
  for (let d = start; d < T; d++) {
    const weekIdx = Math.floor((d - mondayStart) / 7);
    const cycle = weekIdx % 4;
    const progress = weekIdx / nWeeks;
    let sessions = sessionsFor(d, weekIdx, cycle, progress, rng);
    if (d === raceDay) sessions = [{ ...CLUB_TT, minute: 0 }];
    for (const s of sessions) {
      const skipRoll = rng.next();
      const inLast4 = d >= T - 28;
      if (!inLast4 && skipRoll < 0.06 && d !== raceDay) continue;
      const date = dayStr(d);
      if (d === missedDay && s.key) {
        keyPast.push({ date, session: s, activity: null });
        continue;
      }
      seq += 1 + (rng.next() < 0.3 ? 1 : 0);
      const act = buildActivity(ath, s, date, `i${profile.activityBase + seq}`, rng);
      if (d === raceDay) act.json['race'] = true;
      acts.push(act);
      if (inLast4 && s.key) keyPast.push({ date, session: s, activity: act });
    }
  }
  if (acts.length === 0) throw new Error('no activities generated');
  ath.firstDay = acts[0]!.date;

  // past planned workouts (last 4 weeks), paired with their activities
  for (const kp of keyPast) {
    const r = materializeEvent(
      ath,
      {
        category: 'WORKOUT',
        start_date_local: `${kp.date}T00:00:00`,
        type: kp.session.type,
        name: kp.session.planName,
        description: kp.session.text,
        indoor: kp.session.indoor,
      },
      null,
      created,
    );
    if (!r.ok) throw new Error(r.error);
    r.event['updated'] = isoOffset(localToUtcMs(`${addDays(kp.date, -9)}T20:15:00`, profile.timezone));
    const ev = storeNewEvent(ath, r.event);
    if (kp.activity) {
      kp.activity.json['paired_event_id'] = ev['id'];
      kp.activity.json['name'] = kp.session.planName;
      const planned = num(ev['icu_training_load']);
      kp.activity.json['compliance'] = planned ? Math.round((kp.activity.load / planned) * 1000) / 10 : null;
    }
  }

  // future planned workouts (today .. today+14)
  for (let d = T; d <= T + 14; d++) {
    const weekIdx = Math.floor((d - mondayStart) / 7);
    const cycle = weekIdx % 4;
    for (const s of sessionsFor(d, weekIdx, cycle, weekIdx / nWeeks, rng)) {
      if (s.sport === 'WeightTraining') continue;
      const r = materializeEvent(
        ath,
        {
          category: 'WORKOUT',
          start_date_local: `${dayStr(d)}T00:00:00`,
          type: s.type,
          name: s.planName,
          description: s.text,
          indoor: s.indoor,
        },
        null,
        created,
      );
      if (!r.ok) throw new Error(r.error);
      r.event['updated'] = isoOffset(localToUtcMs(`${dayStr(T - 2)}T20:15:00`, profile.timezone));
      storeNewEvent(ath, r.event);
    }
  }
  // a note, a C race and the A race
  const extra: Json[] = [
    {
      category: 'NOTE',
      start_date_local: `${dayStr(T + 17)}T00:00:00`,
      end_date_local: `${dayStr(T + 20)}T00:00:00`,
      name: 'Travel',
      description: 'Work trip to Wellington, hotel gym only.',
      color: 'orange',
    },
    {
      category: 'RACE_C',
      start_date_local: `${dayStr(T + 24)}T00:00:00`,
      type: 'Run',
      name: 'Club 10k',
      description: 'Tune-up race, run by feel.',
      moving_time: 2520,
      icu_training_load: 62,
      distance: 10000,
    },
    {
      category: 'RACE_A',
      start_date_local: `${dayStr(T + 42)}T00:00:00`,
      type: 'Other',
      name: 'Lake Taupo Olympic Tri',
      description: 'Olympic distance triathlon: 1.5 km swim, 40 km bike, 10 km run.',
      moving_time: 8400,
      icu_training_load: 165,
      distance: 51500,
    },
  ];
  for (const e of extra) {
    const r = materializeEvent(ath, e, null, created);
    if (!r.ok) throw new Error(r.error);
    storeNewEvent(ath, r.event);
  }

  // --- newest first, then the Strava stub among the newest five (never the newest)
  acts.sort((a, b) => (a.startLocal < b.startLocal ? 1 : a.startLocal > b.startLocal ? -1 : 0));
  let stubIdx = -1;
  for (let i = 1; i <= 4 && i < acts.length; i++) {
    if (acts[i]!.json['paired_event_id'] === null) {
      stubIdx = i;
      break;
    }
  }
  if (stubIdx < 0) stubIdx = Math.min(2, acts.length - 1);
  const stubRec = acts[stubIdx]!;
  stubRec.id = profile.stubId;
  stubRec.stub = true;
  stubRec.json = {
    id: profile.stubId,
    icu_athlete_id: profile.id,
    start_date_local: stubRec.startLocal,
    source: 'STRAVA',
    _note: STRAVA_NOTE,
  };
  ath.activities = acts;

  // --- fitness, then wellness measurements that depend on it
  recomputeFitness(ath);
  const nDays = T - dayNum(ath.firstDay) + 1;
  const wrng = new Rng(profile.seed ^ 0x1b873593);
  const blankDays = new Set([T - 37, T - 101]);
  let prev = { ctl: SEED_FITNESS, atl: SEED_FITNESS };
  for (let i = 0; i < nDays; i++) {
    const d = dayNum(ath.firstDay) + i;
    const date = dayStr(d);
    const fit = ath.wellness.get(date);
    const m = wellnessMeasurements(wrng, profile, date, i, nDays, prev, profile.timezone, blankDays.has(d));
    if (fit) {
      for (const k of WELLNESS_KEYS) if (!WELLNESS_COMPUTED.has(k) || k === 'updated') fit[k] = m[k] ?? null;
      if (!blankDays.has(d)) {
        fit['sportInfo'] = [
          {
            type: 'Ride',
            eftp: profile.ride.ftp * (0.965 + 0.035 * (i / nDays)) + 1.5 * Math.sin(i / 9),
            wPrime: profile.ride.wPrime,
            pMax: profile.ride.pMax,
          },
        ];
      }
      prev = { ctl: fit['ctl'] as number, atl: fit['atl'] as number };
    }
  }

  const lib = buildLibrary(ath, created);
  ath.folders = lib.folders;
  ath.workouts = lib.workouts;
  return ath;
}

/** The sample athlete i123456 ("Sam Sample", Pacific/Auckland) as a fresh FakeState. */
export function createSampleAthlete(today: string): FakeState {
  const ath = generateAthlete(sampleProfile(), today, false);
  return { ownerId: ath.id, athletes: new Map([[ath.id, ath]]) };
}

/** Adds a coached athlete (generated with a different seed) to the state. */
export function addCoachedAthlete(state: FakeState, id: string, today?: string): AthleteState {
  const index = state.athletes.size;
  const profile = extraProfile(id, index);
  const ath = generateAthlete(profile, today ?? todayInTimeZone(profile.timezone), false);
  state.athletes.set(id, ath);
  const owner = state.athletes.get(state.ownerId);
  if (owner) owner.athlete['icu_coach'] = true;
  return ath;
}

// ---------------------------------------------------------------------------------------------
// Queries used by the server
// ---------------------------------------------------------------------------------------------

/**
 * `POST /athlete/{id}/events/{eventId}/mark-done`: a manual activity matching a planned workout
 * (the planned type, name, duration and load, paired with the event), as when the athlete ticks it
 * off. Past fitness is recomputed from it.
 */
export function markEventDone(ath: AthleteState, eventId: number): Json | null {
  const ev = ath.events.find((e) => e['id'] === eventId);
  if (!ev) return null;
  const date = String(ev['start_date_local']).slice(0, 10);
  const startLocal = `${date}T${String(ev['start_date_local']).slice(11, 19) === '00:00:00' ? '07:00:00' : String(ev['start_date_local']).slice(11, 19)}`;
  const id = `i${8_000_000 + ath.activities.length}`;
  const load = typeof ev['icu_training_load'] === 'number' ? (ev['icu_training_load'] as number) : 0;
  const json: Json = {
    id,
    icu_athlete_id: ath.id,
    start_date_local: startLocal,
    start_date: new Date(localToUtcMs(startLocal, ath.timezone)).toISOString().replace('.000Z', 'Z'),
    timezone: ath.timezone,
    type: ev['type'] ?? 'Other',
    name: ev['name'] ?? 'Workout',
    source: 'MANUAL',
    moving_time: ev['moving_time'] ?? null,
    elapsed_time: ev['moving_time'] ?? null,
    distance: ev['distance'] ?? null,
    icu_training_load: load,
    icu_intensity: ev['icu_intensity'] ?? null,
    paired_event_id: eventId,
  };
  const rec: ActivityRecord = { id, date, startLocal, load, stub: false, json, sim: null, summary: null };
  ath.activities.push(rec);
  ath.activities.sort((x, y) => (x.startLocal < y.startLocal ? 1 : -1));
  recomputeFitness(ath);
  return json;
}

export function findActivity(state: FakeState, id: string): { ath: AthleteState; rec: ActivityRecord } | null {
  for (const ath of state.athletes.values()) {
    const rec = ath.activities.find((a) => a.id === id);
    if (rec) return { ath, rec };
  }
  return null;
}

export type CurveKind = 'power' | 'hr' | 'pace';

interface CurveRange {
  id: string;
  label: string;
  from: number;
  to: number;
}

function parseCurveSpec(spec: string, ath: AthleteState, newest: number): CurveRange | null {
  const id = spec;
  const s = spec.replace(/-kj[01]$/, '');
  let m = /^(\d+)d$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    return { id, label: `${n} day${n === 1 ? '' : 's'}`, from: newest - n + 1, to: newest };
  }
  m = /^(\d+)y$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    return { id, label: `${n} year${n === 1 ? '' : 's'}`, from: newest - 365 * n + 1, to: newest };
  }
  m = /^r\.(\d{4}-\d{2}-\d{2})\.(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (m && isValidDate(m[1] ?? '') && isValidDate(m[2] ?? '')) {
    return { id, label: `${m[1]} to ${m[2]}`, from: dayNum(m[1]!), to: dayNum(m[2]!) };
  }
  if (s === 'all') return { id, label: 'All time', from: dayNum(ath.firstDay), to: newest };
  if (s === 's0' || s === 's1') {
    const y = Number(dayStr(newest).slice(0, 4)) - (s === 's1' ? 1 : 0);
    const from = dayNum(`${y}-01-01`);
    return { id, label: s === 's0' ? 'This season' : 'Last season', from, to: s === 's0' ? newest : dayNum(`${y}-12-31`) };
  }
  return null;
}

/** Types that count for a curve of `type` (its sport settings family). */
function typeFamily(ath: AthleteState, type: string | null): Set<string> | null {
  if (!type) return null;
  const ss = ath.sportSettings.find((s) => Array.isArray(s['types']) && (s['types'] as unknown[]).includes(type));
  return new Set(ss ? (ss['types'] as string[]) : [type]);
}

export function athleteCurves(
  ath: AthleteState,
  kind: CurveKind,
  type: string | null,
  specs: string[],
  newestParam: string | null,
): { ok: true; body: Json } | ErrorResult {
  const newest = newestParam && isValidDate(newestParam.slice(0, 10)) ? dayNum(newestParam.slice(0, 10)) : dayNum(ath.today);
  const family = typeFamily(ath, type);
  const list: Json[] = [];
  for (const spec of specs.length ? specs : ['1y']) {
    const r = parseCurveSpec(spec, ath, newest);
    if (!r) return { ok: false, status: 422, error: `Invalid curve [${spec}]` };
    const acts = ath.activities.filter((a) => {
      if (a.stub || !a.summary) return false;
      const d = dayNum(a.date);
      if (d < r.from || d > r.to) return false;
      return !family || family.has(String(a.json['type']));
    });
    const xs = kind === 'pace' ? PACE_DISTANCES : MMP_SECS;
    const values: number[] = [];
    const ids: string[] = [];
    const keptX: number[] = [];
    xs.forEach((x, i) => {
      let best: number | null = null;
      let bestId = '';
      for (const a of acts) {
        const c = kind === 'power' ? a.summary!.curves.power : kind === 'hr' ? a.summary!.curves.hr : a.summary!.curves.pace;
        const v = c?.[i] ?? null;
        if (v === null) continue;
        if (best === null || (kind === 'pace' ? v < best : v > best)) {
          best = v;
          bestId = a.id;
        }
      }
      if (best !== null) {
        values.push(best);
        ids.push(bestId);
        keptX.push(x);
      }
    });
    const curve: Json = {
      id: r.id,
      after_kj: null,
      filters: [],
      label: r.label,
      filter_label: null,
      percentile: null,
      start_date_local: `${dayStr(r.from)}T00:00:00`,
      end_date_local: `${dayStr(r.to)}T23:59:59`,
      days: r.to - r.from + 1,
      moving_time: acts.reduce((s, a) => s + (num(a.json['moving_time']) ?? 0), 0),
      training_load: acts.reduce((s, a) => s + a.load, 0),
      weight: ath.profile.weight,
      secs: kind === 'pace' ? null : keptX,
      distance: kind === 'pace' ? keptX : null,
      values,
      submax_values: null,
      submax_activity_id: null,
      start_index: null,
      end_index: null,
      activity_id: ids,
    };
    if (kind === 'power') curve['watts_per_kg'] = values.map((v) => Math.round((v / ath.profile.weight) * 100) / 100);
    list.push(curve);
  }
  return { ok: true, body: { list, activities: {} } };
}

/** Weekly SummaryWithCats (weeks start on Monday), ascending by week. */
export function athleteSummary(ath: AthleteState, startParam: string | null, endParam: string | null): Json[] {
  const T = dayNum(ath.today);
  const end = endParam && isValidDate(endParam.slice(0, 10)) ? dayNum(endParam.slice(0, 10)) : T;
  const start = startParam && isValidDate(startParam.slice(0, 10)) ? dayNum(startParam.slice(0, 10)) : end - 6;
  const out: Json[] = [];
  for (let wk = start - weekday(start); wk <= end; wk += 7) {
    const acts = ath.activities.filter((a) => !a.stub && dayNum(a.date) >= wk && dayNum(a.date) <= wk + 6);
    const agg = (list: ActivityRecord[]) => {
      const sum = (k: string) => list.reduce((s, a) => s + (num(a.json[k]) ?? 0), 0);
      return {
        count: list.length,
        time: Math.round(sum('elapsed_time')),
        moving_time: Math.round(sum('moving_time')),
        elapsed_time: Math.round(sum('elapsed_time')),
        calories: Math.round(sum('calories')),
        total_elevation_gain: Math.round(sum('total_elevation_gain') * 10) / 10,
        training_load: Math.round(sum('icu_training_load')),
        srpe: Math.round(sum('session_rpe')),
        distance: Math.round(sum('distance') * 10) / 10,
        eftp: null as number | null,
        eftpPerKg: null as number | null,
      };
    };
    const lastActDay = acts.reduce((m, a) => Math.max(m, dayNum(a.date)), -Infinity);
    const refDay = Number.isFinite(lastActDay) ? lastActDay : Math.min(wk + 6, T);
    const w = ath.wellness.get(dayStr(refDay));
    const ctl = w ? num(w['ctl']) : null;
    const atl = w ? num(w['atl']) : null;
    const tiz = new Array<number>(POWER_ZONES.length + 1).fill(0);
    for (const a of acts) {
      const zt = a.json['icu_zone_times'];
      if (Array.isArray(zt))
        (zt as { secs: number }[]).forEach((z, i) => {
          tiz[i] = (tiz[i] ?? 0) + z.secs;
        });
    }
    const types = [...new Set(acts.map((a) => String(a.json['type'])))].sort();
    let mostRecent: string | null = null;
    for (let d = Math.min(wk + 6, T); d >= wk; d--) {
      const r = ath.wellness.get(dayStr(d));
      if (r && hasUserData(r)) {
        mostRecent = dayStr(d);
        break;
      }
    }
    out.push({
      ...agg(acts),
      eftp: ath.profile.ride.ftp,
      eftpPerKg: Math.round((ath.profile.ride.ftp / ath.profile.weight) * 100) / 100,
      date: dayStr(wk),
      athlete_id: ath.id,
      athlete_name: ath.profile.name,
      email: null,
      external_id: null,
      fitness: ctl,
      fatigue: atl,
      form: ctl !== null && atl !== null ? ctl - atl : null,
      rampRate: w ? num(w['rampRate']) : null,
      weight: w ? (num(w['weight']) ?? ath.profile.weight) : ath.profile.weight,
      timeInZones: tiz.map(Math.round),
      timeInZonesTot: Math.round(tiz.slice(0, POWER_ZONES.length).reduce((s, x) => s + x, 0)),
      byCategory: types.map((t) => ({ ...agg(acts.filter((a) => a.json['type'] === t)), category: t })),
      mostRecentWellnessId: mostRecent,
    });
  }
  return out;
}
