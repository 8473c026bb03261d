/**
 * Deterministic activity "physics" for the fake Intervals.icu server: a noise-free model of an
 * activity (segments of constant or ramping intensity) gives the activity summary, intervals and
 * curves; 1 Hz streams are the same model plus seeded noise, HR lag and HR drift.
 */

export type Sport = 'Ride' | 'Run' | 'Swim' | 'WeightTraining';

// ---------------------------------------------------------------------------------------------
// PRNG helpers
// ---------------------------------------------------------------------------------------------

/** FNV-1a 32-bit hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Small seeded PRNG (mulberry32) with a few helpers. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.range(a, b + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  gauss(): number {
    const u = Math.max(1e-12, this.next());
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  pick<T>(arr: readonly T[]): T {
    const v = arr[Math.floor(this.next() * arr.length)];
    if (v === undefined) throw new Error('pick from empty array');
    return v;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

export interface SimSegment {
  secs: number;
  /** Intensity factor (fraction of threshold) at the start and end of the segment. */
  ifStart: number;
  ifEnd: number;
  work: boolean;
  label: string | null;
  /** Segments sharing a group key form an interval group (repeats). */
  groupKey: string | null;
  cadence: number | null;
  rest: boolean;
}

export interface Terrain {
  base: number;
  a: [number, number, number];
  l: [number, number, number];
  p: [number, number, number];
}

export interface ActivitySim {
  sport: Sport;
  indoor: boolean;
  /** FTP used for power (the indoor FTP for trainer rides); null for sports without power. */
  ftp: number | null;
  lthr: number;
  maxHr: number;
  restHr: number;
  /** m/s */
  thresholdPace: number | null;
  weight: number;
  hrZones: number[];
  powerZones: number[] | null;
  paceZones: number[] | null;
  sweetSpot: [number, number];
  segments: SimSegment[];
  /** Fractional HR drift over the whole activity (0.04 = +4 % at the end). */
  drift: number;
  /** Moving seconds after which recording paused (a segment boundary), or null. */
  stopAfter: number | null;
  stopSecs: number;
  terrain: Terrain | null;
  /** 0..1: how much short-duration (sprint) power the activity contains. */
  sprint: number;
  seed: number;
}

export const MMP_SECS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
export const PACE_DISTANCES = [400, 1000, 1609, 3000, 5000, 10000, 21097];

const RHO = 1.2;
const CDA = 0.3;
const CRR = 0.004;
const MASS = 80;

/** Flat-road speed (m/s) for a given power (W). */
export function speedForPower(p: number): number {
  if (p <= 0) return 0;
  let v = 8;
  for (let i = 0; i < 8; i++) {
    const f = 0.5 * RHO * CDA * v * v * v + CRR * MASS * 9.81 * v - p;
    const df = 1.5 * RHO * CDA * v * v + CRR * MASS * 9.81;
    v -= f / df;
  }
  return Math.max(0, v);
}

export function hrTarget(sim: ActivitySim, ifv: number): number {
  const f = ifv <= 0 ? 0.3 : 0.25 + 0.75 * ifv;
  return Math.min(sim.maxHr - 1, sim.restHr + (sim.lthr - sim.restHr) * f);
}

function wattsFor(sim: ActivitySim, ifv: number): number | null {
  if (sim.sport !== 'Ride' || sim.ftp === null) return null;
  return sim.ftp * ifv;
}

function speedFor(sim: ActivitySim, ifv: number): number {
  switch (sim.sport) {
    case 'Ride':
      return speedForPower((sim.ftp ?? 200) * ifv);
    case 'Run':
    case 'Swim':
      return (sim.thresholdPace ?? 3) * ifv;
    default:
      return 0;
  }
}

function cadenceFor(sim: ActivitySim, ifv: number, seg: SimSegment): number {
  if (ifv <= 0) return 0;
  switch (sim.sport) {
    case 'Ride':
      return seg.cadence ?? 84 + 12 * (ifv - 0.6);
    case 'Run':
      return 166 + 14 * (ifv - 0.75);
    case 'Swim':
      return 26 + 6 * (ifv - 0.85);
    default:
      return 0;
  }
}

export function altitudeAt(t: Terrain, x: number): number {
  return t.base + t.a[0] * Math.sin(x / t.l[0] + t.p[0]) + t.a[1] * Math.sin(x / t.l[1] + t.p[1]) + t.a[2] * Math.sin(x / t.l[2] + t.p[2]);
}

const ELEV_STEP = 50;

