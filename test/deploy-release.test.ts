/**
 * The release path, checked statically (GitHub Actions cannot run here): the workflow builds the
 * image for linux/amd64 and linux/arm64 on version tags with SBOM and provenance and pushes it to
 * GHCR after the tests pass; the build args it passes exist in the Dockerfile; every action is pinned
 * to a version; Dependabot keeps the pinned base digest moving; LICENSE and CHANGELOG match
 * package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(ROOT + p, 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; license: string };

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of arbitrary shape, probed key by key
type Obj = Record<string, any>;
interface Step {
  uses?: string;
  run?: string;
  with?: Obj;
  if?: string;
}

const workflow = parse(read('.github/workflows/release.yml')) as Obj;
const jobs = workflow.jobs as Record<string, { needs?: string | string[]; steps: Step[]; permissions?: Obj }>;
const allSteps = Object.values(jobs).flatMap((j) => j.steps);
const action = (name: string) => allSteps.find((s) => s.uses?.split('@')[0] === name);
const jobUsing = (name: string) => Object.entries(jobs).find(([, j]) => j.steps.some((s) => s.uses?.split('@')[0] === name));
const lines = (v: unknown) =>
  String(v ?? '')
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean);

describe('.github/workflows/release.yml', () => {
  it('runs on version tags', () => {
    const on = workflow.on as Obj; // the YAML key `on`
    const tags = (on.push?.tags ?? []) as string[];
    expect(tags.length).toBeGreaterThan(0);
    for (const t of tags) expect(t).toMatch(/^v/);
    expect(on.push?.branches).toBeUndefined();
  });

  it('builds linux/amd64 and linux/arm64 with SBOM and provenance', () => {
    const build = action('docker/build-push-action');
    expect(build, 'a docker/build-push-action step').toBeDefined();
    expect(lines(build!.with?.platforms)).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']));
    expect(build!.with?.sbom).toBe(true);
    expect(String(build!.with?.provenance)).toMatch(/^(true|mode=(max|min))$/);
    expect(action('docker/setup-qemu-action'), 'QEMU for the foreign architecture').toBeDefined();
    expect(action('docker/setup-buildx-action')).toBeDefined();
  });

  it('pushes to GHCR on tags only, with the metadata tags and labels', () => {
    const build = action('docker/build-push-action')!;
    expect(String(build.with?.push)).toMatch(/startsWith\(github\.ref, 'refs\/tags\/v'\)/);
    const login = action('docker/login-action')!;
    expect(login.with?.registry).toBe('ghcr.io');
    expect(login.with?.password).toBe('${{ secrets.GITHUB_TOKEN }}');
    const meta = action('docker/metadata-action') as Step & { id?: string };
    expect(meta).toBeDefined();
    expect(String(meta.with?.images)).toMatch(/ghcr\.io|env\.IMAGE/);
    expect(allSteps.some((s) => s.run?.includes('IMAGE=ghcr.io/'))).toBe(true);
    expect(
      String(meta.with?.tags)
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(expect.arrayContaining(['type=semver,pattern={{version}}']));
    expect(build.with?.tags).toBe(`\${{ steps.${meta.id}.outputs.tags }}`);
    expect(build.with?.labels).toBe(`\${{ steps.${meta.id}.outputs.labels }}`);
    const [, imageJob] = jobUsing('docker/build-push-action')!;
    expect(imageJob.permissions).toMatchObject({ packages: 'write', contents: 'read' });
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('passes only build args the Dockerfile declares', () => {
    const dockerfile = read('Dockerfile');
    const declared = [...dockerfile.matchAll(/^ARG\s+([A-Z_]+)/gm)].map((m) => m[1]);
    const passed = lines(action('docker/build-push-action')!.with?.['build-args']).map((l) => l.split('=')[0]);
    expect(passed).toEqual(expect.arrayContaining(['VERSION', 'REVISION']));
    for (const a of passed) expect(declared, `ARG ${a} in the Dockerfile`).toContain(a);
  });

  it('publishes only after the test suite passes, and only a tag that matches package.json', () => {
    const [imageJobName, imageJob] = jobUsing('docker/build-push-action')!;
    const needs = [imageJob.needs ?? []].flat();
    expect(needs.length, `${imageJobName} needs the test job`).toBeGreaterThan(0);
    for (const n of needs) {
      const runs = jobs[n]!.steps.map((s) => s.run ?? '').join('\n');
      expect(runs).toMatch(/\.ci\/run|npm test/);
      expect(runs).toContain("require('./package.json').version");
      expect(runs).toContain('GITHUB_REF_NAME#v');
    }
    expect(existsSync(`${ROOT}.ci/run`)).toBe(true);
  });

  it('pins every action to a version, never a branch', () => {
    const uses = Object.values(jobs).flatMap((j) => j.steps.map((s) => s.uses).filter(Boolean)) as string[];
    const ci = parse(read('.github/workflows/ci.yml')) as Obj;
    for (const j of Object.values(ci.jobs as Record<string, { steps: Step[] }>)) {
      for (const s of j.steps) if (s.uses) uses.push(s.uses);
    }
    expect(uses.length).toBeGreaterThan(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
  });
});

describe('.github/workflows/ci.yml', () => {
  it('runs .ci/run in a Debian container, where apt-get gives the real chromium the browser test needs', () => {
    for (const file of ['ci.yml', 'release.yml']) {
      const wf = parse(read(`.github/workflows/${file}`)) as { jobs: Record<string, { container?: string; steps: Step[] }> };
      const runsCi = Object.values(wf.jobs).filter((j) => j.steps.some((s) => s.run?.includes('.ci/run')));
      expect(runsCi.length, file).toBe(1);
      expect(runsCi[0]!.container, file).toMatch(/^node:24-bookworm/);
    }
  });
});

describe('.github/dependabot.yml', () => {
  it('updates the Dockerfile base digest, the actions and npm', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number;
      updates: Array<{ 'package-ecosystem': string; directory: string }>;
    };
    expect(config.version).toBe(2);
    const ecosystems = config.updates.map((u) => `${u['package-ecosystem']}:${u.directory}`);
    expect(ecosystems).toEqual(expect.arrayContaining(['docker:/', 'github-actions:/', 'npm:/']));
    expect(existsSync(`${ROOT}Dockerfile`)).toBe(true);
  });
});

describe('LICENSE and CHANGELOG.md', () => {
  it('LICENSE is the license package.json names', () => {
    const license = read('LICENSE');
    expect(pkg.license).toBe('MIT');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toContain('Permission is hereby granted, free of charge');
    expect(license).toMatch(/^Copyright \(c\) \d{4} \S/m);
  });

  it('CHANGELOG.md has an Unreleased section and one for the package.json version', () => {
    const changelog = read('CHANGELOG.md');
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    expect(changelog).toMatch(new RegExp(`^## \\[${pkg.version.replaceAll('.', '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });
});
