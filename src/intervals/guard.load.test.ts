/**
 * The guard under load, end to end over loopback: the fake Intervals.icu behind a faulty stand-in
 * that rate-limits like the real service. Count-based (no timing assertions); the limits are
 * scaled up (100 requests/s instead of 10) so the suite stays fast — the ratio is what matters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type FakeIntervals, startFakeIntervals } from '../../test/fake-intervals/index.js';
import { type FaultyUpstream, startFaultyUpstream } from '../../test/support/faulty-upstream.js';
import { IntervalsClient } from './client.js';
import type { GuardOptions } from './guard.js';

const API_KEY = 'test-api-key';
const TODAY = '2026-11-24';
const CALLERS = 50;
const CALLS_EACH = 2;

let fake: FakeIntervals;
let proxy: FaultyUpstream;

beforeAll(async () => {
  fake = await startFakeIntervals({ apiKey: API_KEY, today: TODAY });
  proxy = await startFaultyUpstream({ target: fake.url, rateLimit: { perSec: 100, burst: 10 } });
});
afterAll(async () => {
  await proxy?.close();
  await fake?.close();
});

const clientWith = (limits: Partial<GuardOptions>, sleep?: (ms: number) => Promise<void>) =>
  new IntervalsClient({
    apiKey: API_KEY,
    baseUrl: proxy.url,
    limits: { maxQueue: 1_000, maxWaitMs: 30_000, ...limits },
    retry: { retries: 3, baseDelayMs: 50, maxDelayMs: 400, budgetMs: 20_000 },
    ...(sleep ? { sleep } : {}),
  });

/** 50 callers, each making 2 reads of distinct days (no coalescing), all at once. */
async function load(client: IntervalsClient) {
  const results = await Promise.allSettled(
    Array.from({ length: CALLERS }, (_, c) =>
      (async () => {
        for (let i = 0; i < CALLS_EACH; i++) await client.getWellness('0', addDays(TODAY, -(c * CALLS_EACH + i)));
      })(),
    ),
  );
  const { requests, byStatus } = proxy.counters;
  return { failed: results.filter((r) => r.status === 'rejected'), requests, rateLimited: byStatus[429] ?? 0 };
}

describe('50 concurrent callers against an upstream limited to 100 requests/s', () => {
  it('with the guard sized for the limit: every call succeeds and at most 10 % of upstream requests get 429', async () => {
    proxy.reset();
    // The same rate as the upstream's limit, and a burst no larger than its own.
    const client = clientWith({ ratePerSec: 100, burst: 5, maxConcurrent: 8 });
    const r = await load(client);
    await client.close();
    expect(r.failed).toEqual([]);
    expect(r.rateLimited / r.requests).toBeLessThanOrEqual(0.1);
    // Upstream requests per call: retries are rare.
    expect(r.requests / (CALLERS * CALLS_EACH)).toBeLessThanOrEqual(1.1);
  });

  it('without pacing (the guard opened wide), most requests are refused: the assertion above can fail', async () => {
    proxy.reset();
    const client = clientWith({ ratePerSec: 1_000_000, burst: 1_000_000, maxConcurrent: 64 }, async () => {});
    const r = await load(client);
    await client.close();
    expect(r.rateLimited / r.requests).toBeGreaterThan(0.1);
  });
});

describe('a 429 storm pauses everyone at once', () => {
  it('a storm with Retry-After: 1 costs a handful of 429s, not one per caller per retry, and every call lands', async () => {
    proxy.reset();
    proxy.storm(600, 1);
    const client = clientWith({ ratePerSec: 100, burst: 10, maxConcurrent: 8 });
    const r = await load(client);
    await client.close();
    expect(r.failed).toEqual([]);
    // Only the requests already started when the first 429 came back (at most the concurrency cap
    // plus the burst) can meet the storm; everyone else waited out the shared pause.
    expect(proxy.counters.byFault.storm429 ?? 0).toBeLessThanOrEqual(18);
    expect(r.rateLimited).toBeLessThanOrEqual(18 + 0.1 * r.requests);
  });
});
