/**
 * Invariants every tool in the registry must meet, checked over all of them at once (a new tool is
 * held to them the moment it is registered):
 * - complete, explicit annotations (all four hints, booleans);
 * - a write (readOnlyHint false) takes `dry_run`; a read is never destructive;
 * - a unique snake_case name of at most 24 characters;
 * - its own file src/tools/<name-with-dashes>.ts whose default export it is, and a test file beside
 *   it; and src/tools/ holds nothing else besides the registry (plumbing lives in support/).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { tools } from './index.js';
import { type AnyTool, READ } from './support/tool.js';

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;
const DIR = path.resolve(import.meta.dirname);

/** `get_weekly_review` → `get-weekly-review`: the file a tool lives in, without the extension. */
const fileStem = (name: string) => name.replace(/_/g, '-');

/** Every broken invariant of a tool list, one line each; `exists` answers for files under src/tools. */
function registryProblems(list: readonly AnyTool[], exists: (file: string) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of list) {
    const name = String(t.name);
    if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) out.push(`${name}: name is not snake_case verb_noun`);
    if (name.length > 24) out.push(`${name}: name longer than 24 characters`);
    if (seen.has(name)) out.push(`${name}: name used twice`);
    seen.add(name);
    const a = (t.annotations ?? {}) as unknown as Partial<Record<string, unknown>>;
    const missing = HINTS.filter((h) => typeof a[h] !== 'boolean');
    if (missing.length) out.push(`${name}: annotations lack ${missing.join(', ')}`);
    const extra = Object.keys(a).filter((k) => !(HINTS as readonly string[]).includes(k));
    if (extra.length) out.push(`${name}: unknown annotations ${extra.join(', ')}`);
    if (a.readOnlyHint === false) {
      const dry = (t.input?.shape as Record<string, z.ZodType> | undefined)?.dry_run;
      if (!dry?.safeParse(true).success || !dry.safeParse(undefined).success)
        out.push(`${name}: a write without an optional boolean dry_run`);
    }
    if (a.readOnlyHint === true && a.destructiveHint === true) out.push(`${name}: a read cannot be destructive`);
    if (!exists(`${fileStem(name)}.ts`)) out.push(`${name}: no file src/tools/${fileStem(name)}.ts`);
    if (!exists(`${fileStem(name)}.test.ts`)) out.push(`${name}: no test file src/tools/${fileStem(name)}.test.ts`);
  }
  return out;
}

describe('the registry', () => {
  it('holds tools', () => {
    expect(tools.length).toBeGreaterThanOrEqual(18);
  });

  it('every tool meets the invariants', () => {
    expect(registryProblems(tools, (f) => existsSync(path.join(DIR, f)))).toEqual([]);
  });

  it("every tool is its own file's default export, and src/tools holds tools, their tests and the registry only", async () => {
    for (const t of tools) {
      const mod = (await import(`./${fileStem(t.name)}.js`)) as { default: unknown };
      expect(mod.default, t.name).toBe(t);
    }
    const stems = new Set(tools.map((t) => fileStem(t.name)));
    const stray = readdirSync(DIR, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .filter((f) => !['index.ts', 'registry.test.ts'].includes(f) && !stems.has(f.replace(/(\.test)?\.ts$/, '')));
    expect(stray).toEqual([]);
  });
});

describe('the registry checks themselves', () => {
  const tool = (over: Partial<AnyTool>): AnyTool => ({
    name: 'get_thing',
    title: 'Thing',
    description: 'A thing.',
    annotations: READ,
    input: z.object({}),
    output: z.object({}),
    handler: async () => ({}),
    ...over,
  });
  const all = () => true;

  it('pass a well-formed read and write', () => {
    const write = tool({
      name: 'set_thing',
      annotations: { ...READ, readOnlyHint: false },
      input: z.object({ dry_run: z.boolean().optional() }),
    });
    expect(registryProblems([tool({}), write], all)).toEqual([]);
  });

  it('report a tool without annotations or with some missing', () => {
    expect(registryProblems([tool({ annotations: undefined as never })], all)).toEqual([
      'get_thing: annotations lack readOnlyHint, destructiveHint, idempotentHint, openWorldHint',
    ]);
    const { openWorldHint: _o, ...three } = READ;
    expect(registryProblems([tool({ annotations: three as never })], all)).toEqual(['get_thing: annotations lack openWorldHint']);
  });

  it('report a write without dry_run, or with a dry_run that is not an optional boolean', () => {
    const w = { ...READ, readOnlyHint: false };
    expect(registryProblems([tool({ name: 'set_thing', annotations: w })], all)).toEqual([
      'set_thing: a write without an optional boolean dry_run',
    ]);
    expect(registryProblems([tool({ name: 'set_thing', annotations: w, input: z.object({ dry_run: z.string() }) })], all)).toEqual([
      'set_thing: a write without an optional boolean dry_run',
    ]);
  });

  it('report bad and duplicate names', () => {
    expect(registryProblems([tool({ name: 'GetThing' }), tool({ name: 'get_a_very_long_thing_name_x' }), tool({}), tool({})], all)).toEqual(
      [
        'GetThing: name is not snake_case verb_noun',
        'get_a_very_long_thing_name_x: name longer than 24 characters',
        'get_thing: name used twice',
      ],
    );
  });

  it('report a tool without its own file or its own test file', () => {
    expect(registryProblems([tool({})], (f) => f === 'get-thing.ts')).toEqual(['get_thing: no test file src/tools/get-thing.test.ts']);
    expect(registryProblems([tool({})], () => false)).toEqual([
      'get_thing: no file src/tools/get-thing.ts',
      'get_thing: no test file src/tools/get-thing.test.ts',
    ]);
  });
});
