/**
 * Process start-up for every entry point (`node dist/index.js`, `npm start`, the `intervals-mcp`
 * bin), run before any application module loads:
 *
 * - **Memory defaults.** The settings the container uses apply everywhere by default:
 *   - a capped old space;
 *   - an 8 MiB young generation: 4 MiB saves ~5 MiB more but costs get_fitness(90 d) ~30 % CPU
 *     per call (its upstream body outlives a small young generation and is promoted); 8 costs no
 *     measurable CPU against 16 and saves ~20 MiB;
 *   - glibc's malloc held to two arenas (MALLOC_ARENA_MAX=2: each thread's arena otherwise keeps
 *     its freed memory, ~30 MiB under load);
 *   - blocks of 32 KiB and up given back to the system when freed (MALLOC_MMAP_THRESHOLD_=32768:
 *     V8's optimising compiler works in 32 KiB zone segments, ~50 MiB of them at the peak of
 *     warm-up, which glibc otherwise keeps for good: ~14 MiB of RSS, no measurable CPU per call).
 *   V8 and glibc read these only at process start, so when any of them is missing (a heap flag
 *   set neither on the command line nor in NODE_OPTIONS, a MALLOC_ variable not in the
 *   environment), the process replaces itself (`process.execve`: same pid, same stdio, no second
 *   process) with one that has the missing ones. Each setting you make yourself
 *   (NODE_OPTIONS="--max-old-space-size=512", MALLOC_ARENA_MAX=8) wins, and the others still
 *   apply. Where `process.execve` is missing (Windows, Node < 22.15) the process runs with Node's
 *   defaults.
 * - **Compile cache.** Node keeps V8's compiled code for our bundle on disk (os.tmpdir()), so every
 *   start after the first skips most parsing and compiling.
 *
 * NODE_OPTIONS and the MALLOC_ variables belong to Node and glibc, read here because this runs before
 * src/config.ts may load.
 */
import module from 'node:module';

export const HEAP_DEFAULTS = ['--max-old-space-size=96', '--max-semi-space-size=8'] as const;
/** glibc malloc settings, each unless already set: two arenas; freed blocks of 32 KiB and up go back. */
export const MALLOC_DEFAULTS = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '32768' } as const;

/** The default heap flags not already set on the command line or in NODE_OPTIONS. */
export function missingHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map((a) => a.replace(/_/g, '-'));
  return HEAP_DEFAULTS.filter((flag) => {
    const name = flag.slice(0, flag.indexOf('='));
    return !given.some((a) => a === name || a.startsWith(`${name}=`));
  });
}

/** The default malloc settings not already in the environment (set, even to empty, counts as set). */
export function missingMallocSettings(env: NodeJS.ProcessEnv): Partial<typeof MALLOC_DEFAULTS> {
  return Object.fromEntries(Object.entries(MALLOC_DEFAULTS).filter(([name]) => env[name] === undefined));
}

export function prepareRuntime(): void {
  const missing = missingHeapFlags(process.execArgv, process.env.NODE_OPTIONS);
  const malloc = missingMallocSettings(process.env);
  if ((missing.length || Object.keys(malloc).length) && typeof process.execve === 'function' && process.argv[1]) {
    try {
      // The restarted process has every setting, so it never restarts again.
      const env = { ...process.env, ...malloc };
      process.execve(process.execPath, [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)], env);
    } catch {
      // Not permitted here (e.g. a sandbox): carry on with Node's defaults.
    }
  }
  module.enableCompileCache?.();
}

/** An entry point's start failed (a bad configuration exits 2 before this): one line on stderr, exit 1. */
export function exitFailedToStart(err: unknown): never {
  process.stderr.write(`intervals-mcp: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
