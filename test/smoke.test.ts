/**
 * scripts/smoke.sh against loopback stand-ins, each answering as the real thing does:
 *  - https stand-ins (self-signed certificate made at test time) that answer like Pomerium v0.33 for
 *    an MCP route (401 + `WWW-Authenticate: Bearer resource_metadata=…`, protected-resource and
 *    authorization-server metadata as internal/mcp/handler_metadata.go writes them), for a route whose
 *    `server:` parsed as null (302 to sign-in), a 401 without resource_metadata, and for open routes
 *    (JSON and SSE answers with data), plus older-Pomerium metadata variants;
 *  - the real intervals-mcp server (the e2e stack) in both auth modes for --direct.
 * Each must get the right verdict and exit code.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/harness.js';

const SCRIPT = fileURLToPath(new URL('../scripts/smoke.sh', import.meta.url));

const available = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
// Skipped only on a developer's machine without curl/openssl; in CI (which installs them) a missing tool fails.
const hasTools = (available('curl', ['--version']) && available('openssl', ['version'])) || !!process.env.CI;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
  summary: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = { SMOKE_INSECURE: '1' }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [SCRIPT, ...args],
      { env: { PATH: process.env.PATH, SMOKE_TIMEOUT: '5', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        const lines = stdout.trim().split('\n');
        resolve({ code, stdout, stderr, lines, summary: lines[lines.length - 1] ?? '' });
      },
    );
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse, origin: string) => void;

let tls: { key: string; cert: string };
let tmp = '';
const servers: Server[] = [];

beforeAll(() => {
  if (!hasTools) return;
  tmp = mkdtempSync(join(tmpdir(), 'smoke-test-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(tmp, 'key.pem'),
      '-out',
      join(tmp, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  tls = { key: readFileSync(join(tmp, 'key.pem'), 'utf8'), cert: readFileSync(join(tmp, 'cert.pem'), 'utf8') };
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** An https (default) or http stand-in on loopback; `seen` records "METHOD path" per request. */
async function serve(handler: Handler, { https = true } = {}): Promise<{ origin: string; seen: string[] }> {
  const seen: string[] = [];
  let origin = '';
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res, origin));
  };
  const server = https ? createHttpsServer(tls, listener) : createHttpServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `${https ? 'https' : 'http'}://127.0.0.1:${port}`;
  return { origin, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'WWW-Authenticate, MCP-Session-Id',
};

/** Pomerium's answers on an MCP server route (`mcp: server: {}`), v0.33. */
function pomeriumMcpRoute(
  opts: { resource?: (origin: string) => string; asMetadata?: (origin: string) => Record<string, unknown>; pretty?: boolean } = {},
): Handler {
  return (req, res, origin) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json', ...CORS }).end(JSON.stringify(body, null, opts.pretty ? 2 : 0));
    if (req.method === 'GET' && path.startsWith('/.well-known/oauth-protected-resource')) {
      const resourcePath = path.slice('/.well-known/oauth-protected-resource'.length);
      return send({
        resource: opts.resource ? opts.resource(origin) : `${origin}${resourcePath}`,
        authorization_servers: [origin],
        bearer_methods_supported: ['header'],
        resource_name: 'Pomerium',
      });
    }
    if (req.method === 'GET' && path === '/.well-known/oauth-authorization-server') {
      return send(
        opts.asMetadata?.(origin) ?? {
          issuer: origin,
          authorization_endpoint: `${origin}/.pomerium/mcp/authorize`,
          token_endpoint: `${origin}/.pomerium/mcp/token`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
          revocation_endpoint: `${origin}/.pomerium/mcp/revoke`,
          revocation_endpoint_auth_methods_supported: ['client_secret_post'],
          client_id_metadata_document_supported: true,
          authorization_response_iss_parameter_supported: true,
        },
      );
    }
    // No token: never a redirect on an MCP route, a 401 naming the metadata for this path.
    res
      .writeHead(401, 'Unauthorized', {
        'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource${path}"`,
        'content-type': 'text/plain; charset=utf-8',
        ...CORS,
      })
      .end('Unauthorized\n');
  };
}

