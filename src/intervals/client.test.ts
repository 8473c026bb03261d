import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE, BASIC_B64, connError, failure, KEY, makeClient, sleeps, useNock } from '../../test/support/intervals-client.js';
import { buildQuery, IntervalsClient, parseRetryAfter, type RetryPolicy } from './client.js';
import { IntervalsError } from './errors.js';
import { ACTIVITY_LIST_FIELDS, isStravaStub } from './schemas.js';

const AUTH = `Basic ${BASIC_B64}`;

const EVENT = { id: 42, category: 'WORKOUT', start_date_local: '2026-11-24T00:00:00', name: 'Sweet spot' };
const ACTIVITY = { id: 'i1001', start_date_local: '2026-11-20T07:00:00', type: 'Ride', name: 'Morning ride', source: 'GARMIN_CONNECT' };
const STUB = {
  id: '123',
  source: 'STRAVA',
  _note: 'STRAVA activities are not available via the API',
  start_date_local: '2026-11-21T08:00:00',
};
const JSON_HEADERS = { 'content-type': 'application/json' };

useNock();

// ---------------------------------------------------------------------------------------------

describe('request basics', () => {
  it('sends Basic auth built from API_KEY:<key>, accepts JSON, and prefixes paths with /api/v1', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: AUTH, accept: 'application/json' } })
      .get('/api/v1/athlete/0')
      .reply(200, { id: 'i1', name: 'Ann' }, JSON_HEADERS);
    const athlete = await makeClient().getAthlete();
    expect(athlete).toMatchObject({ id: 'i1', name: 'Ann' });
    expect(scope.isDone()).toBe(true);
  });

  it('uses the configured default athlete id and strips a trailing slash from the base URL', async () => {
    const client = new IntervalsClient({ apiKey: KEY, baseUrl: `${BASE}///`, athleteId: 'i77', sleep: async () => {} });
    expect(client.baseUrl).toBe(BASE);
    expect(client.defaultAthleteId).toBe('i77');
    const scope = nock(BASE).get('/api/v1/athlete/i77').reply(200, { id: 'i77' });
    await expect(client.getAthlete()).resolves.toMatchObject({ id: 'i77' });
    expect(scope.isDone()).toBe(true);
  });

  it('URL-encodes athlete ids and activity ids in the path', async () => {
    const paths: string[] = [];
    nock(BASE)
      .get(() => true)
      .times(3)
      // nock 15 hands reply functions the fetch Request.
      .reply((req: Request) => {
        const u = new URL(req.url);
        paths.push(u.pathname + u.search);
        return u.pathname.includes('/activity/') ? [200, ACTIVITY] : [200, { id: 'x' }];
      });
    const client = makeClient();
    await client.getAthlete('i 1/../2');
    await client.getActivity('a/b?c#d');
    await client.getWellness('i9', '2026-11-24/x');
    expect(paths[0]).toBe('/api/v1/athlete/i%201%2F..%2F2');
    expect(paths[1]).toBe('/api/v1/activity/a%2Fb%3Fc%23d?intervals=false');
    expect(paths[2]).toBe('/api/v1/athlete/i9/wellness/2026-11-24%2Fx');
  });

  it('sends a JSON body with content-type on writes', async () => {
    let seen: unknown;
    nock(BASE, { reqheaders: { 'content-type': 'application/json', authorization: AUTH } })
      .post('/api/v1/athlete/i1/events', (body) => {
        seen = body;
        return true;
      })
      .reply(200, EVENT);
    const ev = await makeClient().createEvent('i1', { name: 'Sweet spot', category: 'WORKOUT' });
    expect(seen).toEqual({ name: 'Sweet spot', category: 'WORKOUT' });
    expect(ev.id).toBe(42);
  });
});

