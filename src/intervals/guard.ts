/**
 * The one guard in front of Intervals.icu, shared by every call and every person.
 *
 * Intervals.icu limits requests per IP (about 10 requests/s with a short burst), so whatever the
 * number of people, credentials or tool calls, the whole process must pace itself as one client:
 *
 * - a token bucket (`ratePerSec`, `burst`) paces request starts; a concurrency cap bounds requests
 *   in flight; both are shared by every `IntervalsClient` built with this guard;
 * - waiting callers queue per credential key and are served round-robin across keys, so one
 *   person's bulk work cannot starve another's single call;
 * - the queue is bounded in length (`maxQueue`) and in waiting time (`maxWaitMs`): a caller who
 *   would wait longer gets "Intervals.icu is limiting us; try again in N s" at once, not a pile-up;
 * - a 429 pauses everyone (honouring Retry-After), not just the call that got it;
 * - retries come out of a shared budget (a fraction of first attempts), so a bad minute upstream
 *   cannot multiply the load;
 * - a circuit breaker stops calling after `breakerFailures` server errors in a row and lets one
 *   probe through after `breakerCooldownMs`;
 * - it owns the one undici dispatcher (keep-alive pool) that every client uses.
 *
 * Time comes from an injectable clock, so tests run the scheduler on virtual time.
 */
import { Agent, type Dispatcher } from 'undici';
import { IntervalsError } from './errors.js';

export interface Clock {
  now(): number;
  /** Resolve after `ms`; reject with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal!.reason);
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface GuardOptions {
  /** Request starts per second (the per-IP limit). */
  ratePerSec: number;
  /** Requests that may start back to back after a quiet spell. */
  burst: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
  /** Callers waiting at once; one more gets the "limiting us" error. */
  maxQueue: number;
  /** Longest a caller may wait for its turn. */
  maxWaitMs: number;
  /** Shared retry budget: each first attempt earns this fraction of a retry… */
  retryRatio: number;
  /** …and the budget holds at most this many retries (it starts full). */
  retryBurst: number;
  /** Server errors (5xx, network) in a row that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before one probe goes through. */
  breakerCooldownMs: number;
  /** Pause after a 429 that carries no Retry-After. */
  defaultPauseMs: number;
  /** Per-attempt deadline; also the dispatcher's connect/headers/body idle timeouts. */
  timeoutMs: number;
  /** Largest answer any client reads (after decompression), in bytes. */
  maxResponseBytes: number;
  /** Ask Intervals.icu for gzip: smaller over a real network, a little CPU here. */
  gzip: boolean;
  /** The shared HTTP pool; by default a keep-alive Agent sized to `maxConcurrent`. */
  dispatcher?: Dispatcher;
  clock?: Clock;
}

export const DEFAULT_GUARD: Omit<GuardOptions, 'dispatcher' | 'clock'> = {
  ratePerSec: 10,
  burst: 10,
  maxConcurrent: 8,
  maxQueue: 200,
  maxWaitMs: 20_000,
  retryRatio: 0.2,
  retryBurst: 10,
  breakerFailures: 8,
  breakerCooldownMs: 15_000,
  defaultPauseMs: 1_000,
  timeoutMs: 30_000,
  maxResponseBytes: 4 * 1024 * 1024,
  gzip: true,
};

/** How an attempt ended, as far as pacing and the circuit are concerned. */
export type Outcome =
  | { kind: 'ok' }
  /** 429: everyone pauses for `retryAfterMs` (or the default pause). */
  | { kind: 'rate_limited'; retryAfterMs?: number | undefined }
  /** 5xx, connection failures, deadlines: counts toward opening the circuit. */
  | { kind: 'server_error' }
  /** Neither (4xx, cancelled by the caller): no effect. */
  | { kind: 'neutral' };

export interface Permit {
  /** Report how the attempt ended and give the slot back. Idempotent. */
  release(outcome: Outcome): void;
}

