/**
 * Process start-up for every entry point (`node dist/index.js`, `npm start`, the `intervals-mcp`
 * bin), run before any application module loads:
 *
 * - **Memory defaults.** The heap settings the container uses (a capped old space keeps RSS low, a
 *   larger young generation keeps per-request garbage cheap) apply everywhere by default. V8 reads
 *   them only at process start, so when neither the command line nor NODE_OPTIONS sets them, the
 *   process replaces itself (`process.execve`: same pid, same stdio, no second process) with one that
 *   has them. Setting either flag yourself (NODE_OPTIONS="--max-old-space-size=512") wins. Where
 *   `process.execve` is missing (Windows, Node < 22.15) the process runs with Node's defaults.
 * - **Compile cache.** Node keeps V8's compiled code for our bundle on disk (os.tmpdir()), so every
 *   start after the first skips most parsing and compiling.
 *
 * NODE_OPTIONS is Node's own variable, read here because this runs before src/config.ts may load.
 */
import module from 'node:module';

export const HEAP_DEFAULTS = ['--max-old-space-size=128', '--max-semi-space-size=16'] as const;

/** The default heap flags not already set on the command line or in NODE_OPTIONS. */
export function missingHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map((a) => a.replace(/_/g, '-'));
  return HEAP_DEFAULTS.filter((flag) => {
    const name = flag.slice(0, flag.indexOf('='));
    return !given.some((a) => a === name || a.startsWith(`${name}=`));
  });
}

export function prepareRuntime(): void {
  const missing = missingHeapFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length && typeof process.execve === 'function' && process.argv[1]) {
    try {
      process.execve(process.execPath, [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)], process.env);
    } catch {
      // Not permitted here (e.g. a sandbox): carry on with Node's defaults.
    }
  }
  module.enableCompileCache?.();
}
