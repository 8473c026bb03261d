/**
 * The typed Intervals.icu client: the only code in the project that does HTTP to Intervals.icu.
 *
 * - every attempt goes through the shared `IntervalsGuard` (pacing, concurrency cap, fair queue
 *   per credential, shared 429 pause, retry budget, circuit breaker) and its one undici pool;
 *   many clients (one per credential) share one guard;
 * - identical concurrent GETs are coalesced and hot reads optionally cached (`UpstreamCache`),
 *   keyed by a fingerprint of the credential (never the credential itself) and the athlete;
 * - HTTP Basic auth with the server-held key (`API_KEY:<key>`), which never appears in an error;
 * - a total deadline per attempt (combined with the caller's signal) and a cap on the response size
 *   (streamed: a body past the cap is cut off, not buffered); gzip accepted and decompressed under
 *   the same cap;
 * - retries only for GETs, on 429/502/503/504 and transient connection errors (never on DNS or TLS
 *   failures, which are configuration), with full-jitter exponential backoff that honours
 *   Retry-After, bounded in attempts, in total time and by the guard's shared budget;
 * - the activity and wellness lists ask only for the fields the tools read (`fields=`);
 * - responses validated with zod at the boundary (loose objects: the API adds fields);
 * - errors mapped to IntervalsError kinds with actionable messages, never showing the base URL.
 */
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Dispatcher, request } from 'undici';
import * as z from 'zod';
import type { Logger } from '../logger.js';
import { UpstreamCache } from './cache.js';
import { errorForStatus, IntervalsError, redact, upstreamDetail } from './errors.js';
import { fingerprint } from './fingerprint.js';
import { type Clock, DEFAULT_GUARD, type GuardOptions, IntervalsGuard, type Outcome, type Permit, realClock } from './guard.js';
import {
  ACTIVITY_LIST_FIELDS,
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
  STRAVA_FIX,
  STRAVA_REASON,
  WELLNESS_LIST_FIELDS,
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
  /** The credential: exactly one of an API key (HTTP Basic `API_KEY:<key>`)… */
  apiKey?: string | undefined;
  /** …or an OAuth access token (`Authorization: Bearer`). */
  bearerToken?: string | undefined;
  baseUrl?: string;
  /** Default athlete for athlete-scoped calls (`0` = the key's owner). */
  athleteId?: string;
  /** Total deadline of one attempt (headers and body), in ms (default: the guard's). */
  timeoutMs?: number;
  /**
   * The guard (with its HTTP pool) and read cache shared with other clients (`createUpstream`):
   * clients for different credentials should share one pair. A client without it makes its own
   * from `limits`, `timeoutMs`, `dispatcher` and `clock`, and closes it with itself.
   */
  shared?: Upstream;
  /** Used only when the client makes its own guard and cache: the pool… */
  dispatcher?: Dispatcher;
  /** …and the guard's limits and the cache's TTL. */
  limits?: UpstreamLimits;
  retry?: Partial<RetryPolicy>;
  /** Override the guard's response size cap (bytes, after decompression) for this client. */
  maxResponseBytes?: number;
  /** Override the guard's gzip setting for this client. */
  gzip?: boolean;
  logger?: Logger;
  /** Injected for tests: time (shared with a guard the client makes itself), sleep and jitter. */
  clock?: Clock;
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

/** Limits as configured (`intervals.limits`): the guard's, plus the read cache's TTL. */
export type UpstreamLimits = Partial<Omit<GuardOptions, 'dispatcher' | 'clock'>> & { cacheTtlMs?: number };

/** What every client of a process shares: the one guard (and its pool) and the one read cache. */
export interface Upstream {
  readonly guard: IntervalsGuard;
  readonly cache: UpstreamCache;
}

/** The guard and read cache from the configured limits (a client's own, or the router's for everyone). */
export function createUpstream(
  limits: UpstreamLimits,
  hooks: { dispatcher?: Dispatcher | undefined; clock?: Clock | undefined } = {},
): Upstream {
  const { cacheTtlMs, ...guardLimits } = limits;
  const clock = hooks.clock ? { clock: hooks.clock } : {};
  return {
    guard: new IntervalsGuard({ ...guardLimits, ...(hooks.dispatcher ? { dispatcher: hooks.dispatcher } : {}), ...clock }),
    cache: new UpstreamCache({ ...(cacheTtlMs !== undefined ? { ttlMs: cacheTtlMs } : {}), ...clock }),
  };
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Transient connection failures: retried (GETs only). Any other transport error is not. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);
/** Name resolution failures: the host in INTERVALS_BASE_URL is wrong or DNS is down. Not retried. */
export const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
/** Certificate and TLS handshake failures: configuration (or interception), never retried. */
export const isTlsCode = (code: string) =>
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/.test(code) ||
  code === 'EPROTO' ||
  code === 'HOSTNAME_MISMATCH';
const MAX_RETRY_AFTER_MS = 30_000;
/** Error bodies are read only this far (enough for the detail message). */
const MAX_ERROR_BODY = 16 * 1024;

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 4_000, budgetMs: 20_000 };

