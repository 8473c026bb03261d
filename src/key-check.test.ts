/**
 * The key check against a mocked Intervals.icu (nock): a good key, a wrong key (401), an athlete the
 * key may not read (403), an unreachable host, and a hung one. No verdict carries the key, and the
 * short reason (what /readyz serves) never carries the upstream URL.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntervalsClient } from './intervals/client.js';
import { checkIntervalsKey, type UpstreamVerdict } from './key-check.js';

const BASE = 'https://intervals.test';
const KEY = 'key-check-secret-123';
const BASIC = `Basic ${Buffer.from(`API_KEY:${KEY}`).toString('base64')}`;

const client = () => new IntervalsClient({ apiKey: KEY, baseUrl: BASE, retry: { retries: 0 } });
const noSecret = (v: UpstreamVerdict) => {
  const all = JSON.stringify(v);
  expect(all).not.toContain(KEY);
  expect(all).not.toContain(BASIC.slice(6));
  expect(v.reason).not.toContain('intervals.test');
  return v;
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('checkIntervalsKey', () => {
  it('a good key: ok, naming the athlete the key reads', async () => {
    const scope = nock(BASE).matchHeader('authorization', BASIC).get('/api/v1/athlete/0').reply(200, { id: 'i424242', name: 'Sam' });
    const c = client();
    const v = noSecret(await checkIntervalsKey(c, { athleteId: '0', baseUrl: BASE }));
    expect(v).toMatchObject({ ok: true });
    expect(v.message).toMatch(/accepted the API key.*i424242/);
    expect(scope.isDone()).toBe(true);
    await c.close();
  });

  it('a wrong key (401): key_rejected, an error, saying where to get the key', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(401, { status: 401, error: 'Unauthorized' });
    const c = client();
    const v = noSecret(await checkIntervalsKey(c, { athleteId: '0', baseUrl: BASE }));
    expect(v).toMatchObject({ ok: false, cause: 'key_rejected', severity: 'error', reason: 'Intervals.icu rejected the API key (401)' });
    expect(v.message).toMatch(/INTERVALS_API_KEY \(401\).*Settings → Developer Settings/);
    await c.close();
  });

  it('an athlete the key may not read (403): athlete_forbidden, naming INTERVALS_ATHLETE_ID', async () => {
    nock(BASE).get('/api/v1/athlete/i999').reply(403, { status: 403, error: 'Access denied' });
    const c = client();
    const v = noSecret(await checkIntervalsKey(c, { athleteId: 'i999', baseUrl: BASE }));
    expect(v).toMatchObject({ ok: false, cause: 'athlete_forbidden', severity: 'error' });
    expect(v.message).toMatch(/athlete i999 \(403\).*INTERVALS_ATHLETE_ID/);
    await c.close();
  });

  it('an unreachable host: unreachable, a warning naming INTERVALS_BASE_URL in the log line only', async () => {
    nock(BASE)
      .get('/api/v1/athlete/0')
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const c = client();
    const v = noSecret(await checkIntervalsKey(c, { athleteId: '0', baseUrl: BASE }));
    expect(v).toMatchObject({ ok: false, cause: 'unreachable', severity: 'warn', reason: 'Intervals.icu is unreachable' });
    expect(v.message).toMatch(/ECONNREFUSED/);
    expect(v.message).toContain(`INTERVALS_BASE_URL=${BASE}`);
    await c.close();
  });

  it('no answer before the signal fires: a timeout verdict', async () => {
    nock(BASE).get('/api/v1/athlete/0').delay(5_000).reply(200, { id: 'i1' });
    const c = client();
    const ac = new AbortController();
    const pending = checkIntervalsKey(c, { athleteId: '0', signal: ac.signal, timeoutMs: 50, baseUrl: BASE });
    ac.abort();
    const v = noSecret(await pending);
    expect(v).toMatchObject({ ok: false, cause: 'timeout', reason: 'Intervals.icu did not answer within 50 ms' });
    await c.close();
  });
});
