/**
 * Pure analysis of activity streams (arrays indexed by sample, `time` in elapsed seconds): the
 * summaries get_streams computes on the full-resolution data and the time-bucket downsampling of
 * what it sends back. No I/O here, so every number is unit-tested on hand-made streams.
 *
 * Time accounting: each sample stands for the step from the previous sample (the first stands for
 * 0 s). A step longer than MAX_GAP_S is a recording pause and counts as one nominal step, so the
 * total ("moving" seconds) matches the activity's moving time and pauses never land in a zone.
 */
import { round } from './format.js';
import { paceFor, type SportFamily } from './sports.js';

export type Series = readonly (number | null | undefined)[];

/** Steps longer than this (s) are recording pauses, not moving time. */
export const MAX_GAP_S = 10;
/** Rolling window of normalised power (s). */
export const NP_WINDOW_S = 30;
/** Each half needs this much valid data (s) for a decoupling figure. */
export const MIN_DECOUPLING_HALF_S = 60;

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** HR samples that are not a reading: missing, zero or negative (strap dropouts). */
export const isHrDropout = (v: number | null | undefined) => !isNum(v) || v <= 0;

/** Seconds each sample stands for (see the module comment). */
export function sampleDurations(time: Series): number[] {
  const n = time.length;
  const steps: number[] = [];
  for (let i = 1; i < n; i++) {
    const a = time[i - 1];
    const b = time[i];
    if (isNum(a) && isNum(b) && b > a && b - a <= MAX_GAP_S) steps.push(b - a);
  }
  const nominal = steps.length ? median(steps) : 1;
  const out = new Array<number>(n).fill(0);
  for (let i = 1; i < n; i++) {
    const a = time[i - 1];
    const b = time[i];
    if (!isNum(a) || !isNum(b))
      out[i] = nominal; // a sample without a time: one step
    else if (b <= a)
      out[i] = 0; // duplicate or out-of-order sample
    else out[i] = b - a <= MAX_GAP_S ? b - a : nominal;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Time-weighted mean of the samples `keep` accepts (default: any number). */
export function timeWeightedMean(values: Series, dt: readonly number[], keep: (v: number) => boolean = () => true): number | undefined {
  let s = 0;
  let t = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isNum(v) || !keep(v)) continue;
    s += v * (dt[i] ?? 0);
    t += dt[i] ?? 0;
  }
  return t > 0 ? s / t : undefined;
}

/** Zone of a value: the first upper bound it does not exceed; above the last bound, the last zone. */
export function zoneIndex(v: number, upperBounds: readonly number[]): number {
  for (let i = 0; i < upperBounds.length; i++) if (v <= upperBounds[i]!) return i;
  return upperBounds.length - 1;
}

/**
 * Seconds per zone. `toZoneUnit` maps a sample to the unit of the bounds (e.g. W → % of FTP);
 * samples `skip` rejects (and non-numbers) count in no zone.
 */
export function timeInZones(
  values: Series,
  dt: readonly number[],
  upperBounds: readonly number[],
  opts: { toZoneUnit?: (v: number) => number; skip?: (v: number | null | undefined) => boolean } = {},
): number[] {
  const out = new Array<number>(upperBounds.length).fill(0);
  if (!upperBounds.length) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isNum(v) || opts.skip?.(v)) continue;
    const z = zoneIndex(opts.toZoneUnit ? opts.toZoneUnit(v) : v, upperBounds);
    out[z]! += dt[i] ?? 0;
  }
  return out;
}

/**
 * Normalised power: the 30 s rolling mean of power (time-weighted), raised to the 4th power,
 * averaged, 4th root. Missing samples are left out of the window; zeros (coasting) count.
 */
