/** Dates and numbers as the views show them. Dates stay the tools' local YYYY-MM-DD. */
// Day arithmetic is the tools' own (src/domain/dates.ts: UTC-midnight strings, browser-safe).
export { addDays, daysBetween } from '../../../src/domain/dates.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const parts = (d: string) => d.split('-').map(Number) as [number, number, number];
const utc = (d: string) => {
  const [y, m, day] = parts(d);
  return Date.UTC(y, m - 1, day);
};

export const weekday = (d: string) => DAYS[new Date(utc(d)).getUTCDay()]!;
export const monthName = (m: number) => MONTHS[m - 1]!;

/** "24 Nov" (with the year when asked: "24 Nov 2026"). */
export function shortDate(d: string, year = false): string {
  const [y, m, day] = parts(d);
  return `${day} ${monthName(m)}${year ? ` ${y}` : ''}`;
}

/** "2 – 29 Nov 2026", "27 Aug – 22 Dec 2026", "28 Dec 2026 – 3 Jan 2027". */
export function dateRange(a: string, b: string): string {
  const [ya, ma] = parts(a);
  const [yb, mb] = parts(b);
  if (ya !== yb) return `${shortDate(a, true)} – ${shortDate(b, true)}`;
  if (ma !== mb) return `${shortDate(a)} – ${shortDate(b, true)}`;
  return `${parts(a)[2]} – ${shortDate(b, true)}`;
}

/** ISO week number of a date. */
export function isoWeek(d: string): number {
  const t = new Date(utc(d));
  const day = (t.getUTCDay() + 6) % 7;
  t.setUTCDate(t.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
  return 1 + Math.round(((t.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
}

/** Signed with a real minus sign: "+2.1", "−7.8". */
export function signed(v: number, digits = 1): string {
  const r = v.toFixed(digits);
  return v > 0 ? `+${r}` : v < 0 ? `−${r.slice(1)}` : r;
}
export const num = (v: number, digits = 0) => (v < 0 ? `−${(-v).toFixed(digits)}` : v.toFixed(digits));

/** "m:ss" or "h:mm:ss" → seconds. */
export function clockSecs(v: string): number | undefined {
  const p = v.split(':').map(Number);
  if (p.length < 2 || p.some((x) => !Number.isFinite(x))) return undefined;
  return p.reduce((acc, x) => acc * 60 + x, 0);
}
/** Seconds → "m:ss" (pace). */
export function mss(secs: number): string {
  const s = Math.round(secs);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** get_curves' duration labels ("5s", "20m", "1h", "1h30m", "1:05:00") → seconds. */
export function durationSecs(label: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(label);
  if (m && (m[1] || m[2] || m[3])) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return clockSecs(label);
}

/** A columnar table ({columns, rows}) as row objects; absent columns read as undefined. */
export type Table = { columns: string[]; rows: unknown[][] };
export function rowsOf(t: Table | undefined): Record<string, unknown>[] {
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return [];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
