/**
 * The Express app: guards, auth and the MCP endpoint, health probes, and one log line per request.
 */
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { type Config, isLoopback } from '../config.js';
import type { Logger } from '../logger.js';
import type { McpDeps, RequestInfo } from '../mcp/server.js';
import { handleMcpPost } from '../mcp/transport.js';
import { VERSION } from '../version.js';
import type { Identity } from './auth.js';
import { hostGuard, jsonRpcError, jsonRpcIdOf, originGuard } from './guards.js';
import type { UpstreamVerdict } from './readiness.js';
import type { Drainer } from './server.js';

export const BODY_LIMIT = '1mb';
/** The most JSON-RPC messages one POST may carry (batching is gone from MCP since 2025-06-18). */
export const MAX_BATCH = 5;
/** Origins of Claude's web app: allowed by default (requests from Anthropic's cloud carry none). */
export const DEFAULT_ORIGINS = ['https://claude.ai', 'https://claude.com'];

export interface AppDeps {
  config: Pick<Config, 'http'>;
  logger: Logger;
  mcp: McpDeps;
  /** Identity check for /mcp (Pomerium assertion, or a pass-through). */
  auth: RequestHandler;
  /** Shutdown state: tracks in-flight requests, refuses new ones once draining. */
  drainer?: Drainer;
  /** Readiness beyond draining: does the Intervals.icu key work (cached). */
  readiness?: { check(): Promise<UpstreamVerdict> };
  /**
   * Per-person credentials (src/credentials): the verified identity and the Authorization header
   * Pomerium injected pick the MCP deps serving this caller, or a refusal (403 unknown email, 401 no
   * Intervals.icu token). Absent: `mcp` serves everyone (INTERVALS_CREDENTIALS=single).
   */
  route?: (
    identity: Identity | undefined,
    authorization: string | string[] | undefined,
  ) => { mcp: McpDeps; info: Partial<RequestInfo> & { credential: string } } | { status: number; code: number; message: string };
}

/** The path of a request URL: query strings may carry anything and are never logged. */
export function pathOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

/** Body-parser refusals that are the client's fault, with the JSON-RPC answer each gets. */
function clientBodyError(err: BodyError): { status: number; code: number; message: string } | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return { status: 413, code: -32600, message: `Request body exceeds ${BODY_LIMIT}.` };
    case 'entity.parse.failed':
      return { status: 400, code: -32700, message: 'Parse error: the body is not valid JSON.' };
    case 'charset.unsupported':
      return {
        status: 415,
        code: -32600,
        message: `Unsupported charset${err.charset ? ` "${String(err.charset).slice(0, 40).toUpperCase()}"` : ''}: send JSON as UTF-8.`,
      };
    case 'encoding.unsupported':
      return {
        status: 415,
        code: -32600,
        message: `Unsupported Content-Encoding${err.encoding ? ` "${String(err.encoding).slice(0, 40)}"` : ''}: send the body uncompressed, or gzip, deflate or br.`,
      };
  }
  const status = err.status ?? err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Corrupt compressed data, a body shorter or longer than its Content-Length, …
    return { status: 400, code: -32600, message: 'Bad request: the body could not be read (corrupt encoding or wrong length).' };
  }
  return undefined;
}

interface BodyError {
  type?: string;
  status?: number;
  statusCode?: number;
  charset?: unknown;
  encoding?: unknown;
}

