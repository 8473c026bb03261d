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
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
