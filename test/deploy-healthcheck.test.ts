/**
 * The health probes of docker-compose.yml and the Dockerfile, executed the way Docker runs them
 * (exec form: the argv after CMD, exit code 0 = healthy) against the real server, a server that is
 * not ready to answer 200, and a closed port. Compose's `$$` escapes are undone first, as compose
 * does; PORT is set as the image sets it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Stack, startStack } from './support/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const compose = parse(readFileSync(`${ROOT}docker-compose.yml`, 'utf8')) as {
  services: Record<string, { healthcheck?: { test?: string[] } }>;
};
const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');

/** ["CMD", argv...] from compose, with `$$` turned back into `$`. */
const composeProbe = (compose.services['intervals-mcp']?.healthcheck?.test ?? []).map((a) => a.replaceAll('$$', '$'));
/** "CMD" + the exec-form JSON array after HEALTHCHECK … CMD in the Dockerfile. */
const dockerfileProbe = [
  'CMD',
  ...(JSON.parse(/^HEALTHCHECK\b[^\n]*(?:\\\n[^\n]*)*?\bCMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[]),
];

function probe(argv: string[], port: number): Promise<number> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH, PORT: String(port) }, timeout: 10_000 }, (err) =>
      resolve(err ? (typeof err.code === 'number' ? err.code : -1) : 0),
    );
  });
}

let stack: Stack;
let notReady: Server;
let closedPort = 0;
beforeAll(async () => {
  stack = await startStack({ noClient: true });
  notReady = createServer((_req, res) => res.writeHead(503).end('draining'));
  await new Promise<void>((resolve) => notReady.listen(0, '127.0.0.1', resolve));
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => notReady?.close(resolve));
});

describe.each([
  ['docker-compose.yml', composeProbe],
  ['Dockerfile', dockerfileProbe],
])('the health probe in %s', (_file, test) => {
  it('is an exec-form bash probe of /healthz on $PORT', () => {
    expect(test[0]).toBe('CMD');
    expect(test[1]).toBe('bash');
    expect(test.join(' ')).toContain('/healthz');
    expect(test.join(' ')).toContain('${PORT:-8000}');
  });

  it('exits 0 against the real server', async () => {
    expect(await probe(test.slice(1), Number(new URL(stack.server.url).port))).toBe(0);
  });

  it('fails when the server answers anything but 200, or nothing listens', async () => {
    expect(await probe(test.slice(1), (notReady.address() as AddressInfo).port)).not.toBe(0);
    expect(await probe(test.slice(1), closedPort)).not.toBe(0);
  });
});
