/** `intervals-mcp http` / `node dist/index.js`: the HTTP server, until SIGTERM or SIGINT. */
import { ConfigError, loadConfigFromProcess } from './config.js';
import { startServer } from './main.js';

export async function runHttp(): Promise<void> {
  let config;
  try {
    config = await loadConfigFromProcess('http');
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`intervals-mcp: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let server;
  try {
    server = await startServer(config);
  } catch (err) {
    // A USERS_FILE or key file that cannot be used: one line naming the entry, like any config error.
    if (err instanceof ConfigError) {
      process.stderr.write(`intervals-mcp: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down: draining in-flight requests');
    server
      .close()
      .then(() => {
        server.logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        server.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // per-user mode: re-read USERS_FILE and the key files (requests in flight finish on the old list).
  process.on('SIGHUP', () => void server.reloadCredentials());
}
