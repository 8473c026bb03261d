/**
 * Columnar tables: one header, then rows of values. For lists of similar records this costs a
 * fraction of the tokens of repeated keys (in the data and in the output schema), and a model reads
 * it as easily as CSV. Columns that are empty in every row are dropped.
 */
import * as z from 'zod';

export type Cell = string | number | boolean | null;
export type Columns<T> = Record<string, (item: T) => Cell | undefined>;

export const Table = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.any())),
});
export type Table = z.infer<typeof Table>;

export function toTable<T>(items: readonly T[], columns: Columns<T>): Table {
  const names = Object.keys(columns);
  const raw = items.map((it) => names.map((n) => columns[n]!(it) ?? null));
  const keep = names.map((_, i) => raw.some((r) => r[i] !== null));
  return {
    columns: names.filter((_, i) => keep[i]),
    rows: raw.map((r) => r.filter((_, i) => keep[i])),
  };
}

/** The same columns as one object, empty cells left out (for single records). */
export function toRecord<T>(item: T, columns: Columns<T>): Record<string, Exclude<Cell, null>> {
  const out: Record<string, Exclude<Cell, null>> = {};
  for (const [name, get] of Object.entries(columns)) {
    const v = get(item);
    if (v !== null && v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * Output schema of a record whose keys the tool description documents (a record built with
 * toRecord, a day's fitness values…): an open object, cheap in the catalogue.
 */
export const Fields = z.looseObject({});
