/**
 * Cursors bound to one person: with several credentials behind one server, a `next` value carries a
 * short HMAC over (credential fingerprint, athlete, cursor) under a per-process secret, so a cursor
 * copied from one person's answer is refused for anyone else (and for another athlete) before any
 * upstream call. Single mode does not seal: one credential, nothing to tell apart, no extra tokens.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InputError } from '../domain/errors.js';
import type { CursorSeal } from '../mcp/server.js';

const SEP = '~';
const TAG_LENGTH = 10;

export function createCursorSealer(secret: Buffer = randomBytes(32)): (credential: string) => CursorSeal {
  const tag = (credential: string, athleteId: string, cursor: string) =>
    createHmac('sha256', secret).update(`${credential}\u0000${athleteId}\u0000${cursor}`).digest('base64url').slice(0, TAG_LENGTH);
  return (credential) => ({
    seal: (cursor, athleteId) => `${cursor}${SEP}${tag(credential, athleteId, cursor)}`,
    open(sealed, athleteId) {
      const i = sealed.lastIndexOf(SEP);
      const cursor = i < 0 ? sealed : sealed.slice(0, i);
      const given = Buffer.from(i < 0 ? '' : sealed.slice(i + 1));
      const expected = Buffer.from(tag(credential, athleteId, cursor));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new InputError(
          'cursor was not issued to you for this athlete (or the server restarted since): repeat the request without cursor.',
        );
      }
      return cursor;
    },
  });
}
