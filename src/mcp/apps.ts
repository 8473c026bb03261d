/**
 * MCP Apps: three HTML views shown by hosts that render apps (Claude, ChatGPT, VS Code, …) next to
 * the answer of the tool they are bound to. The binding is `_meta.ui.resourceUri` on the tool in
 * tools/list (the stable spec's key; the pre-release `ui/resourceUri` key that registerAppTool also
 * writes is left out, it would double the catalogue cost); the views are `ui://intervals/…`
 * resources with the MCP App MIME type. Tool definitions stay SDK-free:
 * the map from tool name to view lives here. Hosts without app support ignore `_meta`; APPS=false
 * removes both the metadata and the resources.
 *
 * The HTML is built by views/build.ts into dist/views/<view>.html (single file, inline script and
 * style, nothing fetched) and read lazily on the first resources/read, so a server without built
 * views still starts and answers everything else.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESOURCE_MIME_TYPE, registerAppResource } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export interface AppView {
  /** File name (without .html) under dist/views. */
  view: 'form' | 'week' | 'curves';
  /** The tool whose answer the view draws. */
  tool: string;
  uri: string;
  title: string;
  description: string;
}

export const APP_VIEWS: readonly AppView[] = [
  {
    view: 'form',
    tool: 'get_fitness',
    uri: 'ui://intervals/form.html',
    title: 'Form chart',
    description:
      'Fitness, fatigue and form per day with the form zones, daily load, and the projection from planned workouts (get_fitness).',
  },
  {
    view: 'week',
    tool: 'get_weekly_review',
    uri: 'ui://intervals/week.html',
    title: 'Week board',
    description:
      'Per week: planned vs done workouts, load and time per sport, fitness and form at week end, the projection (get_weekly_review).',
  },
  {
    view: 'curves',
    tool: 'get_curves',
    uri: 'ui://intervals/curves.html',
    title: 'Best-effort curves',
    description: 'Power, heart-rate or pace per duration on a log-time axis, period a vs period b (get_curves).',
  },
];

const byTool = new Map(APP_VIEWS.map((v) => [v.tool, v]));

/** The `_meta` a bound tool carries in tools/list, or nothing (APPS=false, or a tool without a view). */
export function appToolMeta(enabled: boolean | undefined, toolName: string): { _meta?: Record<string, unknown> } {
  const v = enabled ? byTool.get(toolName) : undefined;
  return v ? { _meta: { ui: { resourceUri: v.uri } } } : {};
}

/** Register the view resources of the exposed tools. */
export function registerApps(server: McpServer, exposedToolNames: readonly string[]): void {
  for (const v of APP_VIEWS) {
    if (!exposedToolNames.includes(v.tool)) continue;
    registerAppResource(server, v.title, v.uri, { description: v.description }, async () => ({
      contents: [
        {
          uri: v.uri,
          mimeType: RESOURCE_MIME_TYPE,
          text: await viewHtml(v.view),
          // An empty allowlist: the view loads nothing and connects nowhere.
          _meta: { ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true } },
        },
      ],
    }));
  }
}

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Where the built views are: next to a bundled server (dist/index.js → dist/views), one level up
 * from a compiled module (dist/mcp/apps.js → dist/views), or in dist/ when running from source
 * (src/mcp/apps.ts under tsx, as the tests do).
 */
export const VIEW_DIRS = [join(here, 'views'), join(here, '..', 'views'), join(here, '..', '..', 'dist', 'views')];

const cache = new Map<string, Promise<string>>();

export function viewHtml(view: AppView['view']): Promise<string> {
  let html = cache.get(view);
  if (!html) {
    const file = VIEW_DIRS.map((d) => join(d, `${view}.html`)).find((f) => existsSync(f));
    if (!file) return Promise.reject(new Error(`The ${view} view is not built: run npm run build (or npm run build:views).`));
    html = readFile(file, 'utf8');
    html.catch(() => cache.delete(view));
    cache.set(view, html);
  }
  return html;
}