/** Altitude samples every ELEV_STEP metres from 0 to `dist`. */
function elevationProfile(t: Terrain | null, dist: number): Float64Array | null {
  if (!t || dist <= 0) return null;
  const n = Math.floor(dist / ELEV_STEP) + 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = altitudeAt(t, i * ELEV_STEP);
  return out;
}

function elevationStats(
  prof: Float64Array | null,
  x0: number,
  x1: number,
): { gain: number; loss: number; min: number; max: number; avg: number } | null {
  if (!prof || x1 <= x0) return null;
  const i0 = Math.max(0, Math.min(prof.length - 1, Math.round(x0 / ELEV_STEP)));
  const i1 = Math.max(i0, Math.min(prof.length - 1, Math.round(x1 / ELEV_STEP)));
  let prev = prof[i0] ?? 0;
  let gain = 0;
  let loss = 0;
  let min = prev;
  let max = prev;
  let sum = prev;
  for (let i = i0 + 1; i <= i1; i++) {
    const a = prof[i] ?? 0;
    const d = a - prev;
    if (d > 0) gain += d;
    else loss -= d;
    if (a < min) min = a;
    if (a > max) max = a;
    sum += a;
    prev = a;
  }
  return { gain, loss, min, max, avg: sum / (i1 - i0 + 1) };
}

interface Piece {
  t0: number;
  secs: number;
  ifv: number;
  seg: number;
  watts: number | null;
  speed: number;
  hr: number;
  cadence: number;
}

function totalSecs(sim: ActivitySim): number {
  let t = 0;
  for (const s of sim.segments) t += s.secs;
  return t;
}

/** Constant-intensity pieces of the model (≤ 2 min; ramps split in 30 s pieces) so HR drift shows. */
function buildPieces(sim: ActivitySim): Piece[] {
  const T = totalSecs(sim);
  const out: Piece[] = [];
  let t = 0;
  sim.segments.forEach((seg, si) => {
    const n = Math.max(1, Math.ceil(seg.secs / (seg.ifStart === seg.ifEnd ? 120 : 30)));
    for (let k = 0; k < n; k++) {
      const a = Math.round((seg.secs * k) / n);
      const b = Math.round((seg.secs * (k + 1)) / n);
      const secs = b - a;
      if (secs <= 0) continue;
      const ifv = seg.ifStart + ((seg.ifEnd - seg.ifStart) * (k + 0.5)) / n;
      const tmid = t + a + secs / 2;
      out.push({
        t0: t + a,
        secs,
        ifv,
        seg: si,
        watts: wattsFor(sim, ifv),
        speed: speedFor(sim, ifv),
        hr: hrTarget(sim, ifv) * (1 + (sim.drift * tmid) / Math.max(1, T)),
        cadence: cadenceFor(sim, ifv, seg),
      });
    }
    t += seg.secs;
  });
  return out;
}

interface Agg {
  secs: number;
  dist: number;
  w: number;
  w4: number;
  hr: number;
  hrMin: number;
  hrMax: number;
  cad: number;
  cadSecs: number;
  if2: number;
  vMax: number;
  wMin: number;
  wMax: number;
  aboveFtp: number;
}

function newAgg(): Agg {
  return {
    secs: 0,
    dist: 0,
    w: 0,
    w4: 0,
    hr: 0,
    hrMin: Infinity,
    hrMax: 0,
    cad: 0,
    cadSecs: 0,
    if2: 0,
    vMax: 0,
    wMin: Infinity,
    wMax: 0,
    aboveFtp: 0,
  };
}

function addPiece(a: Agg, p: Piece, frac = 1, ftp: number | null = null): void {
  const s = p.secs * frac;
  a.secs += s;
  a.dist += p.speed * s;
  if (p.watts !== null) {
    a.w += p.watts * s;
    a.w4 += p.watts ** 4 * s;
    a.wMin = Math.min(a.wMin, p.watts);
    a.wMax = Math.max(a.wMax, p.watts);
    if (ftp !== null && p.watts > ftp) a.aboveFtp += (p.watts - ftp) * s;
  }
  a.hr += p.hr * s;
  a.hrMin = Math.min(a.hrMin, p.hr);
  a.hrMax = Math.max(a.hrMax, p.hr);
  if (p.cadence > 0) {
    a.cad += p.cadence * s;
    a.cadSecs += s;
  }
  a.if2 += p.ifv * p.ifv * s;
  a.vMax = Math.max(a.vMax, p.speed);
}

