/**
 * The typed Intervals.icu client: the only code in the project that does HTTP to Intervals.icu.
 *
 * - undici `request` over a keep-alive `Agent`, or an injected dispatcher (tests use MockAgent/nock);
 * - HTTP Basic auth with the server-held key (`API_KEY:<key>`), which never appears in an error;
 * - connect / headers / body timeouts;
 * - retries only for GETs, on 429/502/503/504 and connection errors, with full-jitter exponential
 *   backoff that honours Retry-After, bounded in attempts and in total time;
 * - responses validated with zod at the boundary (loose objects: the API adds fields);
 * - errors mapped to IntervalsError kinds with actionable messages.
 */
import { Agent, request, type Dispatcher } from 'undici';
import * as z from 'zod';
import type { Logger } from '../logger.js';
import { errorForStatus, IntervalsError, redact, upstreamDetail } from './errors.js';
import {
  ActivitySchema,
  ActivitySearchResultSchema,
  ActivityStreamSchema,
  AthleteSchema,
  BestEffortsSchema,
  DataCurveSetSchema,
  EventSchema,
  FolderSchema,
  IntervalsDtoSchema,
  SportSettingsSchema,
  WellnessSchema,
  WorkoutSchema,
} from './schemas.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  budgetMs: number;
}

export interface IntervalsClientOptions {
  apiKey: string;
  baseUrl?: string;
  /** Default athlete for athlete-scoped calls (`0` = the key's owner). */
  athleteId?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Injected for tests: sleep and jitter source. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

interface CallOptions<T> {
  query?: Query;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Human description used in error messages, e.g. "activity i123". */
  what: string;
  signal?: AbortSignal | undefined;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const MAX_RETRY_AFTER_MS = 30_000;

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 4_000, budgetMs: 20_000 };

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Parse Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

const seg = (s: string | number) => encodeURIComponent(String(s));
const cancelled = (what: string) => new IntervalsError('timeout', `The request for ${what} was cancelled.`);

export class IntervalsClient {
  readonly baseUrl: string;
  readonly defaultAthleteId: string;
  private readonly authHeader: string;
  private readonly secrets: string[];
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(opts: IntervalsClientOptions) {
    this.baseUrl = (opts.baseUrl ?? 'https://intervals.icu').replace(/\/+$/, '');
    this.defaultAthleteId = opts.athleteId ?? '0';
    this.authHeader = `Basic ${Buffer.from(`API_KEY:${opts.apiKey}`).toString('base64')}`;
    this.secrets = [opts.apiKey];
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.logger = opts.logger;
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        connections: 16,
        connect: { timeout: Math.min(10_000, this.timeoutMs) },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
  }

