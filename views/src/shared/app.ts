/**
 * The view side of an MCP App, shared by the three views: connect to the host through the official
 * `App` (ext-apps), follow its theme, CSS variables, fonts and safe-area insets, and draw the tool
 * result the host hands over (`structuredContent`). Redraws on resize; nothing here fetches.
 */
import { App, applyDocumentTheme, applyHostFonts, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import { h } from './svg.js';

export interface ViewContext {
  app: App;
  /** The arguments of the tool call being shown (from the host's tool-input notification). */
  args: Record<string, unknown>;
  /** Show a new result (after an interaction called a tool through the host). */
  show(structured: unknown, args: Record<string, unknown>): void;
  /** Show a message instead of the chart. */
  message(text: string): void;
}

export interface ViewSpec<T> {
  name: string;
  /** Validates the tool result enough to draw it; throws with a readable message otherwise. */
  parse(structured: unknown): T;
  render(root: HTMLElement, data: T, ctx: ViewContext): void;
}

export function startView<T>(spec: ViewSpec<T>): App {
  const root = document.getElementById('app')!;
  // App also puts zod (inside the SDK) in jitless mode: the frame's CSP has no 'unsafe-eval'.
  const app = new App({ name: `intervals-${spec.name}`, version: '1.0.0' });
  let data: T | undefined;
  let args: Record<string, unknown> = {};
  let width = 0;

  const message = (text: string) => {
    data = undefined;
    root.replaceChildren(h('p', { class: 'status', role: 'status' }, text));
  };
  const draw = () => {
    if (data === undefined) return;
    width = root.clientWidth;
    try {
      root.replaceChildren();
      spec.render(root, data, ctx);
    } catch (err) {
      message(`Cannot draw this answer: ${(err as Error).message}`);
    }
  };
  const show = (structured: unknown, a: Record<string, unknown>) => {
    args = a;
    try {
      data = spec.parse(structured);
    } catch (err) {
      message(`Unexpected answer: ${(err as Error).message}`);
      return;
    }
    draw();
  };
  const ctx: ViewContext = {
    app,
    get args() {
      return args;
    },
    show,
    message,
  };

  app.ontoolinput = (p) => {
    args = p.arguments ?? {};
  };
  app.ontoolresult = (r) => {
    if (r.isError) {
      const text = (r.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join(' ');
      message(text || 'The tool reported an error.');
      return;
    }
    show(r.structuredContent, args);
  };
  app.ontoolcancelled = () => message('The tool call was cancelled.');
  app.onhostcontextchanged = (c) => applyContext(c);
  app.onteardown = async () => ({});
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      if (root.clientWidth !== width) draw();
    });
  });

  app
    .connect()
    .then(() => {
      const c = app.getHostContext();
      if (c) applyContext(c);
    })
    .catch((err: unknown) => message(`Cannot reach the host: ${(err as Error).message}`));
  return app;
}

function applyContext(c: McpUiHostContext): void {
  if (c.theme) applyDocumentTheme(c.theme);
  if (c.styles?.variables) applyHostStyleVariables(c.styles.variables);
  if (c.styles?.css?.fonts) applyHostFonts(c.styles.css.fonts);
  if (c.safeAreaInsets) {
    const st = document.documentElement.style;
    for (const side of ['top', 'right', 'bottom', 'left'] as const) st.setProperty(`--safe-${side}`, `${c.safeAreaInsets[side]}px`);
  }
  if (c.platform) document.documentElement.dataset.platform = c.platform;
}