export function normalisedPower(watts: Series, dt: readonly number[]): number | undefined {
  const win: { w: number; t: number }[] = [];
  let head = 0;
  let winW = 0;
  let winT = 0;
  let acc = 0;
  let accT = 0;
  for (let i = 0; i < watts.length; i++) {
    const w = watts[i];
    const t = dt[i] ?? 0;
    if (!isNum(w) || t <= 0) continue;
    win.push({ w, t });
    winW += w * t;
    winT += t;
    while (head < win.length - 1 && winT - win[head]!.t >= NP_WINDOW_S) {
      winW -= win[head]!.w * win[head]!.t;
      winT -= win[head]!.t;
      head++;
    }
    if (winT >= NP_WINDOW_S) {
      acc += (winW / winT) ** 4 * t;
      accT += t;
    }
  }
  return accT > 0 ? (acc / accT) ** 0.25 : undefined;
}

/**
 * Aerobic decoupling in %: output per heartbeat in the first half of the moving time against the
 * second half, (EF1 − EF2) / EF1 × 100; positive = HR drifted up for the same output. Samples with
 * an HR dropout or no (or zero) output are skipped.
 */
export function decoupling(output: Series, hr: Series, dt: readonly number[]): number | undefined {
  const half = sum(dt) / 2;
  const o = [0, 0];
  const h = [0, 0];
  const t = [0, 0];
  let elapsed = 0;
  for (let i = 0; i < dt.length; i++) {
    const d = dt[i] ?? 0;
    const k = elapsed < half ? 0 : 1;
    elapsed += d;
    const out = output[i];
    const bpm = hr[i];
    if (!isNum(out) || out <= 0 || isHrDropout(bpm) || d <= 0) continue;
    o[k]! += out * d;
    h[k]! += bpm! * d;
    t[k]! += d;
  }
  if (t[0]! < MIN_DECOUPLING_HALF_S || t[1]! < MIN_DECOUPLING_HALF_S) return undefined;
  const ef1 = o[0]! / h[0]!;
  const ef2 = o[1]! / h[1]!;
  return ef1 > 0 ? ((ef1 - ef2) / ef1) * 100 : undefined;
}

/** Seconds of HR dropouts (when an HR stream exists at all). */
export function hrDropoutSeconds(hr: Series, dt: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < hr.length; i++) if (isHrDropout(hr[i])) s += dt[i] ?? 0;
  return s;
}

export interface Downsampled {
  /** Bucket length in seconds. */
  every: number;
  /** Start second of each (non-empty) bucket. */
  time: number[];
  series: Record<string, (number | null)[]>;
}

/**
 * Average the streams into buckets of equal elapsed time so at most `points` rows remain. Buckets
 * that hold no sample (a recording pause) are left out; a bucket's value is the mean of its
 * samples, ignoring missing ones (and, for the `dropZero` streams such as heart rate, zeros).
 */
export function downsample(
  time: Series,
  series: Record<string, Series>,
  points: number,
  opts: { dropZero?: ReadonlySet<string> } = {},
): Downsampled {
  const idx: number[] = [];
  for (let i = 0; i < time.length; i++) if (isNum(time[i])) idx.push(i);
  if (!idx.length) return { every: 0, time: [], series: Object.fromEntries(Object.keys(series).map((k) => [k, []])) };
  const t0 = time[idx[0]!] as number;
  let t1 = t0;
  for (const i of idx) t1 = Math.max(t1, time[i] as number);
  const span = Math.floor(t1 - t0) + 1;
  const every = Math.max(1, Math.ceil(span / Math.max(1, points)));
  const names = Object.keys(series);
  const buckets = new Map<number, { s: number[]; n: number[] }>();
  for (const i of idx) {
    const k = Math.floor(((time[i] as number) - t0) / every);
    let b = buckets.get(k);
    if (!b) {
      b = { s: new Array<number>(names.length).fill(0), n: new Array<number>(names.length).fill(0) };
      buckets.set(k, b);
    }
    names.forEach((name, j) => {
      const v = series[name]![i];
      if (!isNum(v) || (opts.dropZero?.has(name) && v <= 0)) return;
      b.s[j]! += v;
      b.n[j]! += 1;
    });
  }
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const out: Record<string, (number | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const k of keys) {
    const b = buckets.get(k)!;
    names.forEach((name, j) => {
      out[name]!.push(b.n[j]! ? b.s[j]! / b.n[j]! : null);
    });
  }
  return { every, time: keys.map((k) => t0 + k * every), series: out };
}