describe('query building', () => {
  it('omits undefined and null, comma-joins arrays and stringifies booleans and numbers', () => {
    const q = buildQuery({
      a: undefined,
      b: null,
      types: ['watts', 'heartrate'],
      category: ['WORKOUT', 'NOTE'],
      intervals: false,
      upsert: true,
      limit: 10,
      oldest: '2026-11-01',
    });
    const params = new URLSearchParams(q.slice(1));
    expect(q.startsWith('?')).toBe(true);
    expect([...params.keys()]).toEqual(['types', 'category', 'intervals', 'upsert', 'limit', 'oldest']);
    expect(params.get('types')).toBe('watts,heartrate');
    expect(params.get('category')).toBe('WORKOUT,NOTE');
    expect(params.get('intervals')).toBe('false');
    expect(params.get('upsert')).toBe('true');
    expect(params.get('limit')).toBe('10');
    expect(decodeURIComponent(q)).toContain('types=watts,heartrate');
  });

  it('returns an empty string for no query or only empty values', () => {
    expect(buildQuery(undefined)).toBe('');
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ a: undefined, b: null })).toBe('');
  });

  it('sends stream types comma-joined', async () => {
    const scope = nock(BASE)
      .get('/api/v1/activity/i5/streams')
      .query({ types: 'watts,heartrate' })
      .reply(200, [
        { type: 'watts', data: [100, null, 120] },
        { type: 'heartrate', data: [120, 121, 122] },
      ]);
    const streams = await makeClient().getStreams('i5', ['watts', 'heartrate']);
    expect(streams.map((s) => s.type)).toEqual(['watts', 'heartrate']);
    expect(scope.isDone()).toBe(true);
  });

  it('sends event categories comma-joined and leaves out unset parameters', async () => {
    const scope = nock(BASE)
      .get('/api/v1/athlete/i1/events')
      .query((q) => {
        expect(q).toEqual({ oldest: '2026-11-01', newest: '2026-11-30', category: 'WORKOUT,NOTE' });
        return true;
      })
      .reply(200, [EVENT]);
    await makeClient().listEvents('i1', { oldest: '2026-11-01', newest: '2026-11-30', category: ['WORKOUT', 'NOTE'] });
    expect(scope.isDone()).toBe(true);
  });

  it('sends booleans as strings (intervals=true, recalcHrZones=false, upsert=true)', async () => {
    nock(BASE).get('/api/v1/activity/i5').query({ intervals: 'true' }).reply(200, ACTIVITY);
    nock(BASE).put('/api/v1/athlete/i1/sport-settings/7').query({ recalcHrZones: 'false' }).reply(200, { id: 7 });
    nock(BASE).post('/api/v1/athlete/i1/events/bulk').query({ upsert: 'true' }).reply(200, [EVENT]);
    const client = makeClient();
    await client.getActivity('i5', { intervals: true });
    await client.updateSportSettings('i1', 7, { ftp: 250 }, false);
    await client.upsertEvents('i1', [{ external_id: 'x1' }]);
  });
});

