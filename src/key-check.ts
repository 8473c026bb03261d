/**
 * "Does the configured key work?": one cheap authenticated call (the configured athlete's profile)
 * and a verdict that names the cause. Used at start, by /readyz (through src/http/readiness.ts) and
 * by `npm run check-key`. Verdicts never contain the key; the short `reason` (served by /readyz)
 * does not contain the upstream URL either.
 */
import type { Config } from './config.js';
import type { UpstreamVerdict } from './http/readiness.js';
import { timedOut } from './http/readiness.js';
import { IntervalsError } from './intervals/errors.js';

export type { UpstreamVerdict };

export interface KeyCheckTarget {
  getAthlete(athleteId?: string, signal?: AbortSignal): Promise<{ id?: unknown; name?: unknown }>;
}

export interface KeyCheckOptions {
  athleteId: string;
  /** Cuts the call; an aborted check is reported as a timeout of `timeoutMs`. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Named in the log line (not in `reason`) when Intervals.icu cannot be reached. */
  baseUrl?: string;
}

/** How long the check of the configured key may take: the upstream timeout, at most 10 s. */
export function keyCheckTimeoutMs(intervals: Pick<Config['intervals'], 'timeoutMs'>): number {
  return Math.min(intervals.timeoutMs, 10_000);
}

/**
 * The check of the configured key (INTERVALS_ATHLETE_ID's profile), made the same way at start,
 * by /readyz and by check-key; `signal` should fire after `keyCheckTimeoutMs`.
 */
export function checkConfiguredKey(
  client: KeyCheckTarget,
  intervals: Pick<Config['intervals'], 'athleteId' | 'baseUrl' | 'timeoutMs'>,
  signal: AbortSignal,
): Promise<UpstreamVerdict> {
  return checkIntervalsKey(client, {
    athleteId: intervals.athleteId,
    signal,
    timeoutMs: keyCheckTimeoutMs(intervals),
    baseUrl: intervals.baseUrl,
  });
}

export async function checkIntervalsKey(client: KeyCheckTarget, opts: KeyCheckOptions): Promise<UpstreamVerdict> {
  const who = opts.athleteId === '0' ? "the key's owner (athlete 0)" : `athlete ${opts.athleteId}`;
  try {
    const athlete = await client.getAthlete(opts.athleteId, opts.signal);
    const id = typeof athlete.id === 'string' || typeof athlete.id === 'number' ? String(athlete.id) : opts.athleteId;
    return {
      ok: true,
      reason: 'Intervals.icu accepted the API key',
      message: `Intervals.icu accepted the API key: it can read ${opts.athleteId === '0' ? `the key's owner (${id})` : `athlete ${id}`}`,
    };
  } catch (err) {
    if (opts.signal?.aborted) return timedOut(opts.timeoutMs ?? 0);
    return describeFailure(err, who, opts);
  }
}

function describeFailure(err: unknown, who: string, opts: KeyCheckOptions): UpstreamVerdict {
  const { athleteId } = opts;
  const where = opts.baseUrl ? ` (INTERVALS_BASE_URL=${opts.baseUrl})` : '';
  if (!(err instanceof IntervalsError)) {
    return failed(
      'check_failed',
      'the Intervals.icu key check failed',
      `Intervals.icu key check failed unexpectedly (${err instanceof Error ? err.name : 'unknown error'})`,
      'error',
    );
  }
  const status = err.status !== undefined ? ` (${err.status})` : '';
  switch (err.kind) {
    case 'auth':
      return failed(
        'key_rejected',
        'Intervals.icu rejected the API key (401)',
        'Intervals.icu rejected INTERVALS_API_KEY (401): copy the key again from Intervals.icu → Settings → Developer Settings (the API key, not the athlete id)',
        'error',
      );
    case 'forbidden':
      return failed(
        'athlete_forbidden',
        `the API key may not read ${who} (403)`,
        `Intervals.icu accepted the key but refused ${who} (403): INTERVALS_ATHLETE_ID must be 0 (the key's owner) or an athlete who shares data with the owner`,
        'error',
      );
    case 'not_found':
      return failed(
        'athlete_not_found',
        `${who} does not exist on Intervals.icu (404)`,
        `Intervals.icu has no athlete ${athleteId} (404): check INTERVALS_ATHLETE_ID (0, or i<digits> from the athlete's profile URL)`,
        'error',
      );
    case 'rate_limited':
      return failed(
        'rate_limited',
        'Intervals.icu is rate limiting this server (429)',
        `Intervals.icu key check inconclusive: ${err.message}`,
      );
    case 'network':
      return failed('unreachable', 'Intervals.icu is unreachable', `Intervals.icu key check failed: ${err.message}${where}`);
    case 'timeout':
      return failed('timeout', 'Intervals.icu did not answer in time', `Intervals.icu key check failed: ${err.message}${where}`);
    default:
      return failed('upstream_error', `Intervals.icu failed${status}`, `Intervals.icu key check failed${status}: ${err.message}`);
  }
}

/** A failed check: a wrong key or athlete is an error; what may pass by itself (rate limit, network) a warning. */
function failed(cause: string, reason: string, message: string, severity: 'error' | 'warn' = 'warn'): UpstreamVerdict {
  return { ok: false, cause, reason, message, severity };
}
