/**
 * A credential's fingerprint: a short, stable name for an API key or OAuth token that logs, the
 * read cache and the fair queue all carry instead of the secret (one name per credential everywhere). SHA-256 over a domain label and the secret,
 * 12 hex digits (48 bits): enough to tell a household's or a club's credentials apart, useless for
 * recovering a high-entropy key.
 */
import { createHash } from 'node:crypto';

export type CredentialKind = 'api_key' | 'bearer';

export function fingerprint(kind: CredentialKind, secret: string): string {
  const digest = createHash('sha256').update(`intervals-mcp:${kind}:`).update(secret).digest('hex');
  return `${kind === 'api_key' ? 'k' : 't'}-${digest.slice(0, 12)}`;
}