/** Splits pieces at moving time `at` and aggregates [0, at) and [at, T). */
function halves(pieces: Piece[], at: number): [Agg, Agg] {
  const a = newAgg();
  const b = newAgg();
  for (const p of pieces) {
    const end = p.t0 + p.secs;
    if (end <= at) addPiece(a, p);
    else if (p.t0 >= at) addPiece(b, p);
    else {
      const f = (at - p.t0) / p.secs;
      addPiece(a, p, f);
      addPiece(b, p, 1 - f);
    }
  }
  return [a, b];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export interface ZoneTime {
  id: string;
  secs: number;
}

export interface SimSummary {
  moving_time: number;
  elapsed_time: number;
  distance: number;
  average_speed: number;
  max_speed: number;
  icu_average_watts: number | null;
  icu_weighted_avg_watts: number | null;
  icu_joules: number | null;
  icu_joules_above_ftp: number | null;
  icu_variability_index: number | null;
  icu_efficiency_factor: number | null;
  icu_power_hr: number | null;
  average_heartrate: number;
  max_heartrate: number;
  average_cadence: number | null;
  /** Intensity factor (fraction). */
  if: number | null;
  icu_intensity: number | null;
  icu_training_load: number;
  decoupling: number | null;
  icu_zone_times: ZoneTime[] | null;
  icu_hr_zone_times: number[];
  pace_zone_times: number[] | null;
  total_elevation_gain: number | null;
  total_elevation_loss: number | null;
  min_altitude: number | null;
  max_altitude: number | null;
  average_altitude: number | null;
  calories: number;
  trimp: number;
  intervals: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  interval_summary: string[];
  curves: { power: (number | null)[] | null; hr: (number | null)[]; pace: (number | null)[] | null };
}

function zoneOf(zones: number[], v: number): number {
  for (let i = 0; i < zones.length; i++) if (v <= (zones[i] ?? Infinity)) return i;
  return zones.length - 1;
}

/** Maximum of ∫rate over a window of length W (x-domain), for piecewise-constant pieces. */
export function maxWindowIntegral(lensIn: number[], ratesIn: number[], W: number): { value: number; start: number } | null {
  // merge adjacent pieces with equal rates
  const lens: number[] = [];
  const rates: number[] = [];
  for (let i = 0; i < lensIn.length; i++) {
    const l = lensIn[i] ?? 0;
    const r = ratesIn[i] ?? 0;
    if (l <= 0) continue;
    if (rates.length > 0 && rates[rates.length - 1] === r) lens[lens.length - 1] = (lens[lens.length - 1] ?? 0) + l;
    else {
      lens.push(l);
      rates.push(r);
    }
  }
  const n = lens.length;
  const xs = new Float64Array(n + 1);
  const F = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    xs[i + 1] = (xs[i] ?? 0) + (lens[i] ?? 0);
    F[i + 1] = (F[i] ?? 0) + (lens[i] ?? 0) * (rates[i] ?? 0);
  }
  const total = xs[n] ?? 0;
  if (W > total + 1e-9 || W <= 0) return null;
  // F(x) using a forward-only pointer (queries are non-decreasing per pointer)
  const at = (ptr: { j: number }, x: number): number => {
    while (ptr.j < n - 1 && (xs[ptr.j + 1] ?? 0) <= x) ptr.j++;
    return (F[ptr.j] ?? 0) + (x - (xs[ptr.j] ?? 0)) * (rates[ptr.j] ?? 0);
  };
  let best = -Infinity;
  let bestStart = 0;
  const pa = { j: 0 };
  const pb = { j: 0 };
  // windows starting at a boundary
  for (let i = 0; i <= n; i++) {
    const st = Math.min(xs[i] ?? 0, total - W);
    const v = at(pb, st + W) - at(pa, st);
    if (v > best) {
      best = v;
      bestStart = st;
    }
  }
  // windows ending at a boundary
  const pc = { j: 0 };
  const pd = { j: 0 };
  for (let i = 0; i <= n; i++) {
    const en = xs[i] ?? 0;
    if (en < W) continue;
    const v = at(pd, en) - at(pc, en - W);
    if (v > best) {
      best = v;
      bestStart = en - W;
    }
  }
  return { value: best, start: bestStart };
}

const SPRINT_MULT: Record<number, number> = { 5: 3.6, 15: 2.4, 30: 1.8, 60: 1.35, 120: 1.12 };
/** Short-duration surges above the segment averages (noise, accelerations). */
const SURGE: Record<number, number> = { 5: 1.12, 15: 1.07, 30: 1.045, 60: 1.03, 120: 1.02, 300: 1.015 };

