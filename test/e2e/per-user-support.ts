/**
 * Shared by the multi-person end-to-end tests (per-user and oauth): an emulated Pomerium signing
 * key, assertions for any email, captured JSON log lines, a raw JSON-RPC POST for status checks, and
 * a scan for secrets in logs and answers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { FakeOptions } from '../fake-intervals/index.js';
import { type Stack, startStack } from '../support/harness.js';
import type { CapturedLogs } from '../support/logs.js';
import { MCP_HEADERS } from '../support/raw-mcp.js';

export const AUDIENCE = 'intervals-mcp.example.test';

export interface Pomerium {
  dir: string;
  publicKeyFile: string;
  assertion(email: string): Promise<string>;
  env: Record<string, string>;
}

export async function emulatedPomerium(): Promise<Pomerium> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const key: CryptoKey = pair.privateKey;
  const dir = mkdtempSync(join(tmpdir(), 'intervals-people-'));
  const publicKeyFile = join(dir, 'signing_key.pub.pem');
  writeFileSync(publicKeyFile, await exportSPKI(pair.publicKey));
  return {
    dir,
    publicKeyFile,
    env: { AUTH_MODE: 'pomerium', POMERIUM_AUDIENCE: AUDIENCE, POMERIUM_PUBLIC_KEY_FILE: publicKeyFile },
    assertion(email) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ email, groups: [], sid: randomUUID(), jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k1' })
        .setIssuer(AUDIENCE)
        .setAudience(AUDIENCE)
        .setSubject(`sub-${email}`)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(key);
    },
  };
}

/** One JSON-RPC POST with chosen headers: status, headers and parsed body, for the refusal cases. */
export async function post(url: URL, headers: Record<string, string>, body: unknown = { jsonrpc: '2.0', id: 7, method: 'tools/list' }) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...MCP_HEADERS, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as { error?: { code: number; message: string }; result?: unknown },
  };
}

/** Every secret that occurs in `haystack` (raw and in its Basic-auth base64 form). */
export function leaked(haystack: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => haystack.includes(s) || haystack.includes(Buffer.from(`API_KEY:${s}`).toString('base64')));
}

/**
 * The stack behind `pomerium` (no default client: every test connects as someone), logging to
 * `logs`, with `credentials` choosing how a request's Intervals.icu credential is found.
 */
export function startBehindPomerium(
  pomerium: Pomerium,
  logs: CapturedLogs,
  credentials: Record<string, string>,
  fake: FakeOptions,
): Promise<Stack> {
  return startStack({ fake, env: { ...pomerium.env, ...credentials }, logger: logs.logger, noClient: true });
}

/** INTERVALS_CREDENTIALS=per-user reading `usersFile`, polled every 100 ms. */
export const perUserEnv = (usersFile: string) => ({ INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: usersFile, USERS_FILE_POLL_MS: '100' });

/** For afterAll: stop the stack (if it started) and remove the emulated Pomerium's folder. */
export async function stopBehindPomerium(stack: Stack | undefined, pomerium: Pomerium): Promise<void> {
  await stack?.close();
  rmSync(pomerium.dir, { recursive: true, force: true });
}
