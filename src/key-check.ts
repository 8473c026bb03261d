/**
 * "Does the configured key work?": one cheap authenticated call (the configured athlete's profile)
 * and a verdict that names the cause. Used at start, by /readyz (through src/http/readiness.ts) and
 * by `npm run check-key`. Verdicts never contain the key; the short `reason` (served by /readyz)
 * does not contain the upstream URL either.
 */
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
    return {
      ok: false,
      cause: 'check_failed',
      reason: 'the Intervals.icu key check failed',
      message: `Intervals.icu key check failed unexpectedly (${err instanceof Error ? err.name : 'unknown error'})`,
      severity: 'error',
    };
  }
  const status = err.status !== undefined ? ` (${err.status})` : '';
  switch (err.kind) {
    case 'auth':
      return {
        ok: false,
        cause: 'key_rejected',
        reason: 'Intervals.icu rejected the API key (401)',
        message:
          'Intervals.icu rejected INTERVALS_API_KEY (401): copy the key again from Intervals.icu → Settings → Developer Settings (the API key, not the athlete id)',
        severity: 'error',
      };
    case 'forbidden':
      return {
        ok: false,
        cause: 'athlete_forbidden',
        reason: `the API key may not read ${who} (403)`,
        message: `Intervals.icu accepted the key but refused ${who} (403): INTERVALS_ATHLETE_ID must be 0 (the key's owner) or an athlete who shares data with the owner`,
        severity: 'error',
      };
    case 'not_found':
      return {
        ok: false,
        cause: 'athlete_not_found',
        reason: `${who} does not exist on Intervals.icu (404)`,
        message: `Intervals.icu has no athlete ${athleteId} (404): check INTERVALS_ATHLETE_ID (0, or i<digits> from the athlete's profile URL)`,
        severity: 'error',
      };
    case 'rate_limited':
      return {
        ok: false,
        cause: 'rate_limited',
        reason: 'Intervals.icu is rate limiting this server (429)',
        message: `Intervals.icu key check inconclusive: ${err.message}`,
        severity: 'warn',
      };
    case 'network':
      return {
        ok: false,
        cause: 'unreachable',
        reason: 'Intervals.icu is unreachable',
        message: `Intervals.icu key check failed: ${err.message}${where}`,
        severity: 'warn',
      };
    case 'timeout':
      return {
        ok: false,
        cause: 'timeout',
        reason: 'Intervals.icu did not answer in time',
        message: `Intervals.icu key check failed: ${err.message}${where}`,
        severity: 'warn',
      };
    default:
      return {
        ok: false,
        cause: 'upstream_error',
        reason: `Intervals.icu failed${status}`,
        message: `Intervals.icu key check failed${status}: ${err.message}`,
        severity: 'warn',
      };
  }
}