/** Zone seconds as `Z1:600 Z2:1800 …` (the form get_activity uses), zones with no time left out. */
export function zoneString(secs: readonly number[]): string {
  return secs
    .map((s, i) => [i, Math.round(s)] as const)
    .filter(([, s]) => s > 0)
    .map(([i, s]) => `Z${i + 1}:${s}`)
    .join(' ');
}

/** The thresholds zone seconds are computed against (the activity's own, or the athlete's). */
export interface Thresholds {
  ftp?: number | undefined;
  /** Power zone upper bounds in % of FTP (999 = open). */
  powerZones?: readonly number[] | undefined;
  /** HR zone upper bounds in bpm. */
  hrZones?: readonly number[] | undefined;
  /** m/s */
  thresholdPace?: number | undefined;
  /** Pace zone upper bounds in % of threshold pace (speed). */
  paceZones?: readonly number[] | undefined;
}

/**
 * The summary get_streams returns, on full-resolution streams. Keys (present when computable):
 * moving_s, avg_w, np_w, avg_hr, avg_kmh or avg_pace, power_zones_s, hr_zones_s, pace_zones_s, ef,
 * decoupling_pct, hr_dropout_s.
 */
export function summariseStreams(
  family: SportFamily,
  streams: { time: Series; watts?: Series | undefined; heartrate?: Series | undefined; velocity?: Series | undefined },
  th: Thresholds,
): Record<string, number | string> {
  const dt = sampleDurations(streams.time);
  const out: Record<string, number | string | undefined> = { moving_s: Math.round(sum(dt)) };
  const { watts, heartrate: hr, velocity } = streams;
  const hasWatts = !!watts && watts.some((v) => isNum(v) && v > 0);
  const hasHr = !!hr && hr.some((v) => !isHrDropout(v));
  const hasSpeed = !!velocity && velocity.some((v) => isNum(v) && v > 0);

  let np: number | undefined;
  if (hasWatts) {
    out.avg_w = round(timeWeightedMean(watts, dt));
    np = normalisedPower(watts, dt);
    out.np_w = round(np);
  }
  const avgHr = hasHr ? timeWeightedMean(hr, dt, (v) => v > 0) : undefined;
  out.avg_hr = round(avgHr);
  const avgSpeed = hasSpeed ? timeWeightedMean(velocity, dt) : undefined;
  if (avgSpeed && family === 'ride') out.avg_kmh = round(avgSpeed * 3.6, 1);
  if (avgSpeed && (family === 'run' || family === 'swim')) out.avg_pace = paceFor(avgSpeed, family);

  if (hasWatts && th.ftp && th.powerZones?.length) {
    const ftp = th.ftp;
    out.power_zones_s = zoneString(timeInZones(watts, dt, th.powerZones, { toZoneUnit: (w) => (w / ftp) * 100 }));
  }
  if (hasHr && th.hrZones?.length) out.hr_zones_s = zoneString(timeInZones(hr, dt, th.hrZones, { skip: isHrDropout }));
  if (hasSpeed && family !== 'ride' && th.thresholdPace && th.paceZones?.length) {
    const tp = th.thresholdPace;
    out.pace_zones_s = zoneString(timeInZones(velocity, dt, th.paceZones, { toZoneUnit: (v) => (v / tp) * 100 }));
  }

  if (hasHr && avgHr) {
    if (family === 'ride' && hasWatts) {
      out.ef = round(np !== undefined ? np / avgHr : undefined, 2);
      out.decoupling_pct = round(decoupling(watts, hr, dt), 1);
    } else if (family === 'run' && hasSpeed) {
      out.ef = round(avgSpeed !== undefined ? (avgSpeed * 60) / avgHr : undefined, 2);
      out.decoupling_pct = round(decoupling(velocity, hr, dt), 1);
    }
  }
  if (hr?.length) out.hr_dropout_s = Math.round(hrDropoutSeconds(hr, dt));

  const clean: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(out)) if (v !== undefined) clean[k] = v;
  return clean;
}
