/**
 * Readiness: does the server's Intervals.icu key work? One cheap authenticated call at start and
 * then at most once per cache period, however often /readyz is asked (concurrent asks share the
 * call in flight). The outcome is logged as one line when it first becomes known and again only
 * when it changes, so a wrong key is one clear line, not one per probe.
 */
import type { Logger } from '../logger.js';

/** What a probe found. `reason` is short and safe for an unauthenticated client; `message` is the log line. */
export interface UpstreamVerdict {
  ok: boolean;
  /** A stable, machine-readable cause (`key_rejected`, `unreachable`, …); absent when ok. */
  cause?: string;
  reason: string;
  message: string;
  /** Log level for a failure: a wrong key is an error, a network blip a warning. */
  severity?: 'error' | 'warn';
}

export interface ReadinessOptions {
  /** The cheap authenticated call; must honour the signal. */
  probe: (signal: AbortSignal) => Promise<UpstreamVerdict>;
  cacheMs: number;
  /** A probe is cut after this long and counts as a timeout. */
  timeoutMs: number;
  logger: Logger;
  now?: () => number;
}

export class UpstreamReadiness {
  readonly #opts: ReadinessOptions;
  readonly #now: () => number;
  #cached: { verdict: UpstreamVerdict; at: number } | undefined;
  #pending: Promise<UpstreamVerdict> | undefined;
  #lastLogged: string | undefined;

  constructor(opts: ReadinessOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  /** The cached verdict while fresh, otherwise a new probe (shared by concurrent callers). */
  check(): Promise<UpstreamVerdict> {
    const c = this.#cached;
    if (c && this.#now() - c.at < this.#opts.cacheMs) return Promise.resolve(c.verdict);
    this.#pending ??= this.#run().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #run(): Promise<UpstreamVerdict> {
    const { probe, timeoutMs, logger } = this.#opts;
    const signal = AbortSignal.timeout(timeoutMs);
    let verdict: UpstreamVerdict;
    try {
      verdict = await probe(signal);
    } catch (err) {
      verdict = signal.aborted
        ? timedOut(timeoutMs)
        : {
            ok: false,
            cause: 'check_failed',
            reason: 'the Intervals.icu key check failed',
            message: `Intervals.icu key check failed: ${err instanceof Error ? err.name : 'unknown error'}`,
            severity: 'warn',
          };
    }
    this.#cached = { verdict, at: this.#now() };
    const key = verdict.ok ? 'ok' : (verdict.cause ?? verdict.reason);
    if (key !== this.#lastLogged) {
      this.#lastLogged = key;
      if (verdict.ok) logger.info({ upstream: 'ok' }, verdict.message);
      else logger[verdict.severity ?? 'warn']({ upstream: verdict.cause ?? 'failed' }, verdict.message);
    }
    return verdict;
  }
}

export function timedOut(timeoutMs: number): UpstreamVerdict {
  const within = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
  return {
    ok: false,
    cause: 'timeout',
    reason: `Intervals.icu did not answer within ${within}`,
    message: `Intervals.icu key check failed: no answer within ${within}; check the server's network and INTERVALS_BASE_URL`,
    severity: 'warn',
  };
}
