/**
 * Request guards in front of /mcp: Host-header validation (DNS rebinding), Origin validation (MCP
 * spec: a present, foreign Origin gets 403), and JSON-RPC shaped error bodies for every refusal.
 */
import type { RequestHandler, Response } from 'express';

export type JsonRpcId = string | number | null;

export function jsonRpcError(res: Response, status: number, code: number, message: string, id: JsonRpcId = null): void {
  if (res.headersSent || res.writableEnded) return;
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }));
}

/** The id of a parsed JSON-RPC request body, so an error can answer that request; null otherwise. */
export function jsonRpcIdOf(body: unknown): JsonRpcId {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** Host name of a Host header, lower-cased, without port; IPv6 keeps its brackets. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0];
}

export function hostGuard(allowed: readonly string[]): RequestHandler {
  const set = new Set(allowed.map((h) => h.toLowerCase()));
  return (req, res, next) => {
    const host = hostName(req.headers.host);
    if (host && set.has(host)) return next();
    jsonRpcError(res, 403, -32000, `Forbidden: Host "${host ?? ''}" is not allowed (set ALLOWED_HOSTS).`);
  };
}

const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function originGuard(allowed: readonly string[], allowLoopback: boolean): RequestHandler {
  const set = new Set(allowed.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    const o = origin.toLowerCase();
    if (set.has(o) || (allowLoopback && LOOPBACK_ORIGIN.test(o))) return next();
    jsonRpcError(res, 403, -32000, `Forbidden: Origin "${origin}" is not allowed (set ALLOWED_ORIGINS).`);
  };
}