/** A route without `mcp.server` (e.g. `server:` parsed as null): browsers and curl go to sign-in. */
const nullServerRoute: Handler = (_req, res) => {
  res.writeHead(302, { location: 'https://auth.example.com/.pomerium/sign_in?pomerium_redirect_uri=x' }).end();
};

const INIT_RESULT = {
  jsonrpc: '2.0',
  id: 1,
  result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'intervals-mcp', version: '0.1.0' } },
};

describe.skipIf(!hasTools)('scripts/smoke.sh through Pomerium (https)', () => {
  it('passes on an MCP route and checks what Claude checks', async () => {
    const { origin, seen } = await serve(pomeriumMcpRoute());
    const r = await run([`${origin}/mcp`]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.summary).toBe(`smoke: PASS 3 of 3 checks: no data without login, and Claude can start OAuth for ${origin}/mcp`);
    expect(r.stdout).toContain('ok   POST /mcp without a token -> 401 with WWW-Authenticate resource_metadata');
    expect(r.stdout).toContain(`resource = ${origin}/mcp`);
    expect(r.stdout).toContain('client_id_metadata_document_supported, "none" accepted');
    expect(seen).toEqual(
      expect.arrayContaining(['POST /mcp', 'GET /.well-known/oauth-protected-resource/mcp', 'GET /.well-known/oauth-authorization-server']),
    );
  });

  it("prints exactly the README's expected output (step 7), host aside", async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const lines = readme.slice(readme.indexOf('### 7. Smoke test')).split('\n');
    let expected: string | undefined;
    for (let i = 0, open = -1; i < lines.length && expected === undefined; i++) {
      if (!lines[i]!.startsWith('```')) continue;
      if (open < 0) open = i;
      else {
        if (lines[open] === '```') expected = lines.slice(open + 1, i).join('\n');
        open = -1;
      }
    }
    expect(expected, 'a plain ``` block with the expected output in README step 7').toBeDefined();
    const { origin } = await serve(pomeriumMcpRoute());
    const r = await run([`${origin}/mcp`]);
    expect(r.stdout.trimEnd()).toBe(expected!.replaceAll('https://intervals-mcp.example.com', origin));
  });

  it('accepts pretty-printed metadata, a bare origin and a trailing slash', async () => {
    const { origin, seen } = await serve(pomeriumMcpRoute({ pretty: true }));
    expect((await run([origin])).code).toBe(0);
    expect((await run([`${origin}/mcp/`])).code).toBe(0);
    expect(seen.filter((s) => s === 'POST /mcp')).toHaveLength(2);
  });

  it('fails on a 302 to sign-in (the route has no `mcp: server: {}`)', async () => {
    const { origin } = await serve(nullServerRoute);
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL POST \/mcp without a token -> 302 \(redirect to https:\/\/auth\.example\.com/m);
    expect(r.stdout).toContain('the route has no `mcp: server: {}` (it parsed as null?)');
    expect(r.stdout).toMatch(/^skip protected resource metadata/m);
    expect(r.summary).toMatch(/^smoke: FAIL 1 of 3 checks failed, 2 skipped: 302 redirect: the route has no/);
  });

  it('fails on a 401 without resource_metadata', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="pomerium"', 'content-type': 'text/plain' }).end('Unauthorized');
    });
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('without resource_metadata in WWW-Authenticate: the route has no `mcp: server: {}` (it parsed as null?)');
    expect(r.summary).toMatch(/^smoke: FAIL /);
  });

  it('fails on an open route answering JSON with data', async () => {
    const { origin } = await serve((_req, res) => json(res, 200, INIT_RESULT));
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('-> 200 with DATA: the endpoint hands out data without login');
    expect(r.summary).toMatch(/^smoke: FAIL .*data without credentials/);
  });

  it('fails on an open route answering SSE with data', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`event: message\ndata: ${JSON.stringify(INIT_RESULT)}\n\n`);
    });
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('with DATA');
  });

  it('fails when a request reaches the server without the challenge (403 from intervals-mcp)', async () => {
    const { origin } = await serve((_req, res) =>
      json(res, 403, { jsonrpc: '2.0', error: { code: -32001, message: 'Forbidden: missing X-Pomerium-Jwt-Assertion' }, id: null }),
    );
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the request reached a server without Pomerium');
    expect(r.summary).toContain('403 instead of the 401 challenge');
  });

  it('fails when the metadata resource is not the connector URL (Pomerium before v0.32.5)', async () => {
    const { origin } = await serve(pomeriumMcpRoute({ resource: (o) => o }));
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`resource is '${origin}', not the connector URL ${origin}/mcp`);
    expect(r.summary).toBe('smoke: FAIL 1 of 3 checks failed: resource != connector URL');
  });

  it('fails when the authorization server does not offer CIMD or the "none" method', async () => {
    const noCimd = await serve(
      pomeriumMcpRoute({
        asMetadata: (o) => ({
          issuer: o,
          registration_endpoint: `${o}/.pomerium/mcp/register`,
          token_endpoint_auth_methods_supported: ['none'],
        }),
      }),
    );
    const r1 = await run([`${noCimd.origin}/mcp`]);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toContain('client_id_metadata_document_supported is not true');

    const noNone = await serve(
      pomeriumMcpRoute({
        asMetadata: (o) => ({
          issuer: o,
          client_id_metadata_document_supported: true,
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        }),
      }),
    );
    const r2 = await run([`${noNone.origin}/mcp`]);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain('"none" missing from token_endpoint_auth_methods_supported');
  });

  it('fails on an untrusted certificate unless SMOKE_INSECURE=1, and says so', async () => {
    const { origin } = await serve(pomeriumMcpRoute());
    const r = await run([`${origin}/mcp`], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('SMOKE_INSECURE=1 skips verification');
    expect(r.summary).toMatch(/^smoke: FAIL .*no answer from https:\/\/127\.0\.0\.1:/);
  });

  it('gives up after SMOKE_TIMEOUT seconds on a proxy that never answers', async () => {
    const { origin } = await serve(() => {
      /* accept, read, never answer */
    });
    const r = await run([`${origin}/mcp`], { SMOKE_INSECURE: '1', SMOKE_TIMEOUT: '1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL POST \/mcp -> no answer: .*(timed out|Timeout)/im);
  });

  it('fails when nothing answers', async () => {
    const { origin } = await serve(nullServerRoute);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL POST \/mcp -> no answer: /m);
  });

  it('exits 2 on usage errors, including http without --direct', async () => {
    for (const args of [[], ['not-a-url'], ['ftp://example.com/mcp'], ['https://a/mcp', 'extra'], ['http://127.0.0.1:9/mcp']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^usage: /m);
    }
  });
});

