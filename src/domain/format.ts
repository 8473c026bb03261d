/** Small helpers that turn API values into the compact forms the tools return. */

/** Round to `dp` decimals; undefined for null/undefined/NaN. */
export function round(v: number | null | undefined, dp = 0): number | undefined {
  if (v === null || v === undefined || !Number.isFinite(v)) return undefined;
  const f = 10 ** dp;
  // `+ 0` turns -0 (from rounding -0.3) into 0: JSON writes both as 0, so structuredContent and
  // the text content would otherwise differ.
  return Math.round(v * f) / f + 0;
}

/** Seconds → `h:mm:ss` (or `m:ss` under an hour). */
export function hms(secs: number | null | undefined): string | undefined {
  if (secs === null || secs === undefined || !Number.isFinite(secs)) return undefined;
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

/** Seconds → `h:mm` (sleep, planned durations). */
export function hm(secs: number | null | undefined): string | undefined {
  if (secs === null || secs === undefined || !Number.isFinite(secs)) return undefined;
  const m = Math.round(secs / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

/** Speed in m/s → pace string per km (run) or per 100 m (swim). */
export function pace(speed: number | null | undefined, per: 'km' | '100m' = 'km'): string | undefined {
  if (!speed || speed <= 0 || !Number.isFinite(speed)) return undefined;
  const secs = (per === 'km' ? 1000 : 100) / speed;
  return `${hms(secs)}/${per}`;
}

/** Drop undefined and null values (and empty arrays) so the answer carries only facts. */
export function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as { [K in keyof T]?: Exclude<T[K], null> };
}

export const km = (m: number | null | undefined) => round(m === null || m === undefined ? undefined : m / 1000, 2);
