import { MockAgent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntervalsError } from './errors.js';
import { type GuardOptions, IntervalsGuard, type Permit } from './guard.js';
import { flush, VirtualClock } from './virtual-clock.js';

let guards: IntervalsGuard[] = [];
afterEach(async () => {
  await Promise.all(guards.map((g) => g.close()));
  guards = [];
});

function setup(opts: Partial<GuardOptions> = {}) {
  const clock = new VirtualClock();
  const guard = new IntervalsGuard({ dispatcher: new MockAgent(), clock, ...opts });
  guards.push(guard);
  return { clock, guard };
}

/** Start an acquire and record when (virtual ms since start) and in which order it was granted. */
function tracker(guard: IntervalsGuard, clock: VirtualClock) {
  const t0 = clock.now();
  const granted: { label: string; at: number; permit: Permit }[] = [];
  const failed: { label: string; err: unknown }[] = [];
  const go = (label: string, key = 'k', signal?: AbortSignal) =>
    guard.acquire(key, signal).then(
      (permit) => {
        granted.push({ label, at: clock.now() - t0, permit });
      },
      (err) => {
        failed.push({ label, err });
      },
    );
  return { granted, failed, go };
}

describe('pacing', () => {
  it('lets a burst through at once, then one start per 1/rate', async () => {
    const { guard, clock } = setup({ ratePerSec: 10, burst: 3, maxConcurrent: 100 });
    const t = tracker(guard, clock);
    for (let i = 0; i < 6; i++) void t.go(`c${i}`);
    await flush();
    expect(t.granted.map((g) => g.at)).toEqual([0, 0, 0]);
    await clock.advance(1000);
    expect(t.granted.map((g) => g.at)).toEqual([0, 0, 0, 100, 200, 300]);
    expect(t.failed).toEqual([]);
  });

  it('never has more than maxConcurrent permits out; a release lets the next one in', async () => {
    const { guard, clock } = setup({ ratePerSec: 1000, burst: 100, maxConcurrent: 2 });
    const t = tracker(guard, clock);
    for (let i = 0; i < 4; i++) void t.go(`c${i}`);
    await clock.advance(50);
    expect(t.granted.map((g) => g.label)).toEqual(['c0', 'c1']);
    expect(guard.stats.active).toBe(2);
    t.granted[0]!.permit.release({ kind: 'ok' });
    t.granted[0]!.permit.release({ kind: 'ok' }); // idempotent
    await flush();
    expect(t.granted.map((g) => g.label)).toEqual(['c0', 'c1', 'c2']);
    expect(guard.stats.active).toBe(2);
  });

  it('serves waiting credentials round-robin: a single call is not stuck behind bulk work', async () => {
    const { guard, clock } = setup({ ratePerSec: 10, burst: 1, maxConcurrent: 100 });
    const t = tracker(guard, clock);
    for (let i = 0; i < 6; i++) void t.go(`bulk${i}`, 'alice');
    await flush();
    void t.go('single', 'bob');
    void t.go('bulk6', 'alice');
    await clock.advance(2000);
    const order = t.granted.map((g) => g.label);
    // bulk0 took the burst token; among the waiters bob is second (after alice's first), not eighth.
    expect(order.slice(0, 3)).toEqual(['bulk0', 'bulk1', 'single']);
    expect(order).toHaveLength(8);
  });
});

