/**
 * Opaque continuation cursors for long lists. Intervals.icu has no offsets, so a cursor carries the
 * query and where the next page starts (a date, a time boundary, rows to skip); the model passes it
 * back verbatim as `cursor` and gets the next page.
 */
import * as z from 'zod';
import { InputError } from '../intervals/errors.js';

/** The `cursor` argument: a bare string in the catalogue. */
export const cursorArg = z.string().optional();

export function encodeCursor(tool: string, state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ t: tool, ...state })).toString('base64url');
}

/** Decode a cursor made by `tool`, or refuse it before any upstream call. */
export function decodeCursor<T extends z.ZodObject>(tool: string, cursor: string, schema: T): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.extend({ t: z.literal(tool) }).safeParse(raw);
  if (!parsed.success) throw new InputError(`cursor is not one that ${tool} returned; pass the "next" value unchanged, or omit it.`);
  return parsed.data as z.infer<T>;
}
