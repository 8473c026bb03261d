/**
 * Local calendar dates (`YYYY-MM-DD`) in the athlete's time zone. Dates are handled as strings and
 * UTC-midnight arithmetic only, never through the host's time zone.
 */
import { InputError } from './errors.js';

const DAY_MS = 86_400_000;

/** The earliest date any tool accepts: older than any Intervals.icu data. */
export const MIN_DATE = '1990-01-01';
/** How far ahead a date may lie (plans, races, projections): two years. */
export const MAX_DAYS_AHEAD = 731;
/**
 * The most days one loop may step through. Every range a tool accepts is far shorter; this is the
 * hard stop that keeps a bad range from blocking the event loop.
 */
export const MAX_LOOP_DAYS = 20 * 366;

export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The latest date any tool accepts, from the server's clock (a day of slack for time zones). */
export const maxDate = (now: Date = new Date()) => addDays(now.toISOString().slice(0, 10), MAX_DAYS_AHEAD + 1);

/** A real calendar date within the horizon every tool works in (MIN_DATE to two years ahead). */
export function isDateInHorizon(s: string, now: Date = new Date()): boolean {
  return isValidDate(s) && s >= MIN_DATE && s <= maxDate(now);
}

// One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = null; // an unknown zone: UTC
    }
    if (formatters.size >= 256) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

function dateIn(timeZone: string, ms: number): string {
  const f = formatterFor(timeZone);
  return f ? f.format(ms) : new Date(ms).toISOString().slice(0, 10);
}

// Today per zone for a minute at a time: every tool call asks, and formatting a date in a zone
// costs more than the rest of a short answer's date work.
const TODAY_SPAN_MS = 60_000;
const todays = new Map<string, { day: string; from: number; until: number }>();

/** Today's date in the given IANA time zone (UTC for an unknown zone). */
export function todayIn(timeZone: string, now: Date): string {
  const t = now.getTime();
  const hit = todays.get(timeZone);
  if (hit !== undefined && t >= hit.from && t < hit.until) return hit.day;
  const day = dateIn(timeZone, t);
  // Kept only when the date a minute later is the same: no zone changes its date and back
  // within a minute, so every instant in between has it too (exact across midnight and DST).
  if (dateIn(timeZone, t + TODAY_SPAN_MS) === day) {
    if (todays.size >= 256) todays.clear();
    todays.set(timeZone, { day, from: t, until: t + TODAY_SPAN_MS });
  }
  return day;
}

export function addDays(date: string, n: number): string {
  return isoDay(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS);
}

// Four-digit years: the range in which `YYYY-MM-DD` is toISOString's own form.
const FIRST_4_DIGIT_YEAR = Date.UTC(1000, 0, 1);
const PAST_4_DIGIT_YEARS = Date.UTC(10000, 0, 1);

/**
 * The `YYYY-MM-DD` of a UTC midnight. Days are counted to a civil date with integer arithmetic
 * (H. Hinnant's days-to-civil), so the loops over a range (get_fitness walks ~120 days per call)
 * make one string per day instead of a Date and two; outside four-digit years, and for NaN (which
 * throws), it is toISOString's answer.
 */
function isoDay(ms: number): string {
  if (!(ms >= FIRST_4_DIGIT_YEAR && ms < PAST_4_DIGIT_YEARS)) return new Date(ms).toISOString().slice(0, 10);
  const z = Math.floor(ms / DAY_MS) + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // day of the 400-year era
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // from March 1st
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * Every `step`-th date from `from` through `to` (inclusive). Counts days instead of comparing
 * strings (a year past 9999 sorts before it), and refuses more than MAX_LOOP_DAYS of them.
 */
export function datesFrom(from: string, to: string, step = 1): string[] {
  const span = daysBetween(from, to);
  if (!Number.isFinite(span)) throw new InputError(`${from}..${to} is not a date range.`);
  if (span > MAX_LOOP_DAYS) throw new InputError(`${from}..${to} is longer than ${MAX_LOOP_DAYS} days.`);
  const start = Date.parse(`${from}T00:00:00Z`);
  const out: string[] = [];
  for (let i = 0; i <= span; i += step) out.push(isoDay(start + i * DAY_MS));
  return out;
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
