/**
 * "Execute what you document": the secret-generating commands of README.md ("### 3. Secrets") and
 * pomerium/README.md ("## Secrets: generate once, keep forever") are extracted from the text and run
 * with bash in a fresh temporary directory. Every file docker-compose.yml mounts as a secret is then
 * checked the way its consumer reads it:
 *   - shared_secret: Pomerium's GetSharedKey (config/options.go) refuses any surrounding whitespace
 *     ("shared secret contains whitespace") and base64-decodes the rest (StdEncoding, 32 bytes);
 *   - cookie_secret: base64 of 32 bytes, held to the same no-whitespace rule to be safe;
 *   - signing_key.pem: an EC P-256 private key (Pomerium signs the ES256 assertion with it);
 *   - signing_key.pub.pem: loaded by intervals-mcp's own key loader, and it verifies an assertion
 *     signed with signing_key.pem (and refuses one signed with another key);
 *   - idp_client_secret / intervals_api_key: exactly what was typed (Pomerium uses the file's bytes);
 *   - modes: the files only Pomerium reads are 600; the two intervals-mcp (uid 1000) reads are readable
 *     by uid 1000.
 */

import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { exportPKCS8, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';
import { createAuthMiddleware } from '../src/http/auth.js';
import { createLogger } from '../src/logger.js';
import { firstBlock } from './support/markdown.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Pomerium's GetSharedKey: the value must have no leading/trailing whitespace (Go strings.TrimSpace)
 * and be standard base64. Returns the decoded bytes or throws with Pomerium's wording.
 */
function pomeriumSharedKey(raw: string): Buffer {
  if (raw === '') throw new Error('empty shared secret');
  if (raw.trim() !== raw) throw new Error('shared secret contains whitespace');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 !== 0) throw new Error('illegal base64 data');
  return Buffer.from(raw, 'base64');
}

const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, { secrets?: Array<string | { source: string }>; environment?: Record<string, string> }>;
  secrets: Record<string, { file: string }>;
};
const secretNames = (service: string) => (compose.services[service]?.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
/** secret name -> file name under ./secrets/ */
const secretFile = (name: string) => compose.secrets[name]!.file.replace(/^\.\/secrets\//, '');
const serverFiles = secretNames('intervals-mcp').map(secretFile);
const pomeriumOnlyFiles = secretNames('pomerium')
  .map(secretFile)
  .filter((f) => !serverFiles.includes(f));

const IDP_SECRET = 'idp-Secret with spaces & $pecial';
const API_KEY = '5x7abcdefghijklmnopqrstuv';
const HOST = 'intervals-mcp.example.com';

const tmps: string[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  for (const t of tmps) rmSync(t, { recursive: true, force: true });
});

/** Run a documented block like a user pasting it: bash, cwd = a fresh directory, typed input on stdin. */
function runDocumented(block: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-secrets-'));
  tmps.push(dir);
  execFileSync('bash', ['-e', '-o', 'pipefail', '-c', block], {
    cwd: dir,
    input: `${IDP_SECRET}\n${API_KEY}\n`,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: dir, LANG: 'C' },
    timeout: 15_000,
  });
  return join(dir, 'secrets');
}

/** Verify an assertion signed with `privatePem` through the server's own config + auth middleware. */
async function serverAccepts(pubFile: string, apiKeyFile: string, privatePem: string): Promise<number> {
  const config = loadConfig({
    HOST: '0.0.0.0',
    PORT: '8000',
    AUTH_MODE: 'pomerium',
    POMERIUM_AUDIENCE: HOST,
    POMERIUM_PUBLIC_KEY_FILE: pubFile,
    INTERVALS_API_KEY_FILE: apiKeyFile,
  });
  expect(config.intervals.apiKey).toBe(API_KEY);
  const app = express();
  app.use(await createAuthMiddleware(config.auth, createLogger('silent')));
  app.post('/mcp', (_req, res) => void res.json({ email: res.locals.identity?.email }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const pkcs8 = createPrivateKey(privatePem).export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = await importPKCS8(pkcs8, 'ES256');
  const iat = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ email: 'me@example.com', sub: 'u1', jti: randomUUID(), groups: [] })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k1' })
    .setIssuer(HOST)
    .setAudience(HOST)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(key);
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pomerium-jwt-assertion': jwt },
    body: '{}',
  });
  await res.text();
  return res.status;
}