/** The transport error's code, looking through wrappers: a DNS or TLS code anywhere wins. */
export function errorCode(err: unknown): string | undefined {
  const codes: string[] = [];
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && typeof e === 'object' && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes.find((c) => DNS_CODES.has(c) || isTlsCode(c)) ?? codes[0];
}

const mib = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MB`;
const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

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

const lists = new WeakMap<z.ZodType, z.ZodType>();
/** `z.array(item)`, built once per item schema instead of on every call (it showed in the profile). */
function listOf<T extends z.ZodType>(item: T): z.ZodArray<T> {
  let list = lists.get(item) as z.ZodArray<T> | undefined;
  if (!list) {
    list = z.array(item);
    lists.set(item, list);
  }
  return list;
}
const cancelled = (what: string) => new IntervalsError('timeout', `The request for ${what} was cancelled.`);

/** One attempt's raw result. */
interface Raw {
  status: number;
  text: string;
  retryAfterMs: number | undefined;
}

class TooLarge extends Error {}

export class IntervalsClient {
  readonly baseUrl: string;
  readonly defaultAthleteId: string;
  /** Fingerprint of the credential: the fair-queue key and the cache scope. Safe to log. */
  readonly credentialKey: string;
  readonly guard: IntervalsGuard;
  readonly cache: UpstreamCache;
  private readonly authHeader: string;
  private readonly secrets: string[];
  private readonly ownsGuard: boolean;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly gzip: boolean;
  /** Request headers, built once: a read's, and a write's (with a JSON body). */
  private readonly headers: Readonly<Record<string, string>>;
  private readonly jsonHeaders: Readonly<Record<string, string>>;
  /** Every line it logs names the credential (by fingerprint), whichever mode built the client. */
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(opts: IntervalsClientOptions) {
    this.baseUrl = (opts.baseUrl ?? 'https://intervals.icu').replace(/\/+$/, '');
    this.defaultAthleteId = opts.athleteId ?? '0';
    const secret = opts.bearerToken ?? opts.apiKey;
    if (!secret || (opts.bearerToken !== undefined && opts.apiKey !== undefined)) {
      throw new TypeError('IntervalsClient needs exactly one of apiKey and bearerToken');
    }
    this.authHeader =
      opts.bearerToken !== undefined ? `Bearer ${opts.bearerToken}` : `Basic ${Buffer.from(`API_KEY:${opts.apiKey}`).toString('base64')}`;
    this.credentialKey = opts.bearerToken !== undefined ? fingerprint('bearer', opts.bearerToken) : fingerprint('api_key', secret);
    this.secrets = [secret];
    this.timeoutMs = opts.timeoutMs ?? opts.shared?.guard.options.timeoutMs ?? opts.limits?.timeoutMs ?? DEFAULT_GUARD.timeoutMs;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.logger = opts.logger;
    this.clock = opts.clock ?? (opts.sleep ? { now: realClock.now, sleep: opts.sleep } : realClock);
    this.sleep = opts.sleep ?? ((ms, signal) => this.clock.sleep(ms, signal));
    this.random = opts.random ?? Math.random;
    this.ownsGuard = !opts.shared;
    ({ guard: this.guard, cache: this.cache } = opts.shared ?? createUpstream({ ...opts.limits, timeoutMs: this.timeoutMs }, opts));
    this.maxResponseBytes = opts.maxResponseBytes ?? this.guard.options.maxResponseBytes;
    this.gzip = opts.gzip ?? this.guard.options.gzip;
    this.headers = { authorization: this.authHeader, accept: 'application/json', 'accept-encoding': this.gzip ? 'gzip' : 'identity' };
    this.jsonHeaders = { ...this.headers, 'content-type': 'application/json' };
  }

  /** Close the guard and its pool if this client made them; a shared guard belongs to its owner. */
  async close(): Promise<void> {
    if (this.ownsGuard) await this.guard.close();
  }

  // ---------------------------------------------------------------- athlete and settings

  getAthlete(athleteId = this.defaultAthleteId, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}`, { schema: AthleteSchema, what: `athlete ${athleteId}`, signal });
  }

  listSportSettings(athleteId = this.defaultAthleteId, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/sport-settings`, {
      schema: listOf(SportSettingsSchema),
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

  /** `fields`: what to ask for (default: the fields the tools read); `'all'` for the whole record. */
  listActivities(
    athleteId: string,
    params: { oldest: string; newest?: string; limit?: number; fields?: readonly string[] | 'all' },
    signal?: AbortSignal,
  ) {
    const { fields = ACTIVITY_LIST_FIELDS, ...rest } = params;
    return this.get(`/athlete/${seg(athleteId)}/activities`, {
      query: { ...rest, fields: fields === 'all' ? undefined : fields },
      schema: listOf(ActivitySchema),
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
      schema: listOf(ActivityStreamSchema),
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
      schema: listOf(ActivitySearchResultSchema),
      what: `activity search of athlete ${athleteId}`,
      signal,
    });
  }

  getCurves(athleteId: string, kind: 'power' | 'hr' | 'pace', params: { type: string; curves: readonly string[] }, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/${kind}-curves`, {
      query: params,
      schema: DataCurveSetSchema,
      what: `${kind} curves of athlete ${athleteId}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- wellness

  /** `fields`: what to ask for (default: the fields the tools read); `'all'` for the whole record. */
  listWellness(athleteId: string, params: { oldest: string; newest: string; fields?: readonly string[] | 'all' }, signal?: AbortSignal) {
    const { fields = WELLNESS_LIST_FIELDS, ...rest } = params;
    return this.get(`/athlete/${seg(athleteId)}/wellness`, {
      query: { ...rest, fields: fields === 'all' ? undefined : fields },
      schema: listOf(WellnessSchema),
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

  listEvents(athleteId: string, params: { oldest: string; newest: string; category?: readonly string[] }, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/events`, {
      query: params,
      schema: listOf(EventSchema),
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
      schema: listOf(EventSchema),
      what: `bulk upsert of ${events.length} events for athlete ${athleteId}`,
      signal,
    });
  }

  // ---------------------------------------------------------------- library

  listFolders(athleteId: string, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/folders`, {
      schema: listOf(FolderSchema),
      what: `workout library of athlete ${athleteId}`,
      signal,
    });
  }

  listWorkouts(athleteId: string, signal?: AbortSignal) {
    return this.get(`/athlete/${seg(athleteId)}/workouts`, {
      schema: listOf(WorkoutSchema),
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
    // The athlete the call is about (from the path): scopes the read cache, and what a write invalidates.
    const athlete = /^\/athlete\/([^/]+)/.exec(path)?.[1] ?? '';
    if (method === 'GET') {
      const key = UpstreamCache.key(this.credentialKey, athlete, url);
      const text = await this.cache
        .read(key, { credential: this.credentialKey, athlete }, (shared) => this.exchange(method, path, url, opts, shared), opts.signal)
        .catch((err: unknown) => {
          // This caller gave up while others may still be waiting on the shared request.
          if (opts.signal?.aborted && !(err instanceof IntervalsError)) throw cancelled(opts.what);
          throw err;
        });
      return this.parse(text, opts);
    }
    try {
      return this.parse(await this.exchange(method, path, url, opts, opts.signal), opts);
    } finally {
      // Whatever the outcome (a failed write may still have landed), reads of this athlete start fresh.
      this.cache.invalidate(this.credentialKey, athlete);
    }
  }

  /** Attempts (with retries for GETs) until a 2xx body, or the mapped error. */
  private async exchange<T>(
    method: Dispatcher.HttpMethod,
    path: string,
    url: string,
    opts: CallOptions<T>,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const idempotent = method === 'GET';
    const started = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      let permit: Permit;
      try {
        permit = await this.guard.acquire(this.credentialKey, signal);
      } catch (err) {
        if (signal?.aborted) throw cancelled(opts.what);
        throw err;
      }
      const t0 = this.clock.now();
      let raw: Raw;
      try {
        raw = await this.attempt(method, url, opts, signal);
      } catch (err) {
        const { error, retryable, outcome } = this.classifyFailure(err, opts.what, !idempotent, signal);
        permit.release(outcome);
        if (idempotent && retryable && (await this.backoff(attempt, started, undefined, signal, opts.what))) {
          this.logger?.debug(
            { credential: this.credentialKey, method, path, attempt, err: error.message },
            'intervals retry after network error',
          );
          continue;
        }
        this.logger?.warn(
          { credential: this.credentialKey, method, path, ms: this.clock.now() - t0, kind: error.kind },
          'intervals request failed',
        );
        throw error;
      }
      const { status } = raw;
      permit.release(
        status === 429
          ? { kind: 'rate_limited', retryAfterMs: raw.retryAfterMs }
          : status >= 500
            ? { kind: 'server_error' }
            : { kind: 'ok' },
      );
      this.logger?.debug({ credential: this.credentialKey, method, path, status, ms: this.clock.now() - t0, attempt }, 'intervals request');
      if (status >= 200 && status < 300) return raw.text;
      if (idempotent && RETRYABLE_STATUS.has(status) && (await this.backoff(attempt, started, raw.retryAfterMs, signal, opts.what))) {
        continue;
      }
      throw this.mapStatus(status, raw.text, opts.what, raw.retryAfterMs, !idempotent);
    }
  }

  /** One request under a total deadline, its body streamed under the size cap. */
  private async attempt<T>(
    method: Dispatcher.HttpMethod,
    url: string,
    opts: CallOptions<T>,
    signal: AbortSignal | undefined,
  ): Promise<Raw> {
    // One controller per attempt, aborted by the deadline or by the caller: cheaper than
    // AbortSignal.timeout + AbortSignal.any (a composite signal per attempt showed in the profile).
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new DeadlineExceeded());
    }, this.timeoutMs);
    timer.unref();
    const onAbort = () => ac.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await request(url, {
        method,
        dispatcher: this.guard.dispatcher,
        headers: opts.body !== undefined ? this.jsonHeaders : this.headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: ac.signal,
      });
      const status = res.statusCode;
      const ok = status >= 200 && status < 300;
      const text = await this.readBody(res, ok ? this.maxResponseBytes : MAX_ERROR_BODY, !ok);
      return { status, text, retryAfterMs: parseRetryAfter(res.headers['retry-after']) };
    } catch (err) {
      if (timedOut && !signal?.aborted) throw new DeadlineExceeded();
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Read a body without ever holding more than `max` bytes of it (compressed or not). A declared
   * length over the cap is refused before reading; a streamed body is cut off as soon as it passes
   * the cap. `truncate`: keep the first `max` bytes instead of failing (error bodies).
   */
  private async readBody(res: Dispatcher.ResponseData, max: number, truncate: boolean): Promise<string> {
    const body = res.body as unknown as Readable;
    const encoding = String(res.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    const declared = Number(res.headers['content-length']);
    if (!truncate && Number.isFinite(declared) && declared > max) {
      body.destroy();
      throw new TooLarge(`${declared}`);
    }
    let source: Readable = body;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate' || encoding === 'br') {
      const inflate = encoding === 'br' ? createBrotliDecompress() : encoding === 'deflate' ? createInflate() : createGunzip();
      source = pipeline(body, inflate, () => {});
    } else if (encoding !== 'identity' && encoding !== '') {
      body.destroy();
      throw new IntervalsError('upstream', `Intervals.icu answered in an encoding the server does not read (${encoding.slice(0, 20)}).`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let cut = false;
    try {
      for await (const chunk of source) {
        const buf = chunk as Buffer;
        if (total + buf.length > max) {
          if (truncate) {
            chunks.push(buf.subarray(0, max - total));
            total = max;
            cut = true;
            break;
          }
          throw new TooLarge(`${total + buf.length}`);
        }
        chunks.push(buf);
        total += buf.length;
      }
    } catch (err) {
      source.destroy();
      body.destroy();
      if (err instanceof TooLarge) throw err;
      if ((err as { code?: string }).code?.startsWith('Z_')) {
        throw new IntervalsError('upstream', 'Intervals.icu sent a compressed answer that does not decompress.');
      }
      throw err;
    }
    // Only a body cut short is dropped (with its connection); one read to the end goes back to the pool.
    if (cut) {
      source.destroy();
      body.destroy();
    }
    return Buffer.concat(chunks, total).toString('utf8');
  }

  /** Wait before the next attempt; false when the attempt, time or shared budget is spent. */
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
    if (this.clock.now() - started + delay > this.retry.budgetMs) return false;
    if (!this.guard.tryRetry()) return false;
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
      this.logger?.warn(
        { credential: this.credentialKey, what: opts.what, issue: where?.message, path: where?.path },
        'intervals response failed validation',
      );
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
      return new IntervalsError('strava', `${what} came from Strava: ${STRAVA_REASON}. ${STRAVA_FIX}`, status);
    }
    return errorForStatus(status, what, detail, retryAfterMs, write);
  }

  /**
   * What a transport failure means: the error for the caller, whether a GET may retry it, and what
   * it tells the guard. DNS and TLS failures are configuration: not retried, not counted against
   * the circuit, and the message names INTERVALS_BASE_URL (never its value).
   */
  private classifyFailure(
    err: unknown,
    what: string,
    write: boolean,
    signal: AbortSignal | undefined,
  ): { error: IntervalsError; retryable: boolean; outcome: Outcome } {
    // A cancelled call (the MCP client gave up) rejects with the signal's reason, which may be any
    // value: it is a cancellation whatever it looks like, and never retried.
    if (signal?.aborted) return { error: cancelled(what), retryable: false, outcome: { kind: 'neutral' } };
    if (err instanceof TooLarge) {
      return {
        error: new IntervalsError(
          'upstream',
          `Intervals.icu's answer for ${what} is larger than the server accepts (${mib(this.maxResponseBytes)}, INTERVALS_MAX_RESPONSE_BYTES); it was not read.${write ? '' : ' Ask for a shorter date range or fewer streams.'}`,
        ),
        retryable: false,
        outcome: { kind: 'ok' },
      };
    }
    if (err instanceof IntervalsError) return { error: err, retryable: false, outcome: { kind: 'server_error' } };
    const code = errorCode(err);
    if (err instanceof DeadlineExceeded || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return {
        error: new IntervalsError(
          'timeout',
          `Intervals.icu did not answer within ${seconds(this.timeoutMs)} for ${what}.${write ? '' : ' Try again, or ask for a shorter date range.'}`,
        ),
        retryable: false,
        outcome: { kind: 'server_error' },
      };
    }
    const e = err as { name?: string };
    if (e?.name === 'AbortError' || code === 'UND_ERR_ABORTED')
      return { error: cancelled(what), retryable: false, outcome: { kind: 'neutral' } };
    if (code && DNS_CODES.has(code)) {
      return {
        error: new IntervalsError(
          'network',
          `Could not find the Intervals.icu host for ${what} (${code}). The operator should check INTERVALS_BASE_URL and the server's DNS.`,
        ),
        retryable: false,
        outcome: { kind: 'neutral' },
      };
    }
    if (code && isTlsCode(code)) {
      return {
        error: new IntervalsError(
          'network',
          `The secure connection to Intervals.icu failed for ${what} (${code}): its certificate was not accepted. The operator should check INTERVALS_BASE_URL and any proxy in between.`,
        ),
        retryable: false,
        outcome: { kind: 'neutral' },
      };
    }
    const retryable = code !== undefined && RETRYABLE_CODES.has(code);
    return {
      error: new IntervalsError(
        'network',
        redact(
          `Could not reach Intervals.icu for ${what} (${code ?? 'unknown error'}).${write ? '' : retryable ? ' Try again in a moment.' : ''} If it persists, the operator should check the server's network and INTERVALS_BASE_URL.`,
          this.secrets,
        ),
      ),
      retryable,
      outcome: { kind: 'server_error' },
    };
  }
}

class DeadlineExceeded extends Error {}
