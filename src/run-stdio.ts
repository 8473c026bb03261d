/**
 * `intervals-mcp` with no arguments: one MCP session over stdin/stdout, as Claude Desktop, Claude
 * Code and other local clients expect. No HTTP listener and no auth settings; stdout carries
 * protocol messages only (logs go to stderr, which the clients keep in their MCP logs). The
 * process ends by itself, exit code 0, when the client closes stdin or sends SIGINT/SIGTERM.
 */
import { loadConfigFromProcess } from './config.js';
import { buildDeps } from './deps.js';
import { orExitOnConfigError } from './exit-on-config-error.js';
import { createLogger } from './logger.js';
import { exposedTools } from './mcp/server.js';
import { serveStdio } from './mcp/stdio.js';

/** After the session ends, cleanup gets this long before the process exits regardless. */
const EXIT_GRACE_MS = 3_000;

export async function runStdio(): Promise<void> {
  const config = await orExitOnConfigError(() => loadConfigFromProcess('stdio'));
  const logger = createLogger(config.logLevel, process.stderr);
  const { client, mcp } = buildDeps(config, { logger });
  const session = await serveStdio(mcp);
  logger.info(
    { transport: 'stdio', readOnly: config.readOnly, athletes: config.intervals.athleteIds, tools: exposedTools(mcp).map((t) => t.name) },
    'intervals-mcp ready on stdio',
  );

  let reason = 'stdin closed';
  const stop = (why: string) => {
    reason = why;
    void session.close();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // The client went away while we were answering: nothing left to talk to.
  process.stdout.on('error', () => stop('stdout closed'));

  await session.closed;
  logger.info({ reason }, 'stdio session ended');
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  process.stdin.destroy();
  await client.close();
  logger.info('stopped');
}
