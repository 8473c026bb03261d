/** For tests that speak MCP over raw HTTP instead of through the SDK client. */

/** The headers a Streamable HTTP POST carries. */
export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** An `initialize` request body, as a raw client would send it. */
export const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
