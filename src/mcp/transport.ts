/**
 * Serving one MCP POST: a fresh server and a fresh stateless transport per request (the SDK forbids
 * reusing either), plain JSON responses, and cleanup when the response closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer, type McpDeps, type RequestInfo, type ServerScope } from './server.js';

/** The called tool when the POST is exactly one tools/call request (the usual case), else `all`. */
export function scopeOf(body: unknown): ServerScope {
  const m = body as { method?: unknown; id?: unknown; params?: { name?: unknown } } | null;
  if (!m || typeof m !== 'object' || Array.isArray(m) || m.method !== 'tools/call' || m.id === undefined) return 'all';
  const name = m.params && typeof m.params === 'object' ? m.params.name : undefined;
  return typeof name === 'string' ? { call: name } : 'all';
}

export async function handleMcpPost(
  deps: McpDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  info: RequestInfo,
): Promise<void> {
  const server = createMcpServer(deps, info, scopeOf(body));
  // No sessionIdGenerator: stateless (the SDK reads a missing one as undefined).
  const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
  // Set once the SDK has written its own answer. In JSON-response mode it writes only when every
  // request in the POST has been answered, so no handler is running any more, and a stateless server
  // never waits on the client: the server and transport then hold no timer, socket or listener
  // outside this response and are garbage with it (src/mcp/transport.test.ts checks). Closing them
  // would only make the SDK build a "Connection closed" McpError, stack trace included, for nobody
  // to read, on every call.
  let answered = false;
  res.on('close', () => {
    if (answered) return;
    // The response ended without the SDK's answer: the client left, or the drain deadline answered
    // for us. Close, which aborts the handlers still running (and with them their upstream requests).
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
  answered = true;
}
