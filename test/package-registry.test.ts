/**
 * server.json, the MCP Registry entry: valid against the registry's published JSON schema
 * (vendored in schemas/mcp-registry/, checked against its recorded hash), and true to the rest of
 * the repository: the npm package name and version, the image the release workflow pushes, and
 * only environment variables the server reads.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const schemaText = read('schemas/mcp-registry/server.schema.json');
const schema = JSON.parse(schemaText) as { $id: string };
const server = JSON.parse(read('server.json')) as {
  $schema: string;
  name: string;
  version: string;
  repository: { url: string; source: string };
  packages: {
    registryType: string;
    identifier: string;
    version?: string;
    transport: { type: string; url?: string };
    environmentVariables?: { name: string; isSecret?: boolean; isRequired?: boolean }[];
  }[];
  remotes: { type: string; url: string }[];
};
const pkg = JSON.parse(read('package.json')) as { name: string; version: string; mcpName: string };

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

function validator() {
  // Strict mode stays on; the schema's documentation keyword `example` is declared as such.
  const ajv = new Ajv({ allErrors: true });
  ajv.addKeyword('example');
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('server.json', () => {
  it('is the vendored schema, unchanged, at the version the README beside it names', () => {
    const readme = read('schemas/mcp-registry/README.md');
    expect(readme).toContain(createHash('sha256').update(schemaText).digest('hex'));
    expect(readme).toContain(schema.$id);
    expect(server.$schema).toBe(schema.$id);
  });

  it('validates against the registry schema', () => {
    const validate = validator();
    const ok = validate(server);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check has teeth: a too-long description and a "latest" version are refused', () => {
    const validate = validator();
    expect(validate({ ...server, description: 'x'.repeat(101) })).toBe(false);
    const latest = structuredClone(server);
    latest.packages[0]!.version = 'latest';
    expect(validate(latest)).toBe(false);
  });

  it('describes the npm package over stdio, with the name, version and mcpName of package.json', () => {
    const npm = server.packages.find((p) => p.registryType === 'npm')!;
    expect(npm).toMatchObject({ identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(server.version).toBe(pkg.version);
    expect(server.name).toBe(pkg.mcpName);
    const key = npm.environmentVariables!.find((e) => e.name === 'INTERVALS_API_KEY');
    expect(key).toMatchObject({ isSecret: true, isRequired: true });
  });

  it('describes the image the release workflow pushes (ghcr.io/<owner>/<repo>:<version>) over streamable-http', () => {
    const oci = server.packages.find((p) => p.registryType === 'oci')!;
    const repo = new URL(server.repository.url).pathname.slice(1).toLowerCase();
    expect(oci.identifier).toBe(`ghcr.io/${repo}:${pkg.version}`);
    expect(oci.transport).toEqual({ type: 'streamable-http', url: 'http://127.0.0.1:8000/mcp' });
    expect(server.name).toBe(`io.github.${repo}`);
    const release = join(ROOT, '.github', 'workflows', 'release.yml');
    if (existsSync(release)) {
      const workflow = readFileSync(release, 'utf8');
      expect(workflow).toContain('IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}');
      expect(workflow).toContain('type=semver,pattern={{version}}');
    }
  });

  it('describes the remote form (streamable-http at /mcp behind Pomerium)', () => {
    expect(server.remotes).toEqual([expect.objectContaining({ type: 'streamable-http', url: 'https://{mcp_host}/mcp' })]);
  });

  it('names only environment variables the server reads (src/config.ts)', () => {
    const config = read('src/config.ts');
    const names = server.packages.flatMap((p) => (p.environmentVariables ?? []).map((e) => e.name));
    expect(names.length).toBeGreaterThan(5);
    for (const name of new Set(names)) expect(config, name).toMatch(new RegExp(`\\b${name}: `));
  });
});
