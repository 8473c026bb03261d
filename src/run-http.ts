/** `intervals-mcp http` / `node dist/index.js`: the HTTP server, until SIGTERM or SIGINT. */
import { loadConfigFromProcess } from './config.js';
import { orExitOnConfigError } from './exit-on-config-error.js';
import { type RunningServer, startServer } from './main.js';

export async function runHttp(): Promise<void> {
  let server: RunningServer | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Still starting (the key check can take seconds): nothing is in flight, so just go.
    if (!server) process.exit(0);
    server.logger.info({ signal }, 'shutting down: draining in-flight requests');
    server
      .close()
      .then(() => {
        server?.logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        server?.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  // Installed before anything starts: a SIGTERM during start-up must not kill the process with 143.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // per-user mode: re-read USERS_FILE and the key files (requests in flight finish on the old list).
  process.on('SIGHUP', () => void server?.reloadCredentials());

  const config = await orExitOnConfigError(() => loadConfigFromProcess('http'));
  // A USERS_FILE or key file that cannot be used is refused like any configuration error.
  server = await orExitOnConfigError(() => startServer(config));
  if (stopping) stop('SIGTERM');
}
