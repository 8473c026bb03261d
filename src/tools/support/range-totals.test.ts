import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../../test/support/tool-kit.js';
import type { Activity, Event } from '../../intervals/schemas.js';
import { calendarTotals, rangeTotals } from './range-totals.js';

const act = (type: string, moving_time: number, distance: number, load: number) =>
  ({
    id: `i${type}${moving_time}`,
    start_date_local: '2026-11-01T07:00:00',
    type,
    moving_time,
    distance,
    icu_training_load: load,
  }) as unknown as Activity;

describe('rangeTotals', () => {
  it('groups rides (VirtualRide too), runs and other types, most time first, with an all row; Strava stubs are not counted', () => {
    const t = rangeTotals([
      act('Ride', 3600, 30_000, 60),
      act('VirtualRide', 1800, 15_000, 40),
      act('Run', 2700, 9_000, 50),
      act('WeightTraining', 1800, 0, 20),
      { id: '123', start_date_local: '2026-11-02T07:00:00', source: 'STRAVA', _note: 'x' } as unknown as Activity,
    ]);
    expect(rowsOf(t)).toEqual([
      { sport: 'Ride', n: 2, time: '1:30', km: 45, load: 100 },
      { sport: 'Run', n: 1, time: '0:45', km: 9, load: 50 },
      { sport: 'WeightTraining', n: 1, time: '0:30', km: 0, load: 20 },
      { sport: 'all', n: 4, time: '2:45', km: 54, load: 170 },
    ]);
  });

  it('one sport: no all row; nothing: an empty table', () => {
    expect(rowsOf(rangeTotals([act('Swim', 1800, 2000, 30)]))).toEqual([{ sport: 'Swim', n: 1, time: '0:30', km: 2, load: 30 }]);
    expect(rangeTotals([]).rows).toEqual([]);
  });
});

describe('calendarTotals', () => {
  it('planned workouts per sport with time and load, then other categories by count', () => {
    const ev = (category: string, type: string | null, moving_time: number | null, load: number | null) =>
      ({ id: 1, category, type, start_date_local: '2026-11-25T00:00:00', moving_time, icu_training_load: load }) as unknown as Event;
    const t = calendarTotals([
      ev('WORKOUT', 'Ride', 3600, 70),
      ev('WORKOUT', 'VirtualRide', 1800, 30),
      ev('WORKOUT', 'Run', 2400, 40),
      ev('NOTE', null, null, null),
      ev('RACE_A', 'Run', null, null),
    ]);
    expect(rowsOf(t)).toEqual([
      { cat: 'WORKOUT', sport: 'Ride', n: 2, time: '1:30', load: 100 },
      { cat: 'WORKOUT', sport: 'Run', n: 1, time: '0:40', load: 40 },
      { cat: 'NOTE', sport: null, n: 1, time: null, load: null },
      { cat: 'RACE_A', sport: null, n: 1, time: null, load: null },
    ]);
  });
});
