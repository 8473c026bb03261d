// @ts-check
/**
 * The test host page (browser side): embeds one view the way an MCP Apps host does. The view's
 * HTML goes into a sandboxed iframe (scripts only, opaque origin); an AppBridge from ext-apps talks
 * to it over postMessage, hands it the host context, the tool input and the tool result, resizes
 * the frame on size-changed, and forwards the view's tool calls to the Node side (the real server).
 * Bundled by test/browser/kit.ts; type-checked with test/browser/tsconfig.json.
 */
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

/**
 * @typedef {{ html: string, toolName: string, args: Record<string, unknown>, result: any, hostContext: any }} MountOptions
 * @typedef {Window & { mount?: (o: MountOptions) => Promise<void>, setTheme?: (c: any) => Promise<void>, hostCallTool?: (name: string, args: unknown) => Promise<any>, hostLog?: string[] }} HostWindow
 */
const w = /** @type {HostWindow} */ (window);
w.hostLog = [];
/** @type {AppBridge | undefined} */
let bridge;

/** @param {MountOptions} o */
w.mount = async ({ html, toolName, args, result, hostContext }) => {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.setAttribute('title', toolName);
  iframe.style.cssText = 'display:block;width:100%;height:120px;border:0';
  document.body.append(iframe);
  const b = new AppBridge(null, { name: 'test-host', version: '1.0.0' }, { serverTools: {}, logging: {} }, { hostContext });
  bridge = b;
  b.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.ceil(height)}px`;
  };
  b.oncalltool = async (params) => {
    w.hostLog?.push(`call ${params.name} ${JSON.stringify(params.arguments ?? {})}`);
    if (!w.hostCallTool) throw new Error('no tool forwarding');
    return w.hostCallTool(params.name, params.arguments ?? {});
  };
  b.onloggingmessage = (m) => {
    w.hostLog?.push(`log ${m.level} ${JSON.stringify(m.data)}`);
  };
  const delivered = new Promise((resolve, reject) => {
    b.oninitialized = () => {
      b.sendToolInput({ arguments: args })
        .then(() => b.sendToolResult(result))
        .then(resolve, reject);
    };
  });
  const contentWindow = /** @type {Window} */ (iframe.contentWindow);
  await b.connect(new PostMessageTransport(contentWindow, contentWindow));
  iframe.srcdoc = html;
  await delivered;
};

/** @param {any} hostContext */
w.setTheme = async (hostContext) => {
  if (!bridge) throw new Error('nothing mounted');
  bridge.setHostContext(hostContext);
};