interface Waiter {
  key: string;
  enqueuedAt: number;
  resolve(p: Permit): void;
  reject(e: unknown): void;
  cleanup(): void;
}

export interface GuardStats {
  granted: number;
  rejectedBusy: number;
  rejectedOpen: number;
  rateLimited: number;
  retriesGranted: number;
  retriesDenied: number;
  active: number;
  queued: number;
}

/** A Retry-After longer than this (a misbehaving proxy) pauses everyone for this long only. */
const MAX_PAUSE_MS = 120_000;

const limitingError = (waitMs: number) =>
  new IntervalsError(
    'rate_limited',
    `Intervals.icu is limiting us; try again in ${Math.max(1, Math.ceil(waitMs / 1000))} s.`,
    undefined,
    Math.max(1000, Math.ceil(waitMs / 1000) * 1000),
  );

export class IntervalsGuard {
  readonly options: Omit<GuardOptions, 'dispatcher' | 'clock'>;
  readonly dispatcher: Dispatcher;
  readonly clock: Clock;
  private readonly ownsDispatcher: boolean;

  private tokens: number;
  private refilledAt: number;
  private active = 0;
  private pausedUntil = 0;
  private retryTokens: number;
  private failures = 0;
  private openUntil = 0;
  private probing = false;
  /** Waiters per key, and the round-robin order of keys that have waiters. */
  private readonly queues = new Map<string, Waiter[]>();
  private readonly order: string[] = [];
  private queued = 0;
  private timerAt = Number.POSITIVE_INFINITY;
  private timerAbort: AbortController | undefined;
  private closed = false;
  private readonly counts = { granted: 0, rejectedBusy: 0, rejectedOpen: 0, rateLimited: 0, retriesGranted: 0, retriesDenied: 0 };

  /** A snapshot of the counters, with the requests in flight and the callers waiting right now. */
  get stats(): GuardStats {
    return { ...this.counts, active: this.active, queued: this.queued };
  }

