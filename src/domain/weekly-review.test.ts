import { describe, expect, it } from 'vitest';
import type { Event, FullActivity } from '../intervals/schemas.js';
import { K_ATL, K_CTL } from './fitness.js';
import { hm } from './format.js';
import { sportLabel } from './sports.js';
import { matchPlanned, pendingToday, plannedLoads, projectFitness, summarise, weeklyTotals, withPending } from './weekly-review.js';

let nextId = 1;
const ev = (date: string, type: string, load: number | null, extra: Partial<Event> = {}): Event => ({
  id: nextId++,
  category: 'WORKOUT',
  type,
  name: `${type} plan`,
  start_date_local: `${date}T00:00:00`,
  icu_training_load: load,
  moving_time: 3600,
  ...extra,
});
const act = (date: string, type: string, load: number, extra: Partial<FullActivity> = {}): FullActivity =>
  ({
    id: `i${nextId++}`,
    start_date_local: `${date}T07:00:00`,
    type,
    name: `${type} done`,
    moving_time: 3000,
    distance: 20_000,
    icu_training_load: load,
    ...extra,
  }) as FullActivity;

const TODAY = '2026-11-24';

describe('sportLabel and hm', () => {
  it('groups activity types into families', () => {
    expect(['Ride', 'VirtualRide', 'GravelRide', 'MountainBikeRide'].map(sportLabel)).toEqual(['Ride', 'Ride', 'Ride', 'Ride']);
    expect(['Run', 'TrailRun', 'VirtualRun'].map(sportLabel)).toEqual(['Run', 'Run', 'Run']);
    expect(['Swim', 'OpenWaterSwim'].map(sportLabel)).toEqual(['Swim', 'Swim']);
    expect(sportLabel('WeightTraining')).toBe('WeightTraining');
    expect(sportLabel(null)).toBe('Other');
  });
  it('formats h:mm', () => {
    expect(hm(0)).toBe('0:00');
    expect(hm(3599)).toBe('1:00');
    expect(hm(5400)).toBe('1:30');
    expect(hm(36_000 + 540)).toBe('10:09');
    expect(hm(undefined)).toBeUndefined();
  });
});

describe('matchPlanned', () => {
  it('matches by paired_event_id first, even on another day or sport', () => {
    const e = ev('2026-11-17', 'Ride', 60);
    const a = act('2026-11-18', 'Run', 55, { paired_event_id: e.id });
    const rows = matchPlanned([e], [a], TODAY);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'done', plannedLoad: 60, doneLoad: 55, date: '2026-11-17' });
  });

  it('falls back to same day + same sport family, closest load first', () => {
    const e = ev('2026-11-17', 'Ride', 80);
    const far = act('2026-11-17', 'Ride', 20);
    const close = act('2026-11-17', 'VirtualRide', 75);
    const otherSport = act('2026-11-17', 'Run', 80);
    const rows = matchPlanned([e], [far, close, otherSport], TODAY);
    const planned = rows.find((r) => r.event)!;
    expect(planned.done).toEqual([close]);
    expect(planned.status).toBe('done');
    expect(rows.filter((r) => r.status === 'extra').map((r) => r.done[0])).toEqual(expect.arrayContaining([far, otherSport]));
  });

  it('does not reuse an activity paired to another planned workout', () => {
    const a1 = ev('2026-11-17', 'Ride', 60);
    const a2 = ev('2026-11-17', 'Ride', 60);
    const done = act('2026-11-17', 'Ride', 60, { paired_event_id: a1.id });
    const rows = matchPlanned([a2, a1], [done], TODAY);
    expect(rows.find((r) => r.event === a1)!.status).toBe('done');
    expect(rows.find((r) => r.event === a2)!.status).toBe('missed');
  });

  it('marks partial under 70 % of the planned load, and done at 70 %', () => {
    const e1 = ev('2026-11-10', 'Run', 100);
    const e2 = ev('2026-11-11', 'Run', 100);
    const rows = matchPlanned([e1, e2], [act('2026-11-10', 'Run', 69), act('2026-11-11', 'Run', 70)], TODAY);
    expect(rows.map((r) => r.status)).toEqual(['partial', 'done']);
  });

  it('uses duration when the plan has no load', () => {
    const e = ev('2026-11-10', 'Swim', null, { moving_time: 3600 });
    const rows = matchPlanned([e], [act('2026-11-10', 'Swim', 30, { moving_time: 1800 })], TODAY);
    expect(rows[0]!.status).toBe('partial');
  });

  it('missed before today, upcoming today and later; extras for unplanned; rows in date order', () => {
    const missed = ev('2026-11-20', 'Ride', 50);
    const today = ev(TODAY, 'Ride', 50);
    const later = ev('2026-11-26', 'Swim', 30);
    const note = ev('2026-11-21', 'Ride', null, { category: 'NOTE' });
    const extra = act('2026-11-19', 'Run', 40);
    const rows = matchPlanned([later, today, missed, note], [extra], TODAY);
    expect(rows.map((r) => [r.date, r.status])).toEqual([
      ['2026-11-19', 'extra'],
      ['2026-11-20', 'missed'],
      [TODAY, 'upcoming'],
      ['2026-11-26', 'upcoming'],
    ]);
  });

  it('summarises compliance over the due workouts', () => {
    const rows = matchPlanned(
      [ev('2026-11-10', 'Ride', 100), ev('2026-11-11', 'Run', 50), ev('2026-11-12', 'Ride', 80), ev('2026-11-25', 'Run', 40)],
      [act('2026-11-10', 'Ride', 90), act('2026-11-11', 'Run', 20), act('2026-11-13', 'Swim', 30)],
      TODAY,
    );
    expect(summarise(rows)).toEqual({
      due: 3,
      done: 1,
      partial: 1,
      missed: 1,
      upcoming: 1,
      extra: 1,
      done_pct: 67,
      planned_load: 230,
      done_load: 110,
      extra_load: 30,
    });
  });
});

