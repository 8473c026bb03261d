/**
 * Fake Intervals.icu server for tests, benchmarks and the demo.
 *
 *   const fake = await startFakeIntervals({ today: '2026-03-10' });
 *   // GET `${fake.url}/api/v1/athlete/0/activities?oldest=2026-03-01` with
 *   // Authorization: Basic base64('API_KEY:test-api-key')
 *   await fake.close();
 */

export {
  type ActivityRecord,
  type AthleteState,
  addCoachedAthlete,
  addDays,
  createSampleAthlete,
  dayNum,
  dayStr,
  EVENT_KEYS,
  type FakeState,
  generateAthlete,
  HISTORY_DAYS,
  type Json,
  K_ATL,
  K_CTL,
  localToUtcMs,
  PACE_ZONES,
  POWER_ZONES,
  recomputeFitness,
  SAMPLE_ATHLETE_ID,
  SAMPLE_FACTS,
  SAMPLE_STRAVA_STUB_ID,
  SEED_FITNESS,
  STRAVA_NOTE,
  todayInTimeZone,
  WELLNESS_KEYS,
} from './data.js';
export {
  createFakeHandler,
  type FailNextOptions,
  type FakeAccount,
  type FakeIntervals,
  type FakeOptions,
  type FakeToken,
  FULL_SCOPE,
  READ_SCOPE,
  type RecordedRequest,
  scopeAreaOfPath,
  startFakeIntervals,
} from './server.js';
export { generateStreams, MMP_SECS, PACE_DISTANCES } from './sim.js';
export {
  type FlatSegment,
  type ParsedWorkout,
  type ParseError,
  type ParseSettings,
  parseDurationOrDistance,
  parseWorkoutText,
  type WorkoutDoc,
  type WorkoutParseFailure,
  type WorkoutParseResult,
  type WorkoutStep,
  type WorkoutTarget,
} from './workout-text.js';
