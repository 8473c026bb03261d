/**
 * Builds the MCP Apps views (views/src/<view>/main.ts) into single-file HTML: the script bundled by
 * esbuild and inlined with the CSS, nothing fetched at run time (a CSP meta tag forbids it).
 * Output: dist/views/<view>.html, read by src/mcp/apps.ts. Run by `npm run build:views` (part of
 * `npm run build`) and by the tests that serve or render the views.
 *
 *   npx tsx views/build.ts [outDir]
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = resolve(here, '..', 'dist', 'views');

export const VIEW_NAMES = ['form', 'week', 'curves'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const TITLES: Record<ViewName, string> = { form: 'Fitness and form', week: 'Training week', curves: 'Best-effort curves' };

/** Nothing leaves the frame: inline script and style only, images and fonts as data: URLs. */
export const VIEW_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

export interface BuiltView {
  name: ViewName;
  file: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * zod (inside the MCP SDK that `App` builds on) re-exports all of its ~40 message locales through
 * its namespace object; the views only ever need English. Resolving the locale index to English
 * alone halves each bundle (≈520 → ≈260 kB).
 */
const englishOnlyZodLocales: esbuild.Plugin = {
  name: 'zod-locales-en',
  setup(build) {
    build.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-en' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

async function bundle(name: ViewName): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [join(here, 'src', name, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [englishOnlyZodLocales],
    tsconfig: join(here, 'tsconfig.json'),
  });
  const js = result.outputFiles[0]!.text;
  const css = (
    await esbuild.transform(
      [join(here, 'src', 'shared', 'base.css'), join(here, 'src', name, 'style.css')]
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
      { loader: 'css', minify: true },
    )
  ).code;
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) throw new Error(`${name}: the bundle contains a closing tag and cannot be inlined`);
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${VIEW_CSP}">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark">' +
    `<title>${TITLES[name]}</title><style>${css.trim()}</style></head>` +
    `<body><main id="app"><p class="status">Waiting for the tool result…</p></main><script>${js.trim()}</script></body></html>\n`
  );
}

/**
 * Build every view into outDir, atomically per file, so concurrent test workers may build too. The
 * temporary file is written beside outDir, not in it: `npm pack` (whose prepack builds dist/) may
 * list dist/views/ while a test worker builds there, and must never see a half-written stray.
 */
export async function buildViews(outDir = DEFAULT_OUT_DIR): Promise<BuiltView[]> {
  mkdirSync(outDir, { recursive: true });
  return Promise.all(
    VIEW_NAMES.map(async (name) => {
      const html = await bundle(name);
      const file = join(outDir, `${name}.html`);
      const tmp = join(dirname(outDir), `.${basename(outDir)}-${name}.html.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      writeFileSync(tmp, html);
      renameSync(tmp, file);
      const bytes = Buffer.byteLength(html);
      return { name, file, bytes, gzipBytes: gzipSync(html).length };
    }),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildViews(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT_DIR);
  for (const b of built)
    console.log(`${b.name}.html  ${(b.bytes / 1024).toFixed(1)} kB  (${(b.gzipBytes / 1024).toFixed(1)} kB gzip)  ${b.file}`);
}
