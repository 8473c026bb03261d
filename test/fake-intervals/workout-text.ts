/**
 * A small parser for the Intervals.icu workout description text syntax, used by the fake
 * Intervals.icu server (and exported for tests).
 *
 * Syntax supported (see ../shared/reference/intervals-api.md, "Workout description text syntax"):
 *  - step lines start with `- `: `- [cue text] <duration|distance> [target] [cadence]`
 *  - durations: `1h`, `10m`, `30s`, `1h2m30s`, `1m30`, `5'`, `30"`, `1'30"` (`m` is MINUTES)
 *  - distances: `500mtr`, `2km`, `1mi`, `400yrd`
 *  - power: `75%`, `95-105%`, `50%-75%`, `220w`, `200-240w`, `Z2`, `Z3-Z4`
 *  - heart rate: `70% HR` (of max HR), `95% LTHR`, `Z2 HR`
 *  - pace: `60% Pace`, `Z2 Pace`, `5:00/km Pace`, `5:10-4:50/km Pace`
 *  - `90rpm`, `90-100rpm`, `ramp 50%-75%`, `freeride`, `intensity=rest`
 *  - repeats: a line `4x` or a header ending in ` 4x`, followed by steps until a blank line
 *  - other lines without a dash are section headers (`Warmup` / `Cooldown` headers flag the steps)
 *
 * Planned load = Σ(duration_h × IF² × 100), IF = % of threshold / 100 (range midpoint; ramps use
 * the mean of IF² over the ramp; zones map to a representative %). Intensity = √(load / (h × 100)) × 100.
 */

export interface ParseSettings {
  /** Sport type of the workout (Ride, Run, Swim, ...): only used to guess speeds for distance steps. */
  sport?: string | null;
  ftp?: number | null;
  lthr?: number | null;
  maxHr?: number | null;
  /** Threshold pace in m/s. */
  thresholdPace?: number | null;
  /** Upper bounds in % of FTP, 999 = open top zone. */
  powerZones?: number[] | null;
  /** Absolute bpm upper bounds. */
  hrZones?: number[] | null;
  /** Upper bounds in % of threshold pace, 999 = open top zone. */
  paceZones?: number[] | null;
  sweetSpotMin?: number | null;
  sweetSpotMax?: number | null;
}

export interface WorkoutTarget {
  value?: number;
  start?: number;
  end?: number;
  units: string;
}

export interface WorkoutStep {
  text?: string;
  duration?: number;
  distance?: number;
  reps?: number;
  steps?: WorkoutStep[];
  power?: WorkoutTarget;
  hr?: WorkoutTarget;
  pace?: WorkoutTarget;
  cadence?: WorkoutTarget;
  ramp?: boolean;
  freeride?: boolean;
  warmup?: boolean;
  cooldown?: boolean;
  intensity?: string;
}

export interface WorkoutDoc {
  target: 'POWER' | 'HR' | 'PACE' | 'AUTO';
  duration: number;
  distance?: number;
  steps: WorkoutStep[];
  zoneTimes?: number[];
}

export type TargetKind = 'power' | 'hr' | 'pace';

/** A flattened step (repeats expanded), used by the fake data generator to simulate activities. */
export interface FlatSegment {
  secs: number;
  /** Distance in metres if the step was distance based. */
  distance: number | null;
  /** Fraction of threshold (IF) at the start and the end of the step (equal unless a ramp); null = no target. */
  ifStart: number | null;
  ifEnd: number | null;
  kind: TargetKind | null;
  text: string | null;
  /** 0-based index of the repeat block the step belongs to (null outside repeats). */
  block: number | null;
  /** 0-based repetition number inside the block. */
  rep: number | null;
  /** Index of the step inside its repeat block (or top level). */
  stepInBlock: number;
  cadence: number | null;
  warmup: boolean;
  cooldown: boolean;
  rest: boolean;
}

