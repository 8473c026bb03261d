/**
 * The Pomerium identity check against an emulation of Pomerium's contract: an ES256 signing key,
 * a JWKS served like `/.well-known/pomerium/jwks.json`, and assertions shaped like the ones
 * Pomerium forwards in `X-Pomerium-Jwt-Assertion` (typ JWT + kid; iss = aud = route host name;
 * sub, user, email, groups, sid, jti; exp = iat + 300).
 */
import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { type CryptoKey, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { type AuthOptions, createAuthMiddleware } from './auth.js';

const HOST = 'intervals-mcp.example.com';
const KID = 'pomerium-key-1';

interface KeyPair {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

let signing: KeyPair;
let impostor: KeyPair; // another ES256 key published under the same kid nowhere
let rotated: KeyPair;
let publicPem: string;
let tmp: string;
let jwks: { server: Server; url: string; fetches: number; status: number; keys: JWK[] };

async function jwkOf(key: CryptoKey, kid: string): Promise<JWK> {
  return { ...(await exportJWK(key)), kid, alg: 'ES256', use: 'sig' };
}

beforeAll(async () => {
  signing = await generateKeyPair('ES256', { extractable: true });
  impostor = await generateKeyPair('ES256', { extractable: true });
  rotated = await generateKeyPair('ES256', { extractable: true });
  publicPem = await exportSPKI(signing.publicKey);
  tmp = mkdtempSync(join(tmpdir(), 'auth-test-'));
  writeFileSync(join(tmp, 'signing_key.pub.pem'), publicPem);
  const pkcs8 = await exportPKCS8(signing.privateKey);
  writeFileSync(join(tmp, 'signing_key.pkcs8.pem'), pkcs8);
  // What `openssl ecparam -genkey -name prime256v1 -noout` writes: SEC1 "EC PRIVATE KEY".
  writeFileSync(join(tmp, 'signing_key.pem'), createPrivateKey(pkcs8).export({ type: 'sec1', format: 'pem' }));
  writeFileSync(join(tmp, 'signing_key.pub.b64'), Buffer.from(publicPem).toString('base64'));
  writeFileSync(join(tmp, 'garbage.pem'), 'not a key\n');
  const rsa = await generateKeyPair('RS256', { extractable: true });
  writeFileSync(join(tmp, 'rsa.pub.pem'), await exportSPKI(rsa.publicKey));

  const state = { fetches: 0, status: 200, keys: [await jwkOf(signing.publicKey, KID)] };
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/pomerium/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    state.fetches++;
    if (state.status !== 200) {
      res.writeHead(state.status, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  jwks = Object.assign(state, { server, url: `http://127.0.0.1:${port}/.well-known/pomerium/jwks.json` });
});

afterAll(async () => {
  await new Promise((resolve) => jwks.server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

const nowS = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = nowS();
  return {
    iss: HOST,
    aud: HOST,
    sub: 'CgVhbGljZRIEbG9jYWw',
    user: 'CgVhbGljZRIEbG9jYWw',
    email: 'me@example.com',
    groups: ['athletes', 'grp-1'],
    sid: randomUUID(),
    jti: randomUUID(),
    iat,
    exp: iat + 300,
    ...overrides,
  };
}

async function assertion(
  overrides: Record<string, unknown> = {},
  { key = signing.privateKey, kid = KID }: { key?: CryptoKey; kid?: string } = {},
): Promise<string> {
  return new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(key);
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

interface TestApp {
  url: string;
  logs: Array<Record<string, unknown>>;
  close: () => Promise<void>;
}

const apps: TestApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

async function startApp(auth: AuthConfig, opts?: AuthOptions): Promise<TestApp> {
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) });
  const app = express();
  app.use(await createAuthMiddleware(auth, logger, opts));
  app.post('/mcp', (_req, res) => {
    res.json({ jsonrpc: '2.0', id: 1, result: { identity: res.locals.identity } });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const testApp: TestApp = {
    url: `http://127.0.0.1:${port}/mcp`,
    logs,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  apps.push(testApp);
  return testApp;
}

/** A JSON-RPC answer as the tests read it. */
type JsonRpcBody = {
  error: { code: number; message: string };
  result: { identity: { groups?: unknown; [k: string]: unknown }; [k: string]: unknown };
};
async function call(app: TestApp, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers['x-pomerium-jwt-assertion'] = token;
  const res = await fetch(app.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as JsonRpcBody };
}

/** Every rejection: 403, JSON, JSON-RPC error -32001, no WWW-Authenticate, token never echoed or logged. */
async function expectForbidden(app: TestApp, token: string | undefined, reason: RegExp) {
  const before = app.logs.length;
  const r = await call(app, token);
  expect(r.status).toBe(403);
  expect(r.headers.get('www-authenticate')).toBeNull();
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.body).toEqual({ jsonrpc: '2.0', error: { code: -32001, message: expect.any(String) }, id: null });
  expect(r.body.error.message).toMatch(/^Forbidden: /);
  expect(r.body.error.message).toMatch(reason);
  expect(r.body).not.toHaveProperty('result');
  const warns = app.logs.slice(before).filter((l) => l.level === 40);
  expect(warns).toHaveLength(1);
  expect(String(warns[0]!.reason)).toMatch(reason);
  if (token) {
    expect(r.text).not.toContain(token);
    expect(JSON.stringify(app.logs)).not.toContain(token);
    const signature = token.split('.')[2];
    if (signature && signature.length > 20) expect(JSON.stringify(app.logs)).not.toContain(signature);
  }
  return r;
}

function pomerium(source: 'file' | 'jwks', extra: Partial<Extract<AuthConfig, { mode: 'pomerium' }>> = {}): AuthConfig {
  return {
    mode: 'pomerium',
    audience: HOST,
    ...(source === 'file' ? { publicKeyFile: join(tmp, 'signing_key.pub.pem') } : { jwksUrl: jwks.url }),
    allowedEmails: [],
    ...extra,
  };
}

describe.each(['file', 'jwks'] as const)('AUTH_MODE=pomerium, key from %s', (source) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(pomerium(source));
  });

  it('accepts a valid assertion and exposes the identity', async () => {
    const r = await call(app, await assertion());
    expect(r.status).toBe(200);
    expect(r.body.result.identity).toEqual({
      email: 'me@example.com',
      sub: 'CgVhbGljZRIEbG9jYWw',
      groups: ['athletes', 'grp-1'],
    });
  });

  it('accepts empty groups and small clock skew (expired 10 s ago)', async () => {
    const iat = nowS() - 310;
    const r = await call(app, await assertion({ iat, exp: iat + 300, groups: [] }));
    expect(r.status).toBe(200);
    expect(r.body.result.identity.groups).toEqual([]);
  });

  it('rejects a request without the header', async () => {
    await expectForbidden(app, undefined, /missing X-Pomerium-Jwt-Assertion: is pass_identity_headers: true set/);
  });

  it('rejects malformed assertions', async () => {
    await expectForbidden(app, 'not-a-jwt', /malformed/);
    await expectForbidden(app, 'a.b.c', /malformed/);
    const valid = await assertion();
    await expectForbidden(app, `${valid}, ${valid}`, /malformed/);
  });

  it('rejects an expired assertion', async () => {
    const iat = nowS() - 600;
    await expectForbidden(app, await assertion({ iat, exp: iat + 300 }), /expired/);
  });

  it('rejects an assertion without exp', async () => {
    await expectForbidden(app, await assertion({ exp: undefined }), /"exp"/);
  });

  it('rejects an assertion issued in the future (beyond the skew)', async () => {
    const iat = nowS() + 120;
    await expectForbidden(app, await assertion({ iat, exp: iat + 300 }), /not yet valid/);
  });

  it('rejects an assertion whose nbf is in the future', async () => {
    await expectForbidden(app, await assertion({ nbf: nowS() + 120 }), /not yet valid/);
  });

  it('rejects a wrong audience and says which setting to fix', async () => {
    await expectForbidden(app, await assertion({ aud: 'other.example.com' }), /audience.*POMERIUM_AUDIENCE/);
    await expectForbidden(app, await assertion({ aud: `https://${HOST}` }), /audience/);
  });

  it('rejects a wrong issuer (e.g. jwt_issuer_format: uri)', async () => {
    await expectForbidden(app, await assertion({ iss: `https://${HOST}/` }), /issuer/);
    await expectForbidden(app, await assertion({ iss: 'evil.example.com' }), /issuer/);
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT', kid: KID })}.${b64url(claims())}.`;
    await expectForbidden(app, token, /algorithm not allowed/);
  });

  it('rejects HS256 signed with the public key bytes (algorithm confusion)', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KID })
      .sign(new TextEncoder().encode(publicPem));
    await expectForbidden(app, token, /algorithm not allowed/);
  });

  it('rejects an assertion signed by another ES256 key with the same kid', async () => {
    await expectForbidden(app, await assertion({}, { key: impostor.privateKey }), /signature invalid/);
  });
});