describe.skipIf(!hasTools)('scripts/smoke.sh --direct against the real server', () => {
  let pomeriumMode: Stack;
  let openMode: Stack;
  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const dir = mkdtempSync(join(tmpdir(), 'smoke-direct-'));
    writeFileSync(join(dir, 'signing_key.pub.pem'), await exportSPKI(publicKey));
    pomeriumMode = await startStack({
      noClient: true,
      env: {
        AUTH_MODE: 'pomerium',
        POMERIUM_AUDIENCE: 'intervals-mcp.example.com',
        POMERIUM_PUBLIC_KEY_FILE: join(dir, 'signing_key.pub.pem'),
      },
    });
    openMode = await startStack({ noClient: true });
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await pomeriumMode?.close();
    await openMode?.close();
  });

  it('passes on AUTH_MODE=pomerium: healthz 200, tokenless POST 403', async () => {
    const r = await run(['--direct', pomeriumMode.mcpUrl.href]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('ok   GET /healthz -> 200');
    expect(r.stdout).toContain('-> 403 (AUTH_MODE=pomerium refuses requests without a verified assertion)');
    expect(r.summary).toMatch(/^smoke: PASS 2 of 2 checks/);
  });

  it('fails on AUTH_MODE=none: the server hands out data without credentials', async () => {
    const r = await run(['--direct', openMode.mcpUrl.href]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('with DATA: the server answers without authentication (AUTH_MODE=none)');
    expect(r.summary).toMatch(/^smoke: FAIL 1 of 2 checks failed: data without credentials/);
  });

  it('fails on a server that answers 401 (Pomerium would start upstream OAuth)', async () => {
    const { origin } = await serve((req, res) => (req.url === '/healthz' ? json(res, 200, { status: 'ok' }) : res.writeHead(401).end()), {
      https: false,
    });
    const r = await run(['--direct', `${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('must never answer 401');
  });
});
