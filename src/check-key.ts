/**
 * `intervals-mcp check-key`: `npm run check-key` from a checkout, `node dist/cli.js check-key` in the
 * image (`docker compose exec intervals-mcp node dist/cli.js check-key`). Does the
 * configured Intervals.icu key work? Loads the configuration exactly as the server does, makes the
 * server's start-up check (one cheap authenticated call: the configured athlete's profile) and
 * prints one line. Exit 0 = the key works, 1 = it does not (the line names the cause), 2 = the
 * configuration is invalid. The key is never printed. With INTERVALS_CREDENTIALS=per-user or oauth
 * there is no server-held key: one SKIP line, exit 0.
 */
import { type Config, ConfigError, loadConfigFromProcess } from './config.js';
import { buildDeps } from './deps.js';
import { checkConfiguredKey, keyCheckTimeoutMs } from './key-check.js';
import { createLogger } from './logger.js';

/** The check; resolves to the exit code. */
export async function runCheckKey(): Promise<number> {
  let config: Config;
  try {
    config = await loadConfigFromProcess();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stdout.write(`check-key: FAIL: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (config.credentials.mode !== 'single') {
    process.stdout.write(
      `check-key: SKIP: INTERVALS_CREDENTIALS=${config.credentials.mode} has no server-held key; each person's credential is checked when they use it\n`,
    );
    return 0;
  }
  const { client } = buildDeps(config, { logger: createLogger('silent') });
  try {
    const verdict = await checkConfiguredKey(client, config.intervals, AbortSignal.timeout(keyCheckTimeoutMs(config.intervals)));
    process.stdout.write(`check-key: ${verdict.ok ? 'OK' : 'FAIL'}: ${verdict.message}\n`);
    return verdict.ok ? 0 : 1;
  } finally {
    await client.close();
  }
}
