/**
 * The architecture as a test: the import graph of src/ has no cycles and every arrow points down
 * the layers (README "Layout"). Test files are left out: a test may reach across layers to build
 * its fixtures. Type-only imports count as arrows, except for the undici rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importGraph } from '../test/support/import-graph.js';

/**
 * Layers, lowest first; an import may only point to the same layer or a lower one. Files outside
 * every listed folder are the composition root (main, index, deps, the CLI), which may import all.
 */
const LAYERS: [number, (f: string) => boolean][] = [
  [0, (f) => ['config.ts', 'logger.ts', 'version.ts'].includes(f)],
  [1, (f) => f.startsWith('intervals/')],
  [2, (f) => f.startsWith('domain/')],
  // Prompts and resources sit beside the tool plumbing: they may use the domain model, never a tool.
  [3, (f) => f.startsWith('tools/support/') || f.startsWith('guides/')],
  [4, (f) => /^tools\/[^/]+\.ts$/.test(f) && f !== 'tools/index.ts'],
  [5, (f) => f === 'tools/index.ts'],
  [6, (f) => f.startsWith('mcp/')],
  [7, (f) => f.startsWith('http/') || f.startsWith('credentials/')],
];
const ROOT = 9;
const layerOf = (f: string) => LAYERS.find(([, test]) => test(f))?.[0] ?? ROOT;
const isToolFile = (f: string) => layerOf(f) === 4;

/** Readers of process.env besides config.ts, each with the reason it cannot go through config. */
const ENV_EXCEPTIONS: Record<string, string> = {
  'launch.ts': "NODE_OPTIONS (Node's) and the MALLOC_ variables (glibc's), read to re-exec with memory settings before config.ts may load",
};

type Graph = ReadonlyMap<string, readonly ImportEdge[]>;

/** Every broken rule, one line each (`file:line → target: rule`). */
function violations(graph: Graph, source: (file: string) => string): string[] {
  const edges = [...graph].flatMap(([from, list]) => list.map((e) => ({ from, ...e })));
  const out: string[] = [];
  const rule = (name: string, bad: (e: (typeof edges)[number]) => boolean) => {
    for (const e of edges.filter(bad)) out.push(`${e.from}:${e.line} → ${e.target}: ${name}`);
  };
  for (const c of cycles(graph)) out.push(`cycle: ${c.join(' → ')}`);
  rule('upward arrow', (e) => graph.has(e.target) && layerOf(e.target) > layerOf(e.from));
  rule('domain imports a framework', (e) => e.from.startsWith('domain/') && /^(@modelcontextprotocol|express|undici)/.test(e.target));
  rule('a tool imports another tool', (e) => isToolFile(e.from) && isToolFile(e.target));
  rule('SDK outside src/mcp', (e) => e.target.startsWith('@modelcontextprotocol/') && !e.from.startsWith('mcp/'));
  rule('undici outside src/intervals', (e) => e.target === 'undici' && !e.typeOnly && !e.from.startsWith('intervals/'));
  for (const f of graph.keys()) {
    if (f !== 'config.ts' && !ENV_EXCEPTIONS[f] && /\bprocess\.env\b/.test(source(f)))
      out.push(`${f}: reads process.env outside config.ts`);
  }
  return out;
}

const SRC = path.resolve(import.meta.dirname);

describe('the import graph of src/', () => {
  const graph = importGraph(SRC, (f) => !f.endsWith('.test.ts'));

  it('is read: every layer has files, and the graph has edges', () => {
    for (const [n] of LAYERS)
      expect(
        [...graph.keys()].some((f) => layerOf(f) === n),
        `layer ${n}`,
      ).toBe(true);
    expect([...graph.values()].flat().filter((e) => graph.has(e.target)).length).toBeGreaterThan(100);
  });

  it('has no cycles, no upward arrows, the SDK only in src/mcp, undici only in src/intervals, env only in config.ts', () => {
    expect(violations(graph, (f) => readFileSync(path.join(SRC, f), 'utf8'))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const g = (entries: Record<string, string[]>) =>
    new Map(
      Object.entries(entries).map(([f, ts]) => [
        f,
        ts.map((t) => ({ target: t.replace(/^type:/, ''), typeOnly: t.startsWith('type:'), line: 1 })),
      ]),
    );

  it('report each kind of broken rule', () => {
    const bad = g({
      'domain/a.ts': ['tools/support/x.ts', 'express'],
      'tools/support/x.ts': ['domain/a.ts'],
      'tools/get-a.ts': ['tools/get-b.ts', '@modelcontextprotocol/sdk/server/mcp.js'],
      'tools/get-b.ts': [],
      'guides/prompts.ts': ['tools/get-b.ts'],
      'http/app.ts': ['undici', 'type:@modelcontextprotocol/sdk/types.js'],
      'main.ts': ['type:undici'],
      'mcp/server.ts': ['@modelcontextprotocol/sdk/server/mcp.js'],
    });
    const found = violations(bad, (f) => (f === 'main.ts' || f === 'launch.ts' ? 'process.env.PORT' : ''));
    expect(found).toEqual([
      'cycle: domain/a.ts → tools/support/x.ts → domain/a.ts',
      'domain/a.ts:1 → tools/support/x.ts: upward arrow',
      'guides/prompts.ts:1 → tools/get-b.ts: upward arrow',
      'domain/a.ts:1 → express: domain imports a framework',
      'tools/get-a.ts:1 → tools/get-b.ts: a tool imports another tool',
      'tools/get-a.ts:1 → @modelcontextprotocol/sdk/server/mcp.js: SDK outside src/mcp',
      'http/app.ts:1 → @modelcontextprotocol/sdk/types.js: SDK outside src/mcp',
      'http/app.ts:1 → undici: undici outside src/intervals',
      'main.ts: reads process.env outside config.ts',
    ]);
  });

  it('rank the layers the README names', () => {
    const order = [
      'config.ts',
      'intervals/client.ts',
      'domain/dates.ts',
      'tools/support/params.ts',
      'tools/get-fitness.ts',
      'tools/index.ts',
      'mcp/server.ts',
      'http/app.ts',
      'main.ts',
    ];
    expect(order.map(layerOf)).toEqual([...order.map(layerOf)].sort((a, b) => a - b));
    expect(new Set(order.map(layerOf)).size).toBe(order.length);
  });
});
