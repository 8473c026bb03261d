/**
 * Upstream auth failures, explained for the credential mode. The client's own messages address the
 * operator of a single server-held key; with per-person credentials the fix lies elsewhere:
 *
 * - per-user: that person's key in USERS_FILE is wrong or revoked;
 * - oauth: the person revoked the app or granted too little. The answer is a normal tool error
 *   (never an HTTP 401 or an insufficient_scope 403: Pomerium would loop on its stored token) telling
 *   them to press Disconnect, then Connect, on Pomerium's routes page; a refused write names the
 *   permission to grant there.
 *
 * The wrapper is a Proxy over the client: every method's rejection passes through `explain`.
 */
import type { IntervalsClient } from '../intervals/client.js';
import { IntervalsError } from '../intervals/errors.js';

export type Explain = { mode: 'per-user'; email: string } | { mode: 'oauth'; reconnectUrl: string };

/** The Intervals.icu OAuth scope area a client method touches. */
export function scopeArea(method: string): 'ACTIVITY' | 'WELLNESS' | 'CALENDAR' | 'SETTINGS' | 'LIBRARY' {
  if (/wellness/i.test(method)) return 'WELLNESS';
  if (/event/i.test(method)) return 'CALENDAR';
  if (/folder|workout|library/i.test(method)) return 'LIBRARY';
  if (/sport|athlete|threshold|setting/i.test(method)) return 'SETTINGS';
  return 'ACTIVITY';
}

export const isWriteMethod = (method: string) => /^(create|update|delete|upsert|put|mark|bulk|set|add|remove)/i.test(method);

export function explainError(err: unknown, method: string, how: Explain): unknown {
  if (!(err instanceof IntervalsError) || (err.kind !== 'auth' && err.kind !== 'forbidden')) return err;
  const status = err.status ?? (err.kind === 'auth' ? 401 : 403);
  if (how.mode === 'per-user') {
    if (err.kind !== 'auth') return err;
    return new IntervalsError(
      'auth',
      `Intervals.icu rejected the API key configured for ${how.email} (${status}). Ask the server's operator to put your current key (Intervals.icu → Settings → Developer) in your api_key_file.`,
      err.status,
    );
  }
  const reconnect = `open ${how.reconnectUrl}, press Disconnect next to this server, then Connect`;
  const area = scopeArea(method);
  if (err.kind === 'auth') {
    return new IntervalsError(
      'auth',
      `Intervals.icu no longer accepts your connection (${status}): the access was revoked or has expired. To fix it, ${reconnect} and approve access on Intervals.icu.`,
      err.status,
    );
  }
  if (isWriteMethod(method)) {
    return new IntervalsError(
      'forbidden',
      `Intervals.icu refused this change (${status}): your connection lacks the ${area}:WRITE permission. To allow it, ${reconnect} and grant ${area}:WRITE on Intervals.icu's consent page. Nothing was changed.`,
      err.status,
    );
  }
  return new IntervalsError(
    'forbidden',
    `Intervals.icu refused access (${status}): the data belongs to an athlete your connection cannot read, or the connection lacks the ${area}:READ permission. If you revoked or narrowed access, ${reconnect}.`,
    err.status,
  );
}

export function explainingClient(client: IntervalsClient, how: Explain): IntervalsClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(explainError(err, prop, how))) : out;
      };
    },
  });
}