  constructor(opts: Partial<GuardOptions> = {}) {
    const { dispatcher, clock, ...rest } = opts;
    this.options = { ...DEFAULT_GUARD, ...stripUndefined(rest) };
    for (const [k, v] of Object.entries(this.options)) {
      if (typeof v === 'boolean') continue;
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`guard option ${k} must be a non-negative number`);
    }
    if (this.options.ratePerSec <= 0 || this.options.maxConcurrent < 1 || this.options.burst < 1) {
      throw new RangeError('guard options ratePerSec, burst and maxConcurrent must be positive');
    }
    this.clock = clock ?? realClock;
    this.tokens = this.options.burst;
    this.refilledAt = this.clock.now();
    this.retryTokens = this.options.retryBurst;
    this.ownsDispatcher = !dispatcher;
    const t = this.options.timeoutMs;
    this.dispatcher =
      dispatcher ??
      new Agent({
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
        connections: this.options.maxConcurrent,
        connect: { timeout: Math.min(10_000, t) },
        headersTimeout: t,
        bodyTimeout: t,
      });
  }

  /**
   * Wait for a turn to send one request for credential `key`. Rejects at once with a rate_limited
   * IntervalsError when the wait would exceed `maxWaitMs` or the queue is full, with an upstream
   * error while the circuit is open, and with the signal's reason when the caller gives up.
   */
  acquire(key: string, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new IntervalsError('network', 'The server is shutting down; no more calls to Intervals.icu.'));
    const now = this.clock.now();
    this.refill(now);
    if (this.openUntil > now) {
      this.counts.rejectedOpen++;
      return Promise.reject(this.openError(this.openUntil - now));
    }
    if (this.queued === 0 && this.canStart(now)) return Promise.resolve(this.grant());
    if (this.queued >= this.options.maxQueue) {
      this.counts.rejectedBusy++;
      return Promise.reject(limitingError(this.estimateWait(now, this.queued)));
    }
    const estimate = this.estimateWait(now, this.queued);
    if (estimate > this.options.maxWaitMs) {
      this.counts.rejectedBusy++;
      return Promise.reject(limitingError(estimate));
    }
    return new Promise<Permit>((resolve, reject) => {
      const onAbort = () => {
        this.remove(waiter);
        reject(signal!.reason);
        this.pump();
      };
      const waiter: Waiter = {
        key,
        enqueuedAt: now,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let q = this.queues.get(key);
      if (!q) {
        q = [];
        this.queues.set(key, q);
        this.order.push(key);
      }
      q.push(waiter);
      this.queued++;
      this.pump();
    });
  }

  /** May this call retry? Takes one retry from the shared budget when it may. */
  tryRetry(): boolean {
    if (this.retryTokens >= 1) {
      this.retryTokens -= 1;
      this.counts.retriesGranted++;
      return true;
    }
    this.counts.retriesDenied++;
    return false;
  }

  /** Milliseconds until everyone may send again after a 429 (0 when not paused). */
  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }

  /** Stop handing out turns; reject waiters; close the pool if this guard created it (cutting requests still out). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timerAbort?.abort();
    for (const key of [...this.order]) {
      for (const w of this.queues.get(key) ?? []) {
        w.cleanup();
        w.reject(new IntervalsError('network', 'The server is shutting down; the call to Intervals.icu was not sent.'));
      }
    }
    this.queues.clear();
    this.order.length = 0;
    this.queued = 0;
    if (!this.ownsDispatcher) return;
    // Shutdown comes after the HTTP drain: a request still out now has nobody left to answer, so it
    // is cut rather than waited for (a stalled upstream would otherwise hold the exit for its deadline).
    if (this.active > 0) await this.dispatcher.destroy();
    else await this.dispatcher.close();
  }

  // ------------------------------------------------------------------------------------------

  private refill(now: number) {
    const elapsed = now - this.refilledAt;
    if (elapsed > 0) {
      this.tokens = Math.min(this.options.burst, this.tokens + (elapsed * this.options.ratePerSec) / 1000);
      this.refilledAt = now;
    }
  }

  private canStart(now: number): boolean {
    if (this.closed || this.pausedUntil > now || this.active >= this.options.maxConcurrent || this.tokens < 1) return false;
    if (this.openUntil > now) return false;
    // Half-open: after the cooldown one probe goes through; the rest wait for its answer.
    if (this.failures >= this.options.breakerFailures && this.probing) return false;
    return true;
  }

  /** Rough time until the caller behind `ahead` others may start (pause, then token pacing). */
  private estimateWait(now: number, ahead: number): number {
    const pause = Math.max(0, this.pausedUntil - now);
    const needed = ahead + 1 - Math.floor(this.tokens);
    const pacing = needed > 0 ? (needed * 1000) / this.options.ratePerSec : 0;
    return pause + pacing;
  }

  private grant(): Permit {
    this.tokens -= 1;
    this.active++;
    this.counts.granted++;
    this.retryTokens = Math.min(this.options.retryBurst, this.retryTokens + this.options.retryRatio);
    const probe = this.failures >= this.options.breakerFailures;
    if (probe) this.probing = true;
    let released = false;
    return {
      release: (outcome: Outcome) => {
        if (released) return;
        released = true;
        this.active--;
        if (probe) this.probing = false;
        this.record(outcome);
        this.pump();
      },
    };
  }

  private record(outcome: Outcome) {
    const now = this.clock.now();
    switch (outcome.kind) {
      case 'ok':
        this.failures = 0;
        this.openUntil = 0;
        return;
      case 'rate_limited': {
        this.counts.rateLimited++;
        const pause = Math.min(outcome.retryAfterMs ?? this.options.defaultPauseMs, MAX_PAUSE_MS);
        this.pausedUntil = Math.max(this.pausedUntil, now + pause);
        // The bucket restarts empty after a pause: no burst straight into a limiter that just said no.
        this.tokens = Math.min(this.tokens, 0);
        this.refilledAt = Math.max(this.refilledAt, this.pausedUntil);
        this.expireWaiters(now);
        return;
      }
      case 'server_error':
        this.failures++;
        if (this.failures >= this.options.breakerFailures) {
          this.openUntil = now + this.options.breakerCooldownMs;
          this.rejectAllWaiters(() => this.openError(this.openUntil - now));
        }
        return;
      case 'neutral':
        return;
    }
  }

  private openError(ms: number) {
    return new IntervalsError(
      'upstream',
      `Intervals.icu has failed ${this.failures} times in a row, so the server is pausing its calls; try again in ${Math.max(1, Math.ceil(ms / 1000))} s.`,
      undefined,
      ms,
    );
  }

  /** Give turns to waiters, round-robin across keys, while the limits allow; else arm one timer. */
  private pump() {
    if (this.closed) return;
    const now = this.clock.now();
    this.refill(now);
    while (this.queued > 0 && this.canStart(now)) {
      const key = this.order.shift()!;
      const q = this.queues.get(key)!;
      const w = q.shift()!;
      if (q.length) this.order.push(key);
      else this.queues.delete(key);
      this.queued--;
      w.cleanup();
      w.resolve(this.grant());
    }
    this.expireWaiters(now);
    if (this.queued > 0) this.arm(now);
  }

  /** Reject waiters who have waited past maxWaitMs or whose wait now clearly exceeds it. */
  private expireWaiters(now: number) {
    if (this.queued === 0) return;
    let ahead = 0;
    for (const key of [...this.order]) {
      const q = this.queues.get(key)!;
      for (const w of [...q]) {
        const waited = now - w.enqueuedAt;
        const remaining = this.estimateWait(now, ahead);
        // Past its deadline, or now certain to pass it (a pause came in): tell the caller at once.
        if (waited >= this.options.maxWaitMs || waited + remaining > this.options.maxWaitMs + 1000 / this.options.ratePerSec) {
          this.remove(w);
          this.counts.rejectedBusy++;
          w.reject(limitingError(remaining));
        } else {
          ahead++;
        }
      }
    }
  }

  private rejectAllWaiters(err: () => unknown) {
    for (const key of [...this.order])
      for (const w of [...(this.queues.get(key) ?? [])]) {
        this.remove(w);
        w.reject(err());
      }
  }

  private remove(w: Waiter) {
    const q = this.queues.get(w.key);
    const i = q ? q.indexOf(w) : -1;
    if (!q || i < 0) return;
    q.splice(i, 1);
    w.cleanup();
    this.queued--;
    if (!q.length) {
      this.queues.delete(w.key);
      const k = this.order.indexOf(w.key);
      if (k >= 0) this.order.splice(k, 1);
    }
  }

  /** One timer for the earliest moment something can change: a token, the pause end, a deadline. */
  private arm(now: number) {
    let at = Math.max(this.pausedUntil, this.openUntil, now);
    if (this.tokens < 1) at = Math.max(at, this.refilledAt + ((1 - this.tokens) * 1000) / this.options.ratePerSec);
    if (this.active >= this.options.maxConcurrent) at = Number.POSITIVE_INFINITY; // a release will pump
    let earliestDeadline = Number.POSITIVE_INFINITY;
    for (const key of this.order) {
      const w = this.queues.get(key)![0];
      if (w) earliestDeadline = Math.min(earliestDeadline, w.enqueuedAt + this.options.maxWaitMs);
    }
    at = Math.min(at, earliestDeadline);
    if (!Number.isFinite(at) || at >= this.timerAt) return;
    this.timerAbort?.abort();
    const ac = new AbortController();
    this.timerAbort = ac;
    this.timerAt = at;
    this.clock.sleep(Math.max(1, Math.ceil(at - now)), ac.signal).then(
      () => {
        if (this.timerAbort !== ac) return;
        this.timerAbort = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      () => {},
    );
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
