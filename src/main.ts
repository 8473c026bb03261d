/**
 * Wiring: config → logger → Intervals.icu client → tools → MCP → HTTP. Used by the production entry
 * point, the demo and the end-to-end tests alike, so all three run the same server.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { createAuthMiddleware } from './http/auth.js';
import { buildDeps } from './deps.js';
import { createLogger, type Logger } from './logger.js';
import { exposedTools } from './mcp/server.js';

export interface StartOptions {
  logger?: Logger;
  dispatcher?: Dispatcher;
  now?: () => Date;
  /** Test hook for the JWT clock. */
  authNow?: () => number;
  /** How long shutdown waits for in-flight requests. */
  drainMs?: number;
}

export interface RunningServer {
  url: string;
  logger: Logger;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const { client, mcp } = buildDeps(config, {
    logger,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const auth = await createAuthMiddleware(config.auth, logger, opts.authNow ? { now: opts.authNow } : {});
  let draining = false;
  const app = createApp({ config, logger, mcp, auth, isReady: () => !draining });
  const http = app.listen(config.http.port, config.http.host);
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  logger.info(
    {
      url: `${url}/mcp`,
      auth: config.auth.mode,
      ...(config.auth.mode === 'pomerium' ? { audience: config.auth.audience } : {}),
      readOnly: config.readOnly,
      athletes: config.intervals.athleteIds,
      tools: exposedTools(mcp).map((t) => t.name),
    },
    config.auth.mode === 'pomerium'
      ? 'intervals-mcp listening; every /mcp request must carry a verified Pomerium assertion'
      : 'intervals-mcp listening WITHOUT authentication (AUTH_MODE=none)',
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      const done = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const timer = setTimeout(() => http.closeAllConnections(), opts.drainMs ?? 10_000);
      await done;
      clearTimeout(timer);
      await client.close();
    })());
  return { url, logger, close };
}
