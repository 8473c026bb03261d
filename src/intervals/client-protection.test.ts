/**
 * What protects the server and Interv.icu from each other: which transport failures are retried,
 * 4xx described as rejections, the per-attempt deadline, the response size cap, gzip, `fields=`,
 * coalescing and the per-credential read cache, and many clients sharing one guard.
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, connError, failure, KEY, makeClient, sleeps, useNock } from '../../test/support/intervals-client.js';
import { UpstreamCache } from './cache.js';
import { DNS_CODES, errorCode, IntervalsClient, isTlsCode, RETRYABLE_CODES } from './client.js';
import { fingerprint } from './fingerprint.js';
import { IntervalsGuard } from './guard.js';
import { ACTIVITY_LIST_FIELDS, WELLNESS_LIST_FIELDS } from './schemas.js';
import { VirtualClock } from './virtual-clock.js';

useNock();

// ---------------------------------------------------------------------------------------------

describe('which transport failures are retried (RETRYABLE_CODES decides)', () => {
  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET'])('%s: retried, then succeeds', async (code) => {
    nock(BASE).get('/api/v1/athlete/0').replyWithError(connError(code));
    nock(BASE).get('/api/v1/athlete/0').reply(200, { id: 'i1' });
    await expect(makeClient().getAthlete()).resolves.toMatchObject({ id: 'i1' });
    expect(sleeps).toHaveLength(1);
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN'])('%s (DNS): one attempt, and a message naming INTERVALS_BASE_URL but not its value', async (code) => {
    nock(BASE)
      .get('/api/v1/athlete/0')
      .replyWithError(connError(code, `getaddrinfo ${code} intervals.test`));
    const err = await failure(makeClient().getAthlete());
    expect(err.kind).toBe('network');
    expect(err.message).toBe(
      `Could not find the Intervals.icu host for athlete 0 (${code}). The operator should check INTERVALS_BASE_URL and the server's DNS.`,
    );
    expect(sleeps).toEqual([]);
  });

  it.each(['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
    '%s (TLS): one attempt, certificate named as the cause',
    async (code) => {
      nock(BASE).get('/api/v1/athlete/0').replyWithError(connError(code));
      const err = await failure(makeClient().getAthlete());
      expect(err.kind).toBe('network');
      expect(err.message).toContain(`(${code}): its certificate was not accepted`);
      expect(err.message).toContain('INTERVALS_BASE_URL');
      expect(err.message).not.toContain('intervals.test');
      expect(sleeps).toEqual([]);
    },
  );

  it('an unknown transport error is reported once, not retried', async () => {
    nock(BASE).get('/api/v1/athlete/0').replyWithError(connError('EWEIRD'));
    const err = await failure(makeClient().getAthlete());
    expect(err.message).toContain('(EWEIRD)');
    expect(sleeps).toEqual([]);
  });

  it('finds a DNS or TLS code under a wrapper error', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { code: 'UND_ERR_SOCKET', cause: connError('ENOTFOUND') });
    expect(errorCode(wrapped)).toBe('ENOTFOUND');
    expect(errorCode(connError('ECONNRESET'))).toBe('ECONNRESET');
    expect(errorCode('nope')).toBeUndefined();
  });

  it('the three sets do not overlap', () => {
    for (const c of RETRYABLE_CODES) {
      expect(DNS_CODES.has(c)).toBe(false);
      expect(isTlsCode(c)).toBe(false);
    }
  });
});

describe('4xx is a rejected request, never "try again"', () => {
  it.each([
    [405, 'method not allowed'],
    [409, 'conflict'],
    [418, "I'm a teapot"],
    [451, 'unavailable for legal reasons'],
  ])('%i', async (status, reason) => {
    nock(BASE).get('/api/v1/athlete/0').reply(status, { error: 'nope' });
    const err = await failure(makeClient().getAthlete());
    expect(err.kind).toBe('rejected');
    expect(err.status).toBe(status);
    expect(err.message).toBe(
      `Intervals.icu rejected the request (${status} ${reason}) for athlete 0. Intervals.icu said: "nope". Repeating it unchanged will not help.`,
    );
    expect(err.message).not.toMatch(/try again|shortly/i);
    expect(sleeps).toEqual([]);
  });
});

describe('fields= on the activity and wellness lists', () => {
  it('asks only for the fields the tools read, unless told otherwise', async () => {
    const seen: URLSearchParams[] = [];
    nock(BASE)
      .get(/\/api\/v1\/athlete\/i1\/(activities|wellness)/)
      .times(4)
      .reply((req: Request) => {
        seen.push(new URL(req.url).searchParams);
        return [200, []];
      });
    const c = makeClient();
    await c.listActivities('i1', { oldest: '2026-11-01' });
    await c.listWellness('i1', { oldest: '2026-11-01', newest: '2026-11-07' });
    await c.listWellness('i1', { oldest: '2026-11-01', newest: '2026-11-07', fields: ['id', 'ctl'] });
    await c.listActivities('i1', { oldest: '2026-11-01', fields: 'all' });
    expect(seen[0]!.get('fields')!.split(',')).toEqual([...ACTIVITY_LIST_FIELDS]);
    expect(seen[1]!.get('fields')!.split(',')).toEqual([...WELLNESS_LIST_FIELDS]);
    expect(seen[2]!.get('fields')).toBe('id,ctl');
    expect(seen[3]!.has('fields')).toBe(false);
    expect(ACTIVITY_LIST_FIELDS).toContain('paired_event_id');
    expect(WELLNESS_LIST_FIELDS).toContain('hrv');
  });
});

describe('gzip', () => {
  it('asks for gzip and reads a gzipped answer; identity when gzip is off', async () => {
    const body = gzipSync(JSON.stringify({ id: 'i1', name: 'Ann' }));
    nock(BASE, { reqheaders: { 'accept-encoding': 'gzip' } })
      .get('/api/v1/athlete/0')
      .reply(200, body, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    await expect(makeClient().getAthlete()).resolves.toMatchObject({ id: 'i1', name: 'Ann' });
    nock(BASE, { reqheaders: { 'accept-encoding': 'identity' } })
      .get('/api/v1/athlete/0')
      .reply(200, { id: 'i2' });
    await expect(makeClient({ gzip: false }).getAthlete()).resolves.toMatchObject({ id: 'i2' });
  });

  it('caps the decompressed size too (a small gzip that inflates past the cap is refused)', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20)); // ~5 KB compressed, 5 MB inflated
    expect(bomb.length).toBeLessThan(20_000);
    nock(BASE).get('/api/v1/athlete/0').reply(200, bomb, { 'content-encoding': 'gzip' });
    const err = await failure(makeClient({ maxResponseBytes: 1_000_000 }).getAthlete());
    expect(err.kind).toBe('upstream');
    expect(err.message).toContain('larger than the server accepts (1 MB, INTERVALS_MAX_RESPONSE_BYTES)');
  });

  it('refuses an encoding it does not read, and a corrupt gzip, with upstream errors', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(200, 'xx', { 'content-encoding': 'zstd' });
    expect((await failure(makeClient().getAthlete())).message).toContain('encoding the server does not read (zstd)');
    nock(BASE).get('/api/v1/athlete/0').reply(200, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect((await failure(makeClient().getAthlete())).message).toContain('does not decompress');
  });
});

describe('coalescing and the read cache', () => {
  it('identical concurrent GETs make one upstream request; each caller gets its own copy', async () => {
    let hits = 0;
    nock(BASE)
      .get('/api/v1/athlete/0')
      .delay(20)
      .reply(() => {
        hits++;
        return [200, { id: 'i1', name: 'Ann' }];
      });
    const c = makeClient();
    const [a, b, d] = await Promise.all([c.getAthlete(), c.getAthlete(), c.getAthlete()]);
    expect(hits).toBe(1);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(d).toMatchObject({ name: 'Ann' });
    expect(c.cache.stats.coalesced).toBe(2);
  });

  it('one caller giving up does not cancel the shared request for the others', async () => {
    nock(BASE).get('/api/v1/athlete/0').delay(50).reply(200, { id: 'i1' });
    const c = makeClient();
    const ac = new AbortController();
    const first = c.getAthlete('0', ac.signal);
    const second = c.getAthlete('0');
    ac.abort();
    expect((await failure(first)).message).toMatch(/cancelled/);
    await expect(second).resolves.toMatchObject({ id: 'i1' });
  });

  it('serves a hot read from memory within the TTL, and fetches again after a write to that athlete', async () => {
    const clock = new VirtualClock();
    const cache = new UpstreamCache({ ttlMs: 5_000, clock });
    const c = makeClient({ shared: { guard: new IntervalsGuard({ clock }), cache }, clock });
    let hits = 0;
    nock(BASE)
      .get('/api/v1/athlete/i1/events')
      .query(true)
      .times(3)
      .reply(() => [200, [{ id: ++hits, category: 'NOTE', start_date_local: '2026-11-24T00:00:00' }]]);
    nock(BASE).put('/api/v1/athlete/i1/events/1').reply(200, { id: 1, category: 'NOTE', start_date_local: '2026-11-24T00:00:00' });
    const range = { oldest: '2026-11-24', newest: '2026-11-30' };
    expect((await c.listEvents('i1', range))[0]!.id).toBe(1);
    expect((await c.listEvents('i1', range))[0]!.id).toBe(1); // cached
    await c.updateEvent('i1', 1, { name: 'x' });
    expect((await c.listEvents('i1', range))[0]!.id).toBe(2); // invalidated by the write
    await clock.advance(5_001);
    expect((await c.listEvents('i1', range))[0]!.id).toBe(3); // expired
    expect(hits).toBe(3);
    expect(cache.stats.hits).toBe(1);
  });

  it('never serves one credential what was fetched with another, though they share cache and guard', async () => {
    const cache = new UpstreamCache({ ttlMs: 60_000 });
    const auths: string[] = [];
    nock(BASE)
      .get('/api/v1/athlete/0')
      .times(2)
      .reply((req: Request) => {
        const auth = String(req.headers.get('authorization'));
        auths.push(auth);
        return [200, { id: auth.endsWith(Buffer.from('API_KEY:key-a').toString('base64')) ? 'iA' : 'iB' }];
      });
    // Built without their own dispatcher: the guard's pool is the one they use.
    const a = makeClient({ apiKey: 'key-a', shared: { cache, guard: new IntervalsGuard() } });
    const b = makeClient({ apiKey: 'key-b', shared: { cache, guard: a.guard } });
    expect(a.credentialKey).not.toBe(b.credentialKey);
    expect(a.credentialKey).toMatch(/^k-[0-9a-f]{12}$/);
    // The same name the credentials layer logs for this key.
    expect(a.credentialKey).toBe(fingerprint('api_key', 'key-a'));
    await expect(a.getAthlete()).resolves.toMatchObject({ id: 'iA' });
    await expect(b.getAthlete()).resolves.toMatchObject({ id: 'iB' });
    await expect(a.getAthlete()).resolves.toMatchObject({ id: 'iA' }); // from a's cache entry
    expect(auths).toHaveLength(2);
    expect(a.guard).toBe(b.guard);
    await a.guard.close();
  });

  it('does not cache errors, and a client without a shared cache does not cache at all', async () => {
    nock(BASE).get('/api/v1/athlete/0').reply(404, '');
    nock(BASE).get('/api/v1/athlete/0').times(2).reply(200, { id: 'i1' });
    const c = makeClient();
    await failure(c.getAthlete());
    await c.getAthlete();
    await c.getAthlete();
    expect(c.cache.size).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('deadline and size cap (real loopback server)', () => {
  let server: Server;
  let url: string;
  let written: number;
  let finished: boolean;
  const open = new Set<ServerResponse>();
  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    server = createServer((req, res) => {
      open.add(res);
      res.on('close', () => open.delete(res));
      written = 0;
      finished = false;
      const path = req.url ?? '';
      if (path.startsWith('/api/v1/athlete/itrickle')) {
        // Headers at once, then one byte every 20 ms: each chunk arrives well within undici's idle
        // timeout, so only a total deadline can stop it.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"itrickle","name":"');
        const t = setInterval(() => {
          if (res.destroyed) return clearInterval(t);
          res.write('x');
          written++;
        }, 20);
        res.on('close', () => clearInterval(t));
      } else if (path.startsWith('/api/v1/athlete/ideclared')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) });
        res.write('{"id":"');
        res.on('close', () => {});
      } else if (path.startsWith('/api/v1/athlete/ichunked') || path.startsWith('/api/v1/athlete/ibigerror')) {
        // 100 MB of chunked body, generated while the socket drains; stops when the client hangs up.
        res.writeHead(path.includes('ibigerror') ? 500 : 200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const total = 100 * 1024 * 1024;
        const pump = () => {
          while (written < total && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) {
            finished = true;
            res.end();
          }
        };
        pump();
      } else {
        res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const r of open) r.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    nock.disableNetConnect();
  });

  const loop = (opts: { timeoutMs?: number; maxResponseBytes?: number } = {}) =>
    new IntervalsClient({ apiKey: KEY, baseUrl: url, timeoutMs: opts.timeoutMs ?? 10_000, ...opts, sleep: async () => {} });

  it('cuts a trickling body at the configured deadline (kind timeout, the limit named)', async () => {
    const c = loop({ timeoutMs: 300 });
    const err = await failure(c.getAthlete('itrickle'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      'Intervals.icu did not answer within 300 ms for athlete itrickle. Try again, or ask for a shorter date range.',
    );
    // The body kept coming, but far fewer than the 1 byte / 20 ms of a call held open for 100 s.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(200);
    await c.close();
  });

  it('refuses a declared 100 MB body without reading it', async () => {
    const c = loop({ maxResponseBytes: 1024 * 1024 });
    const err = await failure(c.getAthlete('ideclared'));
    expect(err.kind).toBe('upstream');
    expect(err.message).toBe(
      "Intervals.icu's answer for athlete ideclared is larger than the server accepts (1 MB, INTERVALS_MAX_RESPONSE_BYTES); it was not read. Ask for a shorter date range or fewer streams.",
    );
    await c.close();
  });

  it('reads only the start of a huge error body (enough for the detail), then hangs up', async () => {
    const c = loop();
    const err = await failure(c.getAthlete('ibigerror'));
    expect(err.kind).toBe('upstream');
    expect(err.status).toBe(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(false);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    await c.close();
  });

  it('stops reading a streamed 100 MB body just past the cap', async () => {
    const c = loop({ maxResponseBytes: 1024 * 1024 });
    const err = await failure(c.getAthlete('ichunked'));
    expect(err.message).toContain('larger than the server accepts (1 MB');
    // Let the server notice the hang-up.
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(false);
    // What the server managed to push: the cap plus socket buffers, nowhere near 100 MB.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    await c.close();
  });
});

describe('OAuth bearer credential', () => {
  it('sends Authorization: Bearer, keys the cache by it, and never echoes the token', async () => {
    const token = 'oauth-token-abc.DEF_123';
    nock(BASE, { reqheaders: { authorization: `Bearer ${token}` } })
      .get('/api/v1/athlete/0')
      .reply(403, { error: `token ${token} lacks scope` });
    const c = new IntervalsClient({ bearerToken: token, baseUrl: BASE, sleep: async () => {} });
    const err = await failure(c.getAthlete());
    expect(err.message).not.toContain(token);
    expect(err.message).toContain('[redacted]');
    expect(c.credentialKey).not.toBe(makeClient().credentialKey);
    await c.close();
  });

  it('needs exactly one credential', () => {
    expect(() => new IntervalsClient({ baseUrl: BASE })).toThrow(/exactly one/);
    expect(() => new IntervalsClient({ apiKey: 'a', bearerToken: 'b' })).toThrow(/exactly one/);
  });
});

describe('limits given to the first client become the shared guard and cache', () => {
  it('builds its guard and cache from `limits`; a client sharing them inherits the caps', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get(BASE)
      .intercept({ path: '/api/v1/athlete/0', method: 'GET', headers: { 'accept-encoding': 'identity' } })
      .reply(200, JSON.stringify({ id: 'i1', name: 'x'.repeat(200_000) }));
    const first = new IntervalsClient({
      apiKey: KEY,
      baseUrl: BASE,
      dispatcher: agent,
      limits: { ratePerSec: 3, burst: 2, maxConcurrent: 4, maxResponseBytes: 100_000, gzip: false, cacheTtlMs: 1234 },
    });
    expect(first.guard.options).toMatchObject({ ratePerSec: 3, burst: 2, maxConcurrent: 4, maxResponseBytes: 100_000, gzip: false });
    expect(first.cache.options.ttlMs).toBe(1234);
    const second = new IntervalsClient({ apiKey: 'other', baseUrl: BASE, shared: { guard: first.guard, cache: first.cache } });
    const err = await failure(second.getAthlete());
    expect(err.message).toContain('larger than the server accepts (0.1 MB');
    agent.assertNoPendingInterceptors();
    await first.close();
    await agent.close();
  });
});

describe('fair queuing across credentials, through the client', () => {
  it("one person's bulk reads do not hold back another person's single read", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const order: string[] = [];
    agent
      .get(BASE)
      .intercept({ path: (p) => p.startsWith('/api/v1/athlete/0/wellness/'), method: 'GET' })
      .reply((opts) => {
        const auth = String((opts.headers as Record<string, string>).authorization);
        order.push(auth.includes(Buffer.from('API_KEY:bulk').toString('base64')) ? 'bulk' : 'single');
        return { statusCode: 200, data: JSON.stringify({ id: '2026-11-01' }) };
      })
      .persist();
    // 200 starts/s with no burst: the bulk work queues up behind the first request.
    const guard = new IntervalsGuard({ dispatcher: agent, ratePerSec: 200, burst: 1, maxConcurrent: 4 });
    const shared = { guard, cache: new UpstreamCache() };
    const bulk = new IntervalsClient({ apiKey: 'bulk', baseUrl: BASE, shared });
    const single = new IntervalsClient({ apiKey: 'single', baseUrl: BASE, shared });
    const days = Array.from({ length: 20 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
    // All 20 bulk reads queue before the single one: first come, first served would send it last.
    const bulkDone = Promise.all(days.map((d) => bulk.getWellness('0', d)));
    const singleDone = single.getWellness('0', '2026-11-01');
    await Promise.all([bulkDone, singleDone]);
    expect(order).toHaveLength(21);
    // Started second (round-robin with bulk), not 21st; answers of up to maxConcurrent requests in
    // flight may come back in any order on a loaded machine, so "among the first five".
    expect(order.indexOf('single')).toBeLessThanOrEqual(4);
    await guard.close();
    await agent.close();
  });
});
