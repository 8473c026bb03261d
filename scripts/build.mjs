/**
 * `npm run build`: the server bundled by esbuild into dist/ — one ESM file per entry point plus
 * shared chunks, every dependency included, so the installed package needs nothing from
 * node_modules at run time and a start reads a handful of files instead of ~900 modules.
 *
 *   dist/cli.js     the `intervals-mcp` bin (stdio by default, `http` for the HTTP server)
 *   dist/index.js   the HTTP server (`node dist/index.js`: the container, `npm start`)
 *   dist/chunks/    code loaded on demand: each mode loads only its own modules
 *   dist/views/     the MCP Apps views (views/build.ts), read at run time by src/mcp/apps.ts
 *
 * Type checking stays separate (`npm run typecheck`); esbuild only strips types.
 *
 *   node scripts/build.mjs [outDir]
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A dynamic `import()` of a CommonJS package split into its own chunk only has a default export in
 * esbuild's output, while Node's own loader also offers the named ones (`(await import('dotenv'))
 * .config`). Give such packages an ESM face with their named exports so both behave the same.
 */
const CJS_NAMED_EXPORTS = { dotenv: ['config', 'parse'] };
const cjsNamedExports = {
  name: 'cjs-named-exports',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(CJS_NAMED_EXPORTS).join('|')})$`);
    build.onResolve({ filter }, (args) => (args.namespace === 'cjs-face' ? undefined : { path: args.path, namespace: 'cjs-face' }));
    build.onLoad({ filter: /.*/, namespace: 'cjs-face' }, (args) => ({
      contents: [
        `import m from ${JSON.stringify(args.path)};`,
        ...CJS_NAMED_EXPORTS[args.path].map((n) => `export const ${n} = m.${n};`),
        'export default m;',
      ].join('\n'),
      resolveDir: root,
    }));
  },
};

export async function buildServer(outdir = join(root, 'dist')) {
  // Only the bundle's own files are replaced; the views build replaces its files atomically.
  for (const name of ['cli.js', 'index.js', 'chunks']) rmSync(join(outdir, name), { recursive: true, force: true });
  const [result] = await Promise.all([bundle(outdir), buildViews(join(outdir, 'views'))]);
  return result;
}

/** The MCP Apps views (single-file HTML) with their own build, run by tsx. */
async function buildViews(outdir) {
  if (!existsSync(join(root, 'views', 'build.ts'))) return;
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  await promisify(execFile)(process.execPath, [tsx, join(root, 'views', 'build.ts'), outdir], { cwd: root });
}

function bundle(outdir) {
  return esbuild.build(serverBundleOptions(outdir));
}

/** esbuild's options for the server bundle; `npm run bench -- --profile` builds a readable variant of it. */
export function serverBundleOptions(outdir) {
  return {
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies (express, pino, ...) call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    plugins: [cjsNamedExports],
    metafile: true,
    logLevel: 'warning',
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildServer(process.argv[2] ? resolve(process.argv[2]) : undefined);
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
  const total = outputs.reduce((n, [, o]) => n + o.bytes, 0);
  process.stdout.write(`dist: ${outputs.length} files, ${(total / 1024).toFixed(0)} KiB\n`);
}
