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
  const server = await startServer(config);
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
}
