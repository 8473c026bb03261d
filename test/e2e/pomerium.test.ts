/**
 * The deployed shape, minus Docker: the real server in AUTH_MODE=pomerium behind an emulated
 * Pomerium (an ES256 key pair; assertions signed like Pomerium's). An SDK client that sends a
 * correctly signed assertion calls tools; without one it gets 403, and scripts/smoke.sh says so.
 */

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type CryptoKey, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { call, type Stack, startStack } from '../support/harness.js';
import { type LogLine, logSink } from '../support/logs.js';
import { MCP_HEADERS } from '../support/raw-mcp.js';

const AUDIENCE = 'intervals-mcp.example.test';
const EMAIL = 'coach@example.test';
let stack: Stack;
let key: CryptoKey;
let dir: string;
const logLines: LogLine[] = [];

function assertion(email = EMAIL, overrides: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email, user: 'u-1', groups: [], sid: 's-1', jti: randomUUID(), ...overrides })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k1' })
    .setIssuer(AUDIENCE)
    .setAudience(AUDIENCE)
    .setSubject('u-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  dir = mkdtempSync(join(tmpdir(), 'pomerium-e2e-'));
  writeFileSync(join(dir, 'signing_key.pub.pem'), await exportSPKI(pair.publicKey));
  stack = await startStack({
    env: {
      AUTH_MODE: 'pomerium',
      POMERIUM_AUDIENCE: AUDIENCE,
      POMERIUM_PUBLIC_KEY_FILE: join(dir, 'signing_key.pub.pem'),
      ALLOWED_EMAILS: `${EMAIL},other@example.test`,
    },
    logger: createLogger('info', logSink(logLines)),
    noClient: true,
  });
});

afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('behind Pomerium', () => {
  it('a client with a correctly signed assertion calls tools, and the logs carry the verified email', async () => {
    const client = await stack.connect({ 'x-pomerium-jwt-assertion': await assertion() });
    const r = await call<{ activities: { rows: unknown[] } }>(client, 'list_activities', { limit: 5 });
    expect(r.activities.rows).toHaveLength(5);
    const toolLine = logLines.find((l) => l.msg === 'tool call' && l.tool === 'list_activities');
    expect(toolLine?.email).toBe(EMAIL);
    const requestLine = logLines.find((l) => l.msg === 'request completed' && l.email === EMAIL);
    expect(requestLine).toBeDefined();
    const all = JSON.stringify(logLines);
    expect(all).not.toContain('test-api-key');
    expect(all).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT in any log line
  });

  it('without an assertion the client cannot even initialize: 403, never 401', async () => {
    await expect(stack.connect()).rejects.toThrow(/Forbidden: missing X-Pomerium-Jwt-Assertion/);
    const res = await fetch(stack.mcpUrl, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBeNull();
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/X-Pomerium-Jwt-Assertion/);
  });

  it('refuses an email outside ALLOWED_EMAILS and a wrong audience', async () => {
    await expect(stack.connect({ 'x-pomerium-jwt-assertion': await assertion('intruder@example.test') })).rejects.toThrow(
      /Forbidden: .*ALLOWED_EMAILS/,
    );
    const wrongAud = await new SignJWT({ email: EMAIL })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('other.example.test')
      .setAudience('other.example.test')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    await expect(stack.connect({ 'x-pomerium-jwt-assertion': wrongAud })).rejects.toThrow(/Forbidden/);
  });

  it('every method on /mcp meets the assertion check first: GET, DELETE, PUT without one get 403, not 405', async () => {
    for (const method of ['GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS']) {
      const res = await fetch(stack.mcpUrl, { method, headers: { accept: 'application/json, text/event-stream' } });
      expect(res.status, method).toBe(403);
      expect(res.headers.get('allow'), method).toBeNull();
      expect(res.headers.get('www-authenticate'), method).toBeNull();
      if (method !== 'OPTIONS') {
        const body = (await res.json()) as { error: { code: number; message: string } };
        expect(body.error.code, method).toBe(-32001);
      }
    }
    // With a valid assertion the method check comes next: 405 and Allow: POST.
    const ok = await fetch(stack.mcpUrl, { method: 'GET', headers: { 'x-pomerium-jwt-assertion': await assertion() } });
    expect(ok.status).toBe(405);
    expect(ok.headers.get('allow')).toBe('POST');
  });

  it('scripts/smoke.sh --direct reports the 403 for a tokenless request', async () => {
    const { stdout } = await promisify(execFile)('bash', ['scripts/smoke.sh', '--direct', stack.mcpUrl.href], { timeout: 20_000 });
    expect(stdout).toMatch(/smoke: PASS/);
    expect(stdout).toMatch(/403/);
  });
});
