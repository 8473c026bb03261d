/**
 * The homelab guide is complete and its links hold: every relative link (and #anchor) in the
 * deployment docs points at a file and heading that exist; the Node requirement stated in the
 * README matches package.json `engines`; the facts a first-time deployer trips over are written
 * down (64-bit OS, Google's 7-day refresh tokens in Testing, service accounts and ALLOWED_EMAILS,
 * header size with large group lists, Claude Code and Claude Desktop); and the Claude Code command
 * uses the connector URL shape the rest of the guide uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

const DOCS = ['README.md', 'pomerium/README.md', 'docs/homelab.md', 'CHANGELOG.md'];
const COMMENTED = ['docker-compose.yml', 'Dockerfile', '.env.example', 'pomerium/config.yaml'];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^#{1,6} (.+)$/.exec(line);
    if (m) out.add(slug(m[1]!));
  }
  return out;
}

/** [text](target) links outside code fences; http(s) and mailto links are not checked. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:)/.test(t));
}

describe('links in the deployment docs', () => {
  it.each(DOCS)('%s: every relative link and anchor resolves', (doc) => {
    const text = read(doc);
    const broken: string[] = [];
    for (const link of relativeLinks(text)) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? normalize(join(dirname(doc), path)) : doc;
      if (!existsSync(join(ROOT, target))) {
        broken.push(`${link} (no ${target})`);
        continue;
      }
      if (anchor && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor)) broken.push(`${link} (no heading #${anchor})`);
    }
    expect(broken).toEqual([]);
  });

  it.each(COMMENTED)('%s: the files its comments point at exist', (file) => {
    const named = [...read(file).matchAll(/(?:^|[\s(`])((?:docs|pomerium|scripts|test|\.github)\/[\w./-]+\.(?:md|sh|ts|yml|yaml))/gm)].map(
      (m) => m[1]!,
    );
    for (const path of named) expect(existsSync(join(ROOT, path)), `${file} mentions ${path}`).toBe(true);
  });
});

describe('README: the Node requirement', () => {
  it('matches package.json engines', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const required = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(engines)?.[1];
    expect(required, `engines.node ${engines} is a >= range`).toBeDefined();
    const stated = [...read('README.md').matchAll(/Node (?:≥|>=) ?(\d+(?:\.\d+){0,2})/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    for (const v of stated) expect(v, 'every "Node ≥ x" in README.md').toBe(required);
  });
});

describe('docs/homelab.md and the README homelab section', () => {
  const guide = read('docs/homelab.md');
  const readme = read('README.md');
  const homelab = readme.slice(readme.indexOf('## Deploy on a homelab'));

  it('require a 64-bit OS (Raspberry Pi: aarch64, not armv7l)', () => {
    for (const text of [guide, homelab]) {
      expect(text).toMatch(/64-bit/);
      expect(text).toContain('aarch64');
      expect(text).toContain('armv7l');
    }
  });

  it('tell Google users to publish the OAuth app, or refresh tokens expire in 7 days', () => {
    for (const text of [guide, homelab]) {
      expect(text).toContain('In production');
      expect(text).toMatch(/7 days/);
    }
  });

  it("explain what service accounts get with ALLOWED_EMAILS, using the server's own refusal text", () => {
    const auth = read('src/http/auth.ts');
    const refusal = /'(assertion has no email claim but ALLOWED_EMAILS is set)'/.exec(auth)?.[1];
    expect(refusal, 'the refusal in src/http/auth.ts').toBeDefined();
    expect(guide.replace(/\s+/g, ' ')).toContain(refusal!);
    expect(guide).toMatch(/[Ss]ervice accounts/);
  });

  it("cover assertions over Node's 16 KiB header limit and jwt_groups_filter", () => {
    expect(guide).toContain('16 KiB');
    expect(guide).toContain('jwt_groups_filter');
    expect(guide).toContain('431');
  });

  it('show how to add the server to Claude Code and Claude Desktop', () => {
    const command = /^\s*claude mcp add --transport http (\S+) (\S+)$/m;
    for (const text of [guide, homelab]) {
      const m = command.exec(text);
      expect(m, 'a `claude mcp add --transport http NAME URL` line').not.toBeNull();
      expect(m![2]).toBe('https://intervals-mcp.example.com/mcp');
      expect(text).toContain('claude_desktop_config.json');
    }
  });

  it('links the guide from the README, pomerium/README.md and docker-compose.yml', () => {
    expect(homelab).toContain('](docs/homelab.md)');
    expect(read('pomerium/README.md')).toContain('../docs/homelab.md');
    expect(read('docker-compose.yml')).toContain('docs/homelab.md');
  });
});
