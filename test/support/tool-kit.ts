/**
 * What a tool's unit test needs: a mocked IntervalsClient (every method a vi.fn, no HTTP), a real
 * context factory with a fixed clock, and `runTool`, which parses the arguments as the server does
 * and checks the result against the declared output schema. Upstream fixtures go through the same
 * zod schemas the client applies, so handlers see what they would see in production.
 */
import { beforeEach, expect, vi } from 'vitest';
import * as z from 'zod';
import type { IntervalsClient } from '../../src/intervals/client.js';
import { ActivitySchema, AthleteSchema, EventSchema, SportSettingsSchema, WellnessSchema } from '../../src/intervals/schemas.js';
import { createContextFactory } from '../../src/tools/support/context.js';
import type { Table } from '../../src/tools/support/table.js';
import type { ToolContext, ToolDefinition } from '../../src/tools/support/tool.js';

/** 20:00 on 2026-04-06 in Los Angeles (PDT, UTC-7): already the 7th in UTC. */
export const NOW = new Date('2026-04-07T03:00:00Z');
export const TODAY = '2026-04-06';
export const ATHLETE_ID = 'i42';

export const PROFILE = {
  id: ATHLETE_ID,
  name: 'Test Athlete',
  timezone: 'America/Los_Angeles',
  weight: 71,
  icu_weight: 70.26,
  icu_resting_hr: 48,
  sportSettings: [
    {
      id: 1,
      types: ['Ride', 'VirtualRide'],
      ftp: 250,
      indoor_ftp: 250,
      w_prime: 20000,
      lthr: 165,
      max_hr: 185,
      threshold_pace: null,
      power_zones: [55, 75, 90, 105, 120, 150, 999],
      hr_zones: [137, 153, 160, 169, 173, 178, 185],
      pace_zones: null,
    },
    {
      id: 2,
      types: ['Run', 'VirtualRun', 'TrailRun'],
      ftp: null,
      indoor_ftp: null,
      lthr: 170,
      max_hr: 190,
      threshold_pace: 3.7037,
      pace_zones: [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999],
    },
    { id: 3, types: ['Swim', 'OpenWaterSwim'], threshold_pace: 1.25 },
    { id: 4, types: ['Rowing'], ftp: 200, indoor_ftp: 190, types_extra: 'ignored' },
  ],
};

/** Every client method the tools call, as a typed mock; reads of lists default to empty. */
export function mockClient(profile: unknown = PROFILE) {
  return {
    getAthlete: vi.fn<IntervalsClient['getAthlete']>(async () => AthleteSchema.parse(profile)),
    listSportSettings: vi.fn<IntervalsClient['listSportSettings']>(async () =>
      z.array(SportSettingsSchema).parse((profile as typeof PROFILE).sportSettings ?? []),
    ),
    updateSportSettings: vi.fn<IntervalsClient['updateSportSettings']>(),
    listActivities: vi.fn<IntervalsClient['listActivities']>(async () => []),
    getActivity: vi.fn<IntervalsClient['getActivity']>(),
    getStreams: vi.fn<IntervalsClient['getStreams']>(async () => []),
    searchActivities: vi.fn<IntervalsClient['searchActivities']>(async () => []),
    getCurves: vi.fn<IntervalsClient['getCurves']>(async () => ({ list: [] })),
    listWellness: vi.fn<IntervalsClient['listWellness']>(async () => []),
    getWellness: vi.fn<IntervalsClient['getWellness']>(),
    updateWellness: vi.fn<IntervalsClient['updateWellness']>(),
    listEvents: vi.fn<IntervalsClient['listEvents']>(async () => []),
    getEvent: vi.fn<IntervalsClient['getEvent']>(),
    createEvent: vi.fn<IntervalsClient['createEvent']>(),
    updateEvent: vi.fn<IntervalsClient['updateEvent']>(),
    deleteEvent: vi.fn<IntervalsClient['deleteEvent']>(async () => undefined as never),
    upsertEvents: vi.fn<IntervalsClient['upsertEvents']>(async () => []),
    listFolders: vi.fn<IntervalsClient['listFolders']>(async () => []),
    listWorkouts: vi.fn<IntervalsClient['listWorkouts']>(async () => []),
  };
}
export type MockClient = ReturnType<typeof mockClient>;

/** The context a tool call gets for the configured athletes (the first is the default). */
export function makeContext(
  c: MockClient,
  sig?: AbortSignal,
  athleteIds: readonly string[] = [ATHLETE_ID],
  athleteId?: string,
): ToolContext {
  const factory = createContextFactory({ client: c as unknown as IntervalsClient, athleteIds, now: () => NOW });
  return factory(athleteId, sig);
}

/** A fresh mock client, abort signal and context. */
export function fresh(profile?: unknown, athleteIds?: readonly string[]): { client: MockClient; signal: AbortSignal; ctx: ToolContext } {
  const client = mockClient(profile);
  const signal = new AbortController().signal;
  return { client, signal, ctx: makeContext(client, signal, athleteIds) };
}

