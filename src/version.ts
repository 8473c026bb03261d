/** The server version reported in MCP initialize and /healthz (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