describe('bounded waiting', () => {
  it('refuses at once when the queue is full, with "limiting us; try again in N s"', async () => {
    const { guard, clock } = setup({ ratePerSec: 1, burst: 1, maxQueue: 2, maxWaitMs: 60_000 });
    const t = tracker(guard, clock);
    for (let i = 0; i < 4; i++) void t.go(`c${i}`);
    await flush();
    expect(t.granted.map((g) => g.label)).toEqual(['c0']);
    expect(t.failed.map((f) => f.label)).toEqual(['c3']);
    const err = t.failed[0]!.err as IntervalsError;
    expect(err).toBeInstanceOf(IntervalsError);
    expect(err.kind).toBe('rate_limited');
    expect(err.message).toMatch(/^Intervals\.icu is limiting us; try again in \d+ s\.$/);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(guard.stats.rejectedBusy).toBe(1);
  });

  it('refuses at once when the estimated wait is longer than maxWaitMs', async () => {
    const { guard, clock } = setup({ ratePerSec: 2, burst: 1, maxQueue: 100, maxWaitMs: 1_000 });
    const t = tracker(guard, clock);
    for (let i = 0; i < 5; i++) void t.go(`c${i}`);
    await flush();
    // c0 now; c1 at 500 ms; c2 at 1000 ms; c3 would wait 1500 ms > 1000 ms.
    expect(t.failed.map((f) => f.label)).toEqual(['c3', 'c4']);
    expect((t.failed[0]!.err as Error).message).toContain('try again in 2 s');
    await clock.advance(1000);
    expect(t.granted.map((g) => g.label)).toEqual(['c0', 'c1', 'c2']);
  });

  it('a caller who gives up leaves the queue; the others move up', async () => {
    const { guard, clock } = setup({ ratePerSec: 10, burst: 1 });
    const t = tracker(guard, clock);
    const ac = new AbortController();
    void t.go('c0');
    void t.go('c1', 'k', ac.signal);
    void t.go('c2');
    await flush();
    ac.abort(new Error('client went away'));
    await flush();
    expect(t.failed.map((f) => [f.label, (f.err as Error).message])).toEqual([['c1', 'client went away']]);
    await clock.advance(100);
    expect(t.granted.map((g) => [g.label, g.at])).toEqual([
      ['c0', 0],
      ['c2', 100],
    ]);
    expect(guard.stats.queued).toBe(0);
  });
});

describe('a 429 pauses everyone', () => {
  it('honours Retry-After for every credential, then restarts without a burst', async () => {
    const { guard, clock } = setup({ ratePerSec: 10, burst: 5, maxConcurrent: 100, maxWaitMs: 10_000 });
    const t = tracker(guard, clock);
    await t.go('first', 'alice');
    t.granted[0]!.permit.release({ kind: 'rate_limited', retryAfterMs: 2_000 });
    expect(guard.pausedFor()).toBe(2_000);
    void t.go('bob1', 'bob');
    void t.go('bob2', 'bob');
    void t.go('carol', 'carol');
    await clock.advance(1_999);
    expect(t.granted).toHaveLength(1);
    await clock.advance(1_000);
    // After the pause: one start per 100 ms, no burst of 5.
    expect(t.granted.slice(1).map((g) => [g.label, g.at])).toEqual([
      ['bob1', 2_100],
      ['carol', 2_200],
      ['bob2', 2_300],
    ]);
  });

  it('uses a default pause when the 429 has no Retry-After', async () => {
    const { guard } = setup({ defaultPauseMs: 1_500 });
    const p = await guard.acquire('k');
    p.release({ kind: 'rate_limited' });
    expect(guard.pausedFor()).toBe(1_500);
  });

  it('tells waiters whose wait the pause makes too long to come back later, at once', async () => {
    const { guard, clock } = setup({ ratePerSec: 10, burst: 1, maxWaitMs: 3_000 });
    const t = tracker(guard, clock);
    await t.go('first');
    void t.go('waiting');
    await flush();
    t.granted[0]!.permit.release({ kind: 'rate_limited', retryAfterMs: 20_000 });
    await flush();
    expect(t.failed.map((f) => f.label)).toEqual(['waiting']);
    expect((t.failed[0]!.err as Error).message).toBe('Intervals.icu is limiting us; try again in 21 s.');
    // A new caller is refused at once too, rather than queueing for 20 s.
    await t.go('late');
    expect(t.failed.map((f) => f.label)).toEqual(['waiting', 'late']);
  });
});

