/** Prompts and resources registered next to the tools (the texts live in src/guides/). */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PROMPTS } from '../guides/prompts.js';
import { GUIDES } from '../guides/resources.js';

export function registerExtras(server: McpServer): void {
  for (const g of GUIDES) {
    server.registerResource(g.name, g.uri, { title: g.title, description: g.description, mimeType: 'text/markdown' }, (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/markdown', text: g.text() }],
    }));
  }
  for (const p of PROMPTS) {
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema: p.args }, (args) => ({
      messages: [{ role: 'user', content: { type: 'text', text: p.text(args as Record<string, string | undefined>) } }],
    }));
  }
}
