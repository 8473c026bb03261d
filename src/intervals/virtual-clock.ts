/**
 * Virtual time for the guard, the cache and the client's backoff, so tests (and nothing else) can
 * drive pacing, pauses and deadlines without waiting. `advance(ms)` fires due sleeps in time order;
 * with `auto: true` every sleep jumps the clock forward by itself (sequential code needs no driver).
 */
import type { Clock } from './guard.js';

interface Timer {
  at: number;
  seq: number;
  resolve(): void;
}

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];

  constructor(
    start = 1_000_000,
    private readonly auto = false,
  ) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.auto) {
      this.t += Math.max(0, ms);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Move time forward, firing every sleep that falls due on the way (and what they schedule). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
    }
    this.t = end;
    await flush();
  }

  get pending(): number {
    return this.timers.length;
  }
}

/** Let promise callbacks run (several rounds: chains of awaits). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
