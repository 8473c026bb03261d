/** Production entry point: `node dist/index.js`. */
import { ConfigError, loadConfigFromProcess } from './config.js';
import { startServer } from './main.js';

async function main(): Promise<void> {
  let config;
  try {
    config = await loadConfigFromProcess();
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

main().catch((err: unknown) => {
  process.stderr.write(`intervals-mcp: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