export interface ParseError {
  line: number;
  text: string;
  message: string;
}

export interface ParsedWorkout {
  ok: true;
  doc: WorkoutDoc;
  moving_time: number;
  distance: number | null;
  icu_training_load: number;
  icu_intensity: number;
  segments: FlatSegment[];
}

export interface WorkoutParseFailure {
  ok: false;
  errors: ParseError[];
}

export type WorkoutParseResult = ParsedWorkout | WorkoutParseFailure;

const DEFAULT_POWER_ZONES = [55, 75, 90, 105, 120, 150, 999];
const DEFAULT_PACE_ZONES = [77.5, 87.7, 94.3, 100, 103.4, 111.5, 999];
/** Representative % of LTHR per HR zone when the athlete has no HR zones. */
const DEFAULT_HR_ZONE_PCT_LTHR = [75, 85, 92, 97, 102, 106, 110];

const PACE_UNIT_METRES: Record<string, number> = {
  '/km': 1000,
  '/mi': 1609.344,
  '/100m': 100,
  '/100y': 91.44,
  '/500m': 500,
  '/400m': 400,
  '/250m': 250,
};

const DEFAULT_SPEED: Record<string, number> = { Run: 3.0, Swim: 1.1, Ride: 8.3 };

/** Representative % for zone `i` (0-based) given zone upper bounds (999 = open top). */
export function zoneRepresentative(zones: number[], i: number): number {
  const idx = Math.max(0, Math.min(zones.length - 1, i));
  const hiRaw = zones[idx] ?? 100;
  const lo = idx === 0 ? hiRaw * 0.8 : (zones[idx - 1] ?? 0);
  const hi = hiRaw >= 999 ? lo * 1.2 : hiRaw;
  return (lo + hi) / 2;
}

/** 0-based zone index for a value given zone upper bounds. */
export function zoneIndex(zones: number[], value: number): number {
  for (let i = 0; i < zones.length; i++) {
    if (value <= (zones[i] ?? Infinity)) return i;
  }
  return Math.max(0, zones.length - 1);
}

/** Maps a fraction of LTHR to an approximate intensity factor. */
export function hrFractionToIf(f: number): number {
  return Math.max(0.3, 1 + (f - 1) * 1.5);
}