describe('error mapping', () => {
  const post = (client: IntervalsClient) => client.createEvent('i1', { name: 'x' });

  it('maps 401 to kind auth and tells the operator to fix INTERVALS_API_KEY', async () => {
    nock(BASE).post('/api/v1/athlete/i1/events').reply(401, { status: 401, error: 'Unauthorized' });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.message).toContain('INTERVALS_API_KEY');
  });

  it('maps 403 to kind forbidden', async () => {
    nock(BASE).get('/api/v1/athlete/i2').reply(403, { status: 403, error: 'Access denied' });
    const err = await failure(makeClient().getAthlete('i2'));
    expect(err.kind).toBe('forbidden');
    expect(err.status).toBe(403);
    expect(err.message).toContain('Access denied');
  });

  it('maps 404 to kind not_found and names what was asked for', async () => {
    nock(BASE).get('/api/v1/activity/i404').query(true).reply(404, { status: 404, error: 'Not found' });
    const err = await failure(makeClient().getActivity('i404'));
    expect(err.kind).toBe('not_found');
    expect(err.status).toBe(404);
    expect(err.message).toContain('activity i404');
  });

  it('maps 422 to kind validation and includes the upstream detail', async () => {
    nock(BASE).post('/api/v1/athlete/i1/events').reply(422, { status: 422, error: 'Name is too long' });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('validation');
    expect(err.status).toBe(422);
    expect(err.message).toContain('Name is too long');
  });

  it('maps 400 to kind validation', async () => {
    nock(BASE).post('/api/v1/athlete/i1/events').reply(400, { message: 'start_date_local is required' });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('validation');
    expect(err.message).toContain('start_date_local is required');
  });

  it('maps 422 "Cannot read Strava activities via the API" to kind strava', async () => {
    nock(BASE)
      .get('/api/v1/activity/123/streams')
      .query(true)
      .reply(422, { status: 422, error: 'Cannot read Strava activities via the API' });
    const err = await failure(makeClient().getStreams('123', ['watts']));
    expect(err.kind).toBe('strava');
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/Strava/);
  });

  it('maps 500 with a Java exception body to kind upstream without a stack trace', async () => {
    const javaTrace =
      'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.intervals.icu.api.ActivityController.get(ActivityController.java:123)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)';
    nock(BASE).post('/api/v1/athlete/i1/events').reply(500, javaTrace, { 'content-type': 'text/plain' });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('upstream');
    expect(err.status).toBe(500);
    expect(err.message).not.toContain('java.lang');
    expect(err.message).not.toContain('ActivityController');
  });

  it('maps 500 with a JSON Java exception to upstream with a bounded detail', async () => {
    const long = `java.lang.IllegalStateException: ${'x'.repeat(1000)}`;
    nock(BASE).post('/api/v1/athlete/i1/events').reply(500, { status: 500, error: long });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('upstream');
    expect(err.message).toContain('java.lang.IllegalStateException');
    expect(err.message.length).toBeLessThan(600);
  });

  it('maps a 502 plain-text/HTML body to kind upstream without echoing the HTML', async () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    nock(BASE).post('/api/v1/athlete/i1/events').reply(502, html, { 'content-type': 'text/html' });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('upstream');
    expect(err.status).toBe(502);
    expect(err.message).not.toMatch(/<html|<h1>|nginx/i);
  });

  it('maps 429 to kind rate_limited with retryAfterMs from Retry-After', async () => {
    nock(BASE).post('/api/v1/athlete/i1/events').reply(429, { error: 'Too many requests' }, { 'Retry-After': '5' });
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('rate_limited');
    expect(err.status).toBe(429);
    expect(err.retryAfterMs).toBe(5_000);
    expect(err.message).toContain('5 s');
  });

  it('maps 429 without Retry-After to rate_limited with no retryAfterMs', async () => {
    nock(BASE).post('/api/v1/athlete/i1/events').reply(429);
    const err = await failure(post(makeClient()));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('keeps retryAfterMs on a 503 that is not retried', async () => {
    nock(BASE).delete('/api/v1/athlete/i1/events/9').reply(503, '', { 'Retry-After': '7' });
    const err = await failure(makeClient().deleteEvent('i1', 9));
    expect(err.kind).toBe('upstream');
    expect(err.retryAfterMs).toBe(7_000);
  });
});