describe('weeklyTotals', () => {
  it('sums per ISO week (Monday) and sport family', () => {
    const t = weeklyTotals([
      act('2026-11-16', 'Ride', 50, { moving_time: 3600, distance: 30_000 }),
      act('2026-11-22', 'VirtualRide', 40, { moving_time: 1800, distance: 15_000 }),
      act('2026-11-22', 'Run', 30, { moving_time: 1200, distance: 5000 }),
      act('2026-11-23', 'Ride', 10, { moving_time: 600, distance: 5000 }),
    ]);
    expect(t).toEqual([
      { week: '2026-11-16', sport: 'Ride', n: 2, secs: 5400, meters: 45_000, load: 90 },
      { week: '2026-11-16', sport: 'Run', n: 1, secs: 1200, meters: 5000, load: 30 },
      { week: '2026-11-23', sport: 'Ride', n: 1, secs: 600, meters: 5000, load: 10 },
    ]);
  });
});

describe('projection', () => {
  it('decays CTL by e^(-1/42) and ATL by e^(-1/7) per day without load', () => {
    const days = projectFitness({ ctl: 60, atl: 70 }, new Map(), '2026-11-24', '2026-12-06');
    expect(days).toHaveLength(12);
    days.forEach((d, i) => {
      expect(d.load).toBe(0);
      expect(d.ctl).toBeCloseTo(60 * Math.exp(-(i + 1) / 42), 10);
      expect(d.atl).toBeCloseTo(70 * Math.exp(-(i + 1) / 7), 10);
    });
    expect(days[0]!.date).toBe('2026-11-25');
    expect(days.at(-1)!.date).toBe('2026-12-06');
  });

  it('follows the exact recurrence with planned loads', () => {
    const loads = new Map([
      ['2026-11-25', 100],
      ['2026-11-27', 50],
    ]);
    const days = projectFitness({ ctl: 40, atl: 45 }, loads, '2026-11-24', '2026-11-28');
    let ctl = 40;
    let atl = 45;
    const expected = [100, 0, 50, 0].map((load) => {
      ctl = ctl * Math.exp(-1 / 42) + load * (1 - Math.exp(-1 / 42));
      atl = atl * Math.exp(-1 / 7) + load * (1 - Math.exp(-1 / 7));
      return { load, ctl, atl };
    });
    expect(days.map((d) => d.load)).toEqual([100, 0, 50, 0]);
    days.forEach((d, i) => {
      expect(d.ctl).toBeCloseTo(expected[i]!.ctl, 10);
      expect(d.atl).toBeCloseTo(expected[i]!.atl, 10);
    });
  });

  it('sums planned loads per day from workouts and races, not notes or off-chart events', () => {
    const loads = plannedLoads([
      ev('2026-11-25', 'Ride', 60),
      ev('2026-11-25', 'Run', 40),
      ev('2026-11-26', 'Run', 62, { category: 'RACE_C' }),
      ev('2026-11-27', 'Ride', 99, { category: 'NOTE' }),
      ev('2026-11-28', 'Ride', 70, { not_on_fitness_chart: true }),
    ]);
    expect([...loads]).toEqual([
      ['2026-11-25', 100],
      ['2026-11-26', 62],
    ]);
  });

  it("adds today's planned load not done yet", () => {
    const done = ev(TODAY, 'Ride', 80);
    const pending = ev(TODAY, 'Run', 50);
    const acts = [act(TODAY, 'Ride', 75, { paired_event_id: done.id })];
    expect(pendingToday([done, pending, ev('2026-11-25', 'Run', 40)], acts, TODAY)).toBe(50);
    const v = withPending({ ctl: 50, atl: 40 }, 50);
    expect(v.ctl).toBeCloseTo(50 + 50 * K_CTL, 12);
    expect(v.atl).toBeCloseTo(40 + 50 * K_ATL, 12);
  });
});