  /** Close the keep-alive pool (graceful shutdown). Injected dispatchers belong to the caller. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ---------------------------------------------------------------- athlete and settings

  getAthlete(athleteId = this.defaultAthleteId, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}`, { schema: AthleteSchema, what: `athlete ${athleteId}`, signal });
  }

  listSportSettings(athleteId = this.defaultAthleteId, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/sport-settings`, {
      schema: z.array(SportSettingsSchema),
      what: `sport settings of athlete ${athleteId}`,
      signal,
    });
  }

  updateSportSettings(
    athleteId: string,
    settingsId: string | number,
    body: Record<string, unknown>,
    recalcHrZones: boolean,
    signal?: AbortSignal,
  ) {
    return this.send('PUT', `/athlete/${seg(athleteId)}/sport-settings/${seg(settingsId)}`, {
      query: { recalcHrZones },
      body,
      schema: SportSettingsSchema,
      what: `sport settings ${settingsId} of athlete ${athleteId}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- activities

  listActivities(
    athleteId: string,
    params: { oldest: string; newest?: string; limit?: number },
    signal?: AbortSignal,
  ) {
    return this.get(`/athlete/${seg(athleteId)}/activities`, {
      query: params,
      schema: z.array(ActivitySchema),
      what: `activities of athlete ${athleteId}`,
      signal,
    });
  }

  getActivity(activityId: string, opts: { intervals?: boolean } = {}, signal?: AbortSignal) {
    return this.get(`/activity/${seg(activityId)}`, {
      query: { intervals: opts.intervals ?? false },
      schema: ActivitySchema,
      what: `activity ${activityId}`,
      signal,
    });
  }

  getActivityIntervals(activityId: string, signal?: AbortSignal) {
    return this.get(`/activity/${seg(activityId)}/intervals`, {
      schema: IntervalsDtoSchema,
      what: `intervals of activity ${activityId}`,
      signal,
    });
  }

  getStreams(activityId: string, types: readonly string[], signal?: AbortSignal) {
    return this.get(`/activity/${seg(activityId)}/streams`, {
      query: { types },
      schema: z.array(ActivityStreamSchema),
      what: `streams of activity ${activityId}`,
      signal,
    });
  }

  getBestEfforts(
    activityId: string,
    params: { stream: string; duration?: number; distance?: number; count?: number },
    signal?: AbortSignal,
  ) {
    return this.get(`/activity/${seg(activityId)}/best-efforts`, {
      query: params,
      schema: BestEffortsSchema,
      what: `best efforts of activity ${activityId}`,
      signal,
    });
  }

  searchActivities(athleteId: string, params: { q: string; limit?: number }, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/activities/search`, {
      query: params,
      schema: z.array(ActivitySearchResultSchema),
      what: `activity search of athlete ${athleteId}`,
      signal,
    });
  }

  getCurves(
    athleteId: string,
    kind: 'power' | 'hr' | 'pace',
    params: { type: string; curves: readonly string[] },
    signal?: AbortSignal,
  ) {
    return this.get(`/athlete/${seg(athleteId)}/${kind}-curves`, {
      query: params,
      schema: DataCurveSetSchema,
      what: `${kind} curves of athlete ${athleteId}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- wellness

  listWellness(athleteId: string, params: { oldest: string; newest: string; fields?: readonly string[] }, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/wellness`, {
      query: params,
      schema: z.array(WellnessSchema),
      what: `wellness of athlete ${athleteId}`,
      signal,
    });
  }

  getWellness(athleteId: string, date: string, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/wellness/${seg(date)}`, {
      schema: WellnessSchema,
      what: `wellness of athlete ${athleteId} on ${date}`,
      signal,
    });
  }

  updateWellness(athleteId: string, date: string, body: Record<string, unknown>, signal?: AbortSignal) {
    return this.send('PUT', `/athlete/${seg(athleteId)}/wellness/${seg(date)}`, {
      body,
      schema: WellnessSchema,
      what: `wellness of athlete ${athleteId} on ${date}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- calendar

  listEvents(
    athleteId: string,
    params: { oldest: string; newest: string; category?: readonly string[] },
    signal?: AbortSignal,
  ) {
    return this.get(`/athlete/${seg(athleteId)}/events`, {
      query: params,
      schema: z.array(EventSchema),
      what: `calendar of athlete ${athleteId}`,
      signal,
    });
  }

  getEvent(athleteId: string, eventId: number, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/events/${seg(eventId)}`, {
      schema: EventSchema,
      what: `event ${eventId}`,
      signal,
    });
  }

  createEvent(athleteId: string, body: Record<string, unknown>, signal?: AbortSignal) {
    return this.send('POST', `/athlete/${seg(athleteId)}/events`, {
      body,
      schema: EventSchema,
      what: `new event for athlete ${athleteId}`,
      signal,
    });
  }

  updateEvent(athleteId: string, eventId: number, body: Record<string, unknown>, signal?: AbortSignal) {
    return this.send('PUT', `/athlete/${seg(athleteId)}/events/${seg(eventId)}`, {
      body,
      schema: EventSchema,
      what: `event ${eventId}`,
      signal,
    });
  }

  deleteEvent(athleteId: string, eventId: number, signal?: AbortSignal) {
    return this.send('DELETE', `/athlete/${seg(athleteId)}/events/${seg(eventId)}`, {
      schema: z.unknown(),
      what: `event ${eventId}`,
      signal,
    });
  }

  /** Create or update events keyed by `external_id` (idempotent: a retry never duplicates). */
  upsertEvents(athleteId: string, events: Record<string, unknown>[], signal?: AbortSignal) {
    return this.send('POST', `/athlete/${seg(athleteId)}/events/bulk`, {
      query: { upsert: true },
      body: events,
      schema: z.array(EventSchema),
      what: `bulk upsert of ${events.length} events for athlete ${athleteId}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- library

  listFolders(athleteId: string, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/folders`, {
      schema: z.array(FolderSchema),
      what: `workout library of athlete ${athleteId}`,
      signal,
    });
  }

  listWorkouts(athleteId: string, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/workouts`, {
      schema: z.array(WorkoutSchema),
      what: `library workouts of athlete ${athleteId}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- more endpoints (calendar writes)
  // ---------------------------------------------------------------- more endpoints (analysis)
  // ---------------------------------------------------------------- more endpoints (training, settings, coach)

  // ---------------------------------------------------------------- transport

  private get<T>(path: string, opts: CallOptions<T>): Promise<T> {
    return this.call('GET', path, opts);
  }

  private send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, opts: CallOptions<T>): Promise<T> {
    return this.call(method, path, opts);
  }

  private async call<T>(method: Dispatcher.HttpMethod, path: string, opts: CallOptions<T>): Promise<T> {
    const url = `${this.baseUrl}/api/v1${path}${buildQuery(opts.query)}`;
    const idempotent = method === 'GET';
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const t0 = Date.now();
      let status: number;
      let text: string;
      let retryAfterMs: number | undefined;
      try {
        const res = await request(url, {
          method,
          dispatcher: this.dispatcher,
          headers: {
            authorization: this.authHeader,
            accept: 'application/json',
            'accept-encoding': 'identity',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
          signal: opts.signal,
        });
        status = res.statusCode;
        retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        text = await res.body.text();
      } catch (err) {
        // A cancelled call (the MCP client gave up, or a deadline) rejects with the signal's reason,
        // which may be any value: it is a cancellation whatever it looks like, and never retried.
        const mapped = opts.signal?.aborted ? cancelled(opts.what) : this.mapTransportError(err, opts.what, !idempotent);
        const retryable = idempotent && mapped.kind === 'network';
        if (retryable && (await this.backoff(attempt, started, undefined, opts.signal, opts.what))) {
          this.logger?.debug({ method, path, attempt, err: mapped.message }, 'intervals retry after network error');
          continue;
        }
        this.logger?.warn({ method, path, ms: Date.now() - t0, kind: mapped.kind }, 'intervals request failed');
        throw mapped;
      }
      this.logger?.debug({ method, path, status, ms: Date.now() - t0, attempt }, 'intervals request');
      if (status >= 200 && status < 300) return this.parse(text, opts);
      if (idempotent && RETRYABLE_STATUS.has(status) && (await this.backoff(attempt, started, retryAfterMs, opts.signal, opts.what))) {
        continue;
      }
      throw this.mapStatus(status, text, opts.what, retryAfterMs, !idempotent);
    }
  }

  /** Wait before the next attempt; false when the attempt or time budget is spent. */
  private async backoff(
    attempt: number,
    started: number,
    retryAfterMs: number | undefined,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<boolean> {
    if (attempt >= this.retry.retries) return false;
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) return false;
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    const jittered = Math.round(exp / 2 + this.random() * (exp / 2));
    const delay = Math.max(jittered, retryAfterMs ?? 0);
    if (Date.now() - started + delay > this.retry.budgetMs) return false;
    try {
      await this.sleep(delay, signal);
    } catch (err) {
      if (signal?.aborted) throw cancelled(what);
      throw err;
    }
    return true;
  }

  private parse<T>(text: string, opts: CallOptions<T>): T {
    let json: unknown = null;
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new IntervalsError('upstream', `Intervals.icu sent a response that is not JSON for ${opts.what}.`);
      }
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues[0];
      this.logger?.warn({ what: opts.what, issue: where?.message, path: where?.path }, 'intervals response failed validation');
      throw new IntervalsError(
        'upstream',
        `Intervals.icu sent an unexpected response for ${opts.what} (field ${where?.path.join('.') || '(root)'}: ${where?.message ?? 'invalid'}).`,
      );
    }
    return parsed.data;
  }