describe('secrets never appear in errors', () => {
  it('redacts the key when the upstream error body echoes it', async () => {
    nock(BASE)
      .post('/api/v1/athlete/i1/events')
      .reply(422, { error: `bad key ${KEY}` });
    const err = await failure(makeClient().createEvent('i1', {}));
    expect(err.kind).toBe('validation');
    expect(err.message).toContain('[redacted]');
  });

  it('redacts the key echoed in a 403 message field', async () => {
    nock(BASE)
      .get('/api/v1/athlete/i2')
      .reply(403, { message: `key ${KEY} may not read i2` });
    const err = await failure(makeClient().getAthlete('i2'));
    expect(err.kind).toBe('forbidden');
    expect(err.message).toContain('[redacted]');
  });

  it('redacts the base64 Basic credentials echoed by a 500', async () => {
    nock(BASE)
      .post('/api/v1/athlete/i1/events')
      .reply(500, { error: `credentials ${BASIC_B64} expired` });
    const err = await failure(makeClient().createEvent('i1', {}));
    expect(err.kind).toBe('upstream');
    expect(err.message).toContain('credentials [redacted] expired');
  });

  it('redacts an echoed Authorization header down to "Basic [redacted]"', async () => {
    nock(BASE)
      .post('/api/v1/athlete/i1/events')
      .reply(500, { error: `bad header: authorization: ${AUTH}` });
    let err: unknown;
    await makeClient()
      .createEvent('i1', {})
      .catch((e: unknown) => (err = e));
    expect(err).toBeInstanceOf(IntervalsError);
    const e = err as IntervalsError;
    for (const t of [e.message, JSON.stringify(e), String(e.stack)]) {
      expect(t).not.toContain(KEY);
      expect(t).not.toContain(BASIC_B64);
    }
    // The scheme word survives redaction; only the credentials are secret.
    expect(e.message).toContain('authorization: Basic [redacted]');
  });

  it('redacts the key from an array-shaped error body', async () => {
    nock(BASE)
      .post('/api/v1/athlete/i1/events')
      .reply(422, [{ error: `key=${KEY}` }]);
    const err = await failure(makeClient().createEvent('i1', {}));
    expect(err.message).toContain('[redacted]');
  });

  it('does not leak the key through a 401', async () => {
    nock(BASE)
      .get('/api/v1/athlete/0')
      .reply(401, { error: `invalid key ${KEY}` });
    const err = await failure(makeClient().getAthlete());
    expect(err.kind).toBe('auth');
  });

  it('does not leak the key through the network error message', async () => {
    nock(BASE)
      .post('/api/v1/athlete/i1/events')
      .replyWithError(connError('ECONNRESET', `socket hang up ${KEY}`));
    const err = await failure(makeClient().createEvent('i1', {}));
    expect(err.kind).toBe('network');
  });
});