describe('ALLOWED_EMAILS', () => {
  it.each(['file', 'jwks'] as const)('admits only listed emails (key from %s)', async (source) => {
    const app = await startApp(pomerium(source, { allowedEmails: ['me@example.com'] }));
    expect((await call(app, await assertion({ email: 'Me@Example.com' }))).status).toBe(200);
    const r = await expectForbidden(app, await assertion({ email: 'intruder@example.com' }), /not in ALLOWED_EMAILS/);
    expect(r.body.error.message).toContain('intruder@example.com');
    await expectForbidden(app, await assertion({ email: undefined }), /no email claim/);
  });
});

describe('JWKS fetching', () => {
  it('refetches once for an unknown kid, then rejects; a flood does not refetch', async () => {
    jwks.status = 200;
    const start = jwks.fetches;
    const app = await startApp(pomerium('jwks'), { jwksCooldownMs: 300 });
    expect((await call(app, await assertion())).status).toBe(200);
    expect(jwks.fetches - start).toBe(1);
    // Within the cooldown an unknown kid is rejected without a fetch.
    await expectForbidden(app, await assertion({}, { kid: 'unknown-1' }), /kid/);
    expect(jwks.fetches - start).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    // After the cooldown: one refetch, still no such key → 403.
    await expectForbidden(app, await assertion({}, { kid: 'unknown-2' }), /no key in POMERIUM_JWKS_URL matches/);
    expect(jwks.fetches - start).toBe(2);
    // A flood of unknown kids (sequential and concurrent) does not refetch.
    for (let i = 0; i < 10; i++) {
      expect((await call(app, await assertion({}, { kid: `flood-${i}` }))).status).toBe(403);
    }
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => assertion({}, { kid: `burst-${i}` })));
    const results = await Promise.all(tokens.map((t) => call(app, t)));
    expect(results.every((r) => r.status === 403)).toBe(true);
    expect(jwks.fetches - start).toBe(2);
    // The known key still works from the cache.
    expect((await call(app, await assertion())).status).toBe(200);
    expect(jwks.fetches - start).toBe(2);
  });

  it('picks up a rotated key (new kid) after the cooldown', async () => {
    const original = jwks.keys;
    try {
      const app = await startApp(pomerium('jwks'), { jwksCooldownMs: 100 });
      expect((await call(app, await assertion())).status).toBe(200);
      jwks.keys = [await jwkOf(rotated.publicKey, 'pomerium-key-2'), ...original];
      await new Promise((r) => setTimeout(r, 150));
      const r = await call(app, await assertion({}, { key: rotated.privateKey, kid: 'pomerium-key-2' }));
      expect(r.status).toBe(200);
    } finally {
      jwks.keys = original;
    }
  });

  it('rate-limits fetches while the JWKS endpoint fails', async () => {
    const start = jwks.fetches;
    jwks.status = 503;
    try {
      const app = await startApp(pomerium('jwks'), { jwksFailureCooldownMs: 300 });
      await expectForbidden(app, await assertion(), /cannot fetch the signing keys from POMERIUM_JWKS_URL/);
      for (let i = 0; i < 10; i++) expect((await call(app, await assertion())).status).toBe(403);
      expect(jwks.fetches - start).toBe(1);
      jwks.status = 200;
      await new Promise((r) => setTimeout(r, 350));
      expect((await call(app, await assertion())).status).toBe(200);
      expect(jwks.fetches - start).toBe(2);
    } finally {
      jwks.status = 200;
    }
  });

  it('bounds a hanging JWKS fetch with a timeout', async () => {
    const hanging = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as AddressInfo;
      const app = await startApp(pomerium('jwks', { jwksUrl: `http://127.0.0.1:${port}/jwks.json` }), {
        jwksTimeoutMs: 200,
      });
      // The server never answers: without the 200 ms bound this would hang past the test's timeout.
      await expectForbidden(app, await assertion(), /cannot fetch the signing keys/);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});

