/**
 * "Execute what you document" for the multi-person modes: the README's per-user and oauth commands
 * run with bash in a temporary directory and their results are read the way intervals-mcp and
 * Pomerium read them; scripts/render-pomerium-oauth.sh is run and its output checked against
 * pomerium/config.yaml; the README's token-endpoint curl check runs against the fake's OAuth token
 * endpoint; the compose overlays give intervals-mcp a configuration it accepts.
 */

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, type Tags } from 'yaml';
import { loadConfig } from '../src/config.js';
import { loadUsersFile } from '../src/credentials/users-file.js';
import { type FakeIntervals, startFakeIntervals } from './fake-intervals/index.js';
import { fencedBlocks } from './support/markdown.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const README = read('README.md');
const SECTION = README.slice(README.indexOf('## Several people: each with their own Intervals.icu account'));

const blocks = (heading: string, lang: string) => fencedBlocks(SECTION, heading, lang);

/** Compose's YAML tags (`!override`, `!reset`) parse as their plain value. */
const composeTags: Tags = ['override', 'reset'].flatMap((t) => [
  { tag: `!${t}`, collection: 'seq' as const, resolve: (v: unknown) => v },
  { tag: `!${t}`, collection: 'map' as const, resolve: (v: unknown) => v },
]) as unknown as Tags;
/** Parsed YAML, read by path in assertions (each shape is asserted where it is used). */
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML documents, asserted field by field
type Doc = Record<string, any>;
const yamlOf = (p: string) => parse(read(p), { customTags: composeTags }) as Doc;

const bash = (script: string, cwd: string, input = '', env: Record<string, string> = {}) =>
  spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    cwd,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: cwd, ...env },
    timeout: 20_000,
  });

/** bash without blocking the event loop (the fake answering curl lives in this process). */
const bashAsync = (script: string, cwd: string) =>
  new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(
      'bash',
      ['--norc', '--noprofile', '-c', script],
      { cwd, env: { PATH: process.env.PATH, HOME: cwd }, timeout: 20_000 },
      (_err, stdout, stderr) => resolve({ stdout, stderr }),
    );
  });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-credentials-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README per-user commands', () => {
  it('create a people folder and users.yaml that intervals-mcp accepts, keys exactly as typed', () => {
    const [setup] = blocks('### per-user: one API key per person', 'bash');
    const cwd = join(dir, 'per-user');
    mkdirSync(join(cwd, 'secrets'), { recursive: true });
    const r = bash(setup!, cwd, 'key-of-me-123\nkey-of-partner-456\n');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/key-of-/); // read -s: nothing echoed
    const people = join(cwd, 'secrets/people');
    expect(statSync(people).mode & 0o777).toBe(0o755);
    expect(statSync(join(people, 'me.key')).mode & 0o777).toBe(0o644);
    const users = loadUsersFile(join(people, 'users.yaml'));
    expect(users.map((u) => [u.email, u.apiKey, u.athleteIds, u.readOnly])).toEqual([
      ['me@example.com', 'key-of-me-123', ['0', 'i23456'], false],
      ['partner@example.com', 'key-of-partner-456', ['0'], true],
    ]);
  });

  it('docker-compose.per-user.yml mounts that folder where USERS_FILE points, and the merged environment is a valid configuration', () => {
    const [dotenv] = blocks('### per-user: one API key per person', 'dotenv');
    const composeFile = /COMPOSE_FILE=(.*)/.exec(dotenv!)![1]!;
    expect(composeFile.split(':')).toEqual(['docker-compose.yml', 'docker-compose.per-user.yml']);
    const base = yamlOf('docker-compose.yml').services['intervals-mcp'];
    const overlay = yamlOf('docker-compose.per-user.yml').services['intervals-mcp'];
    expect(overlay.volumes).toContain('./secrets/people:/run/people:ro');
    expect(overlay.environment.USERS_FILE).toBe('/run/people/users.yaml');
    expect(overlay.secrets).toEqual(['pomerium_signing_key_pub']);
    expect(base.secrets).toContain('pomerium_signing_key_pub');
    // The environment compose would build (base, then overlay), with the mounted paths replaced by test files.
    const env = { ...base.environment, ...overlay.environment, USERS_FILE: join(dir, 'per-user/secrets/people/users.yaml') };
    env.POMERIUM_PUBLIC_KEY_FILE = '/run/secrets/pomerium_signing_key_pub';
    env.POMERIUM_AUDIENCE = 'intervals-mcp.example.com';
    env.ALLOWED_HOSTS = 'intervals-mcp,intervals-mcp.example.com,127.0.0.1';
    const config = loadConfig(env as Record<string, string>);
    expect(config.credentials.mode).toBe('per-user');
    expect(config.intervals.apiKey).toBe('');
  });
});

