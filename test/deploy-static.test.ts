/**
 * Offline checks of the deployment files: no Docker engine or Pomerium binary is needed. They pin
 * the facts that break the connector silently when wrong (route shape, `server: {}` not null,
 * identity headers, Claude's CIMD domains, fixed secrets, no published MCP port) and keep
 * docker-compose.yml, pomerium/config.yaml, .env.example, README.md and src/config.ts consistent.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(ROOT + p, 'utf8');
const readOptional = (p: string) => (existsSync(ROOT + p) ? read(p) : undefined);

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of arbitrary shape, probed key by key
type Obj = Record<string, any>;

const composeText = read('docker-compose.yml');
const compose = parse(composeText) as Obj;
const pomeriumText = read('pomerium/config.yaml');
const pomerium = parse(pomeriumText) as Obj;
const dockerfile = read('Dockerfile');
const configSource = read('src/config.ts');

const mcpService = compose.services?.['intervals-mcp'] as Obj;
const pomeriumService = compose.services?.pomerium as Obj;
const route = ((pomerium.routes ?? []) as Obj[]).find((r) => String(r.to).includes('intervals-mcp')) as Obj;

/** Keys of the EnvSchema object in src/config.ts, i.e. every variable the server reads. */
function configEnvNames(): string[] {
  const start = configSource.indexOf('const EnvSchema');
  const end = configSource.indexOf('.superRefine', start);
  const block = configSource.slice(start, end > start ? end : undefined);
  return [...block.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s/gm)].map((m) => m[1]!);
}

/** The default PORT from src/config.ts (`PORT: z.coerce.number()….default(8000)`). */
function defaultPort(): number {
  const m = /^\s+PORT:.*\.default\((\d+)\)/m.exec(configSource);
  return Number(m?.[1]);
}

/** `${VAR}`, `${VAR:-x}`, `${VAR:?msg}` references; `required` = no default. */
function composeVars(): Map<string, { required: boolean }> {
  const vars = new Map<string, { required: boolean }>();
  for (const m of composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])[^}]*)?\}/g)) {
    const required = !m[2] || m[2].endsWith('?');
    const prev = vars.get(m[1]!);
    vars.set(m[1]!, { required: required || (prev?.required ?? false) });
  }
  return vars;
}

/** NAME=value lines of a dotenv file; `commented` for `# NAME=value`. */
function parseDotenv(text: string): Map<string, { value: string; commented: boolean }> {
  const vars = new Map<string, { value: string; commented: boolean }>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(#\s*)?(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[3]!.trim();
    if (/^["']/.test(value)) value = value.slice(1, value.indexOf(value[0]!, 1));
    else value = value.replace(/\s+#.*$/, '');
    const commented = Boolean(m[1]);
    const prev = vars.get(m[2]!);
    if (!prev || (prev.commented && !commented)) vars.set(m[2]!, { value, commented });
  }
  return vars;
}

/** Compose `environment:` as a map, whether written as a map or a list. */
function envOf(service: Obj): Record<string, string> {
  const env = service?.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e: string) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Secret names attached to a service (short or long syntax). */
function secretsOf(service: Obj): string[] {
  return ((service?.secrets ?? []) as Array<string | Obj>).map((s) => (typeof s === 'string' ? s : String(s.source)));
}

/** All `email` criteria values anywhere in a PPL policy. */
function policyEmails(policy: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'email') {
        const values = typeof v === 'string' ? [v] : Object.values(v as Obj).flat();
        out.push(...values.map((x) => String(x).toLowerCase()));
      } else walk(v);
    }
  };
  walk(policy);
  return out;
}

/** Compose durations: 1m30s, 20s, 500ms. */
function durationMs(v: string): number {
  let total = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)) {
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 }[m[2] as 'h']!;
  }
  return total;
}

/** Compose byte values: 256m, 1g, 300000k. */
function memoryBytes(v: string): number {
  const m = /^(\d+)([bkmg]?)b?$/i.exec(v.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as 'k']!;
}

/** Strings that look like key material rather than names, paths or references. */
function secretLookingValues(text: string): string[] {
  const hits: string[] = [];
  if (/-----BEGIN [A-Z ]*(PRIVATE|PUBLIC) KEY-----/.test(text)) hits.push('PEM block');
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{32,}={0,2}/g)) {
    const s = m[0];
    const looksRandom = /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s) && !s.includes('/');
    if (looksRandom) hits.push(`${s.slice(0, 6)}…`);
  }
  for (const m of text.matchAll(/\b[0-9a-f]{32,}\b/gi)) hits.push(`${m[0].slice(0, 6)}…`);
  return hits;
}