function monotoneDown(vals: (number | null)[]): (number | null)[] {
  let min = Infinity;
  return vals.map((v) => {
    if (v === null) return null;
    min = Math.min(min, v);
    return min;
  });
}

export function summarize(sim: ActivitySim): SimSummary {
  const pieces = buildPieces(sim);
  const T = totalSecs(sim);
  const all = newAgg();
  for (const p of pieces) addPiece(all, p, 1, sim.ftp);
  const isRide = sim.sport === 'Ride' && sim.ftp !== null;
  const vi = sim.indoor ? 1.01 : 1.04;

  const avgW = isRide ? all.w / T : null;
  const np = isRide ? (all.w4 / T) ** 0.25 * vi : null;
  const avgHr = all.hr / T;
  const maxHr = Math.min(sim.maxHr, all.hrMax + 4);
  let ifv: number | null;
  if (isRide && np !== null && sim.ftp) ifv = np / sim.ftp;
  else if (sim.sport === 'Run' || sim.sport === 'Swim') ifv = Math.sqrt(all.if2 / T);
  else ifv = null;
  const load = ifv !== null ? Math.round((T / 3600) * ifv * ifv * 100) : Math.round((T / 3600) * 0.6 * 0.6 * 100);

  const [h1, h2] = halves(pieces, T / 2);
  let decoupling: number | null = null;
  if (sim.sport !== 'WeightTraining' && h1.secs > 0 && h2.secs > 0) {
    const out1 = isRide ? h1.w / h1.secs : h1.dist / h1.secs;
    const out2 = isRide ? h2.w / h2.secs : h2.dist / h2.secs;
    const ef1 = out1 / (h1.hr / h1.secs);
    const ef2 = out2 / (h2.hr / h2.secs);
    if (ef1 > 0) decoupling = ((ef1 - ef2) / ef1) * 100;
  }

  // Zone times
  let zoneTimes: ZoneTime[] | null = null;
  if (isRide && sim.powerZones && sim.ftp) {
    const zt = new Array<number>(sim.powerZones.length).fill(0);
    let ss = 0;
    for (const p of pieces) {
      const pct = ((p.watts ?? 0) / sim.ftp) * 100;
      const zi = zoneOf(sim.powerZones, pct);
      zt[zi] = (zt[zi] ?? 0) + p.secs;
      if (pct >= sim.sweetSpot[0] && pct <= sim.sweetSpot[1]) ss += p.secs;
    }
    zoneTimes = zt.map((secs, i) => ({ id: `Z${i + 1}`, secs: Math.round(secs) }));
    zoneTimes.push({ id: 'SS', secs: Math.round(ss) });
  }
  const hrzt = new Array<number>(sim.hrZones.length).fill(0);
  for (const p of pieces) {
    const zi = zoneOf(sim.hrZones, p.hr);
    hrzt[zi] = (hrzt[zi] ?? 0) + p.secs;
  }
  let paceZt: number[] | null = null;
  if ((sim.sport === 'Run' || sim.sport === 'Swim') && sim.paceZones) {
    paceZt = new Array<number>(sim.paceZones.length).fill(0);
    for (const p of pieces) {
      if (p.speed <= 0) continue;
      const zi = zoneOf(sim.paceZones, p.ifv * 100);
      paceZt[zi] = (paceZt[zi] ?? 0) + p.secs;
    }
    paceZt = paceZt.map(Math.round);
  }

  const prof = elevationProfile(sim.terrain, all.dist);
  const elev = elevationStats(prof, 0, all.dist);

  let calories: number;
  if (isRide && avgW !== null) calories = Math.round((avgW * T) / 1000 / 0.96);
  else if (sim.sport === 'Run') calories = Math.round((all.dist / 1000) * sim.weight * 1.02);
  else if (sim.sport === 'Swim') calories = Math.round((T / 60) * 8.5);
  else calories = Math.round((T / 60) * 6);

  const hrr = Math.max(0, Math.min(1, (avgHr - sim.restHr) / (sim.maxHr - sim.restHr)));
  const trimp = (T / 60) * hrr * 0.64 * Math.exp(1.92 * hrr);

  // Intervals (one per segment) and groups
  const intervals: Record<string, unknown>[] = [];
  const groupAcc = new Map<string, { aggs: Agg[]; first: number; ids: number[] }>();
  const groupCount = new Map<string, number>();
  for (const s of sim.segments) if (s.groupKey) groupCount.set(s.groupKey, (groupCount.get(s.groupKey) ?? 0) + 1);
  let groupSeq = 0;
  const groupIds = new Map<string, string>();
  let t0 = 0;
  let distSoFar = 0;
  let pieceIdx = 0;
  sim.segments.forEach((seg, si) => {
    const agg = newAgg();
    while (pieceIdx < pieces.length && pieces[pieceIdx]!.seg === si) addPiece(agg, pieces[pieceIdx++]!, 1, sim.ftp);
    const shift = sim.stopAfter !== null && t0 >= sim.stopAfter ? sim.stopSecs : 0;
    const segIf = isRide && sim.ftp ? (agg.w4 / agg.secs) ** 0.25 / sim.ftp : Math.sqrt(agg.if2 / agg.secs);
    const segNp = isRide ? (agg.w4 / agg.secs) ** 0.25 : null;
    const avgSegW = isRide ? agg.w / agg.secs : null;
    let groupId: string | null = null;
    if (seg.groupKey && (groupCount.get(seg.groupKey) ?? 0) >= 2) {
      groupId = groupIds.get(seg.groupKey) ?? null;
      if (groupId === null) {
        groupSeq++;
        groupId = `g${groupSeq}`;
        groupIds.set(seg.groupKey, groupId);
      }
    }
    const e = elevationStats(prof, distSoFar, distSoFar + agg.dist);
    const id = si + 1;
    const segZone =
      isRide && sim.powerZones && segNp !== null && sim.ftp
        ? zoneOf(sim.powerZones, (segNp / sim.ftp) * 100) + 1
        : sim.paceZones && agg.dist > 0
          ? zoneOf(sim.paceZones, segIf * 100) + 1
          : zoneOf(sim.hrZones, agg.hr / agg.secs) + 1;
    const zi = segZone - 1;
    const hrFirst = hrTarget(sim, seg.ifStart) * (1 + (sim.drift * t0) / T);
    const hrLast = hrTarget(sim, seg.ifEnd) * (1 + (sim.drift * (t0 + seg.secs)) / T);
    const interval: Record<string, unknown> = {
      id,
      type: seg.work ? 'WORK' : 'RECOVERY',
      label: seg.label,
      start_index: t0,
      end_index: t0 + seg.secs,
      start_time: t0 + shift,
      end_time: t0 + seg.secs + shift,
      moving_time: seg.secs,
      elapsed_time: seg.secs,
      distance: round1(agg.dist),
      average_watts: avgSegW !== null ? Math.round(avgSegW) : null,
      weighted_average_watts: segNp !== null ? Math.round(segNp) : null,
      min_watts: isRide ? Math.round(agg.wMin * 0.85) : null,
      max_watts: isRide ? Math.round(agg.wMax * 1.2) : null,
      average_watts_kg: avgSegW !== null ? round2(avgSegW / sim.weight) : null,
      intensity: Math.round(segIf * 100),
      training_load: (seg.secs / 3600) * segIf * segIf * 100,
      joules: avgSegW !== null ? Math.round(avgSegW * seg.secs) : null,
      joules_above_ftp: isRide ? Math.round(agg.aboveFtp) : null,
      decoupling: hrFirst > 0 ? round2(((hrLast - hrFirst) / hrLast) * 100 * 0.5) : null,
      zone: segZone,
      zone_min_watts:
        isRide && sim.powerZones && sim.ftp ? Math.round(((zi > 0 ? (sim.powerZones[zi - 1] ?? 0) : 0) * sim.ftp) / 100) : null,
      zone_max_watts: isRide && sim.powerZones && sim.ftp ? Math.round((Math.min(999, sim.powerZones[zi] ?? 999) * sim.ftp) / 100) : null,
      average_speed: round3(agg.dist / agg.secs),
      min_speed: round3((agg.dist / agg.secs) * 0.8),
      max_speed: round3(agg.vMax * 1.12),
      average_heartrate: Math.round(agg.hr / agg.secs),
      min_heartrate: Math.round(Math.min(hrFirst, agg.hrMin) * 0.96),
      max_heartrate: Math.round(Math.max(agg.hrMax, hrLast) + 2),
      average_cadence: agg.cadSecs > 0 ? round1(agg.cad / agg.cadSecs) : null,
      min_cadence: null,
      max_cadence: agg.cadSecs > 0 ? Math.round((agg.cad / agg.cadSecs) * 1.12) : null,
      total_elevation_gain: e ? round1(e.gain) : null,
      min_altitude: e ? round1(e.min) : null,
      max_altitude: e ? round1(e.max) : null,
      average_gradient: e && agg.dist > 0 ? round3(((e.gain - e.loss) / agg.dist) * 100) / 100 : null,
      wbal_start: null,
      wbal_end: null,
      group_id: groupId,
      strain_score: null,
    };
    intervals.push(interval);
    if (groupId) {
      const g = groupAcc.get(groupId) ?? { aggs: [], first: t0, ids: [] };
      g.aggs.push(agg);
      g.ids.push(id);
      groupAcc.set(groupId, g);
    }
    t0 += seg.secs;
    distSoFar += agg.dist;
  });

  const groups: Record<string, unknown>[] = [];
  const intervalSummary: string[] = [];
  for (const [gid, g] of groupAcc) {
    const tot = newAgg();
    let w4 = 0;
    for (const a of g.aggs) {
      tot.secs += a.secs;
      tot.dist += a.dist;
      tot.w += a.w;
      tot.hr += a.hr;
      tot.if2 += a.if2;
      tot.cad += a.cad;
      tot.cadSecs += a.cadSecs;
      tot.hrMax = Math.max(tot.hrMax, a.hrMax);
      tot.vMax = Math.max(tot.vMax, a.vMax);
      w4 += a.w4;
    }
    const gnp = isRide ? (w4 / tot.secs) ** 0.25 : null;
    const gif = isRide && sim.ftp && gnp !== null ? gnp / sim.ftp : Math.sqrt(tot.if2 / tot.secs);
    const avgGW = isRide ? Math.round(tot.w / tot.secs) : null;
    groups.push({
      id: gid,
      count: g.aggs.length,
      start_index: g.first,
      moving_time: Math.round(tot.secs),
      elapsed_time: Math.round(tot.secs),
      distance: round1(tot.dist),
      average_watts: avgGW,
      weighted_average_watts: gnp !== null ? Math.round(gnp) : null,
      intensity: Math.round(gif * 100),
      training_load: (tot.secs / 3600) * gif * gif * 100,
      average_heartrate: Math.round(tot.hr / tot.secs),
      max_heartrate: Math.round(tot.hrMax + 2),
      average_cadence: tot.cadSecs > 0 ? round1(tot.cad / tot.cadSecs) : null,
      average_speed: round3(tot.dist / tot.secs),
      max_speed: round3(tot.vMax * 1.12),
      decoupling: null,
    });
    const each = Math.round(tot.secs / g.aggs.length);
    const dur = each % 60 === 0 ? `${each / 60}m` : each > 60 ? `${Math.floor(each / 60)}m${each % 60}s` : `${each}s`;
    intervalSummary.push(
      isRide && avgGW !== null ? `${g.aggs.length}x ${dur} ${avgGW}w` : `${g.aggs.length}x ${dur} ${Math.round(tot.hr / tot.secs)}bpm`,
    );
  }

  // Curves
  const lens = pieces.map((p) => p.secs);
  let power: (number | null)[] | null = null;
  if (isRide) {
    const rates = pieces.map((p) => p.watts ?? 0);
    power = monotoneDown(
      MMP_SECS.map((d) => {
        const r = maxWindowIntegral(lens, rates, d);
        if (!r) return null;
        const base = (r.value / d) * (SURGE[d] ?? 1.01);
        const mult = SPRINT_MULT[d];
        const sprint = mult !== undefined && sim.ftp ? sim.ftp * (1 + (mult - 1) * Math.max(0.08, sim.sprint)) : 0;
        return Math.round(Math.max(base, sprint));
      }),
    );
  }
  const hrRates = pieces.map((p) => p.hr);
  const hr = monotoneDown(
    MMP_SECS.map((d) => {
      const r = maxWindowIntegral(lens, hrRates, d);
      return r ? Math.round(r.value / d + (d <= 60 ? 3 : 1)) : null;
    }),
  );
  let pace: (number | null)[] | null = null;
  if (sim.sport === 'Run') {
    const moving = pieces.filter((p) => p.speed > 0);
    const dl = moving.map((p) => p.speed * p.secs);
    const negPace = moving.map((p) => -1 / p.speed);
    pace = PACE_DISTANCES.map((D) => {
      const r = maxWindowIntegral(dl, negPace, D);
      return r ? Math.round(-r.value * 0.99) : null;
    });
  }

  return {
    moving_time: T,
    elapsed_time: T + (sim.stopAfter !== null ? sim.stopSecs : 0),
    distance: round1(all.dist),
    average_speed: round3(all.dist / T),
    max_speed: round3(all.vMax * (sim.indoor ? 1.1 : 1.35)),
    icu_average_watts: avgW !== null ? Math.round(avgW) : null,
    icu_weighted_avg_watts: np !== null ? Math.round(np) : null,
    icu_joules: avgW !== null ? Math.round(avgW * T) : null,
    icu_joules_above_ftp: isRide ? Math.round(all.aboveFtp) : null,
    icu_variability_index: np !== null && avgW ? round3(np / avgW) : null,
    icu_efficiency_factor: np !== null ? round3(np / avgHr) : null,
    icu_power_hr: avgW !== null ? round2(avgW / avgHr) : null,
    average_heartrate: Math.round(avgHr),
    max_heartrate: Math.round(maxHr),
    average_cadence: all.cadSecs > 0 ? round1(all.cad / all.cadSecs) : null,
    if: ifv,
    icu_intensity: ifv !== null ? ifv * 100 : null,
    icu_training_load: load,
    decoupling,
    icu_zone_times: zoneTimes,
    icu_hr_zone_times: hrzt.map(Math.round),
    pace_zone_times: paceZt,
    total_elevation_gain: elev ? round1(elev.gain) : sim.sport === 'Swim' || sim.sport === 'WeightTraining' ? null : 0,
    total_elevation_loss: elev ? round1(elev.loss) : null,
    min_altitude: elev ? round1(elev.min) : null,
    max_altitude: elev ? round1(elev.max) : null,
    average_altitude: elev ? round1(elev.avg) : null,
    calories,
    trimp,
    intervals,
    groups,
    interval_summary: intervalSummary,
    curves: { power, hr, pace },
  };
}

