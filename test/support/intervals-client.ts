/**
 * What the IntervalsClient tests share: nock with the network shut, a client with virtual time
 * whose backoff sleeps are recorded in `sleeps`, and `failure`, which awaits a rejection and checks
 * that no credential leaks into the error.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { IntervalsClient, type IntervalsClientOptions } from '../../src/intervals/client.js';
import { IntervalsError } from '../../src/intervals/errors.js';
import { VirtualClock } from '../../src/intervals/virtual-clock.js';

export const BASE = 'https://intervals.test';
export const KEY = 'sekret-key-123';
export const BASIC_B64 = Buffer.from(`API_KEY:${KEY}`).toString('base64');

/** The client's backoff sleeps in the current test, in ms (emptied before each test). */
export const sleeps: number[] = [];

/**
 * A connection-level failure for nock's replyWithError. It must be a real Error: with nock 15 and
 * an undici Agent, a plain object (`{ code: 'ECONNRESET' }`) is never delivered and the request
 * hangs until the headers timeout.
 */
export const connError = (code: string, message = `${code.toLowerCase()} from test`) => Object.assign(new Error(message), { code });

/**
 * No real network; every nock interceptor a test sets up must be used; `sleeps` starts empty.
 * Call once at the top of a test file.
 */
export function useNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
  beforeEach(() => {
    sleeps.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'all nock interceptors should have been used').toEqual([]);
  });
}

/** A client for BASE with KEY: 3 quick retries, a fixed jitter, and `opts` on top (`retry` merged). */
export function makeClient(opts: IntervalsClientOptions = {}): IntervalsClient {
  return new IntervalsClient({
    apiKey: KEY,
    baseUrl: BASE,
    // Virtual time for the guard (a 429 pause costs no real time); the client's own backoff sleeps
    // are recorded in `sleeps`.
    clock: new VirtualClock(1_000_000, true),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...opts,
    retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 20_000, ...opts.retry },
  });
}

/** Await a promise that must reject with an IntervalsError; also checks that no secret leaks. */
export async function failure(p: Promise<unknown>): Promise<IntervalsError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected the call to reject').toBeInstanceOf(IntervalsError);
  const err = caught as IntervalsError;
  expectNoSecret(err);
  return err;
}

export function expectNoSecret(err: IntervalsError): void {
  const texts = [err.message, JSON.stringify(err), String(err.stack), String(err), JSON.stringify({ ...err, message: err.message })];
  for (const t of texts) {
    expect(t).not.toContain(KEY);
    expect(t).not.toContain(BASIC_B64);
    expect(t).not.toContain('Basic ');
  }
}
