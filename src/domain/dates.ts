/**
 * Local calendar dates (`YYYY-MM-DD`) in the athlete's time zone. Dates are handled as strings and
 * UTC-midnight arithmetic only, never through the host's time zone.
 */
import { InputError } from '../intervals/errors.js';

const DAY_MS = 86_400_000;

export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Today's date in the given IANA time zone. */
export function todayIn(timeZone: string, now: Date): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Monday of the ISO week that holds `date`. */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}

export interface Range {
  oldest: string;
  newest: string;
}

/**
 * Resolve an optional oldest/newest pair against defaults and a maximum span. Backward (history):
 * `newest` defaults to today and `oldest` to `defaultDays` before it. Forward (the calendar):
 * `oldest` defaults to today and `newest` to `defaultDays` after it. The span is checked after
 * the defaults are applied.
 */
export function resolveRange(
  args: { oldest?: string | undefined; newest?: string | undefined },
  today: string,
  opts: { defaultDays: number; maxDays: number; forward?: boolean },
): Range {
  let { oldest, newest } = args;
  if (opts.forward) {
    oldest ??= newest && newest < today ? addDays(newest, -(opts.defaultDays - 1)) : today;
    newest ??= addDays(oldest, opts.defaultDays - 1);
  } else {
    newest ??= oldest && oldest > today ? addDays(oldest, opts.defaultDays - 1) : today;
    oldest ??= addDays(newest, -(opts.defaultDays - 1));
  }
  if (oldest > newest) throw new InputError(`oldest (${oldest}) is after newest (${newest}); swap them.`);
  const span = daysBetween(oldest, newest) + 1;
  if (span > opts.maxDays) {
    throw new InputError(`The range ${oldest}..${newest} is ${span} days; the maximum is ${opts.maxDays}. Ask for a shorter range.`);
  }
  return { oldest, newest };
}

/** The local date of a local date-time (`2026-11-23T07:12:00` → `2026-11-23`). */
export const dayOf = (s: string | null | undefined) => (s ?? '').slice(0, 10);

/** `2026-11-23T07:12:00` → `2026-11-23 07:12` (still local time, never converted). */
export function localDateTime(s: string | null | undefined): string | undefined {
  if (!s) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(s);
  if (!m) return s;
  return m[2] && m[2] !== '00:00' ? `${m[1]} ${m[2]}` : m[1];
}