describe('retries', () => {
  it.each([429, 502, 503, 504])('retries a GET after %i and then succeeds', async (status) => {
    let attempts = 0;
    nock(BASE)
      .get('/api/v1/athlete/0')
      .times(2)
      .reply(() => {
        attempts++;
        return attempts === 1 ? [status, { error: 'busy' }] : [200, { id: 'i1' }];
      });
    await expect(makeClient().getAthlete()).resolves.toMatchObject({ id: 'i1' });
    expect(attempts).toBe(2);
    expect(sleeps).toEqual([75]);
  });

  it('does not retry a GET on other statuses (500, 404, 401)', async () => {
    for (const status of [500, 404, 401]) {
      let attempts = 0;
      nock(BASE)
        .get('/api/v1/athlete/0')
        .reply(() => {
          attempts++;
          return [status, ''];
        });
      await failure(makeClient().getAthlete());
      expect(attempts).toBe(1);
    }
    expect(sleeps).toEqual([]);
  });

  it('honours Retry-After in seconds: sleeps at least 2000 ms', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(429, '', { 'Retry-After': '2' });
    nock(BASE).get('/api/v1/athlete/0').reply(200, { id: 'i1' });
    await makeClient().getAthlete();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    nock(BASE).get('/api/v1/athlete/0').reply(503, '', { 'Retry-After': at });
    nock(BASE).get('/api/v1/athlete/0').reply(200, { id: 'i1' });
    await makeClient().getAthlete();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3_000);
    expect(sleeps[0]).toBeLessThanOrEqual(5_000);
  });

  it('parseRetryAfter reads seconds, fractional seconds and dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-24T09:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1_500);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 08:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(['3'], now)).toBe(3_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('does not retry when Retry-After exceeds 30 s and reports rate_limited with retryAfterMs', async () => {
    let attempts = 0;
    nock(BASE)
      .get('/api/v1/athlete/0')
      .reply(() => {
        attempts++;
        return [429, { error: 'slow down' }, { 'Retry-After': '120' }];
      });
    const err = await failure(makeClient().getAthlete());
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.message).toContain('120 s');
    expect(attempts).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('bounds attempts: retries 2 means exactly 3 requests, then the error', async () => {
    let attempts = 0;
    nock(BASE)
      .get('/api/v1/athlete/0')
      .times(3)
      .reply(() => {
        attempts++;
        return [503, { error: 'maintenance' }];
      });
    const err = await failure(makeClient({ retry: { retries: 2 } }).getAthlete());
    expect(err.kind).toBe('upstream');
    expect(err.status).toBe(503);
    expect(attempts).toBe(3);
    expect(sleeps).toEqual([75, 150]);
  });

  it('gives up once the rate limit persists through all retries', async () => {
    nock(BASE).get('/api/v1/athlete/0').times(2).reply(429, '', { 'Retry-After': '1' });
    const err = await failure(makeClient({ retry: { retries: 1 } }).getAthlete());
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1_000);
    expect(sleeps).toEqual([1_000]);
  });

  it('respects the total time budget: stops retrying early', async () => {
    let attempts = 0;
    nock(BASE)
      .get('/api/v1/athlete/0')
      .times(2)
      .reply(() => {
        attempts++;
        return [502, ''];
      });
    // Delays are 750, 1500, … (random 0.5); the budget allows only the first.
    const client = makeClient({ retry: { retries: 5, baseDelayMs: 1_000, maxDelayMs: 10_000, budgetMs: 1_000 } });
    const err = await failure(client.getAthlete());
    expect(err.kind).toBe('upstream');
    expect(attempts).toBe(2);
    expect(sleeps).toEqual([750]);
  });

  it('does not retry at all when a Retry-After would overrun the budget', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(503, '', { 'Retry-After': '10' });
    const err = await failure(makeClient({ retry: { budgetMs: 5_000 } }).getAthlete());
    expect(err.kind).toBe('upstream');
    expect(sleeps).toEqual([]);
  });

  it('uses jittered exponential delays that grow and are capped by maxDelayMs', async () => {
    nock(BASE).get('/api/v1/athlete/0').times(5).reply(503, '');
    nock(BASE).get('/api/v1/athlete/0').reply(200, { id: 'i1' });
    await makeClient({ retry: { retries: 5 } }).getAthlete();
    // exp = min(1000, 100·2^n); delay = exp/2 + 0.5·exp/2
    expect(sleeps).toEqual([75, 150, 300, 600, 750]);
    for (let i = 1; i < sleeps.length; i++) expect(sleeps[i]!).toBeGreaterThan(sleeps[i - 1]!);
  });

  it('keeps jitter within [exp/2, exp]', async () => {
    nock(BASE).get('/api/v1/athlete/0').times(2).reply(503, '');
    nock(BASE).get('/api/v1/athlete/0').times(2).reply(503, '');
    await failure(makeClient({ retry: { retries: 1 }, random: () => 0 }).getAthlete());
    await failure(makeClient({ retry: { retries: 1 }, random: () => 0.999999 }).getAthlete());
    expect(sleeps).toEqual([50, 100]);
  });

  it('retries a GET after a connection error (ECONNRESET) and then succeeds', async () => {
    nock(BASE).get('/api/v1/athlete/0').replyWithError(connError('ECONNRESET', 'socket hang up'));
    nock(BASE).get('/api/v1/athlete/0').reply(200, { id: 'i1' });
    await expect(makeClient().getAthlete()).resolves.toMatchObject({ id: 'i1' });
    expect(sleeps).toEqual([75]);
  });

  it('reports a persistent connection error as kind network after the retries', async () => {
    nock(BASE).get('/api/v1/athlete/0').times(3).replyWithError(connError('ECONNREFUSED'));
    const err = await failure(makeClient({ retry: { retries: 2 } }).getAthlete());
    expect(err.kind).toBe('network');
    expect(err.message).toContain('INTERVALS_BASE_URL');
    expect(err.message).not.toContain(BASE);
    expect(err.message).not.toContain('intervals.test');
    expect(sleeps).toHaveLength(2);
  });

  describe('writes are never retried', () => {
    const writes: Array<[string, 'post' | 'put' | 'delete', string, (c: IntervalsClient) => Promise<unknown>]> = [
      ['createEvent (POST)', 'post', '/api/v1/athlete/i1/events', (c) => c.createEvent('i1', { name: 'x' })],
      ['upsertEvents (POST)', 'post', '/api/v1/athlete/i1/events/bulk?upsert=true', (c) => c.upsertEvents('i1', [{}])],
      ['updateEvent (PUT)', 'put', '/api/v1/athlete/i1/events/5', (c) => c.updateEvent('i1', 5, { name: 'y' })],
      [
        'updateWellness (PUT)',
        'put',
        '/api/v1/athlete/i1/wellness/2026-11-24',
        (c) => c.updateWellness('i1', '2026-11-24', { weight: 70 }),
      ],
      ['deleteEvent (DELETE)', 'delete', '/api/v1/athlete/i1/events/5', (c) => c.deleteEvent('i1', 5)],
    ];
    for (const [name, method, path, call] of writes) {
      for (const status of [429, 502, 503, 504]) {
        it(`${name}: one request on ${status}`, async () => {
          let attempts = 0;
          const scope = nock(BASE)
            .intercept(path, method.toUpperCase())
            .times(2)
            .reply(() => {
              attempts++;
              return [status, '', { 'Retry-After': '1' }];
            });
          const err = await failure(call(makeClient()));
          expect(err.status).toBe(status);
          expect(attempts).toBe(1);
          expect(sleeps).toEqual([]);
          expect(scope.pendingMocks()).toHaveLength(1);
          nock.cleanAll();
        });
      }
      it(`${name}: one request on a connection error`, async () => {
        let attempts = 0;
        // Interceptors are used in order: the error first, then a success a retry would get.
        nock(BASE).intercept(path, method.toUpperCase()).replyWithError(connError('ECONNRESET', 'socket hang up'));
        nock(BASE)
          .intercept(path, method.toUpperCase())
          .reply(() => {
            attempts++;
            return [200, {}];
          });
        const err = await failure(call(makeClient()));
        expect(err.kind).toBe('network');
        expect(attempts).toBe(0);
        expect(sleeps).toEqual([]);
        expect(nock.pendingMocks()).toHaveLength(1);
        nock.cleanAll();
      });
    }
  });
});

