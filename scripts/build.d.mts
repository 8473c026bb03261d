/** Types of scripts/build.mjs for the TypeScript scripts that reuse it (scripts/bench.ts). */
import type { BuildOptions, BuildResult } from 'esbuild';

export function serverBundleOptions(outdir: string): BuildOptions;
export function buildServer(outdir?: string): Promise<BuildResult<{ metafile: true }>>;
