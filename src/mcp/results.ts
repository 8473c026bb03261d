/**
 * Turning handler outcomes into MCP tool results, in one place. Data goes out twice on purpose and
 * identically: `structuredContent` for clients that read it (Claude Code forwards only that to the
 * model) and the same compact JSON as text `content` for clients that read text (claude.ai). The
 * model reads one of the two, so neither may be a summary of the other.
 */
import { InputError } from '../domain/errors.js';
import { IntervalsError } from '../intervals/errors.js';

export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function ok(data: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

export interface ErrorInfo {
  message: string;
  /** For logs: input | auth | forbidden | not_found | … | internal */
  kind: string;
}

/** Map any thrown value to a message the model can act on. Unknown errors are not echoed. */
export function describeError(err: unknown, ref: string): ErrorInfo {
  if (err instanceof InputError) return { kind: 'input', message: err.message };
  if (err instanceof IntervalsError) return { kind: err.kind, message: err.message };
  return { kind: 'internal', message: `Internal error (reference ${ref}). The server log has the details.` };
}

export function fail(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