describe('pomerium/config.yaml', () => {
  it('has a route to intervals-mcp', () => {
    expect(route, 'a route whose `to` points at intervals-mcp').toBeTruthy();
  });

  it('routes from an https host, without path or port', () => {
    const from = new URL(String(route.from));
    expect(from.protocol).toBe('https:');
    expect(from.hostname).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
    expect(from.port).toBe('');
    expect(from.pathname).toBe('/');
  });

  it('sends traffic to the compose service on the server default port, without a path', () => {
    const port = defaultPort();
    expect(port).toBe(8000);
    expect(route.to).toBe(`http://intervals-mcp:${port}`);
    expect(compose.services).toHaveProperty('intervals-mcp');
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
  });

  it('marks the route as an MCP server route (`server: {}`, not null)', () => {
    expect(route.mcp).toBeTypeOf('object');
    expect(route.mcp.server).not.toBeNull();
    expect(route.mcp.server).toBeTypeOf('object');
    expect(route.mcp).not.toHaveProperty('client');
  });

  it('forwards the identity assertion', () => {
    expect(route.pass_identity_headers).toBe(true);
  });

  it('has an email policy and no public access', () => {
    expect(route.policy).toBeTruthy();
    expect(policyEmails(route.policy).length).toBeGreaterThan(0);
    for (const k of ['allow_public_unauthenticated_access', 'allow_any_authenticated_user']) {
      expect(route[k] ?? false, k).toBe(false);
    }
  });

  it("allowlists Claude's CIMD domains and keeps dynamic client registration off", () => {
    expect(pomerium.mcp_allowed_client_id_domains).toEqual(expect.arrayContaining(['claude.ai', 'claude.com']));
    expect(pomerium.runtime_flags?.mcp_dynamic_client_registration ?? false).toBe(false);
    expect(pomerium.runtime_flags?.mcp ?? true).toBe(true);
  });

  it('keeps the default jwt_issuer_format (iss = host name, as the server verifies)', () => {
    expect(pomerium.jwt_issuer_format ?? 'hostOnly').toBe('hostOnly');
    expect(route.jwt_issuer_format ?? 'hostOnly').toBe('hostOnly');
  });

  it('reads fixed secrets from /run/secrets files attached to the pomerium service', () => {
    const attached = secretsOf(pomeriumService);
    for (const key of ['shared_secret', 'cookie_secret', 'signing_key', 'idp_client_secret']) {
      expect(pomerium, `${key} must come from ${key}_file`).not.toHaveProperty(key);
      const file = String(pomerium[`${key}_file`]);
      expect(file).toMatch(/^\/run\/secrets\/[a-z0-9_]+$/);
      expect(attached).toContain(file.replace('/run/secrets/', ''));
    }
  });

  it('persists the databroker under /data', () => {
    expect(pomerium.databroker_storage_type).toBe('file');
    expect(String(pomerium.databroker_storage_connection_string)).toMatch(/^file:\/\/\/data\//);
  });

  it('does not log tool arguments or credentials', () => {
    const fields = (pomerium.authorize_log_fields ?? []) as string[];
    for (const f of ['mcp-tool-parameters', 'body', 'headers', 'id-token', 'id-token-claims']) {
      expect(fields).not.toContain(f);
    }
  });

  it('holds no inline secret values', () => {
    expect(secretLookingValues(pomeriumText)).toEqual([]);
    expect(pomerium.idp_client_secret).toBeUndefined();
  });
});

describe('docker-compose.yml: intervals-mcp', () => {
  it('is built from this repository and reads .env', () => {
    expect(mcpService.build === '.' || mcpService.build?.context === '.').toBe(true);
    expect([mcpService.env_file].flat().map((e: string | Obj) => (typeof e === 'string' ? e : e.path))).toContain('.env');
  });

  it('exposes 8000 to the compose network only (no published ports)', () => {
    expect((mcpService.expose as unknown[]).map(String)).toContain('8000');
    expect(mcpService.ports).toBeUndefined();
  });

  it('runs in pomerium mode with the assertion settings', () => {
    const env = envOf(mcpService);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.AUTH_MODE).toBe('pomerium');
    expect(env.POMERIUM_AUDIENCE).toMatch(/^\$\{MCP_HOST[:}?]/);
    expect(env.POMERIUM_PUBLIC_KEY_FILE).toMatch(/^\/run\/secrets\//);
    expect(secretsOf(mcpService)).toContain(env.POMERIUM_PUBLIC_KEY_FILE!.replace('/run/secrets/', ''));
    expect(env.ALLOWED_HOSTS!.split(',').map((h) => h.trim())).toEqual(expect.arrayContaining(['intervals-mcp', '${MCP_HOST}']));
    if (env.INTERVALS_API_KEY_FILE) {
      expect(secretsOf(mcpService)).toContain(env.INTERVALS_API_KEY_FILE.replace('/run/secrets/', ''));
    }
  });

  it('has a health check on /healthz and a restart policy', () => {
    expect(JSON.stringify(mcpService.healthcheck?.test)).toContain('/healthz');
    expect(['unless-stopped', 'always', 'on-failure']).toContain(mcpService.restart);
  });

  it('is built here by default (pull_policy build), or pulls a released image when .env says so', () => {
    const defaultOf = (v: unknown) => /^\$\{[A-Z_]+:-([^}]+)\}$/.exec(String(v))?.[1] ?? String(v);
    expect(defaultOf(mcpService.pull_policy)).toBe('build');
    expect(defaultOf(mcpService.image)).toBe('intervals-mcp:local');
    expect(String(mcpService.pull_policy)).toMatch(/^\$\{INTERVALS_MCP_PULL_POLICY:-build\}$/);
    expect(String(mcpService.image)).toMatch(/^\$\{INTERVALS_MCP_IMAGE:-/);
  });

  it('gives the server longer to stop than its drain takes', () => {
    const drainMs = loadConfig({ INTERVALS_API_KEY: 'k' }).http.drainMs;
    const env = envOf(mcpService);
    const configured = env.SHUTDOWN_DRAIN_MS ? Number(env.SHUTDOWN_DRAIN_MS) : drainMs;
    const grace = durationMs(String(mcpService.stop_grace_period ?? '10s'));
    expect(grace, `stop_grace_period ${mcpService.stop_grace_period} vs drain ${configured} ms`).toBeGreaterThanOrEqual(configured + 5_000);
  });

  it('keeps the health probe out of Node: no second runtime inside mem_limit', () => {
    const test = (mcpService.healthcheck?.test ?? []) as string[];
    expect(test.slice(0, 2)).toEqual(['CMD', 'bash']);
    expect(test).not.toContain('node');
    expect(memoryBytes(String(mcpService.mem_limit))).toBeGreaterThanOrEqual(256 * 1024 * 1024);
  });

  it('is hardened: read-only root, tmpfs /tmp, no capabilities, no-new-privileges, memory limit, init', () => {
    expect(mcpService.read_only).toBe(true);
    expect(JSON.stringify(mcpService.tmpfs ?? [])).toContain('/tmp');
    expect(mcpService.cap_drop).toContain('ALL');
    expect(mcpService.security_opt).toContain('no-new-privileges:true');
    expect(mcpService.mem_limit ?? mcpService.deploy?.resources?.limits?.memory).toBeTruthy();
    expect(mcpService.init).toBe(true);
  });
});

describe('docker-compose.yml: pomerium', () => {
  it('uses a pinned v0.33.x image', () => {
    expect(pomeriumService.image).toMatch(/^pomerium\/pomerium:v0\.33\.\d+$/);
  });

  it('publishes 443 and 80', () => {
    const ports = (pomeriumService.ports as unknown[]).map(String);
    expect(ports).toEqual(expect.arrayContaining(['443:443', '80:80']));
  });

  it('mounts the pomerium/ directory read-only (so edits that replace config.yaml are seen) and a named volume on /data', () => {
    const volumes = (pomeriumService.volumes as unknown[]).map(String);
    // A single-file bind mount pins the file's inode: an editor that writes a new file and renames it
    // over config.yaml (vim, sed -i, most IDEs) leaves Pomerium on the old policy, so a revocation
    // would silently do nothing. The directory mount shows the container the current file.
    expect(volumes).toContain('./pomerium:/pomerium:ro');
    expect(volumes.some((v) => v.includes('config.yaml'))).toBe(false);
    expect(existsSync(`${ROOT}pomerium/config.yaml`)).toBe(true);
    const data = volumes.find((v) => v.split(':')[1] === '/data');
    expect(data, 'a volume mounted at /data').toBeTruthy();
    expect(compose.volumes).toHaveProperty(data!.split(':')[0]!);
  });

  it('starts after intervals-mcp is healthy and restarts', () => {
    expect(pomeriumService.depends_on?.['intervals-mcp']?.condition).toBe('service_healthy');
    expect(['unless-stopped', 'always', 'on-failure']).toContain(pomeriumService.restart);
    expect(pomeriumService.healthcheck?.test).toEqual(expect.arrayContaining(['pomerium', 'health']));
  });

  it('gets deployment-specific settings from the environment, secrets from files', () => {
    const env = envOf(pomeriumService);
    expect(env.AUTHENTICATE_SERVICE_URL).toMatch(/^https:\/\/\$\{AUTH_HOST[:}?]/);
    for (const k of ['IDP_PROVIDER', 'IDP_CLIENT_ID']) expect(env[k], k).toMatch(/^\$\{/);
    for (const k of Object.keys(env)) expect(k).not.toMatch(/SECRET$|^SIGNING_KEY$|^SHARED_SECRET$|^COOKIE_SECRET$/);
  });
});

describe('docker-compose.yml: secrets', () => {
  it('defines every secret as a file under ./secrets/', () => {
    const secrets = compose.secrets as Record<string, Obj>;
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(5);
    for (const [name, def] of Object.entries(secrets)) {
      expect(String(def.file), name).toMatch(/^\.\/secrets\/[\w.-]+$/);
      expect(def, name).not.toHaveProperty('environment');
    }
    for (const name of [...secretsOf(mcpService), ...secretsOf(pomeriumService)]) {
      expect(secrets, name).toHaveProperty(name);
    }
  });

  it('has no inline secret values', () => {
    expect(secretLookingValues(composeText)).toEqual([]);
    for (const service of Object.values(compose.services as Record<string, Obj>)) {
      for (const [k, v] of Object.entries(envOf(service))) {
        if (/SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE/.test(k) && !k.endsWith('_FILE')) {
          expect(v, `${k} must be a \${VAR} reference or a *_FILE secret`).toMatch(/^\$\{[A-Z0-9_]+[^}]*\}$/);
        }
      }
    }
  });
});

describe('.env.example and README.md', () => {
  const envExample = readOptional('.env.example');
  const dotenv = parseDotenv(envExample ?? '');

  const absent = envExample === undefined ? ' (.env.example does not exist)' : '';

  it('lists every ${VAR} that docker-compose.yml references', () => {
    const missing = [...composeVars()]
      .filter(([name, { required }]) => {
        const entry = dotenv.get(name);
        return !entry || (required && entry.commented);
      })
      .map(([name]) => name);
    expect(missing, `missing (or commented out although required) in .env.example${absent}: ${missing.join(', ')}`).toEqual([]);
  });

  it('lists every variable src/config.ts reads', () => {
    const names = configEnvNames();
    expect(names).toEqual(expect.arrayContaining(['AUTH_MODE', 'INTERVALS_API_KEY', 'PORT', 'POMERIUM_AUDIENCE']));
    expect(names.length).toBeGreaterThanOrEqual(10);
    const missing = names.filter((n) => !dotenv.has(n));
    expect(missing, `missing in .env.example${absent}: ${missing.join(', ')}`).toEqual([]);
  });

  it('documents every variable src/config.ts reads in README.md', () => {
    const readme = readOptional('README.md');
    expect(readme, 'README.md must exist').toBeDefined();
    const missing = configEnvNames().filter((n) => !new RegExp(`\\b${n}\\b`).test(readme!));
    expect(missing, `not mentioned in README.md: ${missing.join(', ')}`).toEqual([]);
  });

  it('uses the same host and emails as pomerium/config.yaml', () => {
    const host = new URL(String(route.from)).hostname;
    expect(dotenv.get('MCP_HOST')?.value, `MCP_HOST in .env.example${absent} = the route \`from\` host`).toBe(host);
    expect(dotenv.get('AUTH_HOST')?.value).not.toBe(host);
    const emails = (dotenv.get('ALLOWED_EMAILS')?.value ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
    if (emails.length > 0) expect([...emails].sort()).toEqual([...new Set(policyEmails(route.policy))].sort());
  });
});

describe('README: Deploy on a homelab', () => {
  it('names every compose variable and the exact connector URL shape', () => {
    const doc = read('README.md');
    for (const name of composeVars().keys()) expect(doc, name).toContain(name);
    expect(doc).toContain('https://intervals-mcp.example.com/mcp');
    expect(doc).toContain('```mermaid');
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1] ?? '';

  it('is multi-stage on Node 24', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/^node:24([-.@]|$)/);
  });

  it('builds with npm ci + npm run build and ships dist/ plus what it needs at run time', () => {
    expect(stages[0]).toMatch(/^RUN npm ci\b/m);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
    const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string> };
    if (Object.keys(pkg.dependencies ?? {}).length > 0) {
      // Runtime dependencies outside the bundle: install them, without devDependencies or scripts.
      expect(final).toMatch(/^RUN npm ci\b.*--omit=dev/m);
    } else {
      // Everything is bundled into dist/: no node_modules in the image at all.
      expect(final).not.toMatch(/^RUN .*npm (ci|install)\b/m);
    }
    expect(final).toMatch(/^COPY package\.json /m);
    expect(final).toMatch(/^COPY --from=\S+ \S*dist/m);
    expect(final).not.toMatch(/^COPY \. /m);
    expect(final).not.toMatch(/^COPY .*\bsrc\b/m);
  });

  it('runs as a non-root user with the server defaults', () => {
    const user = /^USER\s+(\S+)/m.exec(final)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(final).toMatch(/HOST=0\.0\.0\.0/);
    expect(final).toMatch(/PORT=8000/);
    expect(final).toMatch(/NODE_ENV=production/);
    expect(final).toMatch(/^EXPOSE 8000$/m);
  });

  it('has a health check, SIGTERM stop signal and an exec-form node CMD', () => {
    expect(final).toMatch(/^HEALTHCHECK\b[\s\S]*\/healthz/m);
    expect(final).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(final).toMatch(/^CMD \["node", "dist\/[\w/.-]+\.js"\]$/m);
  });

  it('pins every base image by the digest of node:24-bookworm-slim, tag kept for readers and Dependabot', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    for (const f of froms) expect(f).toMatch(/^node:24-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(new Set(froms).size, 'build and runtime on the same base').toBe(1);
  });

  it('does not download a second Node runtime in the build stage', () => {
    // The `node` devDependency installs a Node binary from its preinstall script; the image has Node.
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    if (lock.packages['node_modules/node']?.hasInstallScript) {
      const install = /^RUN npm ci\b.*$/m.exec(stages[0]!)?.[0] ?? '';
      expect(install, 'the build stage must skip install scripts').toMatch(/--ignore-scripts\b/);
    }
    for (const line of final.match(/^RUN npm ci\b.*$/gm) ?? [])
      expect(line).toMatch(/--omit=dev\b.*--ignore-scripts|--ignore-scripts\b.*--omit=dev/);
  });

  it('carries OCI labels that match package.json', () => {
    const pkg = JSON.parse(read('package.json')) as { name: string; license: string };
    const label = (key: string) => new RegExp(`org\\.opencontainers\\.image\\.${key}="([^"]*)"`).exec(final)?.[1];
    expect(label('title')).toBe(pkg.name);
    expect(label('licenses')).toBe(pkg.license);
    expect(label('description')).toBeTruthy();
    expect(label('version')).toBe('${VERSION}');
    expect(label('revision')).toBe('${REVISION}');
  });

  it('starts the same file as `npm start`', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const startFile = /^node (\S+\.js)$/.exec(pkg.scripts.start ?? '')?.[1];
    expect(startFile, 'npm start is `node <file>.js`').toBeDefined();
    expect(final).toContain(`CMD ["node", "${startFile}"]`);
  });

  it('.dockerignore keeps dependencies and credentials out of the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env', 'secrets']));
  });

  it('.dockerignore keeps every file `npm run build` reads in the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    // The build script and every `npm run X` it calls, then the repository paths they name.
    const scripts: string[] = [];
    const visit = (name: string) => {
      const body = pkg.scripts[name];
      if (!body || scripts.includes(body)) return;
      scripts.push(body);
      for (const m of body.matchAll(/npm run ([\w:.-]+)/g)) visit(m[1]!);
    };
    visit('build');
    const paths = scripts
      .flatMap((b) => b.split(/[\s&|;]+/))
      .filter((t) => /^[\w.-]+(\/[\w.-]+)*$/.test(t) && (t.includes('/') || /\.(ts|mjs|js|json)$/.test(t)))
      .filter((t) => existsSync(ROOT + t));
    expect(paths.length).toBeGreaterThan(0);
    const globToRe = (g: string) =>
      new RegExp(
        `^${g
          .replace(/[.+^$()|[\]\\]/g, '\\$&')
          .replace(/\*\*\//g, '(.*/)?')
          .replace(/\*/g, '[^/]*')}(/|$)`,
      );
    for (const p of paths) {
      for (const g of ignored) expect(globToRe(g).test(p), `${p} is excluded by .dockerignore "${g}"`).toBe(false);
    }
  });
});

describe('scripts/smoke.sh', () => {
  it('is executable and strict', () => {
    expect(statSync(`${ROOT}scripts/smoke.sh`).mode & 0o111).not.toBe(0);
    expect(read('scripts/smoke.sh')).toMatch(/^set -euo pipefail$/m);
  });
});