  /** `write`: the call changes data; its errors give no retry advice (only the caller knows if a retry is safe). */
  private mapStatus(status: number, text: string, what: string, retryAfterMs: number | undefined, write: boolean): IntervalsError {
    const detail = upstreamDetail(text, this.secrets);
    if (status === 422 && detail && /strava/i.test(detail)) {
      return new IntervalsError(
        'strava',
        `${what} came from Strava: Strava-synced activities are not available through the Intervals.icu API. Sync the device (Garmin, Wahoo, Zwift…) to Intervals.icu directly, or upload the file.`,
        status,
      );
    }
    return errorForStatus(status, what, detail, retryAfterMs, write);
  }

  private mapTransportError(err: unknown, what: string, write: boolean): IntervalsError {
    if (err instanceof IntervalsError) return err;
    const e = err as { name?: string; code?: string; message?: string };
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'UND_ERR_ABORTED') return cancelled(what);
    if (e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT') {
      return new IntervalsError(
        'timeout',
        `Intervals.icu did not answer within ${Math.round(this.timeoutMs / 1000)} s for ${what}.${write ? '' : ' Try again, or ask for a shorter date range.'}`,
      );
    }
    const code = e?.code && RETRYABLE_CODES.has(e.code) ? e.code : (e?.code ?? 'unknown error');
    return new IntervalsError(
      'network',
      `Could not reach Intervals.icu at ${redact(this.baseUrl, this.secrets)} for ${what} (${code}). Check the server's network and INTERVALS_BASE_URL.`,
    );
  }
}
