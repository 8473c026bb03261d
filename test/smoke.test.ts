/**
 * scripts/smoke.sh against tiny local servers: one that refuses like intervals-mcp (403 JSON-RPC),
 * one that challenges like Pomerium (401 + resource_metadata), one that leaks data (200 + result).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/smoke.sh', import.meta.url));

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      const lines = stdout.trim().split('\n');
      resolve({ code, stdout, stderr, summary: lines[lines.length - 1] ?? '' });
    });
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: Handler): Promise<{ origin: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

/** Like intervals-mcp without an assertion: 403 JSON-RPC on /mcp, /healthz open. */
const forbiddenServer: Handler = (req, res) => {
  if (req.url === '/healthz') return json(res, 200, { status: 'ok' });
  json(res, 403, {
    jsonrpc: '2.0',
    error: { code: -32001, message: 'Forbidden: missing X-Pomerium-Jwt-Assertion' },
    id: null,
  });
};

describe.skipIf(!hasCurl)('scripts/smoke.sh', () => {
  it('passes against a server that answers 403 JSON-RPC', async () => {
    const { origin, seen } = await serve(forbiddenServer);
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(0);
    expect(r.summary).toMatch(/^smoke: PASS /);
    expect(r.summary).toContain('POST /mcp 403');
    expect(r.stdout).toContain('refused by intervals-mcp');
    expect(r.stdout).toMatch(/healthz -> 200/);
    expect(seen).toEqual(expect.arrayContaining(['POST /mcp', 'GET /mcp', 'GET /healthz']));
  });

  it('appends /mcp to a bare origin (with or without a trailing slash)', async () => {
    const { origin, seen } = await serve(forbiddenServer);
    expect((await run([origin])).code).toBe(0);
    expect((await run([`${origin}/`])).code).toBe(0);
    expect(seen.filter((s) => s === 'POST /mcp')).toHaveLength(2);
    expect(seen.some((s) => s.startsWith('POST //'))).toBe(false);
  });

  it('passes against a Pomerium-style 401 challenge and recognises it', async () => {
    const { origin } = await serve((req, res) => {
      res
        .writeHead(401, {
          'www-authenticate': `Bearer resource_metadata="${'https://intervals-mcp.example.com'}/.well-known/oauth-protected-resource/mcp"`,
          'content-type': 'text/plain',
        })
        .end('Unauthorized');
    });
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(0);
    expect(r.summary).toBe('smoke: PASS POST /mcp 401, GET /mcp 401, /healthz 401: no data without credentials');
    expect(r.stdout).toContain('Pomerium OAuth challenge');
  });

  it('passes on a 302 redirect to the login page', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(302, { location: 'https://auth.example.com/.pomerium/sign_in' }).end();
    });
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('redirect to https://auth.example.com/.pomerium/sign_in');
  });

  it('fails when the endpoint hands out data without credentials', async () => {
    const { origin } = await serve((_req, res) => {
      json(res, 200, {
        jsonrpc: '2.0',
        id: 1,
        result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'x', version: '1' } },
      });
    });
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.summary).toMatch(/^smoke: FAIL POST \/mcp 200/);
    expect(r.stdout).toContain('DATA RETURNED WITHOUT CREDENTIALS');
  });

  it('fails when a refusal still carries a result', async () => {
    const { origin } = await serve((_req, res) => json(res, 403, { jsonrpc: '2.0', id: 1, result: { tools: [] } }));
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.summary).toContain('body holds a JSON-RPC result');
  });

  it('fails on other statuses (e.g. 502 from the proxy)', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(502).end('Bad Gateway');
    });
    const r = await run([`${origin}/mcp`]);
    expect(r.code).toBe(1);
    expect(r.summary).toMatch(/^smoke: FAIL .*POST answered 502/);
  });

  it('fails when nothing answers', async () => {
    const { origin } = await serve(forbiddenServer);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const r = await run([`${origin}/mcp`], { SMOKE_TIMEOUT: '5' });
    expect(r.code).toBe(1);
    expect(r.summary).toMatch(/^smoke: FAIL .*no HTTP answer/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [[], ['not-a-url'], ['ftp://example.com/mcp'], ['http://a/mcp', 'extra']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^usage: /);
    }
  });
});
