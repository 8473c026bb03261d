/**
 * Rendering MCP Apps views in headless Chromium (Debian's `chromium`, driven by playwright-core):
 * one browser, a fresh page per render. All of the browser's traffic goes through a proxy in this
 * process (on 127.0.0.1): it serves the test host page (host-page.js, bundled here) at a made-up
 * origin and records and refuses every other request, so anything a view tried to load, from any
 * frame, shows up in `requests` and nothing reaches a network. Used by the browser test and by
 * `npm run screenshots`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
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
/**
 * Chromium's own background calls (a Google sign-in check per browser context, the component
 * updater, whatever the flags say): refused like everything else, but not the view's traffic.
 */
const BROWSER_OWN = /^(accounts\.google\.com|[a-z0-9.-]+\.(googleapis|gvt1)\.com)(:\d+)?$/;
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export type ThemeName = 'light' | 'dark';

/** Host style variables a host would send (a subset; the views fall back for the rest). */
const HOST_THEMES: Record<ThemeName, Record<string, string>> = {
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
  /** How long to wait for the view's MCP Apps handshake (default 10 s). */
  handshakeMs?: number;
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
  return `<!doctype html><html><head><meta charset="utf-8"><title>test host</title><link rel="icon" href="data:,"><style>body{margin:0}</style></head><body><script>${js}</script></body></html>`;
}

export class ViewKit {
  private constructor(
    private readonly browser: Browser,
    private readonly proxy: Server,
    /** Every request the proxy refused, in order (each render reports its own part). */
    private readonly refused: string[],
  ) {}

  static async launch(): Promise<ViewKit> {
    const html = await hostPage();
    const refused: string[] = [];
    const proxy = createServer((req, res) => {
      if (req.url === HOST_URL) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        return;
      }
      if (!BROWSER_OWN.test(hostOf(req.url ?? ''))) refused.push(req.url ?? '');
      res.writeHead(403).end();
    });
    proxy.on('connect', (req, socket) => {
      if (!BROWSER_OWN.test(req.url ?? '')) refused.push(`CONNECT ${req.url}`);
      socket.destroy();
    });
    proxy.listen(0, '127.0.0.1');
    await new Promise((resolve) => proxy.once('listening', resolve));
    const { port } = proxy.address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      proxy: { server: `http://127.0.0.1:${port}`, bypass: '<-loopback>' },
    });
    return new ViewKit(browser, proxy, refused);
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
    const calls: Rendered['calls'] = [];
    const firstRefused = this.refused.length;
    const refused = this.refused;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.exposeFunction('hostCallTool', async (name: string, args: Record<string, unknown>) => {
      calls.push({ name, args });
      if (!o.callTool) throw new Error('this render serves no tool calls');
      return o.callTool(name, args);
    });
    await page.goto(HOST_URL);
    const mounted = page.evaluate((m) => (globalThis as unknown as { mount(x: unknown): Promise<void> }).mount(m), {
      html: o.html,
      toolName: o.toolName,
      args: o.args,
      result: o.result,
      hostContext: hostContext(o.theme, o.width),
    });
    // A view that never completes the handshake is reported (errors), not waited on forever.
    let timer: NodeJS.Timeout | undefined;
    const initialized = await Promise.race([
      mounted.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), o.handshakeMs ?? 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!initialized) errors.push(`the view did not complete the MCP Apps handshake within ${o.handshakeMs ?? 10_000} ms`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('the view iframe did not load');
    const rendered: Rendered = {
      page,
      frame,
      errors,
      get requests() {
        return refused.slice(firstRefused);
      },
      calls,
      close: () => context.close(),
    };
    if (initialized) await settled(rendered);
    return rendered;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise((resolve) => this.proxy.close(resolve));
  }
}

function hostContext(theme: ThemeName, width: number): Record<string, unknown> {
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

/** Switch the host theme of a rendered view, or change more of its context (host-context-changed). */
export async function setTheme(r: Rendered, theme: ThemeName, width: number, extra: Record<string, unknown> = {}): Promise<void> {
  await r.page.evaluate((c) => (globalThis as unknown as { setTheme(x: unknown): Promise<void> }).setTheme(c), {
    ...hostContext(theme, width),
    ...extra,
  });
}

/**
 * Wait until the view has drawn something other than its waiting line and the host has sized the
 * iframe to the view's content (size-changed), two animation frames apart.
 */
export async function settled(r: Rendered): Promise<void> {
  await r.frame.waitForSelector('#app > :not(.status), #app > p.status[role]', { timeout: 10_000 });
  const want = await r.frame.evaluate<number>('Math.ceil(document.documentElement.getBoundingClientRect().height)');
  await r.page.waitForFunction(`Math.abs(document.querySelector('iframe').getBoundingClientRect().height - ${want}) <= 1`, undefined, {
    timeout: 10_000,
  });
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