// ---------------------------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------------------------

export const STREAM_VALUE_TYPES: Record<string, string> = {
  time: 'java.lang.Integer',
  watts: 'java.lang.Integer',
  heartrate: 'java.lang.Integer',
  cadence: 'java.lang.Integer',
  distance: 'java.lang.Float',
  altitude: 'java.lang.Float',
  velocity_smooth: 'java.lang.Float',
};

export function streamTypesFor(sim: ActivitySim): string[] {
  switch (sim.sport) {
    case 'Ride':
      return ['time', 'watts', 'heartrate', 'cadence', 'distance', 'altitude', 'velocity_smooth'];
    case 'Run':
      return ['time', 'heartrate', 'cadence', 'distance', 'altitude', 'velocity_smooth'];
    case 'Swim':
      return ['time', 'heartrate', 'cadence', 'distance', 'velocity_smooth'];
    default:
      return ['time', 'heartrate'];
  }
}

/** 1 Hz streams (index = moving second; `time` jumps over the recording stop). */
export function generateStreams(sim: ActivitySim): Record<string, number[]> {
  const rng = new Rng(sim.seed ^ 0x5bd1e995);
  const T = totalSecs(sim);
  const n = T + 1;
  const types = streamTypesFor(sim);
  const has = (t: string) => types.includes(t);
  const time: number[] = new Array<number>(n);
  const watts: number[] = has('watts') ? new Array<number>(n) : [];
  const heartrate: number[] = new Array<number>(n);
  const cadence: number[] = has('cadence') ? new Array<number>(n) : [];
  const distance: number[] = has('distance') ? new Array<number>(n) : [];
  const altitude: number[] = has('altitude') ? new Array<number>(n) : [];
  const velocity: number[] = has('velocity_smooth') ? new Array<number>(n) : [];

  let segIdx = 0;
  let segStart = 0;
  let hr = sim.restHr + 15;
  let noise = 0;
  let v = 0;
  let dist = 0;
  let coast = 0;
  const alphaHr = 1 - Math.exp(-1 / 22);
  const outdoor = !sim.indoor;
  const sigma = sim.sport === 'Ride' ? (outdoor ? 0.11 : 0.03) : 0.025;
  for (let i = 0; i < n; i++) {
    while (segIdx < sim.segments.length - 1 && i >= segStart + (sim.segments[segIdx]?.secs ?? 0)) {
      segStart += sim.segments[segIdx]?.secs ?? 0;
      segIdx++;
    }
    const seg = sim.segments[segIdx];
    if (!seg) break;
    const frac = seg.secs > 0 ? Math.min(1, (i - segStart) / seg.secs) : 0;
    const ifv = seg.ifStart + (seg.ifEnd - seg.ifStart) * frac;
    noise = 0.75 * noise + 0.25 * rng.gauss() * 2;
    time[i] = sim.stopAfter !== null && i > sim.stopAfter ? i + sim.stopSecs : i;

    // power / speed
    let w = 0;
    let vTarget: number;
    if (sim.sport === 'Ride' && sim.ftp !== null) {
      const target = sim.ftp * ifv;
      if (coast > 0) {
        coast--;
        w = 0;
      } else {
        if (outdoor && ifv < 0.9 && rng.chance(0.004)) coast = rng.int(3, 12);
        w = target * (1 + sigma * noise) * (outdoor ? 1 / 0.97 : 1);
      }
      w = Math.max(0, Math.round(w));
      watts[i] = w;
      const smooth = outdoor ? 0.12 : 0.2;
      vTarget = speedForPower(target);
      v = w === 0 ? v * 0.985 : v + (vTarget * (1 + 0.3 * sigma * noise) - v) * smooth;
    } else {
      vTarget = speedFor(sim, ifv);
      v = v + (vTarget * (1 + sigma * 0.5 * noise) - v) * 0.2;
    }
    if (i === 0) v = sim.sport === 'Ride' ? vTarget * 0.5 : vTarget * 0.7;
    if (vTarget === 0 && sim.sport !== 'Ride') v = v * 0.7;

    // heart rate with lag and drift
    const hrT = hrTarget(sim, ifv) * (1 + (sim.drift * i) / Math.max(1, T));
    hr += (hrT - hr) * alphaHr;
    heartrate[i] = Math.round(hr + rng.gauss() * 0.8);

    if (has('cadence')) {
      const c = cadenceFor(sim, ifv, seg);
      cadence[i] = (sim.sport === 'Ride' && w === 0) || c === 0 ? 0 : Math.round(c + rng.gauss() * 1.5);
    }
    if (i > 0) dist += v;
    if (has('distance')) distance[i] = round1(dist);
    if (has('velocity_smooth')) velocity[i] = round3(v);
    if (has('altitude')) altitude[i] = sim.terrain ? round1(altitudeAt(sim.terrain, dist)) : 0;
  }
  const byType: Record<string, number[]> = { time, watts, heartrate, cadence, distance, altitude, velocity_smooth: velocity };
  const out: Record<string, number[]> = {};
  for (const t of types) out[t] = byType[t] ?? [];
  return out;
}

