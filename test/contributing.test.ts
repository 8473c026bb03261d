/**
 * CONTRIBUTING.md, executed: the worked example of "Adding a tool" is written into a copy of the
 * tree exactly as the guide shows it (the tool file, its test, the two registry lines), then it
 * must typecheck, pass its own test, the registry test and the layering test, and meet the lint.
 * The guide's lint and format commands are run on that copy too.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const guide = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-contributing-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: tmp, timeout: 150_000, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** The guide's files: fenced ```ts blocks with a title naming their path. */
const files = [...guide.matchAll(/```ts title="([^"]+)"\n([\s\S]*?)```/g)].map((m) => ({ path: m[1]!, text: m[2]! }));
/** Step 4's block: the import line and the catalogue entry. */
const step4 = /### 4\. Register it[\s\S]*?```ts\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';

beforeAll(() => {
  for (const entry of ['src', 'test', 'package.json', 'tsconfig.json', 'vitest.config.ts', 'biome.json', '.gitignore']) {
    cpSync(join(ROOT, entry), join(tmp, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'));
  for (const f of files) writeFileSync(join(tmp, f.path), f.text);
  const importLine = step4.split('\n').find((l) => l.startsWith('import '))!;
  const entry = step4.split('\n').find((l) => /^\s+\w+,$/.test(l) && !/listEvents/.test(l))!;
  const index = join(tmp, 'src/tools/index.ts');
  const text = readFileSync(index, 'utf8');
  writeFileSync(
    index,
    text.replace('export const tools', `${importLine}\n\nexport const tools`).replace('  listEvents,\n', `  listEvents,\n${entry}\n`),
  );
  writeFileSync(
    join(tmp, 'tsconfig.example.json'),
    JSON.stringify({ extends: './tsconfig.json', include: [...files.map((f) => f.path), 'src/tools/index.ts'] }),
  );
});

describe('CONTRIBUTING.md: adding a tool', () => {
  it('shows the tool file, its test and the registry lines', () => {
    expect(files.map((f) => f.path)).toEqual(['src/tools/get-event.ts', 'src/tools/get-event.test.ts']);
    expect(step4).toMatch(/^import getEvent from '\.\/get-event\.js';$/m);
    expect(readFileSync(join(tmp, 'src/tools/index.ts'), 'utf8')).toMatch(/ {2}listEvents,\n {2}getEvent,\n/);
  });

  it('the example typechecks with the project settings', async () => {
    const r = await run(bin('tsc'), ['-p', 'tsconfig.example.json', '--noEmit']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);

  it('passes its own test, the registry test and the layering test (step 10)', async () => {
    const r = await run(bin('vitest'), ['run', 'src/tools/get-event.test.ts', 'src/tools/registry.test.ts', 'src/layering.test.ts']);
    expect(r.out).toMatch(/Test Files\s+3 passed/);
    expect(r.code).toBe(0);
  }, 180_000);

  it('meets npm run lint; npm run format fixes what lint refuses', async () => {
    expect((await run('npm', ['run', '--silent', 'lint', '--', ...files.map((f) => f.path)])).code).toBe(0);
    const probe = 'src/domain/format-probe.ts';
    writeFileSync(join(tmp, probe), 'export const probe = {a: "x"}\n');
    const before = await run('npm', ['run', '--silent', 'lint', '--', probe]);
    expect(before.code).toBe(1);
    expect((await run('npm', ['run', '--silent', 'format', '--', probe])).code).toBe(0);
    expect(readFileSync(join(tmp, probe), 'utf8')).toBe("export const probe = { a: 'x' };\n");
    expect((await run('npm', ['run', '--silent', 'lint', '--', probe])).code).toBe(0);
  }, 120_000);
});