/** What a tool test works with; every field is the current test's. */
export interface ToolTest {
  readonly client: MockClient;
  readonly signal: AbortSignal;
  readonly ctx: ToolContext;
  /** `runTool` with this test's context, or the one given. */
  run<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>, args: z.input<I>, ctx?: ToolContext): Promise<z.infer<O>>;
  /** This test's client and signal, acting for `id` among the configured athletes (coach mode). */
  asAthlete(id: string, athleteIds?: readonly string[]): ToolContext;
}

/**
 * The setup at the top of a tool's test file: registers a beforeEach that gives every test a fresh
 * mock client, signal and context (`athleteIds` configured, the first the default), read through the
 * returned object as `t.client`, `t.ctx`, `t.signal`.
 */
export function toolTest(options: { profile?: unknown; athleteIds?: readonly string[] } = {}): ToolTest {
  let current = fresh(options.profile, options.athleteIds);
  beforeEach(() => {
    current = fresh(options.profile, options.athleteIds);
  });
  return {
    get client() {
      return current.client;
    },
    get signal() {
      return current.signal;
    },
    get ctx() {
      return current.ctx;
    },
    run: (tool, args, ctx = current.ctx) => runTool(tool, args, ctx),
    asAthlete: (id, athleteIds = [ATHLETE_ID, id]) => makeContext(current.client, current.signal, athleteIds, id),
  };
}

/**
 * Parse the arguments as the server does (defaults applied), run the handler, and check that the
 * result matches the declared output schema exactly and is plain JSON (structuredContent).
 */
export async function runTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
  args: z.input<I>,
  ctx: ToolContext,
): Promise<z.infer<O>> {
  const result = await tool.handler(tool.input.parse(args), ctx);
  expect(tool.output.parse(result)).toStrictEqual(result);
  expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  return result;
}

/** Table rows as objects keyed by column, to assert on cells by name. */
export function rowsOf(t: Table): Record<string, unknown>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

export const activities = (raw: unknown[]) => z.array(ActivitySchema).parse(raw);
export const wellness = (raw: unknown[]) => z.array(WellnessSchema).parse(raw);
export const events = (raw: unknown[]) => z.array(EventSchema).parse(raw);
export const event = (raw: unknown) => EventSchema.parse(raw);

export const RUN = {
  id: 'i1003',
  start_date_local: '2026-04-05T07:12:00',
  type: 'Run',
  name: 'Easy run',
  source: 'GARMIN_CONNECT',
  moving_time: 3000,
  elapsed_time: 3100,
  distance: 10000,
  total_elevation_gain: 55.4,
  average_speed: 3.3333,
  icu_training_load: 45,
  icu_intensity: 78.4,
  icu_average_watts: null,
  icu_weighted_avg_watts: null,
  average_heartrate: 142,
  max_heartrate: 171,
  average_cadence: 171.6,
  calories: 650,
  icu_ftp: null,
  icu_efficiency_factor: 1.2345,
  decoupling: 3.14,
  icu_variability_index: null,
  icu_rpe: null,
  feel: 2,
  trainer: false,
  icu_ctl: 51.26,
  icu_atl: 44.04,
  icu_zone_times: null,
  icu_hr_zone_times: [600, 1800, 600, 0, 0],
  paired_event_id: 77,
  tags: ['easy', 'zone 2'],
  description: '  Legs felt fresh.  ',
};
export const STUB = {
  id: 123456789,
  start_date_local: '2026-04-04T08:00:00',
  source: 'STRAVA',
  _note: 'STRAVA activities are not available via the API',
};
export const SWIM = {
  id: 'i1001',
  start_date_local: '2026-04-03T06:30:00',
  type: 'Swim',
  name: 'Pool',
  source: 'GARMIN_CONNECT',
  moving_time: 1800,
  distance: 2000,
  average_speed: 1.1111,
  icu_training_load: 30,
  average_heartrate: 130,
};
export const RIDE = {
  id: 'i1000',
  start_date_local: '2026-04-02T18:00:00',
  type: 'VirtualRide',
  name: 'Zwift',
  source: 'ZWIFT',
  moving_time: 3600,
  elapsed_time: 3600,
  distance: 30000,
  total_elevation_gain: 0,
  average_speed: 8.33,
  icu_training_load: 70,
  icu_intensity: 86,
  icu_average_watts: 200,
  icu_weighted_avg_watts: 215,
  icu_ftp: 250,
  average_heartrate: 150,
  trainer: true,
  icu_variability_index: 1.0749,
  icu_zone_times: [
    { id: 'Z1', secs: 600.4 },
    { id: 'Z2', secs: 1200 },
    { id: 'SS', secs: 0 },
  ],
};