describe('timeouts and cancellation (real loopback server)', () => {
  // nock 15's .delay() only holds back the body after the headers went out, so it cannot
  // exercise undici's headersTimeout; a real server that never answers can.
  let server: Server;
  let url: string;
  let requests: string[];
  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url?.startsWith('/api/v1/athlete/i503')) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"maintenance"}');
      } else if (req.url?.startsWith('/api/v1/athlete/islowbody')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":'); // …and never finish
      }
      // anything else: never answer
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    nock.disableNetConnect();
  });

  const loopClient = (opts: { timeoutMs?: number; realSleep?: boolean; retry?: Partial<RetryPolicy> } = {}) =>
    new IntervalsClient({
      apiKey: KEY,
      baseUrl: url,
      timeoutMs: opts.timeoutMs ?? 10_000,
      ...(opts.realSleep
        ? {}
        : {
            sleep: async (ms: number) => {
              sleeps.push(ms);
            },
          }),
      random: () => 0.5,
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 20_000, ...opts.retry },
    });

  it('reports kind timeout, with the limit in seconds, when headers never arrive; no retry', async () => {
    const client = loopClient({ timeoutMs: 1_000 });
    const started = Date.now();
    const err = await failure(client.getAthlete('ihang'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/within 1 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    await client.close();
  });

  it('reports kind timeout when the body stalls after the headers', async () => {
    const client = loopClient({ timeoutMs: 1_000 });
    const err = await failure(client.getAthlete('islowbody'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/within 1 s/);
    expect(requests).toHaveLength(1);
    await client.close();
  });

  it('maps an AbortSignal aborted mid-request to kind timeout ("cancelled") and does not retry', async () => {
    const client = loopClient();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await failure(client.getAthlete('ihang', ac.signal));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/cancelled/);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    await client.close();
  });

  it('maps a signal that is already aborted to kind timeout without sending anything', async () => {
    const client = loopClient();
    const ac = new AbortController();
    ac.abort();
    const err = await failure(client.getAthlete('ihang', ac.signal));
    expect(err.kind).toBe('timeout');
    expect(requests).toHaveLength(0);
    expect(sleeps).toEqual([]);
    await client.close();
  });

  // Regression: the MCP SDK aborts a cancelled request with `controller.abort(params.reason)`, a
  // string; undici rejects with that reason, which was once taken for a network error and retried.
  it('maps an abort with a custom reason (as the MCP SDK does on notifications/cancelled) to cancelled, without retrying', async () => {
    const client = loopClient();
    const ac = new AbortController();
    setTimeout(() => ac.abort('client cancelled'), 100);
    const err = await failure(client.getAthlete('ihang', ac.signal));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/cancelled/);
    expect(sleeps).toEqual([]);
    await client.close();
  });

  // Regression: AbortSignal.timeout() rejects with a DOMException named TimeoutError, which was once
  // mapped to kind network and retried.
  it('maps an AbortSignal.timeout() expiry to kind timeout, without retrying', async () => {
    const client = loopClient();
    const err = await failure(client.getAthlete('ihang', AbortSignal.timeout(100)));
    expect(err.kind).toBe('timeout');
    expect(sleeps).toEqual([]);
    await client.close();
  });

  // Regression: with the default sleep, an abort during the backoff wait once rejected with the raw
  // signal.reason (a DOMException), which escaped call() as a non-IntervalsError.
  it('maps an abort during the backoff wait to an IntervalsError of kind timeout', async () => {
    // A backoff far longer than the test's timeout: the call can only finish if the abort ends the wait.
    const client = loopClient({ realSleep: true, retry: { baseDelayMs: 120_000, maxDelayMs: 120_000, budgetMs: 300_000 } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const err = await failure(client.getAthlete('i503', ac.signal));
    expect(err.kind).toBe('timeout');
    expect(requests).toHaveLength(1);
    await client.close();
  });
});

describe('response validation', () => {
  it('rejects a 200 whose body misses a required field, naming the field', async () => {
    nock(BASE).get('/api/v1/athlete/i1/events/42').reply(200, { category: 'WORKOUT', start_date_local: '2026-11-24T00:00:00' });
    const err = await failure(makeClient().getEvent('i1', 42));
    expect(err.kind).toBe('upstream');
    expect(err.message).toContain('event 42');
    expect(err.message).toMatch(/field id\b/);
  });

  it('names a nested field path for an element of a list', async () => {
    nock(BASE)
      .get('/api/v1/athlete/i1/events')
      .query(true)
      .reply(200, [EVENT, { ...EVENT, id: 'not-a-number' }]);
    const err = await failure(makeClient().listEvents('i1', { oldest: '2026-11-01', newest: '2026-11-30' }));
    expect(err.kind).toBe('upstream');
    expect(err.message).toContain('field 1.id');
  });

  it('tolerates and preserves unknown extra fields', async () => {
    nock(BASE)
      .get('/api/v1/athlete/i1/events/42')
      .reply(200, { ...EVENT, brand_new_field: 'hello', nested: { a: 1 } });
    const ev = await makeClient().getEvent('i1', 42);
    expect(ev).toMatchObject({ id: 42, brand_new_field: 'hello', nested: { a: 1 } });
  });

  it('tolerates explicit nulls in optional fields', async () => {
    nock(BASE)
      .get('/api/v1/athlete/i1/events/42')
      .reply(200, { ...EVENT, name: null, description: null, moving_time: null, tags: null, workout_doc: null });
    const ev = await makeClient().getEvent('i1', 42);
    expect(ev.name).toBeNull();
    expect(ev.tags).toBeNull();
  });

  it('tolerates nulls inside number arrays (streams with gaps)', async () => {
    nock(BASE)
      .get('/api/v1/activity/i5/streams')
      .query(true)
      .reply(200, [{ type: 'watts', data: [null, 200, null], data2: null, name: null }]);
    const [s] = await makeClient().getStreams('i5', ['watts']);
    expect(s?.data).toEqual([null, 200, null]);
  });

  it('maps a non-JSON 200 to kind upstream', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' });
    const err = await failure(makeClient().getAthlete());
    expect(err.kind).toBe('upstream');
    expect(err.message).toMatch(/not JSON/);
    expect(err.message).not.toContain('<html>');
  });

  it('maps an empty 200 to an upstream error when an object is expected', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(200, '');
    const err = await failure(makeClient().getAthlete());
    expect(err.kind).toBe('upstream');
    expect(err.message).toContain('(root)');
  });

  it('accepts an empty 200 for a delete', async () => {
    nock(BASE).delete('/api/v1/athlete/i1/events/5').reply(200, '');
    await expect(makeClient().deleteEvent('i1', 5)).resolves.toBeNull();
  });

  it('turns a numeric activity id into a string', async () => {
    nock(BASE)
      .get('/api/v1/activity/1001')
      .query(true)
      .reply(200, { ...ACTIVITY, id: 1001 });
    const a = await makeClient().getActivity('1001');
    expect(a.id).toBe('1001');
  });
});

