/**
 * MCP Apps on the server: the three ui:// resources and the tool metadata, the APPS switch, the
 * built single-file HTML, and that nothing changes for the model (same answers, same catalogue
 * apart from `_meta`). The views themselves are exercised in a browser by test/browser/.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { getEncoding } from 'js-tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../test/support/harness.js';
import { type BuiltView, buildViews, VIEW_CSP } from '../../views/build.js';
import { ConfigError, loadConfig } from '../config.js';
import { APP_VIEWS, appToolMeta } from './apps.js';

const run = promisify(execFile);
const enc = getEncoding('cl100k_base');
const tokens = (v: unknown) => enc.encode(JSON.stringify(v)).length;
const BOUND = Object.fromEntries(APP_VIEWS.map((v) => [v.tool, v.uri]));

describe('APPS config', () => {
  const env = (APPS?: string) => loadConfig({ INTERVALS_API_KEY: 'k', ...(APPS === undefined ? {} : { APPS }) });
  it('is on by default and switched off by the usual spellings', () => {
    expect(env().apps).toBe(true);
    expect(env('').apps).toBe(true);
    expect(env('true').apps).toBe(true);
    for (const off of ['false', '0', 'no']) expect(env(off).apps).toBe(false);
  });
  it('refuses anything else, naming the variable', () => {
    expect(() => env('maybe')).toThrow(ConfigError);
    expect(() => env('maybe')).toThrow(/APPS/);
  });
});

describe('view sources', () => {
  it('type-check as browser code (views and the test host page)', { timeout: 120_000 }, async () => {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'views/tsconfig.json']);
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/browser/tsconfig.json']);
  });
});

describe('built views', () => {
  let built: BuiltView[];
  beforeAll(async () => {
    built = await buildViews();
  }, 60_000);

  it('are single files that load nothing: inline script and style, a CSP meta tag', () => {
    expect(built.map((b) => b.name).sort()).toEqual(APP_VIEWS.map((v) => v.view).sort());
    for (const b of built) {
      const html = readFileSync(b.file, 'utf8');
      expect(html.startsWith('<!doctype html>'), b.name).toBe(true);
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${VIEW_CSP}">`);
      expect(html.match(/<script/gi), b.name).toHaveLength(1);
      expect(html.match(/<\/script/gi), b.name).toHaveLength(1);
      expect(html).not.toMatch(/<script[^>]*\bsrc=|<link\b|<img\b|@import|url\(\s*['"]?(https?:)?\/\//i);
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(js|css|woff2?|ttf|png|svg)\b/i);
      console.log(`${b.name}.html: ${(b.bytes / 1024).toFixed(1)} kB (${(b.gzipBytes / 1024).toFixed(1)} kB gzip)`);
    }
  });
});

describe('MCP surface', () => {
  let on: Stack;
  let off: Stack;
  beforeAll(async () => {
    await buildViews();
    [on, off] = await Promise.all([startStack(), startStack({ env: { APPS: 'false' } })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([on?.close(), off?.close()]);
  });

  it('resources/list has the three ui:// views with the MCP App MIME type', async () => {
    const { resources } = await on.client.listResources();
    const ui = resources.filter((r) => r.uri.startsWith('ui://'));
    expect(ui.map((r) => r.uri).sort()).toEqual(APP_VIEWS.map((v) => v.uri).sort());
    for (const r of ui) {
      expect(r.uri).toMatch(/^ui:\/\/intervals\/\w+\.html$/);
      expect(r.mimeType).toBe(RESOURCE_MIME_TYPE);
      expect(RESOURCE_MIME_TYPE).toBe('text/html;profile=mcp-app');
    }
  });

  it('tools/list binds exactly the three tools to their views', async () => {
    const { tools } = await on.client.listTools();
    for (const t of tools) {
      const uri = BOUND[t.name];
      if (uri) expect(t._meta, t.name).toEqual({ ui: { resourceUri: uri } });
      else expect(t._meta, t.name).toBeUndefined();
    }
    expect(
      tools
        .filter((t) => t._meta)
        .map((t) => t.name)
        .sort(),
    ).toEqual(Object.keys(BOUND).sort());
  });

  it('resources/read serves the built HTML with an empty CSP allowlist', async () => {
    for (const v of APP_VIEWS) {
      const r = await on.client.readResource({ uri: v.uri });
      expect(r.contents).toHaveLength(1);
      const c = r.contents[0] as { uri: string; mimeType: string; text: string; _meta?: Record<string, unknown> };
      expect(c.uri).toBe(v.uri);
      expect(c.mimeType).toBe(RESOURCE_MIME_TYPE);
      expect(c.text).toBe(readFileSync(`dist/views/${v.view}.html`, 'utf8'));
      expect(c._meta).toEqual({ ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } });
    }
  });

  it('APPS=false: no ui:// resources, no _meta, otherwise the same catalogue', async () => {
    const { resources } = await off.client.listResources();
    expect(resources.filter((r) => r.uri.startsWith('ui://'))).toEqual([]);
    await expect(off.client.readResource({ uri: APP_VIEWS[0]!.uri })).rejects.toThrow();
    const withApps = (await on.client.listTools()).tools;
    const without = (await off.client.listTools()).tools;
    expect(without.some((t) => t._meta)).toBe(false);
    const strip = (ts: Tool[]) => ts.map(({ _meta: _m, ...rest }) => rest);
    expect(strip(withApps)).toEqual(without);
    console.log(
      `tools/list: ${tokens({ tools: without })} tokens without apps, ${tokens({ tools: withApps })} with (_meta adds ${tokens({ tools: withApps }) - tokens({ tools: without })})`,
    );
    const { resources: onResources } = await on.client.listResources();
    const ui = onResources.filter((r) => r.uri.startsWith('ui://'));
    console.log(`resources/list: the three views add ${tokens(ui)} tokens`);
  });

  it('the bound tools answer exactly the same with and without apps', async () => {
    for (const [name, args] of [
      ['get_fitness', {}],
      ['get_weekly_review', { project_to: '2027-01-05' }],
      ['get_curves', {}],
    ] as const) {
      const a = await on.client.callTool({ name, arguments: args });
      const b = await off.client.callTool({ name, arguments: args });
      expect(a.isError, name).toBeFalsy();
      expect(a.content, name).toEqual(b.content);
      expect(a.structuredContent, name).toEqual(b.structuredContent);
      expect(a._meta, name).toBeUndefined();
    }
  });

  it('appToolMeta is empty when apps are off or the tool has no view', () => {
    expect(appToolMeta(false, 'get_fitness')).toEqual({});
    expect(appToolMeta(undefined, 'get_fitness')).toEqual({});
    expect(appToolMeta(true, 'list_activities')).toEqual({});
  });
});
