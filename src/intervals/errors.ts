/**
 * Typed errors for everything that can go wrong talking to Intervals.icu. Messages are written for
 * the person (or model) reading the tool result: they say what happened and what to do, and they
 * never contain the API key, the Authorization header or a raw upstream body that could echo them.
 */

export type IntervalsErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'validation'
  /** Any other 4xx: Intervals.icu refused this request; repeating it unchanged will not help. */
  | 'rejected'
  | 'upstream'
  | 'timeout'
  | 'network'
  | 'strava';

export class IntervalsError extends Error {
  override name = 'IntervalsError';
  constructor(
    readonly kind: IntervalsErrorKind,
    message: string,
    readonly status?: number,
    /** Milliseconds the server asked us to wait (429/503 Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const MAX_DETAIL = 200;

/** Pull a short, safe detail out of an upstream error body (`{"status":422,"error":"Name is too long"}`). */
export function upstreamDetail(body: string, secrets: readonly string[]): string | undefined {
  let detail: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === 'object') {
      const o = first as Record<string, unknown>;
      const e = o.error ?? o.message;
      if (typeof e === 'string') detail = e;
    }
  } catch {
    // Not JSON (a proxy's HTML or plain text): do not echo it, it says nothing useful.
  }
  if (!detail) return undefined;
  return redact(detail, secrets).slice(0, MAX_DETAIL);
}

/** Replace every occurrence of any secret (and its Basic-auth encoding) with a marker. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of [s, Buffer.from(`API_KEY:${s}`).toString('base64')]) out = out.split(form).join('[redacted]');
  }
  return out;
}

const REASONS: Record<number, string> = {
  405: 'method not allowed',
  406: 'not acceptable',
  408: 'request timeout',
  409: 'conflict',
  410: 'gone',
  413: 'request too large',
  414: 'URL too long',
  415: 'unsupported media type',
  418: "I'm a teapot",
  451: 'unavailable for legal reasons',
};

export function errorForStatus(
  status: number,
  what: string,
  detail: string | undefined,
  retryAfterMs: number | undefined,
  /** A write: no "try again" advice, since whether a retry is safe depends on the write. */
  write = false,
): IntervalsError {
  const d = detail ? ` Intervals.icu said: "${detail}".` : '';
  switch (true) {
    case status === 401:
      return new IntervalsError(
        'auth',
        `Intervals.icu rejected the server's API key (401) for ${what}. The operator must set a valid INTERVALS_API_KEY (Intervals.icu → Settings → Developer).`,
        status,
      );
    case status === 403:
      return new IntervalsError(
        'forbidden',
        `Intervals.icu denied access (403) for ${what}. The key's owner can only read their own data and athletes they coach or follow; check the athlete id.${d}`,
        status,
      );
    case status === 404:
      return new IntervalsError('not_found', `Not found on Intervals.icu (404): ${what}. Check the id.`, status);
    case status === 429:
      return new IntervalsError(
        'rate_limited',
        `Intervals.icu is rate limiting requests (429) for ${what}${retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : '; wait a few seconds and retry'}.`,
        status,
        retryAfterMs,
      );
    case status === 400 || status === 422:
      return new IntervalsError('validation', `Intervals.icu rejected the request (${status}) for ${what}.${d}`, status);
    case status >= 400 && status < 500:
      return new IntervalsError(
        'rejected',
        `Intervals.icu rejected the request (${status}${REASONS[status] ? ` ${REASONS[status]}` : ''}) for ${what}.${d} Repeating it unchanged will not help.`,
        status,
      );
    default:
      return new IntervalsError(
        'upstream',
        `Intervals.icu failed (${status}) for ${what}.${d}${write ? '' : " This is on Intervals.icu's side; try again shortly."}`,
        status,
        retryAfterMs,
      );
  }
}