describe('Strava stubs', () => {
  it('getActivity on a Strava stub returns something isStravaStub recognises', async () => {
    nock(BASE).get('/api/v1/activity/123').query({ intervals: 'false' }).reply(200, STUB);
    const a = await makeClient().getActivity('123');
    expect(isStravaStub(a)).toBe(true);
    expect(a).toMatchObject({ id: '123', source: 'STRAVA' });
  });

  it('parses a list mixing stubs and full activities and tells them apart', async () => {
    nock(BASE)
      .get('/api/v1/athlete/i1/activities')
      .query({ oldest: '2026-11-01', limit: '10', fields: ACTIVITY_LIST_FIELDS.join(',') })
      .reply(200, [ACTIVITY, STUB, { ...STUB, id: 124, icu_athlete_id: 'i1', extra: true }, { ...ACTIVITY, id: 'i1002', source: null }]);
    const list = await makeClient().listActivities('i1', { oldest: '2026-11-01', limit: 10 });
    expect(list.map(isStravaStub)).toEqual([false, true, true, false]);
    expect(list.map((a) => a.id)).toEqual(['i1001', '123', '124', 'i1002']);
    expect(list[0]).toMatchObject({ name: 'Morning ride', type: 'Ride' });
  });

  it('a full activity without start_date_local is rejected (not mistaken for a stub)', async () => {
    nock(BASE).get('/api/v1/activity/i9').query(true).reply(200, { id: 'i9', type: 'Ride' });
    const err = await failure(makeClient().getActivity('i9'));
    expect(err.kind).toBe('upstream');
  });
});

