/**
 * A faulty stand-in in front of an upstream (normally the fake Intervals.icu), on loopback only,
 * for the guard's load tests and `npm run soak`. It forwards each request and can, instead:
 *
 * - rate-limit like Intervals.icu (a token bucket per second with a small burst; excess gets 429
 *   with Retry-After);
 * - answer 429 to everything for a while (`storm(ms)`);
 * - hold a call open with a body trickling one byte at a time (`trickle`);
 * - send a huge body, either declared up front (content-length) or streamed chunked (`oversize`);
 * - drop the connection without answering (`reset`);
 * - gzip what it forwards when the client accepts it (to measure gzip against identity).
 *
 * Faults are drawn per request from `mix` (probabilities, seeded: runs repeat) or forced with
 * `force`. Counters say what happened: requests, statuses, faults, bytes sent.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type Fault = 'storm429' | 'trickle' | 'oversize' | 'oversize-declared' | 'reset';

export interface FaultyOptions {
  /** Where to forward, e.g. the fake's url. */
  target: string;
  /** Intervals.icu-like limit: `perSec` request starts per second, `burst` back to back. */
  rateLimit?: { perSec: number; burst: number; retryAfterSec?: number };
  /** Probability of each fault per request (0..1); the rest pass through. */
  mix?: Partial<Record<Fault, number>>;
  /** Gzip forwarded bodies when the request accepts gzip. */
  gzip?: boolean;
  /** Trickle: one byte every `trickleEveryMs` (default 50), for at most `trickleForMs` (default 60 s). */
  trickleEveryMs?: number;
  trickleForMs?: number;
  /** Oversize: how many bytes (default 100 MiB). */
  oversizeBytes?: number;
  /** Seed for the fault draw. */
  seed?: number;
}

export interface FaultyCounters {
  requests: number;
  forwarded: number;
  byStatus: Record<number, number>;
  byFault: Record<string, number>;
  /** 429s from the rate limit (not from storms). */
  limited: number;
  /** Body bytes written to clients, across all responses. */
  bytesSent: number;
}

export interface FaultyUpstream {
  url: string;
  counters: FaultyCounters;
  /** Force one fault for every request from now on (undefined: back to the mix). */
  force(fault: Fault | undefined): void;
  /** Every request gets 429 (Retry-After `retryAfterSec`, default 1) for `ms`. */
  storm(ms: number, retryAfterSec?: number): void;
  setMix(mix: Partial<Record<Fault, number>>): void;
  reset(): void;
  close(): Promise<void>;
}

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fresh = (): FaultyCounters => ({ requests: 0, forwarded: 0, byStatus: {}, byFault: {}, limited: 0, bytesSent: 0 });

export async function startFaultyUpstream(opts: FaultyOptions): Promise<FaultyUpstream> {
  const target = new URL(opts.target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const random = prng(opts.seed ?? 42);
  let counters = fresh();
  let mix = { ...opts.mix };
  let forced: Fault | undefined;
  let stormUntil = 0;
  let stormRetryAfter = 1;
  const limit = opts.rateLimit;
  let tokens = limit?.burst ?? 0;
  let refilled = Date.now();
  const open = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const count = (status: number) => {
    counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
  };
  const send = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: Buffer | string) => {
    count(status);
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    counters.bytesSent += buf.length;
    res.writeHead(status, { ...headers, 'content-length': String(buf.length) }).end(buf);
  };
  const tooMany = (res: http.ServerResponse, retryAfter: number) =>
    send(res, 429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) }, '{"status":429,"error":"Too Many Requests"}');

  const draw = (): Fault | undefined => {
    if (forced) return forced;
    let r = random();
    for (const [fault, p] of Object.entries(mix) as [Fault, number][]) {
      if (r < p) return fault;
      r -= p;
    }
    return undefined;
  };

  const trickle = (res: http.ServerResponse) => {
    count(200);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id":"i1","name":"');
    const started = Date.now();
    const t = setInterval(() => {
      if (res.destroyed || Date.now() - started > (opts.trickleForMs ?? 60_000)) {
        clearInterval(t);
        timers.delete(t);
        if (!res.destroyed) res.end('"}');
        return;
      }
      counters.bytesSent++;
      res.write('x');
    }, opts.trickleEveryMs ?? 50);
    timers.add(t);
    res.on('close', () => {
      clearInterval(t);
      timers.delete(t);
    });
  };

  const oversize = (res: http.ServerResponse, declared: boolean) => {
    const total = opts.oversizeBytes ?? 100 * 1024 * 1024;
    count(200);
    res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(total) } : {}) });
    const chunk = Buffer.from('0,'.repeat(32 * 1024));
    let sent = 0;
    const pump = () => {
      while (!res.destroyed && sent < total) {
        const first = sent === 0;
        const piece = first ? Buffer.concat([Buffer.from('['), chunk.subarray(1)]) : chunk;
        const n = Math.min(piece.length, total - sent);
        const last = sent + n >= total;
        const out = last ? Buffer.concat([piece.subarray(0, n - 1), Buffer.from(']')]) : piece.subarray(0, n);
        sent += n;
        counters.bytesSent += n;
        if (last) return void res.end(out);
        if (!res.write(out)) return void res.once('drain', pump);
      }
    };
    pump();
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    counters.forwarded++;
    const headers = { ...req.headers, host: target.host, 'accept-encoding': 'identity' };
    delete headers['content-length'];
    const up = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (upRes) => {
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          let out: Buffer = Buffer.concat(chunks);
          const h: http.OutgoingHttpHeaders = { ...upRes.headers };
          delete h['content-length'];
          delete h['transfer-encoding'];
          delete h['connection'];
          delete h['keep-alive'];
          if (opts.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && out.length > 0) {
            out = gzipSync(out);
            h['content-encoding'] = 'gzip';
          }
          if (!res.destroyed) send(res, upRes.statusCode ?? 502, h, out);
        });
        upRes.on('error', () => res.destroy());
      },
    );
    up.on('error', () => {
      if (!res.headersSent) send(res, 502, { 'content-type': 'text/plain' }, 'bad gateway');
    });
    up.end(body);
  };

  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      counters.requests++;
      const now = Date.now();
      if (now < stormUntil) {
        counters.byFault['storm429'] = (counters.byFault['storm429'] ?? 0) + 1;
        return tooMany(res, stormRetryAfter);
      }
      if (limit) {
        tokens = Math.min(limit.burst, tokens + ((now - refilled) * limit.perSec) / 1000);
        refilled = now;
        if (tokens < 1) {
          counters.limited++;
          return tooMany(res, limit.retryAfterSec ?? 1);
        }
        tokens -= 1;
      }
      const fault = draw();
      if (fault) counters.byFault[fault] = (counters.byFault[fault] ?? 0) + 1;
      switch (fault) {
        case 'storm429':
          return tooMany(res, 1);
        case 'trickle':
          return trickle(res);
        case 'oversize':
          return oversize(res, false);
        case 'oversize-declared':
          return oversize(res, true);
        case 'reset':
          return req.socket.destroy();
        default:
          return forward(req, res, Buffer.concat(chunks));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get counters() {
      return counters;
    },
    force(f) {
      forced = f;
    },
    storm(ms, retryAfterSec = 1) {
      stormUntil = Date.now() + ms;
      stormRetryAfter = retryAfterSec;
    },
    setMix(m) {
      mix = { ...m };
    },
    reset() {
      counters = fresh();
      tokens = limit?.burst ?? 0;
      refilled = Date.now();
    },
    async close() {
      for (const t of timers) clearInterval(t);
      for (const r of open) r.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
