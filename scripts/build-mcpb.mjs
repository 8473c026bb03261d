/**
 * `npm run bundle`: the MCP Bundle (.mcpb) for Claude Desktop. A staging directory gets
 * manifest.json, the built server (dist/: the same output as the npm package, every dependency
 * bundled, no node_modules, the MCP Apps views), and a package.json
 * that marks the .js files as ES modules; @anthropic-ai/mcpb validates the manifest and zips it.
 *
 *   node scripts/build-mcpb.mjs [out.mcpb]      default: intervals-mcp-<version>.mcpb (git-ignored)
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension } from '@anthropic-ai/mcpb';
import { buildServer } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildMcpb(outPath) {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (manifest.version !== pkg.version) {
    throw new Error(`manifest.json version ${manifest.version} differs from package.json ${pkg.version}`);
  }
  const out = resolve(outPath ?? join(root, `${manifest.name}-${manifest.version}.mcpb`));
  const stage = mkdtempSync(join(tmpdir(), 'intervals-mcpb-'));
  try {
    await buildServer(join(stage, 'dist'));
    copyFileSync(join(root, 'manifest.json'), join(stage, 'manifest.json'));
    writeFileSync(
      join(stage, 'package.json'),
      `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true, license: pkg.license }, null, 2)}\n`,
    );
    if (!(await packExtension({ extensionPath: stage, outputPath: out, silent: true }))) {
      throw new Error('mcpb pack failed (manifest invalid?)');
    }
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildMcpb(process.argv[2]);
  process.stdout.write(`bundle: ${out}\n`);
}