describe('injected dispatcher', () => {
  it('uses an injected undici MockAgent and close() leaves it open', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    const pool = mock.get(BASE);
    pool
      .intercept({ path: '/api/v1/athlete/0', method: 'GET', headers: { authorization: AUTH, accept: 'application/json' } })
      .reply(200, { id: 'i1', name: 'Ann' }, { headers: JSON_HEADERS })
      .times(2);
    const closeSpy = vi.spyOn(mock, 'close');
    const client = new IntervalsClient({ apiKey: KEY, baseUrl: BASE, dispatcher: mock, sleep: async () => {} });
    await expect(client.getAthlete()).resolves.toMatchObject({ id: 'i1', name: 'Ann' });
    await client.close();
    expect(closeSpy).not.toHaveBeenCalled();
    // The pool is still usable by another client after the first one's close().
    const other = new IntervalsClient({ apiKey: KEY, baseUrl: BASE, dispatcher: mock, sleep: async () => {} });
    await expect(other.getAthlete()).resolves.toMatchObject({ id: 'i1' });
    mock.assertNoPendingInterceptors();
    closeSpy.mockRestore();
    await mock.close();
  });

  it('close() closes a dispatcher the client created itself', async () => {
    const client = makeClient();
    await expect(client.close()).resolves.toBeUndefined();
  });
});
