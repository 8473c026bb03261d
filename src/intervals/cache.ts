/**
 * Upstream kindness for reads, shared by every client like the guard:
 *
 * - identical GETs in flight at the same time become one upstream request (coalescing); each caller
 *   can still give up on its own, and the shared request is cancelled only when every caller has;
 * - a short cache of successful GET bodies (`ttlMs`, 0 = off) for the hot reads.
 *
 * Every key starts with the credential's fingerprint (a hash, never the secret) and the athlete, so
 * one credential's data can never be served to another. Any write to an athlete drops that athlete's
 * entries for every credential and every entry of the writing credential, and detaches in-flight
 * reads so a read that starts after a write never joins one that started before it.
 *
 * Bodies are cached as text, not as parsed objects: every caller parses its own copy, so a tool that
 * changes what it received can never change what the next caller gets.
 */
import type { Clock } from './guard.js';
import { realClock } from './guard.js';

export interface CacheOptions {
  /** How long a successful GET body is served from memory; 0 turns caching off (coalescing stays). */
  ttlMs: number;
  maxEntries: number;
  /** Larger bodies (streams of long rides) are never cached. */
  maxEntryBytes: number;
  clock?: Clock;
}

export const DEFAULT_CACHE: Omit<CacheOptions, 'clock'> = { ttlMs: 0, maxEntries: 500, maxEntryBytes: 256 * 1024 };

interface Entry {
  text: string;
  expires: number;
  credential: string;
  athlete: string;
}

interface Flight {
  promise: Promise<string>;
  controller: AbortController;
  callers: number;
  credential: string;
  athlete: string;
}

export interface CacheStats {
  hits: number;
  misses: number;
  coalesced: number;
}

export class UpstreamCache {
  readonly options: Omit<CacheOptions, 'clock'>;
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  /** Bumped by every invalidation: a read that started before it does not fill the cache. */
  private generation = 0;
  readonly stats: CacheStats = { hits: 0, misses: 0, coalesced: 0 };

  constructor(opts: Partial<CacheOptions> = {}) {
    const { clock, ...rest } = opts;
    this.options = { ...DEFAULT_CACHE, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    this.clock = clock ?? realClock;
  }

  static key(credential: string, athlete: string, url: string): string {
    return `${credential}\u0000${athlete}\u0000${url}`;
  }

  /**
   * The body for `key`: from the cache, from an identical read already in flight, or from `load`
   * (which receives a signal that aborts only when every caller has given up).
   */
  read(
    key: string,
    scope: { credential: string; athlete: string },
    load: (signal: AbortSignal) => Promise<string>,
    signal?: AbortSignal,
  ): Promise<string> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.expires > now) {
        this.stats.hits++;
        // Refresh recency for the LRU bound.
        this.entries.delete(key);
        this.entries.set(key, hit);
        return Promise.resolve(hit.text);
      }
      this.entries.delete(key);
    }
    let flight = this.flights.get(key);
    if (flight) this.stats.coalesced++;
    else {
      this.stats.misses++;
      const controller = new AbortController();
      const gen = this.generation;
      const f: Flight = { controller, callers: 0, credential: scope.credential, athlete: scope.athlete, promise: undefined as never };
      f.promise = load(controller.signal).then(
        (text) => {
          if (this.flights.get(key) === f) this.flights.delete(key);
          if (gen === this.generation) this.store(key, scope, text);
          return text;
        },
        (err) => {
          if (this.flights.get(key) === f) this.flights.delete(key);
          throw err;
        },
      );
      // A flight nobody waits for any more must not surface as an unhandled rejection.
      f.promise.catch(() => {});
      this.flights.set(key, f);
      flight = f;
    }
    return this.join(flight, signal);
  }

  /** Forget what a write may have changed. */
  invalidate(credential: string, athlete: string): void {
    this.generation++;
    for (const [k, e] of this.entries) if (e.athlete === athlete || e.credential === credential) this.entries.delete(k);
    for (const [k, f] of this.flights) if (f.athlete === athlete || f.credential === credential) this.flights.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, scope: { credential: string; athlete: string }, text: string) {
    const { ttlMs, maxEntries, maxEntryBytes } = this.options;
    if (ttlMs <= 0 || maxEntries <= 0 || text.length > maxEntryBytes) return;
    this.entries.delete(key);
    this.entries.set(key, { text, expires: this.clock.now() + ttlMs, credential: scope.credential, athlete: scope.athlete });
    while (this.entries.size > maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  private join(flight: Flight, signal: AbortSignal | undefined): Promise<string> {
    flight.callers++;
    if (!signal) return flight.promise;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(signal.reason);
        if (--flight.callers === 0) flight.controller.abort(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) {
            settled = true;
            resolve(v);
          }
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) {
            settled = true;
            reject(e);
          }
        },
      );
    });
  }
}
