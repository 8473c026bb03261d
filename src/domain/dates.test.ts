import { describe, expect, it } from 'vitest';
import { addDays, datesFrom, daysBetween, isDateInHorizon, isValidDate, localDateTime, resolveRange, todayIn, weekStart } from './dates.js';
import { InputError } from './errors.js';

describe('isValidDate', () => {
  it.each(['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '2026-02-28', '1999-11-30'])('accepts %s', (s) => {
    expect(isValidDate(s)).toBe(true);
  });

  it.each([
    ['2026-02-29', 'not a leap year'],
    ['1900-02-29', 'century, not a leap year'],
    ['2100-02-29', 'century, not a leap year'],
    ['2026-02-30', 'no such day'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-13-01', 'no month 13'],
    ['2026-00-10', 'no month 0'],
    ['2026-01-00', 'no day 0'],
    ['2026-2-3', 'not zero-padded'],
    ['26-02-03', 'two-digit year'],
    ['2026/02/03', 'slashes'],
    ['2026-01-01T00:00:00', 'a date-time'],
    [' 2026-01-01', 'leading space'],
    ['2026-01-01 ', 'trailing space'],
    ['', 'empty'],
    ['today', 'a word'],
  ])('rejects %s (%s)', (s) => {
    expect(isValidDate(s)).toBe(false);
  });
});

describe('todayIn', () => {
  it('uses the given zone, not UTC or the host zone', () => {
    const now = new Date('2026-04-07T03:00:00Z');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-04-06');
    expect(todayIn('UTC', now)).toBe('2026-04-07');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-04-07');
  });

  it('handles the extreme offsets on both sides of the date line', () => {
    expect(todayIn('Pacific/Kiritimati', new Date('2026-12-31T10:00:00Z'))).toBe('2027-01-01'); // UTC+14
    expect(todayIn('Pacific/Pago_Pago', new Date('2026-01-01T10:00:00Z'))).toBe('2025-12-31'); // UTC-11
  });

  describe('Pacific/Auckland around the end of daylight saving (2026-04-05 03:00 NZDT → 02:00 NZST)', () => {
    const tz = 'Pacific/Auckland';
    it.each([
      ['2026-04-04T10:30:00Z', '2026-04-04'], // 23:30 NZDT (+13)
      ['2026-04-04T11:30:00Z', '2026-04-05'], // 00:30 NZDT
      ['2026-04-05T11:30:00Z', '2026-04-05'], // 23:30 NZST (+12); at +13 it would already be the 6th
      ['2026-04-05T12:30:00Z', '2026-04-06'], // 00:30 NZST
      ['2026-04-05T13:30:00Z', '2026-04-06'], // 01:30 NZST
    ])('%s → %s', (instant, expected) => {
      expect(todayIn(tz, new Date(instant))).toBe(expected);
    });
  });

  describe('America/New_York around the start of daylight saving (2026-03-08 02:00 EST → 03:00 EDT)', () => {
    const tz = 'America/New_York';
    it.each([
      ['2026-03-08T04:30:00Z', '2026-03-07'], // 23:30 EST (-5)
      ['2026-03-08T05:00:00Z', '2026-03-08'], // 00:00 EST
      ['2026-03-08T07:30:00Z', '2026-03-08'], // 03:30 EDT (the skipped hour)
      ['2026-03-09T03:30:00Z', '2026-03-08'], // 23:30 EDT (-4)
      ['2026-03-09T04:30:00Z', '2026-03-09'], // 00:30 EDT; at -5 it would still be the 8th
    ])('%s → %s', (instant, expected) => {
      expect(todayIn(tz, new Date(instant))).toBe(expected);
    });
  });

  it('falls back to the UTC date for an unknown zone instead of throwing', () => {
    expect(todayIn('Not/AZone', new Date('2026-01-01T23:30:00Z'))).toBe('2026-01-01');
    expect(todayIn('', new Date('2026-01-01T23:30:00Z'))).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  // Answers are kept for a minute per zone: every instant must still get its own date, in any
  // order, around midnight and the DST changes (a fresh formatter is the reference).
  it('gives every instant its own date across midnight and DST, asked in any order', () => {
    const zones = ['Pacific/Auckland', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    const instants: number[] = [];
    for (const day of ['2026-04-04', '2026-04-05', '2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']) {
      const base = Date.parse(`${day}T00:00:00Z`);
      for (let s = -86_400; s < 2 * 86_400; s += 293) instants.push(base + s * 1000);
      // Local midnights fall on quarter hours in UTC (Chatham +12:45, Kolkata +5:30): each one closely.
      for (let q = -96; q < 192; q++) for (let s = -90; s <= 90; s += 7) instants.push(base + q * 900_000 + s * 1000);
    }
    const shuffled = [...instants, ...[...instants].reverse()];
    const wrong: string[] = [];
    for (const tz of zones) {
      const reference = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (const t of shuffled) {
        const got = todayIn(tz, new Date(t));
        if (got !== reference.format(t) && wrong.length < 5) wrong.push(`${tz} ${new Date(t).toISOString()}: ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('always returns YYYY-MM-DD', () => {
    for (const tz of ['UTC', 'Europe/London', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Adelaide']) {
      expect(todayIn(tz, new Date('2026-07-15T12:00:00Z'))).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-04-06', -89, '2026-01-07'],
    ['2026-04-06', 28, '2026-05-04'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2026-03-07', 2, '2026-03-09'], // across a DST change (US): still whole days
    ['2026-10-24', 2, '2026-10-26'], // across a DST change (EU)
    ['2026-05-05', 0, '2026-05-05'],
  ])('%s %+d → %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  // The civil-date arithmetic against the platform's own calendar: every day of 1600-2400 (leap
  // centuries 1600/2000/2400, common 1700-1900/2100-2300), the four-digit edges, and beyond them.
  it("names every day as Date's toISOString does", () => {
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const start = Date.UTC(1600, 0, 1);
    const days = (Date.UTC(2401, 0, 1) - start) / 86_400_000;
    const wrong: string[] = [];
    for (let i = 0; i < days && wrong.length < 5; i++) {
      const got = addDays('1600-01-01', i);
      if (got !== iso(start + i * 86_400_000)) wrong.push(`${i}: ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(addDays('1000-01-01', -1)).toBe('0999-12-31');
    expect(addDays('9999-12-31', 1)).toBe(iso(Date.UTC(10000, 0, 1))); // what it always was
    expect(addDays('1000-01-01', 0)).toBe('1000-01-01');
    expect(addDays('9999-12-31', 0)).toBe('9999-12-31');
    expect(() => addDays('not-a-date', 1)).toThrow(RangeError);
    expect(datesFrom('2024-02-27', '2024-03-02')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(datesFrom('1999-12-30', '2000-01-13', 7)).toEqual(['1999-12-30', '2000-01-06', '2000-01-13']);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-04-06', '2026-04-06', 0],
    ['2026-04-06', '2026-04-07', 1],
    ['2026-04-07', '2026-04-06', -1],
    ['2026-01-01', '2026-12-31', 364],
    ['2024-01-01', '2024-12-31', 365],
    ['2026-02-01', '2026-03-01', 28],
    ['2024-02-01', '2024-03-01', 29],
    ['2026-03-01', '2026-04-01', 31],
    ['2025-12-31', '2026-01-01', 1],
  ])('%s → %s = %d', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
  });

  it('is the inverse of addDays', () => {
    for (const n of [-400, -29, -1, 0, 1, 7, 90, 366]) expect(daysBetween('2026-02-27', addDays('2026-02-27', n))).toBe(n);
  });
});

describe('weekStart (Monday)', () => {
  it.each([
    ['2026-04-06', '2026-04-06'], // Monday
    ['2026-04-07', '2026-04-06'], // Tuesday
    ['2026-04-11', '2026-04-06'], // Saturday
    ['2026-04-12', '2026-04-06'], // Sunday belongs to the week before
    ['2026-04-13', '2026-04-13'], // next Monday
    ['2026-01-01', '2025-12-29'], // Thursday, week starts in the previous year
    ['2026-03-01', '2026-02-23'], // Sunday after February
    ['2024-03-01', '2024-02-26'], // leap February
  ])('%s → %s', (date, monday) => {
    expect(weekStart(date)).toBe(monday);
    expect(new Date(`${weekStart(date)}T00:00:00Z`).getUTCDay()).toBe(1);
  });
});

describe('resolveRange', () => {
  const today = '2026-04-06';

  describe('backward (history) mode', () => {
    const opts = { defaultDays: 90, maxDays: 366 };

    it('defaults to the last defaultDays days ending today', () => {
      expect(resolveRange({}, today, opts)).toEqual({ oldest: '2026-01-07', newest: '2026-04-06' });
    });

    it('counts back from a given newest', () => {
      expect(resolveRange({ newest: '2026-03-01' }, today, opts)).toEqual({ oldest: '2025-12-02', newest: '2026-03-01' });
    });

    it('runs a given past oldest up to today', () => {
      expect(resolveRange({ oldest: '2026-01-01' }, today, opts)).toEqual({ oldest: '2026-01-01', newest: today });
    });

    it('keeps an explicit pair', () => {
      expect(resolveRange({ oldest: '2026-02-01', newest: '2026-02-10' }, today, opts)).toEqual({
        oldest: '2026-02-01',
        newest: '2026-02-10',
      });
      expect(resolveRange({ oldest: '2026-02-01', newest: '2026-02-01' }, today, opts)).toEqual({
        oldest: '2026-02-01',
        newest: '2026-02-01',
      });
    });

    it('treats undefined members like missing ones', () => {
      expect(resolveRange({ oldest: undefined, newest: undefined }, today, opts)).toEqual({ oldest: '2026-01-07', newest: '2026-04-06' });
    });

    it('a one-day default is just today', () => {
      expect(resolveRange({}, today, { defaultDays: 1, maxDays: 10 })).toEqual({ oldest: today, newest: today });
    });

    it('refuses oldest after newest with an InputError naming both', () => {
      const call = () => resolveRange({ oldest: '2026-04-06', newest: '2026-04-01' }, today, opts);
      expect(call).toThrow(InputError);
      expect(call).toThrow('oldest (2026-04-06) is after newest (2026-04-01); swap them.');
    });

    it('allows exactly maxDays and refuses maxDays + 1', () => {
      expect(resolveRange({ oldest: '2025-04-06', newest: '2026-04-06' }, today, { defaultDays: 7, maxDays: 366 })).toEqual({
        oldest: '2025-04-06',
        newest: '2026-04-06',
      });
      const call = () => resolveRange({ oldest: '2025-04-05', newest: '2026-04-06' }, today, { defaultDays: 7, maxDays: 366 });
      expect(call).toThrow(InputError);
      expect(call).toThrow('The range 2025-04-05..2026-04-06 is 367 days; the maximum is 366. Ask for a shorter range.');
    });

    it('checks the span of a defaulted range too', () => {
      expect(() => resolveRange({}, today, { defaultDays: 30, maxDays: 10 })).toThrow(InputError);
    });
  });

  describe('forward (calendar) mode', () => {
    const opts = { defaultDays: 7, maxDays: 400, forward: true };

    it('defaults to today and the next defaultDays - 1 days', () => {
      expect(resolveRange({}, today, opts)).toEqual({ oldest: '2026-04-06', newest: '2026-04-12' });
    });

    it('counts forward from a given oldest (past or future)', () => {
      expect(resolveRange({ oldest: '2026-05-01' }, today, opts)).toEqual({ oldest: '2026-05-01', newest: '2026-05-07' });
      expect(resolveRange({ oldest: '2026-03-01' }, today, opts)).toEqual({ oldest: '2026-03-01', newest: '2026-03-07' });
    });

    it('a future newest alone runs from today', () => {
      expect(resolveRange({ newest: '2026-04-30' }, today, opts)).toEqual({ oldest: '2026-04-06', newest: '2026-04-30' });
    });

    it('newest = today alone is just today', () => {
      expect(resolveRange({ newest: today }, today, opts)).toEqual({ oldest: today, newest: today });
    });

    it('a past newest alone counts back defaultDays instead of failing (oldest would be after newest)', () => {
      expect(resolveRange({ newest: '2026-03-01' }, today, opts)).toEqual({ oldest: '2026-02-23', newest: '2026-03-01' });
      expect(resolveRange({ newest: '2026-04-05' }, today, opts)).toEqual({ oldest: '2026-03-30', newest: '2026-04-05' });
    });

    it('keeps an explicit pair', () => {
      expect(resolveRange({ oldest: '2026-01-01', newest: '2026-12-31' }, today, opts)).toEqual({
        oldest: '2026-01-01',
        newest: '2026-12-31',
      });
    });

    it('refuses an explicit reversed pair and a range over maxDays', () => {
      expect(() => resolveRange({ oldest: '2026-05-01', newest: '2026-04-01' }, today, opts)).toThrow(InputError);
      expect(() => resolveRange({ oldest: '2026-01-01', newest: '2027-02-05' }, today, opts)).toThrow(
        'The range 2026-01-01..2027-02-05 is 401 days; the maximum is 400. Ask for a shorter range.',
      );
    });
  });
});

describe('localDateTime', () => {
  it.each([
    ['2026-11-23T07:12:00', '2026-11-23 07:12'],
    ['2026-11-23T07:12', '2026-11-23 07:12'],
    ['2026-11-23T23:59:59', '2026-11-23 23:59'],
    ['2026-11-23T00:00:00', '2026-11-23'],
    ['2026-11-23', '2026-11-23'],
    ['2026-11-23T07:12:00Z', '2026-11-23 07:12'], // never converted
    ['not a date', 'not a date'],
  ])('%s → %s', (input, expected) => {
    expect(localDateTime(input)).toBe(expected);
  });

  it.each([null, undefined, ''])('%s → undefined', (input) => {
    expect(localDateTime(input)).toBeUndefined();
  });
});

describe('bounded date work', () => {
  const now = new Date('2026-11-30T12:00:00Z');

  it('accepts real dates from 1990 to two years ahead and nothing outside', () => {
    expect(isDateInHorizon('1990-01-01', now)).toBe(true);
    expect(isDateInHorizon('2028-11-30', now)).toBe(true);
    expect(isDateInHorizon('1989-12-31', now)).toBe(false);
    expect(isDateInHorizon('2028-12-31', now)).toBe(false);
    expect(isDateInHorizon('9999-12-31', now)).toBe(false);
    expect(isDateInHorizon('+010000-01-01', now)).toBe(false);
    expect(isDateInHorizon('2026-02-30', now)).toBe(false);
  });

  it('datesFrom steps by counting days, so a range past year 9999 cannot loop forever', () => {
    expect(datesFrom('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(datesFrom('2026-11-02', '2026-11-23', 7)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(datesFrom('2026-11-03', '2026-11-02')).toEqual([]);
    expect(() => datesFrom('1990-01-01', '9999-12-31')).toThrow(/longer than 7320 days/);
    expect(() => datesFrom('2026-01-01', 'not-a-date')).toThrow(/not a date range/);
  });

  it('todayIn answers the same from its cached formatter, and UTC for an unknown zone', () => {
    const at = new Date('2026-11-24T11:30:00Z');
    expect(todayIn('Pacific/Auckland', at)).toBe('2026-11-25');
    expect(todayIn('Pacific/Auckland', at)).toBe('2026-11-25');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-11-24');
    expect(todayIn('Mars/Olympus_Mons', at)).toBe('2026-11-24');
  });
});
