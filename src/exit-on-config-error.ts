/** The entry points' one way to refuse a bad configuration: one line on stderr, exit code 2. */
import { ConfigError } from './config.js';

/** Run `step`; a ConfigError (a variable, USERS_FILE or key file that cannot be used) ends the process. */
export async function orExitOnConfigError<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`intervals-mcp: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