describe('shared retry budget', () => {
  it('allows retryBurst retries, then only retryRatio per first attempt', async () => {
    const { guard } = setup({ retryBurst: 2, retryRatio: 0.5, burst: 10 });
    expect([guard.tryRetry(), guard.tryRetry(), guard.tryRetry()]).toEqual([true, true, false]);
    (await guard.acquire('k')).release({ kind: 'ok' });
    expect(guard.tryRetry()).toBe(false);
    (await guard.acquire('k')).release({ kind: 'ok' });
    expect(guard.tryRetry()).toBe(true);
    expect(guard.stats).toMatchObject({ retriesGranted: 3, retriesDenied: 2 });
  });
});

describe('circuit breaker', () => {
  it('opens after breakerFailures server errors in a row, refuses during the cooldown, then lets one probe through', async () => {
    const { guard, clock } = setup({ breakerFailures: 3, breakerCooldownMs: 10_000, burst: 10, ratePerSec: 100 });
    for (let i = 0; i < 2; i++) (await guard.acquire('k')).release({ kind: 'server_error' });
    (await guard.acquire('k')).release({ kind: 'ok' }); // a success resets the count
    for (let i = 0; i < 3; i++) (await guard.acquire('k')).release({ kind: 'server_error' });

    const refused = await guard.acquire('other').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IntervalsError);
    expect((refused as IntervalsError).kind).toBe('upstream');
    expect((refused as IntervalsError).message).toBe(
      'Intervals.icu has failed 3 times in a row, so the server is pausing its calls; try again in 10 s.',
    );
    expect(guard.stats.rejectedOpen).toBe(1);

    await clock.advance(10_000);
    const probe = await guard.acquire('k');
    const t = tracker(guard, clock);
    void t.go('behind-probe');
    await clock.advance(100);
    expect(t.granted).toEqual([]); // half-open: one probe at a time
    probe.release({ kind: 'ok' });
    await flush();
    expect(t.granted.map((g) => g.label)).toEqual(['behind-probe']);
  });

  it('a failed probe opens the circuit again', async () => {
    const { guard, clock } = setup({ breakerFailures: 1, breakerCooldownMs: 5_000 });
    (await guard.acquire('k')).release({ kind: 'server_error' });
    await clock.advance(5_000);
    (await guard.acquire('k')).release({ kind: 'server_error' });
    await expect(guard.acquire('k')).rejects.toThrow(/try again in 5 s/);
  });
});

describe('lifecycle', () => {
  it('close() rejects waiters and later calls; an injected dispatcher stays open', async () => {
    const agent = new MockAgent();
    const closeSpy = vi.spyOn(agent, 'close');
    const clock = new VirtualClock();
    const guard = new IntervalsGuard({ dispatcher: agent, clock, burst: 1 });
    const t = tracker(guard, clock);
    void t.go('a');
    void t.go('b');
    await flush();
    await guard.close();
    await flush();
    expect(t.failed.map((f) => f.label)).toEqual(['b']);
    await expect(guard.acquire('k')).rejects.toThrow(/shutting down/);
    expect(guard.dispatcher).toBe(agent);
    expect(closeSpy).not.toHaveBeenCalled();
  });

  it('close() of its own pool waits for nothing when idle, and cuts requests still out (after the drain)', async () => {
    const idle = new IntervalsGuard();
    const idleClose = vi.spyOn(idle.dispatcher, 'close');
    await idle.close();
    expect(idleClose).toHaveBeenCalled();

    const busy = new IntervalsGuard();
    const destroy = vi.spyOn(busy.dispatcher, 'destroy');
    const busyClose = vi.spyOn(busy.dispatcher, 'close');
    await busy.acquire('k'); // a request still out
    await busy.close();
    expect(destroy).toHaveBeenCalled();
    expect(busyClose).not.toHaveBeenCalled();
  });

  it('rejects nonsensical options', () => {
    expect(() => new IntervalsGuard({ ratePerSec: 0 })).toThrow(RangeError);
    expect(() => new IntervalsGuard({ maxConcurrent: -1 })).toThrow(RangeError);
  });
});