describe('README oauth commands and scripts/render-pomerium-oauth.sh', () => {
  const cwd = () => join(dir, 'oauth');
  const SECRET = 'cl13nt-S3cret_value+/=';
  let fake: FakeIntervals;

  beforeAll(async () => {
    mkdirSync(join(cwd(), 'secrets'), { recursive: true });
    execFileSync('bash', ['-c', `cp -r ${JSON.stringify(join(ROOT, 'scripts'))} ${JSON.stringify(join(ROOT, 'pomerium'))} .`], {
      cwd: cwd(),
    });
    fake = await startFakeIntervals({
      accounts: [{ athleteId: 'i240001', apiKey: 'k', tokens: [{ token: 'tok-from-exchange' }] }],
      oauthApp: { clientId: 'your-client-id', clientSecret: SECRET, codes: { 'code-123': 'tok-from-exchange' } },
    });
  });
  afterAll(async () => fake?.close());

  it('store the client secret exactly as typed, private', () => {
    const [secret] = blocks('### oauth: each person connects their own account', 'bash');
    const r = bash(secret!, cwd(), `${SECRET}\n`);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(cwd(), 'secrets/intervals_oauth_client_secret'), 'utf8')).toBe(SECRET);
    expect(statSync(join(cwd(), 'secrets/intervals_oauth_client_secret')).mode & 0o777).toBe(0o600);
  });

  it('render a Pomerium config: static Intervals.icu endpoints, ONE scope element, file storage, the policy from ALLOWED_EMAILS, mode 600', () => {
    const [dotenv] = blocks('### oauth: each person connects their own account', 'dotenv');
    writeFileSync(join(cwd(), '.env'), `MCP_HOST=intervals-mcp.example.com\n${dotenv}\n`);
    const [render] = blocks('### oauth: each person connects their own account', 'bash').filter((b) => b.includes('render-pomerium-oauth'));
    const r = bash(render!, cwd());
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const out = join(cwd(), 'secrets/pomerium-oauth.yaml');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const rendered = parse(readFileSync(out, 'utf8')) as Doc;
    const route = rendered.routes[0];
    expect(route.from).toBe('https://intervals-mcp.example.com');
    expect(route.to).toBe('http://intervals-mcp:8000');
    expect(route.pass_identity_headers).toBe(true);
    expect(route.mcp.server.upstream_oauth2).toEqual({
      client_id: 'your-client-id',
      client_secret: SECRET,
      scopes: ['ACTIVITY:WRITE,WELLNESS:WRITE,CALENDAR:WRITE,SETTINGS:WRITE,LIBRARY:READ'],
      endpoint: { auth_url: 'https://intervals.icu/oauth/authorize', token_url: 'https://intervals.icu/api/oauth/token' },
    });
    expect(route.policy).toEqual({ allow: { or: [{ email: { is: 'me@example.com' } }, { email: { is: 'partner@example.com' } }] } });
    expect(rendered.databroker_storage_type).toBe('file');
    // Everything but the route is the single-user config, so the two cannot drift apart.
    const single = parse(read('pomerium/config.yaml')) as Doc;
    const { routes: _r, ...settings } = rendered;
    const { routes: singleRoutes, ...singleSettings } = single;
    expect(settings).toEqual(singleSettings);
    const { mcp: _m, policy: _p, from: _f, ...routeRest } = route;
    const { mcp: _m2, policy: _p2, from: _f2, ...singleRouteRest } = singleRoutes[0];
    expect(routeRest).toEqual(singleRouteRest);
    // docker-compose.oauth.yml runs Pomerium on exactly that file.
    const overlay = yamlOf('docker-compose.oauth.yml');
    expect(overlay.secrets.pomerium_oauth_config.file).toBe('./secrets/pomerium-oauth.yaml');
    expect(overlay.services.pomerium.command).toEqual(['--config', '/run/secrets/pomerium_oauth_config']);
    expect(overlay.services['intervals-mcp'].environment.INTERVALS_CREDENTIALS).toBe('oauth');
  });

  it('re-rendering rewrites the file in place (a running Pomerium keeps seeing it through its bind mount)', () => {
    const out = join(cwd(), 'secrets/pomerium-oauth.yaml');
    const inode = statSync(out).ino;
    writeFileSync(
      join(cwd(), '.env'),
      'MCP_HOST=intervals-mcp.example.com\nINTERVALS_OAUTH_CLIENT_ID=your-client-id\nALLOWED_EMAILS=me@example.com\n',
    );
    expect(bash('scripts/render-pomerium-oauth.sh', cwd()).status).toBe(0);
    expect(statSync(out).ino).toBe(inode);
    expect((parse(readFileSync(out, 'utf8')) as Doc).routes[0].policy.allow.or).toEqual([{ email: { is: 'me@example.com' } }]);
  });

  it('refuses missing or malformed values with a line naming them, never printing the secret', () => {
    const run = (env: string, secret?: string) => {
      const c = join(cwd(), `case-${Math.random().toString(36).slice(2)}`);
      mkdirSync(join(c, 'secrets'), { recursive: true });
      writeFileSync(join(c, '.env'), env);
      if (secret !== undefined) writeFileSync(join(c, 'secrets/intervals_oauth_client_secret'), secret);
      return bash(`${join(cwd(), 'scripts/render-pomerium-oauth.sh')}`, c);
    };
    const ok = 'MCP_HOST=h.example.com\nINTERVALS_OAUTH_CLIENT_ID=id\nALLOWED_EMAILS=a@example.com\n';
    expect(run(ok).stderr).toMatch(/intervals_oauth_client_secret cannot be read/);
    const spaced = run(ok, 'has a space-secret');
    expect(spaced.status).toBe(1);
    expect(spaced.stderr).toMatch(/must hold only the client secret/);
    expect(spaced.stderr).not.toContain('space-secret');
    expect(run('MCP_HOST=h.example.com\nALLOWED_EMAILS=a@example.com\n', SECRET).stderr).toMatch(/INTERVALS_OAUTH_CLIENT_ID is not set/);
    expect(run('MCP_HOST=https://h.example.com\nINTERVALS_OAUTH_CLIENT_ID=id\nALLOWED_EMAILS=a@example.com\n', SECRET).stderr).toMatch(
      /MCP_HOST .* must be a host name/,
    );
    expect(run(`${ok}INTERVALS_OAUTH_SCOPES=ACTIVITY:WRITE WELLNESS:WRITE\n`, SECRET).stderr).toMatch(
      /INTERVALS_OAUTH_SCOPES .*comma-separated/,
    );
    expect(run('MCP_HOST=h.example.com\nINTERVALS_OAUTH_CLIENT_ID=id\n', SECRET).stderr).toMatch(/ALLOWED_EMAILS is not set/);
    expect(bash(`${join(cwd(), 'scripts/render-pomerium-oauth.sh')} a b c d`, cwd()).status).toBe(2);
  });

  it("the token-endpoint curl check prints OK when the endpoint accepts Pomerium's parameters, and says so when it refuses", async () => {
    const [check] = blocks('### oauth: each person connects their own account', 'bash').filter((b) => b.includes('curl'));
    expect(check).toContain('https://intervals.icu/api/oauth/token');
    writeFileSync(
      join(cwd(), '.env'),
      'MCP_HOST=intervals-mcp.example.com\nINTERVALS_OAUTH_CLIENT_ID=your-client-id\nALLOWED_EMAILS=me@example.com\n',
    );
    const against = (code: string) =>
      bashAsync(check!.replace('https://intervals.icu', fake.url).replace('CODE=paste-the-code-here', `CODE=${code}`), cwd());
    const good = await against('code-123');
    expect(good.stdout.trim()).toBe('token endpoint OK');
    expect(good.stdout).not.toContain('tok-from-exchange');
    expect((await against('expired-code')).stdout.trim()).toBe('token endpoint refused the request');
    const sent = fake.requests.filter((r) => r.path === '/api/oauth/token');
    const form = new URLSearchParams(String(sent[0]!.body));
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'authorization_code',
      client_id: 'your-client-id',
      client_secret: SECRET,
      code: 'code-123',
      redirect_uri: 'https://intervals-mcp.example.com/.pomerium/mcp/client/oauth/callback',
      resource: 'https://intervals-mcp.example.com/mcp',
    });
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The README's authorize URL carries the S256 challenge of that verifier.
    const verifier = form.get('code_verifier')!;
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    expect(SECTION).toContain(`code_challenge=${challenge}&code_challenge_method=S256`);
  });
});
