/**
 * The import graph of a source tree, read with the TypeScript parser (no regexes): every static
 * import, re-export and dynamic `import()` of each .ts file, resolved to a file path for relative
 * specifiers and kept as the package name otherwise. Used by the layering test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** A path relative to the root for files inside it (`tools/get-fitness.ts`), else the specifier. */
  target: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
  line: number;
}

export function listTs(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listTs(root, full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.relative(root, full)] : [];
  });
}

/** Imports of one file's source text. */
export function importsOf(file: string, text: string, root: string): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: ImportEdge[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean, node: ts.Node) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const s = spec.text;
    const target = s.startsWith('.') ? path.relative(root, path.resolve(root, path.dirname(file), s)).replace(/\.js$/, '.ts') : s;
    out.push({ target, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const typeOnly =
        !!c &&
        (c.isTypeOnly ||
          (!c.name &&
            !!c.namedBindings &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly, node);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly, node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal as ts.Expression, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** file (relative to root) → its imports, for every .ts file under root. */
export function importGraph(root: string, include: (file: string) => boolean = () => true): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const file of listTs(root).filter(include).sort())
    graph.set(file, importsOf(file, readFileSync(path.join(root, file), 'utf8'), root));
  return graph;
}

/** Every cycle among the files of the graph (each once, as a path that returns to its start). */
export function cycles(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const e of graph.get(f) ?? []) {
      if (!graph.has(e.target)) continue;
      const s = state.get(e.target);
      if (s === 'open') {
        const cycle = [...stack.slice(stack.indexOf(e.target)), e.target];
        const key = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          found.push(cycle);
        }
      } else if (s === undefined) walk(e.target);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) walk(f);
  return found;
}
