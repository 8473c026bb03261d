/**
 * The commands the README's "Charts (MCP Apps)" section documents, run as a user would run them:
 * `npm run build:views` and `npm run screenshots`, into a temporary folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-views-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('documented view commands', () => {
  it('npm run build:views writes the three single-file views and prints their sizes', { timeout: 60_000 }, async () => {
    const out = join(tmp, 'views');
    const { stdout } = await run('npm', ['run', '--silent', 'build:views', '--', out]);
    for (const name of ['form', 'week', 'curves']) {
      expect(stdout).toMatch(new RegExp(`^${name}\\.html +\\d+\\.\\d kB +\\(\\d+\\.\\d kB gzip\\)`, 'm'));
      expect(readFileSync(join(out, `${name}.html`), 'utf8')).toMatch(/^<!doctype html>.*<\/html>\n$/s);
    }
  });

  it('npm run screenshots draws every view without errors or requests', { timeout: 120_000 }, async () => {
    const out = join(tmp, 'shots');
    const { stdout } = await run('npm', ['run', '--silent', 'screenshots', '--', out]);
    const files = stdout.trim().split('\n');
    expect(files.map((f) => f.replace(`${out}/`, ''))).toEqual([
      'form-light.png',
      'form-dark-375.png',
      'week-light.png',
      'week-dark-375.png',
      'curves-light.png',
      'curves-pace-dark-375.png',
    ]);
    for (const f of files) {
      const { width, height } = pngSize(f);
      expect(width, f).toBe(f.includes('375') ? 375 : 720);
      expect(height, f).toBeGreaterThan(300);
    }
  });
});