function parseClock(s: string): number | null {
  const m = /^(\d+):(\d{2})$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

interface DurDist {
  secs?: number;
  metres?: number;
}

/** Parses a duration or distance token. Returns null if the token is neither. */
export function parseDurationOrDistance(token: string): DurDist | null {
  const t = token.trim();
  let m = /^(\d+(?:\.\d+)?)(mtr|km|mi|yrd|yd)$/i.exec(t);
  if (m) {
    const n = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    const metres = unit === 'mtr' ? n : unit === 'km' ? n * 1000 : unit === 'mi' ? n * 1609.344 : n * 0.9144;
    return { metres: Math.round(metres * 1000) / 1000 };
  }
  m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/i.exec(t);
  if (m && (m[1] !== undefined || m[2] !== undefined || m[3] !== undefined)) {
    const secs = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    return { secs: Math.round(secs) };
  }
  m = /^(\d+)m(\d{1,2})$/i.exec(t);
  if (m) return { secs: Number(m[1]) * 60 + Number(m[2]) };
  m = /^(?:(\d+(?:\.\d+)?)')?(?:(\d+(?:\.\d+)?)")?$/.exec(t);
  if (m && (m[1] !== undefined || m[2] !== undefined)) {
    return { secs: Math.round(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) };
  }
  return null;
}

interface ResolvedTarget {
  kind: TargetKind;
  target: WorkoutTarget;
  /** IF at start/end (end differs only for ramps). */
  ifStart: number | null;
  ifEnd: number | null;
  /** Speed in m/s implied by a pace target (for distance steps). */
  speedStart: number | null;
  speedEnd: number | null;
}

function rangeOrValue(a: number, b: number | undefined, units: string): WorkoutTarget {
  return b === undefined ? { value: a, units } : { start: a, end: b, units };
}

function resolveTarget(src: string, s: ParseSettings, ramp: boolean): ResolvedTarget | null {
  const powerZones = s.powerZones?.length ? s.powerZones : DEFAULT_POWER_ZONES;
  const paceZones = s.paceZones?.length ? s.paceZones : DEFAULT_PACE_ZONES;
  const thresholdPace = s.thresholdPace ?? null;
  const mid = (a: number, b: number | undefined) => (b === undefined ? a : (a + b) / 2);
  const pair = (a: number, b: number | undefined): [number, number] => (ramp && b !== undefined ? [a, b] : [mid(a, b), mid(a, b)]);

  // Absolute pace: 5:00/km Pace, 5:10-4:50/km pace
  let m = /(\d+:\d{2})(?:\s*-\s*(\d+:\d{2}))?\s*(\/(?:km|mi|100m|100y|500m|400m|250m))?\s*pace\b/i.exec(src);
  if (m) {
    const unit = (m[3] ?? '/km').toLowerCase();
    const metres = PACE_UNIT_METRES[unit] ?? 1000;
    const a = parseClock(m[1] ?? '') ?? 0;
    const b = m[2] !== undefined ? (parseClock(m[2]) ?? undefined) : undefined;
    const spA = a > 0 ? metres / a : null;
    const spB = b !== undefined && b > 0 ? metres / b : null;
    const [x, y] =
      ramp && spB !== null
        ? [spA, spB]
        : [spB !== null && spA !== null ? (spA + spB) / 2 : spA, spB !== null && spA !== null ? (spA + spB) / 2 : spA];
    return {
      kind: 'pace',
      target: rangeOrValue(a, b, `secs${unit}`),
      ifStart: thresholdPace && x !== null ? x / thresholdPace : null,
      ifEnd: thresholdPace && y !== null ? y / thresholdPace : null,
      speedStart: x,
      speedEnd: y,
    };
  }

  // Percent targets: 75%, 95-105%, 50%-75%, 70% HR, 95% LTHR, 60% Pace
  m = /(\d+(?:\.\d+)?)\s*%?\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?%(?:\s*(lthr|hr|pace)\b)?/i.exec(src);
  if (m) {
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : undefined;
    const qual = (m[3] ?? '').toLowerCase();
    const [x, y] = pair(a, b);
    if (qual === 'hr') {
      const maxHr = s.maxHr ?? null;
      const lthr = s.lthr ?? null;
      const toIf = (p: number) => (maxHr && lthr ? hrFractionToIf(((p / 100) * maxHr) / lthr) : hrFractionToIf(p / 100 / 0.9));
      return { kind: 'hr', target: rangeOrValue(a, b, '%hr'), ifStart: toIf(x), ifEnd: toIf(y), speedStart: null, speedEnd: null };
    }
    if (qual === 'lthr') {
      return {
        kind: 'hr',
        target: rangeOrValue(a, b, '%lthr'),
        ifStart: hrFractionToIf(x / 100),
        ifEnd: hrFractionToIf(y / 100),
        speedStart: null,
        speedEnd: null,
      };
    }
    if (qual === 'pace') {
      return {
        kind: 'pace',
        target: rangeOrValue(a, b, '%pace'),
        ifStart: x / 100,
        ifEnd: y / 100,
        speedStart: thresholdPace ? (thresholdPace * x) / 100 : null,
        speedEnd: thresholdPace ? (thresholdPace * y) / 100 : null,
      };
    }
    return { kind: 'power', target: rangeOrValue(a, b, '%ftp'), ifStart: x / 100, ifEnd: y / 100, speedStart: null, speedEnd: null };
  }

  // Zones: Z2, Z3-Z4, Z2 HR, Z2 Pace
  m = /\bz(\d)(?:\s*-\s*z?(\d))?(?:\s+(hr|pace)\b)?/i.exec(src);
  if (m) {
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : undefined;
    const qual = (m[3] ?? '').toLowerCase();
    if (qual === 'hr') {
      const rep = (z: number): number => {
        if (s.hrZones?.length && s.lthr) return hrFractionToIf(zoneRepresentative(s.hrZones, z - 1) / s.lthr);
        return hrFractionToIf((DEFAULT_HR_ZONE_PCT_LTHR[Math.min(6, Math.max(0, z - 1))] ?? 90) / 100);
      };
      const ra = rep(a);
      const rb = b !== undefined ? rep(b) : undefined;
      const [x, y] = pair(ra, rb);
      return { kind: 'hr', target: rangeOrValue(a, b, 'hr_zone'), ifStart: x, ifEnd: y, speedStart: null, speedEnd: null };
    }
    if (qual === 'pace') {
      const ra = zoneRepresentative(paceZones, a - 1) / 100;
      const rb = b !== undefined ? zoneRepresentative(paceZones, b - 1) / 100 : undefined;
      const [x, y] = pair(ra, rb);
      return {
        kind: 'pace',
        target: rangeOrValue(a, b, 'pace_zone'),
        ifStart: x,
        ifEnd: y,
        speedStart: thresholdPace ? thresholdPace * x : null,
        speedEnd: thresholdPace ? thresholdPace * y : null,
      };
    }
    const ra = zoneRepresentative(powerZones, a - 1) / 100;
    const rb = b !== undefined ? zoneRepresentative(powerZones, b - 1) / 100 : undefined;
    const [x, y] = pair(ra, rb);
    return { kind: 'power', target: rangeOrValue(a, b, 'power_zone'), ifStart: x, ifEnd: y, speedStart: null, speedEnd: null };
  }

  // Watts: 220w, 200-240w
  m = /(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?w\b/i.exec(src);
  if (m) {
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : undefined;
    const [x, y] = pair(a, b);
    const ftp = s.ftp ?? null;
    return {
      kind: 'power',
      target: rangeOrValue(a, b, 'w'),
      ifStart: ftp ? x / ftp : null,
      ifEnd: ftp ? y / ftp : null,
      speedStart: null,
      speedEnd: null,
    };
  }
  return null;
}

interface ParsedStep {
  step: WorkoutStep;
  secs: number;
  metres: number | null;
  ifStart: number | null;
  ifEnd: number | null;
  kind: TargetKind | null;
  cadence: number | null;
  rest: boolean;
}

function parseStepLine(body: string, s: ParseSettings): ParsedStep | string {
  const tokens = body.split(/\s+/).filter((t) => t.length > 0);
  let idx = -1;
  let dd: DurDist | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const r = parseDurationOrDistance(tokens[i] ?? '');
    if (r) {
      idx = i;
      dd = r;
      break;
    }
  }
  if (idx < 0 || !dd) return 'No duration or distance found in step';
  const cue = tokens.slice(0, idx).join(' ');
  let rest = ` ${tokens.slice(idx + 1).join(' ')} `;

  const step: WorkoutStep = {};
  if (cue) step.text = cue;

  let intensity: string | undefined;
  rest = rest.replace(/\bintensity=(\w+)/i, (_all, v: string) => {
    intensity = v.toLowerCase();
    return ' ';
  });
  let ramp = false;
  rest = rest.replace(/\bramp\b/i, () => {
    ramp = true;
    return ' ';
  });
  let freeride = false;
  rest = rest.replace(/\bfreeride\b/i, () => {
    freeride = true;
    return ' ';
  });
  let cadence: number | null = null;
  rest = rest.replace(/(\d+)(?:\s*-\s*(\d+))?\s*rpm\b/i, (_all, a: string, b: string | undefined) => {
    step.cadence = b !== undefined ? { start: Number(a), end: Number(b), units: 'rpm' } : { value: Number(a), units: 'rpm' };
    cadence = b !== undefined ? (Number(a) + Number(b)) / 2 : Number(a);
    return ' ';
  });

  const target = resolveTarget(rest, s, ramp);
  if (target) step[target.kind] = target.target;
  if (ramp) step.ramp = true;
  if (freeride) step.freeride = true;
  if (intensity) step.intensity = intensity;

  let secs: number;
  let metres: number | null = null;
  if (dd.metres !== undefined) {
    metres = dd.metres;
    step.distance = dd.metres;
    let speed: number | null = null;
    if (target && target.speedStart !== null && target.speedEnd !== null) speed = (target.speedStart + target.speedEnd) / 2;
    if (speed === null || speed <= 0) {
      const base = s.thresholdPace ?? DEFAULT_SPEED[s.sport ?? ''] ?? DEFAULT_SPEED['Run'] ?? 3;
      const f = target && target.ifStart !== null && target.ifEnd !== null ? (target.ifStart + target.ifEnd) / 2 : 0.8;
      speed = base * Math.max(0.3, f);
    }
    secs = Math.round(metres / speed);
  } else {
    secs = dd.secs ?? 0;
    step.duration = secs;
  }
  if (secs <= 0 && (metres === null || metres <= 0)) return 'Step duration must be greater than zero';
  if (dd.metres !== undefined) step.duration = secs;
  return {
    step,
    secs,
    metres,
    ifStart: intensity === 'rest' && !target ? 0 : target ? target.ifStart : null,
    ifEnd: intensity === 'rest' && !target ? 0 : target ? target.ifEnd : null,
    kind: target ? target.kind : null,
    cadence,
    rest: intensity === 'rest',
  };
}

/** Parses Intervals.icu workout text. Any unparsable step line makes the whole parse fail. */
export function parseWorkoutText(text: string, settings: ParseSettings = {}): WorkoutParseResult {
  const lines = (text ?? '').split(/\r?\n/);
  const errors: ParseError[] = [];
  const topSteps: WorkoutStep[] = [];
  const segments: FlatSegment[] = [];

  interface Block {
    reps: number;
    text: string;
    steps: ParsedStep[];
    index: number;
  }
  let block: Block | null = null;
  let blockCount = 0;
  let topIndex = 0;
  let section: 'warmup' | 'cooldown' | null = null;
  let anyStep = false;

  const emitSegments = (ps: ParsedStep, blk: number | null, rep: number | null, stepInBlock: number) => {
    segments.push({
      secs: ps.secs,
      distance: ps.metres,
      ifStart: ps.ifStart,
      ifEnd: ps.ifEnd,
      kind: ps.kind,
      text: ps.step.text ?? null,
      block: blk,
      rep,
      stepInBlock,
      cadence: ps.cadence,
      warmup: ps.step.warmup === true,
      cooldown: ps.step.cooldown === true,
      rest: ps.rest,
    });
  };

  const closeBlock = () => {
    if (!block) return;
    const b = block;
    block = null;
    if (b.steps.length === 0) return;
    const rs: WorkoutStep = {};
    if (b.text) rs.text = b.text;
    rs.reps = b.reps;
    rs.steps = b.steps.map((p) => p.step);
    topSteps.push(rs);
    for (let r = 0; r < b.reps; r++) {
      b.steps.forEach((p, i) => {
        emitSegments(p, b.index, r, i);
      });
    }
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '') {
      closeBlock();
      section = null;
      return;
    }
    if (line.startsWith('-')) {
      const body = line.replace(/^-+\s*/, '');
      const parsed = parseStepLine(body, settings);
      if (typeof parsed === 'string') {
        errors.push({ line: lineNo, text: raw, message: parsed });
        return;
      }
      anyStep = true;
      if (section === 'warmup') parsed.step.warmup = true;
      if (section === 'cooldown') parsed.step.cooldown = true;
      if (block) {
        block.steps.push(parsed);
      } else {
        topSteps.push(parsed.step);
        emitSegments(parsed, null, null, topIndex++);
      }
      return;
    }
    // Header line: a repeat header ("4x", "Main Set 4x") or a plain section header.
    const rm = /^(.*?)\s*(\d+)\s*x$/i.exec(line);
    closeBlock();
    if (rm) {
      block = { reps: Math.max(1, Number(rm[2])), text: (rm[1] ?? '').trim(), steps: [], index: blockCount++ };
      section = null;
      return;
    }
    section = /warm\s*-?\s*up/i.test(line) ? 'warmup' : /cool\s*-?\s*down/i.test(line) ? 'cooldown' : null;
  });
  closeBlock();

  if (errors.length > 0) return { ok: false, errors };
  if (!anyStep) return { ok: false, errors: [{ line: 0, text: text ?? '', message: 'No workout steps found' }] };

  // Totals, load and intensity.
  let totalSecs = 0;
  let totalDist = 0;
  let sumIf2Secs = 0;
  let kindFound: TargetKind | null = null;
  for (const seg of segments) {
    totalSecs += seg.secs;
    if (seg.distance !== null) totalDist += seg.distance;
    if (seg.ifStart !== null && seg.ifEnd !== null) {
      const a = seg.ifStart;
      const b = seg.ifEnd;
      sumIf2Secs += seg.secs * ((a * a + a * b + b * b) / 3);
    }
    if (!kindFound && seg.kind) kindFound = seg.kind;
  }
  const hours = totalSecs / 3600;
  const rawLoad = (sumIf2Secs / 3600) * 100;
  const load = Math.round(rawLoad);
  const intensity = hours > 0 ? Math.sqrt(rawLoad / (hours * 100)) * 100 : 0;

  const target: WorkoutDoc['target'] = kindFound === 'power' ? 'POWER' : kindFound === 'pace' ? 'PACE' : kindFound === 'hr' ? 'HR' : 'AUTO';
  const doc: WorkoutDoc = { target, duration: totalSecs, steps: topSteps };
  if (totalDist > 0) doc.distance = Math.round(totalDist * 1000) / 1000;

  // Zone times by the doc's target kind.
  if (kindFound === 'power') {
    const zones = settings.powerZones?.length ? settings.powerZones : DEFAULT_POWER_ZONES;
    const ssMin = settings.sweetSpotMin ?? 84;
    const ssMax = settings.sweetSpotMax ?? 97;
    const zt = new Array<number>(zones.length + 1).fill(0);
    for (const seg of segments) {
      if (seg.ifStart === null || seg.ifEnd === null) continue;
      const pct = ((seg.ifStart + seg.ifEnd) / 2) * 100;
      const zi = zoneIndex(zones, pct);
      zt[zi] = (zt[zi] ?? 0) + seg.secs;
      if (pct >= ssMin && pct <= ssMax) zt[zones.length] = (zt[zones.length] ?? 0) + seg.secs;
    }
    doc.zoneTimes = zt;
  } else if (kindFound === 'pace') {
    const zones = settings.paceZones?.length ? settings.paceZones : DEFAULT_PACE_ZONES;
    const zt = new Array<number>(zones.length).fill(0);
    for (const seg of segments) {
      if (seg.ifStart === null || seg.ifEnd === null) continue;
      const zi = zoneIndex(zones, ((seg.ifStart + seg.ifEnd) / 2) * 100);
      zt[zi] = (zt[zi] ?? 0) + seg.secs;
    }
    doc.zoneTimes = zt;
  }

  return {
    ok: true,
    doc,
    moving_time: totalSecs,
    distance: totalDist > 0 ? Math.round(totalDist * 1000) / 1000 : null,
    icu_training_load: load,
    icu_intensity: intensity,
    segments,
  };
}
