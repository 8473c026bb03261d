/**
 * The Express app: guards, auth and the MCP endpoint, health probes, and one log line per request.
 */
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { isLoopback, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { McpDeps } from '../mcp/server.js';
import { handleMcpPost } from '../mcp/transport.js';
import { VERSION } from '../version.js';
import type { Identity } from './auth.js';
import { hostGuard, jsonRpcError, originGuard } from './guards.js';

export const BODY_LIMIT = '1mb';
/** Origins of Claude's web app: allowed by default (requests from Anthropic's cloud carry none). */
export const DEFAULT_ORIGINS = ['https://claude.ai', 'https://claude.com'];

export interface AppDeps {
  config: Pick<Config, 'http'>;
  logger: Logger;
  mcp: McpDeps;
  /** Identity check for /mcp (Pomerium assertion, or a pass-through). */
  auth: RequestHandler;
  /** Readiness: false while draining for shutdown. */
  isReady?: () => boolean;
}

export function createApp(deps: AppDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: (_req, res) => {
        const identity = (res as unknown as { locals?: { identity?: Identity } }).locals?.identity;
        return identity?.email ? { email: identity.email } : {};
      },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      // 405 is the expected answer to a client probing GET /mcp for an SSE stream: not a warning.
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 && res.statusCode !== 405 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: VERSION });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady?.() ?? true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'draining' });
  });

  const guards = [
    hostGuard(config.http.allowedHosts),
    originGuard([...DEFAULT_ORIGINS, ...config.http.allowedOrigins], isLoopback(config.http.host)),
  ];
  const notAllowed: RequestHandler = (_req, res) => {
    res.setHeader('Allow', 'POST');
    jsonRpcError(res, 405, -32000, 'Method not allowed: this server is stateless; send JSON-RPC with POST.');
  };
  app.get('/mcp', ...guards, notAllowed);
  app.delete('/mcp', ...guards, notAllowed);
  app.post('/mcp', ...guards, deps.auth, express.json({ limit: BODY_LIMIT }), async (req, res, next) => {
    try {
      const identity = res.locals.identity as Identity | undefined;
      await handleMcpPost(deps.mcp, req, res, req.body, { email: identity?.email, requestId: String(req.id) });
    } catch (err) {
      next(err);
    }
  });
  app.all('/mcp', ...guards, notAllowed);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, req, res, _next) => {
    if (err?.type === 'entity.too.large') return jsonRpcError(res, 413, -32600, `Request body exceeds ${BODY_LIMIT}.`);
    if (err?.type === 'entity.parse.failed') return jsonRpcError(res, 400, -32700, 'Parse error: the body is not valid JSON.');
    req.log?.error({ err }, 'request failed');
    jsonRpcError(res, 500, -32603, 'Internal server error.');
  };
  app.use(onError);
  return app;
}