describe('POMERIUM_PUBLIC_KEY_FILE', () => {
  it.each([
    ['the SEC1 private signing key (openssl ecparam output)', 'signing_key.pem', true],
    ['a PKCS#8 private key', 'signing_key.pkcs8.pem', true],
    ['base64-encoded PEM', 'signing_key.pub.b64', false],
  ])('accepts %s', async (_label, file, isPrivate) => {
    const app = await startApp(pomerium('file', { publicKeyFile: join(tmp, file) }));
    expect((await call(app, await assertion())).status).toBe(200);
    const warned = app.logs.some((l) => l.level === 40 && /private key/.test(String(l.msg)));
    expect(warned).toBe(isPrivate);
  });

  it('prefers the file over a JWKS URL when both are set (works offline)', async () => {
    const start = jwks.fetches;
    const app = await startApp(pomerium('file', { jwksUrl: jwks.url }));
    expect((await call(app, await assertion())).status).toBe(200);
    expect(jwks.fetches).toBe(start);
  });

  it.each([
    ['a missing file', 'does-not-exist.pem', /cannot be read \(ENOENT\)/],
    ['a file that is not a key', 'garbage.pem', /cannot be parsed/],
    ['an RSA key', 'rsa.pub.pem', /holds a rsa key/],
  ])('fails startup with %s', async (_label, file, message) => {
    const logger = createLogger('silent');
    await expect(createAuthMiddleware(pomerium('file', { publicKeyFile: join(tmp, file) }), logger)).rejects.toThrow(message);
  });
});

describe('AUTH_MODE=none', () => {
  it('passes every request through with an empty identity', async () => {
    const app = await startApp({ mode: 'none', allowUnauthenticated: false });
    const r = await call(app);
    expect(r.status).toBe(200);
    expect(r.body.result.identity).toEqual({});
  });
});

describe('injected clock', () => {
  it('verifies exp/iat against opts.now', async () => {
    const app = await startApp(pomerium('file'), { now: () => Date.now() + 3_600_000 });
    await expectForbidden(app, await assertion(), /expired|too old/);
  });
});
