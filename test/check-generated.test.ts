/**
 * `npm run check:generated` (scripts/check-generated.sh), run the way CI runs it, on a copy of the
 * tree where both generated artefacts were edited by hand: it must fail and name, for each, the
 * command that refreshes it. (On the real tree `.ci/run` runs it and it must pass.)
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-generated-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run check:generated', () => {
  it('fails on a hand-edited types.ts and a stale README token table, naming the command for each', async () => {
    for (const entry of ['scripts', 'src', 'test', 'views', 'package.json', 'tsconfig.json', 'README.md']) {
      cpSync(join(ROOT, entry), join(tmp, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'));
    const types = join(tmp, 'src/intervals/openapi/types.ts');
    writeFileSync(types, `${readFileSync(types, 'utf8')}// edited by hand\n`);
    const readme = join(tmp, 'README.md');
    const text = readFileSync(readme, 'utf8');
    const row = /^\| get_athlete \| [\d,]+ \|/m;
    expect(text).toMatch(row);
    writeFileSync(readme, text.replace(row, '| get_athlete | 1 |'));

    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile('npm', ['run', '--silent', 'check:generated'], { cwd: tmp, timeout: 150_000 }, (err, _out, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('src/intervals/openapi/types.ts is stale; run: npm run gen:types');
    expect(r.stderr).toContain('README.md\'s table "| Answer | Tokens | Budget |" is stale; run: npm run tokens -- --markdown');
  }, 180_000);
});
