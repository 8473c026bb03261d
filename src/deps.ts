/**
 * The transport-independent half of the wiring: config → Intervals.icu client → tool context →
 * the MCP dependencies. The HTTP server (src/main.ts) and the stdio server (src/run-stdio.ts) both build
 * their servers from this, so the two transports expose the same tools, prompts, resources,
 * READ_ONLY and coach mode by construction.
 */
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { IntervalsClient } from './intervals/client.js';
import type { Logger } from './logger.js';
import { registerExtras } from './mcp/extras.js';
import type { McpDeps } from './mcp/server.js';
import { tools } from './tools/index.js';
import { type ContextFactory, createContextFactory } from './tools/support/context.js';
import { VERSION } from './version.js';

export interface DepsOptions {
  logger: Logger;
  /** Test hook: an undici dispatcher (mock agent) for every upstream request. */
  dispatcher?: Dispatcher;
  /** Test hook: the clock the tools use for "today". */
  now?: () => Date;
}

export interface ServerDeps {
  /** The one Intervals.icu client; close it when the server stops. */
  client: IntervalsClient;
  mcp: McpDeps;
}

export function buildDeps(config: Config, opts: DepsOptions): ServerDeps {
  const { logger } = opts;
  const client = new IntervalsClient({
    apiKey: config.intervals.apiKey,
    baseUrl: config.intervals.baseUrl,
    athleteId: config.intervals.athleteId,
    timeoutMs: config.intervals.timeoutMs,
    // This client makes the one guard, pool and read cache; every other client (per person) shares them.
    limits: config.intervals.limits,
    logger,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  const mcp = mcpDepsFor(
    config,
    logger,
    createContextFactory({
      client,
      athleteIds: config.intervals.athleteIds,
      ...(opts.now ? { now: opts.now } : {}),
    }),
  );
  return { client, mcp };
}

/**
 * The MCP half of the wiring over any tool context. Single mode passes the server key's context;
 * per-user and oauth (src/credentials) start from this and give each person their own context,
 * athletes and READ_ONLY, so every mode serves the same tools, prompts and resources.
 */
export function mcpDepsFor(config: Config, logger: Logger, contextFor: ContextFactory): McpDeps {
  return {
    tools,
    contextFor,
    athleteIds: config.intervals.athleteIds,
    readOnly: config.readOnly,
    apps: config.apps,
    logger,
    version: VERSION,
    extras: registerExtras,
  };
}
