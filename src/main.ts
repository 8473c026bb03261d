/**
 * Wiring: config → logger → Intervals.icu client → tools → MCP → HTTP. Used by the production entry
 * point, the demo and the end-to-end tests alike, so all three run the same server.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createCredentialRouter, noSharedContext } from './credentials/router.js';
import { buildDeps, mcpDepsFor } from './deps.js';
import { createApp } from './http/app.js';
import { createAuthMiddleware } from './http/auth.js';
import { UpstreamReadiness, type UpstreamVerdict } from './http/readiness.js';
import { createHttpServer, Drainer } from './http/server.js';
import { checkConfiguredKey, keyCheckTimeoutMs } from './key-check.js';
import { createLogger, type Logger } from './logger.js';
import { exposedTools } from './mcp/server.js';

export interface StartOptions {
  logger?: Logger;
  dispatcher?: Dispatcher;
  now?: () => Date;
  /** Test hook for the JWT clock. */
  authNow?: () => number;
  /** How long shutdown waits for in-flight requests (default: config SHUTDOWN_DRAIN_MS). */
  drainMs?: number;
}

export interface RunningServer {
  url: string;
  logger: Logger;
  /** The start-up Intervals.icu key check (also logged as one line). */
  keyCheck: UpstreamVerdict;
  /** Re-read USERS_FILE (per-user mode; SIGHUP). False when the new file was refused; true otherwise. */
  reloadCredentials(): boolean;
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const hooks = { ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}), ...(opts.now ? { now: opts.now } : {}) };
  // per-user / oauth: no server key; each caller's own Intervals.icu credential (a bad USERS_FILE stops the start here).
  const router = createCredentialRouter(config, { base: mcpDepsFor(config, logger, noSharedContext), logger, ...hooks });
  const { client, mcp } = router ? { client: undefined, mcp: router.base } : buildDeps(config, { logger, ...hooks });
  const auth = await createAuthMiddleware(config.auth, logger, opts.authNow ? { now: opts.authNow } : {});
  const drainer = new Drainer();
  // Without a server-held key there is nothing to probe: each person's credential is checked on use.
  const readiness =
    client &&
    new UpstreamReadiness({
      probe: (signal) => checkConfiguredKey(client, config.intervals, signal),
      cacheMs: config.http.readinessCacheMs,
      timeoutMs: keyCheckTimeoutMs(config.intervals),
      logger,
    });
  const app = createApp({
    config,
    logger,
    mcp,
    auth,
    drainer,
    ...(readiness ? { readiness } : {}),
    ...(router ? { route: (identity, authorization) => router.route(identity, authorization) } : {}),
  });
  const http = createHttpServer(app, config.http, logger);
  http.listen(config.http.port, config.http.host);
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  // One cheap authenticated call now, so a wrong key or an unreachable Intervals.icu is one clear
  // log line at start rather than a puzzling tool error later; /readyz reuses it (cached). Done
  // before the "listening" line, which tells the entry point's caller (and tests) that start-up is over.
  const keyCheck: UpstreamVerdict = readiness
    ? await readiness.check()
    : {
        ok: true,
        reason: 'no server-held key',
        message: `INTERVALS_CREDENTIALS=${config.credentials.mode}: each person's credential is checked on use`,
      };
  logger.info(
    {
      url: `${url}/mcp`,
      auth: config.auth.mode,
      ...(config.auth.mode === 'pomerium' ? { audience: config.auth.audience } : {}),
      readOnly: config.readOnly,
      credentials: config.credentials.mode,
      ...(router ? {} : { athletes: config.intervals.athleteIds }),
      tools: exposedTools(mcp).map((t) => t.name),
    },
    config.auth.mode === 'pomerium'
      ? 'intervals-mcp listening; every /mcp request must carry a verified Pomerium assertion'
      : 'intervals-mcp listening WITHOUT authentication (AUTH_MODE=none)',
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await drainer.drain(http, opts.drainMs ?? config.http.drainMs, logger);
      await client?.close();
      await router?.close();
    })());
  return { url, logger, keyCheck, reloadCredentials: () => router?.reload() ?? true, close };
}
