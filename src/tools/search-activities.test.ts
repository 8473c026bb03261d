/** search_activities as a pure handler over a mocked client. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ATHLETE_ID, rowsOf, toolTest } from '../../test/support/tool-kit.js';
import { ActivitySearchResultSchema } from '../intervals/schemas.js';
import searchActivities from './search-activities.js';
import type { Table } from './support/table.js';

const t = toolTest();

const found = (n: number) =>
  z.array(ActivitySearchResultSchema).parse(
    Array.from({ length: n }, (_, i) => ({
      id: 1000 + i,
      name: `Hill repeats ${i}`,
      start_date_local: `2026-03-${String(10 + i).padStart(2, '0')}T07:00:00`,
      type: 'Run',
      distance: 8421,
      moving_time: 2705,
      tags: i === 0 ? ['hills', 'race-prep'] : null,
    })),
  );

describe('search_activities', () => {
  it('asks for one more than the limit and flags more results without showing them', async () => {
    t.client.searchActivities.mockResolvedValue(found(3));
    const r = await t.run(searchActivities, { query: '#hills', limit: 2 });
    expect(t.client.searchActivities.mock.calls[0]!.slice(0, 2)).toEqual([ATHLETE_ID, { q: '#hills', limit: 3 }]);
    expect((r.activities as Table).rows).toHaveLength(2);
    expect(r.more).toBe(true);
  });

  it('a table with local start, h:mm:ss and km; no `more` when everything fits', async () => {
    t.client.searchActivities.mockResolvedValue(found(1));
    const r = await t.run(searchActivities, { query: 'hill' });
    expect(t.client.searchActivities.mock.calls[0]![1]).toEqual({ q: 'hill', limit: 21 });
    expect(rowsOf(r.activities as Table)).toEqual([
      { id: '1000', start: '2026-03-10 07:00', sport: 'Run', name: 'Hill repeats 0', moving: '45:05', km: 8.42, tags: 'hills, race-prep' },
    ]);
    expect(r).not.toHaveProperty('more');
  });

  it('refuses an empty query or a bare #', () => {
    expect(searchActivities.input.safeParse({ query: '  ' }).success).toBe(false);
    expect(searchActivities.input.safeParse({ query: '#' }).success).toBe(false);
    expect(searchActivities.input.safeParse({ query: 'x', limit: 0 }).success).toBe(false);
  });
});