export interface Effort {
  start_index: number;
  end_index: number;
  average: number;
  duration: number;
  distance: number;
}

/**
 * Best efforts from streams: the top `count` non-overlapping windows of `duration` seconds (or
 * covering `distance` metres) by average of `stream`.
 */
export function bestEfforts(
  streams: Record<string, number[]>,
  stream: string,
  opts: { duration?: number; distance?: number; count?: number; minValue?: number },
): Effort[] {
  const data = streams[stream];
  const time = streams['time'] ?? [];
  const dist = streams['distance'] ?? [];
  if (!data || data.length === 0) return [];
  const n = data.length;
  const count = Math.max(1, opts.count ?? 8);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] ?? 0) + (data[i] ?? 0);
  const cands: { s: number; e: number; avg: number }[] = [];
  if (opts.duration !== undefined && opts.duration > 0) {
    const d = Math.round(opts.duration);
    for (let s = 0; s + d < n; s++) {
      const e = s + d;
      cands.push({ s, e, avg: ((prefix[e] ?? 0) - (prefix[s] ?? 0)) / d });
    }
  } else if (opts.distance !== undefined && opts.distance > 0 && dist.length === n) {
    let e = 0;
    for (let s = 0; s < n; s++) {
      if (e < s) e = s;
      while (e < n - 1 && (dist[e] ?? 0) - (dist[s] ?? 0) < opts.distance) e++;
      if ((dist[e] ?? 0) - (dist[s] ?? 0) < opts.distance) break;
      const len = e - s;
      if (len <= 0) continue;
      cands.push({ s, e, avg: ((prefix[e] ?? 0) - (prefix[s] ?? 0)) / len });
    }
  } else {
    return [];
  }
  cands.sort((a, b) => b.avg - a.avg || a.s - b.s);
  const chosen: { s: number; e: number; avg: number }[] = [];
  for (const c of cands) {
    if (chosen.length >= count) break;
    if (opts.minValue !== undefined && c.avg < opts.minValue) break;
    if (chosen.some((x) => c.s < x.e && x.s < c.e)) continue;
    chosen.push(c);
  }
  return chosen.map((c) => ({
    start_index: c.s,
    end_index: c.e,
    average: round2(c.avg),
    duration: (time[c.e] ?? c.e) - (time[c.s] ?? c.s),
    distance: round1((dist[c.e] ?? 0) - (dist[c.s] ?? 0)),
  }));
}
