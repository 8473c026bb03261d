import { describe, expect, it } from 'vitest';
import {
  decoupling,
  downsample,
  hrDropoutSeconds,
  MAX_GAP_S,
  normalisedPower,
  sampleDurations,
  sum,
  summariseStreams,
  timeInZones,
  timeWeightedMean,
  zoneIndex,
  zoneString,
} from './stream-analysis.js';

const range = (n: number, f: (i: number) => number | null = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

describe('sampleDurations', () => {
  it('gives each sample the step from the previous one; n samples at 1 Hz span n − 1 s', () => {
    const dt = sampleDurations(range(601));
    expect(dt[0]).toBe(0);
    expect(sum(dt)).toBe(600);
  });

  it('counts a recording pause as one nominal step, not as moving time', () => {
    const time = [...range(301), ...range(300, (i) => 301 + 600 + i)]; // 10-minute stop after 300 s
    const dt = sampleDurations(time);
    expect(sum(dt)).toBe(600);
    expect(Math.max(...dt)).toBeLessThanOrEqual(MAX_GAP_S);
  });

  it('keeps the real step for sparse (smart) recording', () => {
    const dt = sampleDurations([0, 3, 6, 9, 12]);
    expect(dt).toEqual([0, 3, 3, 3, 3]);
  });
});

describe('downsample', () => {
  it('keeps the point budget and averages each bucket of elapsed time', () => {
    const n = 3601;
    const time = range(n);
    const watts = range(n, (i) => i % 100); // mean of any 100 consecutive seconds = 49.5
    for (const points of [1, 7, 36, 120, 1000]) {
      const d = downsample(time, { watts }, points);
      expect(d.time.length).toBeLessThanOrEqual(points);
      expect(d.time[0]).toBe(0);
      expect(d.time[1] ?? d.every).toBe(d.every);
    }
    const d = downsample(time, { watts }, 36);
    expect(d.every).toBe(101); // ceil(3601 / 36)
    // Bucket k holds seconds [101k, 101k + 100]: check each against a direct mean.
    d.time.forEach((t, k) => {
      const slice = watts.slice(t, Math.min(n, t + d.every)) as number[];
      expect(d.series.watts![k]).toBeCloseTo(sum(slice) / slice.length, 9);
    });
  });

  it('labels buckets by their start second and skips buckets inside a pause', () => {
    const time = [0, 1, 2, 3, 100, 101, 102];
    const hr = [100, 102, 104, 106, 150, 152, 154];
    const d = downsample(time, { hr }, 50); // span 103 s → 3 s buckets
    expect(d.every).toBe(3);
    expect(d.time).toEqual([0, 3, 99, 102]);
    expect(d.series.hr).toEqual([102, 106, 151, 154]);
  });

  it('ignores nulls, and zeros of the dropZero streams, in the means', () => {
    const d = downsample([0, 1, 2, 3], { heartrate: [140, 0, null, 150], watts: [0, 200, null, 100] }, 1, {
      dropZero: new Set(['heartrate']),
    });
    expect(d.series.heartrate).toEqual([145]);
    expect(d.series.watts).toEqual([100]);
  });

  it('handles an empty stream', () => {
    expect(downsample([], { watts: [] }, 10)).toEqual({ every: 0, time: [], series: { watts: [] } });
  });
});

describe('zones', () => {
  it('places a value in the first zone whose upper bound it does not exceed', () => {
    const bounds = [55, 75, 90, 105, 120, 150, 999];
    expect(zoneIndex(0, bounds)).toBe(0);
    expect(zoneIndex(55, bounds)).toBe(0);
    expect(zoneIndex(55.1, bounds)).toBe(1);
    expect(zoneIndex(2000, bounds)).toBe(6);
    expect(zoneIndex(200, [130, 150, 170])).toBe(2); // above max HR: top zone
  });

  it('time in zones sums to the moving duration (power, pauses excluded)', () => {
    const time = [...range(1201), ...range(600, (i) => 1201 + 300 + i)];
    const watts = time.map((_, i) => (i * 37) % 400);
    const dt = sampleDurations(time);
    const ftp = 250;
    const z = timeInZones(watts, dt, [55, 75, 90, 105, 120, 150, 999], { toZoneUnit: (w) => (w / ftp) * 100 });
    expect(sum(z)).toBe(sum(dt));
    expect(sum(dt)).toBe(1800);
  });

  it('HR zone seconds plus dropout seconds make the moving duration', () => {
    const time = range(1001);
    const hr = range(1001, (i) => (i % 50 === 0 ? 0 : i % 77 === 0 ? null : 120 + (i % 40)));
    const dt = sampleDurations(time);
    const z = timeInZones(hr, dt, [130, 147, 155, 162], { skip: (v) => !v || v <= 0 });
    expect(sum(z) + hrDropoutSeconds(hr, dt)).toBe(sum(dt));
  });

  it('formats zone seconds and leaves empty zones out', () => {
    expect(zoneString([600, 0, 1799.6, 0])).toBe('Z1:600 Z3:1800');
  });
});

describe('normalised power', () => {
  it('equals a constant power', () => {
    const time = range(3601);
    expect(
      normalisedPower(
        range(3601, () => 250),
        sampleDurations(time),
      ),
    ).toBeCloseTo(250, 9);
  });

  it('is above the average for variable power and matches the 30 s rolling 4th-power mean', () => {
    const n = 1801;
    const watts = range(n, (i) => (Math.floor(i / 60) % 2 ? 350 : 150));
    const dt = sampleDurations(range(n));
    // Reference: 1 Hz Coggan NP over samples 1..n-1 (sample 0 stands for no time).
    const w = watts.slice(1) as number[];
    const rolling: number[] = [];
    for (let i = 29; i < w.length; i++) rolling.push(sum(w.slice(i - 29, i + 1)) / 30);
    const ref = (sum(rolling.map((r) => r ** 4)) / rolling.length) ** 0.25;
    const np = normalisedPower(watts, dt)!;
    expect(np).toBeCloseTo(ref, 6);
    expect(np).toBeGreaterThan(timeWeightedMean(watts, dt)!);
  });

  it('is undefined for less than 30 s of data', () => {
    expect(
      normalisedPower(
        range(20, () => 200),
        sampleDurations(range(20)),
      ),
    ).toBeUndefined();
  });
});

describe('decoupling', () => {
  const n = 3601;
  const dt = sampleDurations(range(n));
  const watts = range(n, () => 200);

  it('is ~0 for steady HR and positive for HR drifting up at constant power', () => {
    expect(
      decoupling(
        watts,
        range(n, () => 140),
        dt,
      ),
    ).toBeCloseTo(0, 9);
    // HR 140 in the first half, 147 (+5 %) in the second: EF falls by 1 − 140/147 = 4.76 %.
    const hr = range(n, (i) => (i <= 1800 ? 140 : 147));
    expect(decoupling(watts, hr, dt)).toBeCloseTo((1 - 140 / 147) * 100, 1);
  });

  it('is negative when HR drifts down', () => {
    const hr = range(n, (i) => 150 - (10 * i) / n);
    expect(decoupling(watts, hr, dt)!).toBeLessThan(0);
  });

  it('skips HR dropouts (0 bpm, nulls) and zero output instead of counting them', () => {
    const hr = range(n, (i) => (i <= 1800 ? 140 : 147));
    const holey = hr.map((v, i) => (i % 10 === 0 ? 0 : i % 13 === 0 ? null : v));
    const coasting = watts.map((v, i) => (i % 17 === 0 ? 0 : v));
    expect(decoupling(coasting, holey, dt)).toBeCloseTo((1 - 140 / 147) * 100, 1);
  });

  it('is undefined without enough valid data in a half', () => {
    expect(
      decoupling(
        range(100, () => 200),
        range(100, () => 140),
        sampleDurations(range(100)),
      ),
    ).toBeUndefined();
  });
});

describe('summariseStreams', () => {
  const n = 3601;
  const time = range(n);
  const th = { ftp: 250, powerZones: [55, 75, 90, 105, 120, 150, 999], hrZones: [130, 147, 155, 162, 170, 176, 186] };

  it('ride: avg/NP, zones, EF = NP / avg HR, decoupling, dropouts', () => {
    const watts = range(n, () => 200);
    const heartrate = range(n, (i) => (i % 100 === 0 ? 0 : i <= 1800 ? 140 : 147));
    const s = summariseStreams('ride', { time, watts, heartrate }, th);
    expect(s.moving_s).toBe(3600);
    expect(s.avg_w).toBe(200);
    expect(s.np_w).toBe(200);
    expect(s.power_zones_s).toBe('Z3:3600'); // 200 W = 80 % of FTP
    expect(s.hr_dropout_s).toBe(36); // samples 100, 200, … 3600
    expect(s.hr_zones_s).toBe('Z2:3564'); // 140 and 147 bpm are both ≤ 147
    const avgHr = (140 * 1764 + 147 * 1800) / 3564;
    expect(s.avg_hr).toBe(Math.round(avgHr));
    expect(s.ef).toBe(Math.round((200 / avgHr) * 100) / 100);
    expect(s.decoupling_pct).toBeCloseTo((1 - 140 / 147) * 100, 0);
  });

  it('run: EF = speed in m/min / avg HR, pace zones and average pace', () => {
    const velocity = range(n, () => 3.7);
    const heartrate = range(n, () => 150);
    const s = summariseStreams(
      'run',
      { time, velocity, heartrate },
      { hrZones: [140, 160], thresholdPace: 3.7, paceZones: [90, 100, 999] },
    );
    expect(s.ef).toBe(Math.round(((3.7 * 60) / 150) * 100) / 100);
    expect(s.pace_zones_s).toBe('Z2:3600');
    expect(s.avg_pace).toBe('4:30/km');
    expect(s.decoupling_pct).toBe(0);
    expect(s.np_w).toBeUndefined();
  });

  it('leaves out what cannot be computed', () => {
    const s = summariseStreams('other', { time, heartrate: range(n, () => 100) }, {});
    expect(Object.keys(s).sort()).toEqual(['avg_hr', 'hr_dropout_s', 'moving_s']);
  });
});