describe('pomeriumSharedKey (the check the documented files must pass)', () => {
  it('accepts base64 of 32 bytes and refuses what `head -c32 /dev/urandom | base64 >` writes', () => {
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(pomeriumSharedKey(b64)).toHaveLength(32);
    expect(() => pomeriumSharedKey(`${b64}\n`)).toThrow('shared secret contains whitespace');
    expect(() => pomeriumSharedKey(` ${b64}`)).toThrow('shared secret contains whitespace');
    expect(() => pomeriumSharedKey('')).toThrow('empty shared secret');
    expect(() => pomeriumSharedKey('not*base64')).toThrow('illegal base64');
  });
});

describe('secret commands quoted elsewhere in the docs', () => {
  it('are the same lines the tested blocks run (troubleshooting, revocation, …)', () => {
    const tested = new Set(
      documents.flatMap(({ file, heading }) =>
        firstBlock(read(file), heading, 'bash')
          .split('\n')
          .map((l) => l.trim()),
      ),
    );
    const quoted = ['README.md', 'pomerium/README.md', 'docs/homelab.md'].flatMap((f) =>
      [...read(f).matchAll(/head -c32 \/dev\/urandom[^`\n]*/g)].map((m) => ({ f, line: m[0].replaceAll('\\|', '|').trim() })),
    );
    expect(quoted.length).toBeGreaterThan(4);
    for (const { f, line } of quoted) expect(tested.has(line), `${f}: ${line}`).toBe(true);
  });
});

const documents = [
  { file: 'README.md', heading: '### 3. Secrets' },
  { file: 'pomerium/README.md', heading: '## Secrets: generate once, keep forever' },
];

// Skipped only on a developer's machine without openssl; in CI (which installs it) a missing tool fails.
describe.skipIf(!hasOpenssl && !process.env.CI).each(documents)('the secret commands in $file', ({ file, heading }) => {
  const block = firstBlock(read(file), heading, 'bash');
  let dir = '';
  const bytes = (name: string) => readFileSync(join(dir, name));
  beforeAll(() => {
    dir = runDocumented(block);
  });

  it('run without error in a fresh directory and create every secret file compose mounts', () => {
    const expected = Object.keys(compose.secrets).map(secretFile);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    for (const f of expected) expect(statSync(join(dir, f)).isFile(), f).toBe(true);
  });

  it.each(['shared_secret', 'cookie_secret'])('%s: base64 of exactly 32 bytes with no whitespace', (name) => {
    const raw = bytes(name).toString('latin1');
    expect(pomeriumSharedKey(raw)).toHaveLength(32);
  });

  it('signing_key.pem is an EC P-256 private key', () => {
    const key = createPrivateKey(bytes('signing_key.pem').toString().trim());
    expect(key.asymmetricKeyType).toBe('ec');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('signing_key.pub.pem is loaded by intervals-mcp and verifies what signing_key.pem signs', async () => {
    const status = await serverAccepts(
      join(dir, 'signing_key.pub.pem'),
      join(dir, 'intervals_api_key'),
      bytes('signing_key.pem').toString(),
    );
    expect(status).toBe(200);
    // Control: an assertion signed with another key is refused, so the 200 above means something.
    const other = await generateKeyPair('ES256', { extractable: true });
    const otherPem = await exportPKCS8(other.privateKey);
    expect(await serverAccepts(join(dir, 'signing_key.pub.pem'), join(dir, 'intervals_api_key'), otherPem)).toBe(403);
  });

  it('stores the typed secrets byte for byte, without a newline', () => {
    expect(bytes('idp_client_secret').toString()).toBe(IDP_SECRET);
    expect(bytes('intervals_api_key').toString()).toBe(API_KEY);
  });

  it('makes Pomerium-only files 600 and the two files intervals-mcp reads readable by uid 1000', () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(pomeriumOnlyFiles.sort()).toEqual(['cookie_secret', 'idp_client_secret', 'shared_secret', 'signing_key.pem']);
    for (const f of pomeriumOnlyFiles) expect((statSync(join(dir, f)).mode & 0o777).toString(8), f).toBe('600');
    expect(serverFiles.sort()).toEqual(['intervals_api_key', 'signing_key.pub.pem']);
    for (const f of serverFiles) {
      const st = statSync(join(dir, f));
      const readableBy1000 = (st.uid === 1000 && (st.mode & 0o400) !== 0) || (st.mode & 0o004) !== 0;
      expect(readableBy1000, `${f} mode ${(st.mode & 0o777).toString(8)}`).toBe(true);
      expect(st.mode & 0o022, `${f} must not be writable by others`).toBe(0);
    }
  });
});
