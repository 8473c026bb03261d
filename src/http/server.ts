/**
 * The HTTP server's lifecycle.
 *
 * - Deliberate limits instead of Node's defaults (which hold stalled headers ~60 s and stalled
 *   bodies 300 s, with no connection cap): a headers timeout, a whole-request timeout, a keep-alive
 *   timeout and a cap on open connections; a refused connection is logged as one throttled warning.
 * - A drain for shutdown: stop accepting, answer new requests on kept-alive connections with 503
 *   and `Connection: close`, let in-flight requests finish and exit as soon as none is left; at the
 *   deadline, answer what is still running with a JSON-RPC error (never a reset), then close.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { jsonRpcError, jsonRpcIdOf } from './guards.js';

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/** How long the deadline's error answers get to reach their clients before every socket is closed. */
const FLUSH_MS = 250;
/** At most one "connection refused" warning per this period (a flood must not flood the log too). */
const DROP_LOG_PERIOD_MS = 10_000;

export function createHttpServer(handler: RequestListener, limits: ServerLimits, logger: Logger): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two request timeouts on this period (default 30 s, which would stretch a
      // 10 s headers timeout to 40 s).
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  // Node starts the headers timeout at a request's first byte: a connection that sends nothing at
  // all would hold one of the capped slots for ever. Close it after twice that time without a byte,
  // unless a request has begun (from there on the headers, request and keep-alive timeouts apply;
  // twice, so that a request whose headers stall gets Node's 408 first, at most 1.25× in).
  const silent = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    silent.add(socket);
    socket.setTimeout(2 * limits.headersTimeoutMs);
  });
  server.on('request', (req: IncomingMessage) => {
    if (silent.delete(req.socket)) req.socket.setTimeout(0);
  });
  let dropped = 0;
  let lastLog = Number.NEGATIVE_INFINITY;
  server.on('drop', () => {
    dropped++;
    const now = Date.now();
    if (now - lastLog < DROP_LOG_PERIOD_MS) return;
    logger.warn({ dropped, maxConnections: limits.maxConnections }, 'connections refused: HTTP_MAX_CONNECTIONS open connections reached');
    lastLog = now;
    dropped = 0;
  });
  // Malformed requests and timeouts: Node's default clientError handling answers 400/408/431
  // and closes the socket without logging, which is what we want.
  return server;
}

export interface DrainResult {
  /** Requests in flight when the drain began. */
  inFlight: number;
  /** Requests still running at the deadline, answered with a JSON-RPC error. */
  cut: number;
}

/** Tracks in-flight requests and the draining state; `drain()` is what SIGTERM triggers. */
export class Drainer {
  #draining = false;
  readonly #inFlight = new Set<Response>();

  get draining(): boolean {
    return this.#draining;
  }

  /** Requests being served right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** First middleware: remembers each response until it closes; once draining, asks to close the connection. */
  readonly track: RequestHandler = (_req, res, next) => {
    this.#inFlight.add(res);
    res.once('close', () => this.#inFlight.delete(res));
    if (this.#draining) res.setHeader('Connection', 'close');
    next();
  };

  /** In front of /mcp: once draining, a new request gets 503 and a JSON-RPC error. */
  readonly refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (!this.#draining) return next();
    res.setHeader('Retry-After', '1');
    jsonRpcError(res, 503, -32000, 'Service unavailable: the server is shutting down; retry in a moment.');
  };

  async drain(server: Server, deadlineMs: number, logger: Logger): Promise<DrainResult> {
    this.#draining = true;
    const inFlight = this.#inFlight.size;
    for (const res of this.#inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    logger.info({ inFlight, deadlineMs }, 'draining: no new connections; waiting for in-flight requests');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      closed.then(() => 'idle' as const),
      new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs))),
    ]);
    clearTimeout(timer);
    if (outcome === 'idle') return { inFlight, cut: 0 };

    const cut = this.#inFlight.size;
    for (const res of this.#inFlight) {
      if (res.headersSent) {
        res.end();
        continue;
      }
      res.setHeader('Connection', 'close');
      const body: unknown = res.req?.body;
      jsonRpcError(
        res,
        503,
        -32000,
        `Service unavailable: the server shut down before this request finished (${deadlineMs} ms drain deadline); retry it.`,
        jsonRpcIdOf(body),
      );
    }
    if (cut > 0) logger.warn({ cut, deadlineMs }, 'drain deadline reached: unfinished requests answered with a JSON-RPC error');
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, FLUSH_MS).unref())]);
    server.closeAllConnections();
    await closed;
    return { inFlight, cut };
  }
}
