/**
 * Continuation cursors for long lists. Intervals.icu has no offsets, so a cursor carries the query
 * and where the next page starts (a date, a time boundary, rows to skip). It is plain text
 * (`tool:key=value;key=value`), cheap in tokens; the model passes it back verbatim as `cursor`.
 */
import * as z from 'zod';
import { InputError } from '../../domain/errors.js';

/** The `cursor` argument: a bare string in the catalogue. */
export const cursorArg = z.string().optional();

type Value = string | number | readonly string[];

export function encodeCursor(tool: string, state: Record<string, Value | undefined>): string {
  const parts = Object.entries(state)
    .filter((e): e is [string, Value] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return `${tool}:${parts.join(';')}`;
}

/**
 * Decode a cursor made by `tool` (values arrive as strings: the schema coerces them), or refuse it
 * before any upstream call.
 */
export function decodeCursor<T extends z.ZodObject>(tool: string, cursor: string, schema: T): z.infer<T> {
  const prefix = `${tool}:`;
  const raw: Record<string, string> = {};
  if (cursor.startsWith(prefix)) {
    for (const part of cursor.slice(prefix.length).split(';')) {
      const i = part.indexOf('=');
      if (i > 0) raw[part.slice(0, i)] = part.slice(i + 1);
    }
  }
  const parsed = cursor.startsWith(prefix) ? schema.safeParse(raw) : undefined;
  if (!parsed?.success) throw new InputError(`cursor is not one that ${tool} returned; pass the "next" value unchanged, or omit it.`);
  return parsed.data as z.infer<T>;
}

/** A comma-separated list inside a cursor. */
export const cursorList = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(item));