export function createApp(deps: AppDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  if (deps.drainer) app.use(deps.drainer.track);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: (_req, res) => {
        const locals = (res as unknown as { locals?: { identity?: Identity; credential?: string } }).locals;
        return {
          ...(locals?.identity?.email ? { email: locals.identity.email } : {}),
          ...(locals?.credential ? { credential: locals.credential } : {}),
        };
      },
      serializers: {
        req: (req: { id?: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: pathOf(req.url) }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      // A client that went away is logged once, as a warning ("request aborted"), never as an error.
      // 405 is the expected answer to a client probing GET /mcp for an SSE stream: not a warning.
      // 503 is deliberate (draining), not a fault.
      customLogLevel: (req, res, err) => {
        if (req.readableAborted || !res.writableEnded) return 'warn';
        if (err || (res.statusCode >= 500 && res.statusCode !== 503)) return 'error';
        return res.statusCode >= 400 && res.statusCode !== 405 ? 'warn' : 'info';
      },
      // For a 5xx without a thrown error pino-http invents one ("failed with status code …") whose stack
      // points into pino-http itself: keep the line, drop the noise.
      customErrorObject: (_req, res, err, val: Record<string, unknown>) => {
        if ((res as { err?: unknown }).err || !/^failed with status code \d+$/.test(err.message)) return val;
        const { err: _synthetic, ...rest } = val;
        return rest;
      },
      customErrorMessage: (_req, res, err) =>
        (res as { err?: unknown }).err || !/^failed with status code \d+$/.test(err.message) ? 'request errored' : 'request completed',
      autoLogging: { ignore: (req) => ['/healthz', '/readyz'].includes(pathOf(req.url)) },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: VERSION });
  });
  // Readiness: 503 while draining, or while the Intervals.icu key check fails (short reason, no URL,
  // never the key). The check is cached, so probing /readyz cannot hammer Intervals.icu.
  app.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (deps.drainer?.draining) return void res.status(503).json({ status: 'draining' });
    const verdict = deps.readiness ? await deps.readiness.check() : undefined;
    if (verdict && !verdict.ok) {
      return void res.status(503).json({ status: 'not ready', cause: verdict.cause, reason: verdict.reason });
    }
    res.json({ status: 'ready', ...(verdict ? { upstream: 'ok' } : {}) });
  });

  const guards = [
    hostGuard(config.http.allowedHosts),
    originGuard([...DEFAULT_ORIGINS, ...config.http.allowedOrigins], isLoopback(config.http.host)),
  ];
  const notAllowed: RequestHandler = (_req, res) => {
    res.setHeader('Allow', 'POST');
    jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless; send JSON-RPC with POST.');
  };
  // Every method on /mcp passes the guards and the identity check first: an unauthenticated client
  // learns nothing, not even which methods exist. Once draining, new requests get 503.
  const gate: RequestHandler[] = [...guards, ...(deps.drainer ? [deps.drainer.refuseWhileDraining] : []), deps.auth];
  app.all('/mcp', ...gate);
  app.post('/mcp', express.json({ limit: BODY_LIMIT }), async (req, res, next) => {
    // JSON-RPC batches left MCP in 2025-06-18; older clients may still send small ones. One POST
    // may not fan out into more than a few tool calls (each can cost several upstream requests).
    if (Array.isArray(req.body) && req.body.length > MAX_BATCH) {
      return jsonRpcError(res, 400, -32600, `Invalid request: a batch holds at most ${MAX_BATCH} messages; send one request per POST.`);
    }
    try {
      const identity = res.locals.identity as Identity | undefined;
      const routed = deps.route?.(identity, req.headers.authorization);
      if (routed && 'status' in routed) {
        res.set('Cache-Control', 'no-store');
        return jsonRpcError(res, routed.status, routed.code, routed.message, jsonRpcIdOf(req.body));
      }
      if (routed) res.locals.credential = routed.info.credential;
      await handleMcpPost(routed?.mcp ?? deps.mcp, req, res, req.body, {
        email: identity?.email,
        requestId: String(req.id),
        ...routed?.info,
      });
    } catch (err) {
      next(err);
    }
  });
  app.all('/mcp', notAllowed);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err: BodyError | undefined, req, res, _next) => {
    // The client went away mid-body: nothing to answer; pino-http logs it once ("request aborted").
    if (err?.type === 'request.aborted' || req.readableAborted) return;
    const refusal = err ? clientBodyError(err) : undefined;
    if (refusal) return jsonRpcError(res, refusal.status, refusal.code, refusal.message);
    if (res.headersSent) {
      // Already answered (e.g. cut at the drain deadline): the late failure changes nothing.
      req.log?.debug({ err }, 'error after the response was sent');
      return;
    }
    // One error line with the stack: pino-http's completion line picks it up from res.err.
    (res as unknown as { err?: unknown }).err = err;
    jsonRpcError(res, 500, -32603, 'Internal server error.');
  };
  app.use(onError);
  return app;
}
