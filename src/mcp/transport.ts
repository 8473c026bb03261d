/**
 * Serving one MCP POST: a fresh server and a fresh stateless transport per request (the SDK forbids
 * reusing either), plain JSON responses, and cleanup when the response closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer, type McpDeps, type RequestInfo } from './server.js';

export async function handleMcpPost(
  deps: McpDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  info: RequestInfo,
): Promise<void> {
  const server = createMcpServer(deps, info);
  // No sessionIdGenerator: stateless (the SDK reads a missing one as undefined).
  const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
  res.on('close', () => {
    // The usual end: the whole answer was written. In JSON-response mode the SDK writes it only once
    // every request in the POST has been answered, so no handler is still running, and a stateless
    // server never waits on the client; the server and transport hold no timer, socket or listener
    // outside this response and are garbage with it (src/mcp/transport.test.ts checks both). Closing
    // them would only make the SDK build a "Connection closed" McpError, stack trace included, for
    // nobody to read: on every call.
    if (res.writableFinished) return;
    // The client left before its answer: close, which aborts the handlers still running (and with
    // them their upstream requests).
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
