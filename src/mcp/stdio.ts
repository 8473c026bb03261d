/**
 * One MCP session over stdio (Claude Desktop, Claude Code and other local clients start the server
 * as a child process and talk JSON-RPC over its stdin/stdout). One server for the whole session,
 * built from the same deps as the HTTP transport; stdout carries protocol messages only.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpDeps } from './server.js';

export interface StdioSession {
  /** Resolves once the session is over: stdin ended, or `close()` was called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(
  deps: McpDeps,
  stdin: NodeJS.ReadableStream = process.stdin,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<StdioSession> {
  const server = createMcpServer(deps);
  const transport = new StdioServerTransport(stdin as never, stdout as never);
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stdin.off('end', onEnd);
      stdin.off('close', onEnd);
      await server.close();
      done();
    })());
  // The SDK transport reads stdin but does not notice its end: the client closing our stdin is
  // how it says goodbye.
  const onEnd = () => void close();
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  transport.onerror = (err) => deps.logger.warn({ err: err.message }, 'stdio: unreadable message');
  await server.connect(transport);
  return { closed, close };
}
