/**
 * Rendering MCP Apps views in headless Chromium (Debian's `chromium`, driven by playwright-core):
 * one browser, a fresh page per render. The page is the test host (host-page.js, bundled here) at
 * a made-up origin that only this process serves; every other request is recorded and aborted, so
 * a view that tried to fetch anything shows up in `requests`. Used by the browser test and by
 * `npm run screenshots`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const HOST_URL = 'http://host.test/';

export type ThemeName = 'light' | 'dark';

/** Host style variables a host would send (a subset; the views fall back for the rest). */
export const HOST_THEMES: Record<ThemeName, Record<string, string>> = {
  light: { '--color-background-primary': '#ffffff', '--color-text-primary': '#1f1f1f', '--font-sans': 'sans-serif' },
  dark: { '--color-background-primary': '#262624', '--color-text-primary': '#f5f4ef', '--font-sans': 'sans-serif' },
};

export interface ToolCallResult {
  content?: unknown[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface RenderOptions {
  html: string;
  toolName: string;
  args: Record<string, unknown>;
  result: ToolCallResult;
  theme: ThemeName;
  width: number;
  /** Device pixel ratio (screenshots use 2). */
  scale?: number;
  /** Serves the view's tool calls (made through the host). */
  callTool?: (name: string, args: Record<string, unknown>) => Promise<ToolCallResult>;
}

export interface Rendered {
  page: Page;
  /** The view's iframe. */
  frame: Frame;
  /** Console errors and uncaught exceptions, host page and view alike. */
  errors: string[];
  /** Every request other than the host page itself. */
  requests: string[];
  /** Tool calls the host forwarded for the view. */
  calls: { name: string; args: Record<string, unknown> }[];
  close(): Promise<void>;
}

async function hostPage(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const out = await esbuild.build({
    entryPoints: [join(here, 'host-page.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html><html><head><meta charset="utf-8"><title>test host</title><style>body{margin:0}</style></head><body><script>${js}</script></body></html>`;
}

export class ViewKit {
  private constructor(
    private readonly browser: Browser,
    private readonly hostHtml: string,
  ) {}

  static async launch(): Promise<ViewKit> {
    const [browser, html] = await Promise.all([chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }), hostPage()]);
    return new ViewKit(browser, html);
  }

  async render(o: RenderOptions): Promise<Rendered> {
    const context = await this.browser.newContext({
      viewport: { width: o.width, height: 900 },
      deviceScaleFactor: o.scale ?? 1,
      colorScheme: o.theme,
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const calls: Rendered['calls'] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (r.url() !== HOST_URL) requests.push(r.url());
    });
    await page.route('**/*', (route) =>
      route.request().url() === HOST_URL ? route.fulfill({ contentType: 'text/html', body: this.hostHtml }) : route.abort('blockedbyclient'),
    );
    await page.exposeFunction('hostCallTool', async (name: string, args: Record<string, unknown>) => {
      calls.push({ name, args });
      if (!o.callTool) throw new Error('this render serves no tool calls');
      return o.callTool(name, args);
    });
    await page.goto(HOST_URL);
    await page.evaluate(
      (m) => (globalThis as unknown as { mount(x: unknown): Promise<void> }).mount(m),
      {
        html: o.html,
        toolName: o.toolName,
        args: o.args,
        result: o.result,
        hostContext: hostContext(o.theme, o.width),
      },
    );
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('the view iframe did not load');
    const rendered = { page, frame, errors, requests, calls, close: () => context.close() };
    await settled(rendered);
    return rendered;
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

export function hostContext(theme: ThemeName, width: number): Record<string, unknown> {
  return {
    theme,
    platform: width < 500 ? 'mobile' : 'web',
    locale: 'en-GB',
    timeZone: 'Pacific/Auckland',
    displayMode: 'inline',
    containerDimensions: { width, maxHeight: 4000 },
    safeAreaInsets: { top: 0, right: 0, bottom: 0, left: 0 },
    styles: { variables: HOST_THEMES[theme] },
  };
}

/** Switch the host theme of a rendered view (host-context-changed). */
export async function setTheme(r: Rendered, theme: ThemeName, width: number): Promise<void> {
  await r.page.evaluate((c) => (globalThis as unknown as { setTheme(x: unknown): Promise<void> }).setTheme(c), hostContext(theme, width));
}

/**
 * Wait until the view has drawn something other than its waiting line and the host has sized the
 * iframe to the view's content (size-changed), two animation frames apart.
 */
export async function settled(r: Rendered): Promise<void> {
  await r.frame.waitForSelector('#app > :not(.status), #app > p.status[role]', { timeout: 10_000 });
  const want = await r.frame.evaluate<number>('Math.ceil(document.documentElement.getBoundingClientRect().height)');
  await r.page.waitForFunction(`Math.abs(document.querySelector('iframe').getBoundingClientRect().height - ${want}) <= 1`, undefined, { timeout: 10_000 });
  await r.frame.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
}

/** A PNG of the view's iframe at its full height (the viewport grows to fit it first). */
export async function shoot(r: Rendered, path: string): Promise<void> {
  const width = r.page.viewportSize()?.width ?? 720;
  const height = await r.page.evaluate<number>(`Math.ceil(document.querySelector('iframe').getBoundingClientRect().height)`);
  await r.page.setViewportSize({ width, height: Math.max(200, height) });
  await settled(r);
  await r.page.locator('iframe').screenshot({ path });
}
