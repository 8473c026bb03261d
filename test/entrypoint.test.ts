/**
 * The production entry point (`src/index.ts`, run through tsx so no build is needed) must fail fast
 * on a bad environment: a non-zero exit, one readable stderr line naming the variable, and never
 * the API key.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-entry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the entry with exactly `env` (none of the parent's variables). A `.env` in the repo root
 * (developers may keep one; it is git-ignored) is neutralised by pointing dotenv elsewhere.
 */
function runEntry(env: Record<string, string>): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSX, 'src/index.ts'],
      {
        cwd: ROOT,
        timeout: 20_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? tmp,
          DOTENV_CONFIG_PATH: join(tmp, 'no-such.env'),
          ...env,
        },
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        done({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('entry point on a bad environment', () => {
  it('exits non-zero with exactly one stderr line naming INTERVALS_API_KEY when the key is missing', async () => {
    const r = await runEntry({});
    expect(r.signal, `killed: ${r.stderr}`).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain('INTERVALS_API_KEY');
    expect(lines[0]).toMatch(/^intervals-mcp: /);
    expect(r.stdout).toBe('');
  }, 20_000);

  it('exits non-zero naming PORT for PORT=notaport, and never prints the key', async () => {
    const r = await runEntry({ INTERVALS_API_KEY: 'zzz-secret', PORT: 'notaport' });
    expect(r.signal, `killed: ${r.stderr}`).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(r.stderr).not.toContain('zzz-secret');
    expect(r.stdout).not.toContain('zzz-secret');
  }, 20_000);

  it('refuses AUTH_MODE=none on HOST=0.0.0.0 at startup without printing the key', async () => {
    const r = await runEntry({ INTERVALS_API_KEY: 'zzz-secret', HOST: '0.0.0.0' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('AUTH_MODE');
    expect(r.stderr + r.stdout).not.toContain('zzz-secret');
  }, 20_000);
});
