/**
 * Fake Intervals.icu server for tests, benchmarks and the demo.
 *
 *   const fake = await startFakeIntervals({ today: '2026-03-10' });
 *   // GET `${fake.url}/api/v1/athlete/0/activities?oldest=2026-03-01` with
 *   // Authorization: Basic base64('API_KEY:test-api-key')
 *   await fake.close();
 */
export {
  startFakeIntervals,
  createFakeHandler,
  type FakeOptions,
  type FakeIntervals,
  type FailNextOptions,
  type RecordedRequest,
  type FakeAccount,
  type FakeToken,
  FULL_SCOPE,
  READ_SCOPE,
  scopeAreaOfPath,
} from './server.js';
export {
  createSampleAthlete,
  addCoachedAthlete,
  generateAthlete,
  recomputeFitness,
  todayInTimeZone,
  localToUtcMs,
  addDays,
  dayNum,
  dayStr,
  SAMPLE_ATHLETE_ID,
  SAMPLE_FACTS,
  SAMPLE_STRAVA_STUB_ID,
  STRAVA_NOTE,
  K_CTL,
  K_ATL,
  SEED_FITNESS,
  HISTORY_DAYS,
  WELLNESS_KEYS,
  EVENT_KEYS,
  POWER_ZONES,
  PACE_ZONES,
  type FakeState,
  type AthleteState,
  type ActivityRecord,
  type Json,
} from './data.js';
export { parseWorkoutText, parseDurationOrDistance, type WorkoutDoc, type WorkoutStep, type WorkoutTarget, type ParseSettings, type WorkoutParseResult, type ParsedWorkout, type WorkoutParseFailure, type ParseError, type FlatSegment } from './workout-text.js';
export { generateStreams, MMP_SECS, PACE_DISTANCES } from './sim.js';
