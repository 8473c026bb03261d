import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type Config, ConfigError, isLoopback, loadConfig, withoutServerSettings } from './config.js';

const KEY = 'zzz-config-secret-key';
const base = { INTERVALS_API_KEY: KEY };

/** Run loadConfig expecting a ConfigError; returns its message. */
function configError(env: Record<string, string | undefined>): string {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected loadConfig to throw').toBeInstanceOf(ConfigError);
  const msg = (caught as ConfigError).message;
  expect(msg).not.toContain(KEY);
  expect(JSON.stringify(caught)).not.toContain(KEY);
  return msg;
}

const tmp = mkdtempSync(join(tmpdir(), 'intervals-mcp-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('loadConfig defaults', () => {
  it('fills every default from just an API key', () => {
    const c = loadConfig(base);
    expect(c.intervals).toEqual({
      apiKey: KEY,
      baseUrl: 'https://intervals.icu',
      athleteId: '0',
      athleteIds: ['0'],
      timeoutMs: 30_000,
      limits: {
        ratePerSec: 10,
        burst: 10,
        maxConcurrent: 8,
        maxQueue: 200,
        maxWaitMs: 20_000,
        maxResponseBytes: 4 * 1024 * 1024,
        cacheTtlMs: 5_000,
        gzip: true,
      },
    });
    expect(c.http).toEqual({
      host: '127.0.0.1',
      port: 8000,
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      allowedOrigins: [],
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 512,
      drainMs: 8_000,
      readinessCacheMs: 60_000,
    });
    expect(c.logLevel).toBe('info');
    expect(c.auth).toEqual({ mode: 'none', allowUnauthenticated: false });
    expect(c.readOnly).toBe(false);
  });

  it('reads only the map it is given, not process.env', () => {
    vi.stubEnv('PORT', '1234');
    vi.stubEnv('LOG_LEVEL', 'debug');
    const c = loadConfig(base);
    expect(c.http.port).toBe(8000);
    expect(c.logLevel).toBe('info');
  });

  it('parses explicit values', () => {
    const c = loadConfig({
      ...base,
      INTERVALS_ATHLETE_ID: 'i12345',
      INTERVALS_BASE_URL: 'http://localhost:9999',
      INTERVALS_TIMEOUT_MS: '5000',
      HOST: '::1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      READ_ONLY: 'yes',
      ALLOWED_ORIGINS: 'https://claude.ai, https://example.com',
    });
    expect(c.intervals.athleteId).toBe('i12345');
    expect(c.intervals.baseUrl).toBe('http://localhost:9999');
    expect(c.intervals.timeoutMs).toBe(5_000);
    expect(c.http.host).toBe('::1');
    expect(c.http.port).toBe(0);
    expect(c.logLevel).toBe('debug');
    expect(c.readOnly).toBe(true);
    expect(c.http.allowedOrigins).toEqual(['https://claude.ai', 'https://example.com']);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('accepts READ_ONLY=%s as %s', (v, want) => {
    expect(loadConfig({ ...base, READ_ONLY: v }).readOnly).toBe(want);
  });

  it('refuses INTERVALS_BASE_URL with credentials in it, without echoing them', () => {
    const msg = configError({ ...base, INTERVALS_BASE_URL: 'https://API_KEY:hunter2@intervals.icu' });
    expect(msg).toMatch(/INTERVALS_BASE_URL must not contain a user name or password/);
    expect(msg).not.toContain('hunter2');
  });

  it('strips trailing slashes from INTERVALS_BASE_URL', () => {
    expect(loadConfig({ ...base, INTERVALS_BASE_URL: 'https://intervals.test/' }).intervals.baseUrl).toBe('https://intervals.test');
    expect(loadConfig({ ...base, INTERVALS_BASE_URL: 'https://intervals.test///' }).intervals.baseUrl).toBe('https://intervals.test');
  });

  it('trims the API key', () => {
    expect(loadConfig({ INTERVALS_API_KEY: `  ${KEY}\n` }).intervals.apiKey).toBe(KEY);
  });
});

describe('the API key', () => {
  it('is required: the error names INTERVALS_API_KEY', () => {
    const msg = configError({});
    expect(msg).toContain('INTERVALS_API_KEY');
    expect(msg).toMatch(/required/);
  });

  it('rejects a whitespace-only key', () => {
    expect(configError({ INTERVALS_API_KEY: '   ' })).toContain('INTERVALS_API_KEY');
  });

  it('is read from INTERVALS_API_KEY_FILE, trimmed', () => {
    const file = join(tmp, 'key');
    writeFileSync(file, '  file-key-456\n');
    const c = loadConfig({ INTERVALS_API_KEY_FILE: file });
    expect(c.intervals.apiKey).toBe('file-key-456');
  });

  it('prefers INTERVALS_API_KEY over INTERVALS_API_KEY_FILE', () => {
    const file = join(tmp, 'key2');
    writeFileSync(file, 'from-file');
    expect(loadConfig({ ...base, INTERVALS_API_KEY_FILE: file }).intervals.apiKey).toBe(KEY);
  });

  it('reports an unreadable INTERVALS_API_KEY_FILE by name and error code', () => {
    const msg = configError({ INTERVALS_API_KEY_FILE: join(tmp, 'does-not-exist') });
    expect(msg).toContain('INTERVALS_API_KEY_FILE');
    expect(msg).toContain('ENOENT');
  });

  it('reports an empty INTERVALS_API_KEY_FILE', () => {
    const file = join(tmp, 'empty');
    writeFileSync(file, '\n  \n');
    const msg = configError({ INTERVALS_API_KEY_FILE: file });
    expect(msg).toContain('INTERVALS_API_KEY_FILE');
    expect(msg).toMatch(/empty/);
  });

  it('never appears in an error message, whatever else is wrong', () => {
    const envs: Record<string, string>[] = [
      { ...base, PORT: 'notaport' },
      { ...base, PORT: KEY },
      { ...base, LOG_LEVEL: 'loud' },
      { ...base, INTERVALS_BASE_URL: 'not a url' },
      { ...base, INTERVALS_ATHLETE_ID: 'bob' },
      { ...base, HOST: '0.0.0.0' },
      { ...base, AUTH_MODE: 'pomerium' },
      { ...base, READ_ONLY: 'perhaps', INTERVALS_TIMEOUT_MS: '1' },
      { INTERVALS_API_KEY: `  ${KEY}  `, PORT: '-1' },
    ];
    for (const env of envs) {
      const msg = configError(env);
      expect(msg).toMatch(/^invalid configuration: /);
    }
  });
});

describe('invalid values name the variable', () => {
  it.each([
    ['PORT', 'notaport'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'verbose'],
    ['INTERVALS_BASE_URL', 'not a url'],
    ['INTERVALS_BASE_URL', 'ftp://intervals.icu'],
    ['INTERVALS_ATHLETE_ID', 'bob'],
    ['INTERVALS_ATHLETE_ID', 'i12x'],
    ['INTERVALS_ATHLETE_IDS', 'i2,bob'],
    ['INTERVALS_TIMEOUT_MS', '500'],
    ['AUTH_MODE', 'basic'],
    ['READ_ONLY', 'perhaps'],
    ['ALLOW_UNAUTHENTICATED', 'maybe'],
    ['POMERIUM_JWKS_URL', 'not a url'],
  ])('%s=%s', (name, value) => {
    const msg = configError({ ...base, [name]: value });
    expect(msg).toContain(name);
    expect(msg).not.toContain(KEY);
  });

  it('lists every per-variable problem at once', () => {
    const msg = configError({ ...base, PORT: 'x', LOG_LEVEL: 'y', INTERVALS_ATHLETE_ID: 'z' });
    expect(msg).toContain('PORT');
    expect(msg).toContain('LOG_LEVEL');
    expect(msg).toContain('INTERVALS_ATHLETE_ID');
    expect(msg.split('; ')).toHaveLength(3);
  });
});

describe('empty strings mean unset', () => {
  it('treats empty variables as missing and falls back to defaults', () => {
    const c = loadConfig({
      ...base,
      INTERVALS_BASE_URL: '',
      INTERVALS_ATHLETE_ID: '',
      INTERVALS_ATHLETE_IDS: '',
      HOST: '',
      PORT: '',
      LOG_LEVEL: '',
      AUTH_MODE: '',
      READ_ONLY: '',
      ALLOWED_HOSTS: '',
      POMERIUM_AUDIENCE: '',
      INTERVALS_API_KEY_FILE: '',
      UNRELATED: undefined,
    });
    expect(c.intervals.baseUrl).toBe('https://intervals.icu');
    expect(c.intervals.athleteId).toBe('0');
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.http.port).toBe(8000);
    expect(c.logLevel).toBe('info');
    expect(c.auth.mode).toBe('none');
    expect(c.http.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('an empty INTERVALS_API_KEY is the same as a missing one', () => {
    expect(configError({ INTERVALS_API_KEY: '' })).toContain('INTERVALS_API_KEY');
  });
});

describe('AUTH_MODE=none and the bind address', () => {
  it('refuses AUTH_MODE=none on HOST=0.0.0.0, naming AUTH_MODE and ALLOW_UNAUTHENTICATED', () => {
    const msg = configError({ ...base, HOST: '0.0.0.0' });
    expect(msg).toContain('AUTH_MODE');
    expect(msg).toContain('ALLOW_UNAUTHENTICATED');
    expect(msg).toContain('0.0.0.0');
  });

  it('refuses an explicit AUTH_MODE=none on a public host name and on ::', () => {
    expect(configError({ ...base, AUTH_MODE: 'none', HOST: 'mcp.example.com' })).toContain('AUTH_MODE');
    expect(configError({ ...base, HOST: '::' })).toContain('AUTH_MODE');
  });

  it('allows it with ALLOW_UNAUTHENTICATED=true', () => {
    const c = loadConfig({ ...base, HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' });
    expect(c.http.host).toBe('0.0.0.0');
    expect(c.auth).toEqual({ mode: 'none', allowUnauthenticated: true });
  });

  it('does not accept ALLOW_UNAUTHENTICATED=false as permission', () => {
    expect(configError({ ...base, HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'false' })).toContain('AUTH_MODE');
  });

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])('allows AUTH_MODE=none on loopback %s', (host) => {
    expect(loadConfig({ ...base, HOST: host }).http.host).toBe(host);
  });

  it('isLoopback', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('::')).toBe(false);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback('127.example.com')).toBe(false);
  });
});

describe('AUTH_MODE=pomerium', () => {
  const pom = { ...base, AUTH_MODE: 'pomerium', HOST: '0.0.0.0' };

  it('builds the auth config with a JWKS URL and lower-cased allowed emails', () => {
    const c = loadConfig({
      ...pom,
      POMERIUM_AUDIENCE: 'mcp.example.com',
      POMERIUM_JWKS_URL: 'https://mcp.example.com/.well-known/pomerium/jwks.json',
      ALLOWED_EMAILS: 'Ann@Example.com, bob@example.com',
    });
    expect(c.auth).toEqual({
      mode: 'pomerium',
      audience: 'mcp.example.com',
      jwksUrl: 'https://mcp.example.com/.well-known/pomerium/jwks.json',
      allowedEmails: ['ann@example.com', 'bob@example.com'],
    });
  });

  it('accepts a public key file instead of a JWKS URL', () => {
    const c = loadConfig({ ...pom, POMERIUM_AUDIENCE: 'mcp.example.com', POMERIUM_PUBLIC_KEY_FILE: '/run/secrets/pomerium.pem' });
    expect(c.auth).toMatchObject({ mode: 'pomerium', publicKeyFile: '/run/secrets/pomerium.pem' });
    expect(c.auth).not.toHaveProperty('jwksUrl');
  });

  it('requires POMERIUM_AUDIENCE', () => {
    const msg = configError({ ...pom, POMERIUM_JWKS_URL: 'https://mcp.example.com/jwks.json' });
    expect(msg).toContain('POMERIUM_AUDIENCE');
  });

  it('requires a key source (POMERIUM_PUBLIC_KEY_FILE or POMERIUM_JWKS_URL)', () => {
    const msg = configError({ ...pom, POMERIUM_AUDIENCE: 'mcp.example.com' });
    expect(msg).toContain('POMERIUM_PUBLIC_KEY_FILE');
    expect(msg).toContain('POMERIUM_JWKS_URL');
  });

  it.each(['https://mcp.example.com', 'mcp.example.com:443', 'mcp.example.com/mcp'])(
    'requires the audience to be a bare host, not %s',
    (aud) => {
      const msg = configError({ ...pom, POMERIUM_AUDIENCE: aud, POMERIUM_JWKS_URL: 'https://mcp.example.com/jwks.json' });
      expect(msg).toContain('POMERIUM_AUDIENCE');
      expect(msg).toMatch(/bare host/);
    },
  );

  it('does not need ALLOW_UNAUTHENTICATED on 0.0.0.0', () => {
    const c = loadConfig({ ...pom, POMERIUM_AUDIENCE: 'mcp.example.com', POMERIUM_PUBLIC_KEY_FILE: '/k.pem' });
    expect(c.http.host).toBe('0.0.0.0');
  });
});

describe('coach mode: INTERVALS_ATHLETE_IDS', () => {
  it('builds the allowlist with the default athlete first, trimmed and de-duplicated', () => {
    const c = loadConfig({ ...base, INTERVALS_ATHLETE_ID: 'i1', INTERVALS_ATHLETE_IDS: ' i2, i3 ,i1,, i2 ' });
    expect(c.intervals.athleteIds).toEqual(['i1', 'i2', 'i3']);
  });

  it('puts the implicit default 0 first', () => {
    expect(loadConfig({ ...base, INTERVALS_ATHLETE_IDS: 'i9' }).intervals.athleteIds).toEqual(['0', 'i9']);
  });
});

describe('allowed hosts', () => {
  it('defaults to the loopback names', () => {
    expect(loadConfig(base).http.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
  });

  it('adds a non-loopback HOST name to the defaults', () => {
    const c = loadConfig({ ...base, HOST: 'mcp.internal', ALLOW_UNAUTHENTICATED: 'true' });
    expect(c.http.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'mcp.internal']);
  });

  it('does not add wildcard bind addresses', () => {
    expect(loadConfig({ ...base, HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }).http.allowedHosts).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
    ]);
    expect(loadConfig({ ...base, HOST: '::', ALLOW_UNAUTHENTICATED: 'true' }).http.allowedHosts).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
    ]);
  });

  it('ALLOWED_HOSTS replaces the defaults, lower-cased and trimmed', () => {
    const c = loadConfig({ ...base, ALLOWED_HOSTS: 'intervals-mcp, MCP.Example.com ,127.0.0.1' });
    expect(c.http.allowedHosts).toEqual(['intervals-mcp', 'mcp.example.com', '127.0.0.1']);
  });
});

describe('the returned config is frozen', () => {
  it('freezes every level', () => {
    const c: Config = loadConfig({
      ...base,
      AUTH_MODE: 'pomerium',
      POMERIUM_AUDIENCE: 'mcp.example.com',
      POMERIUM_JWKS_URL: 'https://mcp.example.com/jwks.json',
      ALLOWED_EMAILS: 'a@example.com',
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.intervals)).toBe(true);
    expect(Object.isFrozen(c.intervals.athleteIds)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
    expect(Object.isFrozen(c.http.allowedHosts)).toBe(true);
    expect(Object.isFrozen(c.auth)).toBe(true);
    if (c.auth.mode === 'pomerium') expect(Object.isFrozen(c.auth.allowedEmails)).toBe(true);
  });

  it('throws on mutation (ES modules are strict)', () => {
    const c = loadConfig(base);
    expect(() => {
      (c as { logLevel: string }).logLevel = 'debug';
    }).toThrow(TypeError);
    expect(() => {
      (c.intervals as { apiKey: string }).apiKey = 'other';
    }).toThrow(TypeError);
    expect(() => {
      (c.intervals.athleteIds as string[]).push('i2');
    }).toThrow(TypeError);
    expect(c.intervals.apiKey).toBe(KEY);
  });
});

describe('HTTP server lifecycle settings', () => {
  it('parses explicit timeouts, the connection cap, the drain deadline and the readiness cache', () => {
    const c = loadConfig({
      ...base,
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      HTTP_KEEPALIVE_TIMEOUT_MS: '7000',
      HTTP_MAX_CONNECTIONS: '64',
      SHUTDOWN_DRAIN_MS: '3000',
      READINESS_CACHE_MS: '15000',
    });
    expect(c.http).toMatchObject({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 20000,
      keepAliveTimeoutMs: 7000,
      maxConnections: 64,
      drainMs: 3000,
      readinessCacheMs: 15000,
    });
  });

  it('refuses out-of-range values, naming the variable', () => {
    expect(configError({ ...base, HTTP_MAX_CONNECTIONS: '0' })).toMatch(/HTTP_MAX_CONNECTIONS/);
    expect(configError({ ...base, SHUTDOWN_DRAIN_MS: '600000' })).toMatch(/SHUTDOWN_DRAIN_MS/);
    expect(configError({ ...base, HTTP_KEEPALIVE_TIMEOUT_MS: 'soon' })).toMatch(/HTTP_KEEPALIVE_TIMEOUT_MS/);
    expect(configError({ ...base, READINESS_CACHE_MS: '10' })).toMatch(/READINESS_CACHE_MS/);
  });

  it('refuses a headers timeout longer than the request timeout (the request timeout would never matter)', () => {
    expect(configError({ ...base, HTTP_HEADERS_TIMEOUT_MS: '40000' })).toMatch(
      /HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS \(30000\)/,
    );
  });
});

describe('INTERVALS_CREDENTIALS', () => {
  const pomerium = {
    AUTH_MODE: 'pomerium',
    POMERIUM_AUDIENCE: 'mcp.example.com',
    POMERIUM_JWKS_URL: 'https://mcp.example.com/.well-known/pomerium/jwks.json',
  };

  it('defaults to single: the server-held key, as before', () => {
    expect(loadConfig(base).credentials).toEqual({ mode: 'single' });
  });

  it('per-user needs AUTH_MODE=pomerium, in one line naming both', () => {
    const msg = configError({ INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: '/run/users.yaml' });
    expect(msg).toBe(
      "invalid configuration: INTERVALS_CREDENTIALS is per-user, which requires AUTH_MODE=pomerium (the verified Pomerium identity picks each person's Intervals.icu account)",
    );
  });

  it('oauth needs AUTH_MODE=pomerium too', () => {
    expect(configError({ INTERVALS_CREDENTIALS: 'oauth', AUTH_MODE: 'none' })).toMatch(
      /INTERVALS_CREDENTIALS is oauth, which requires AUTH_MODE=pomerium/,
    );
  });

  it('per-user needs USERS_FILE, and then needs no server key', () => {
    expect(configError({ INTERVALS_CREDENTIALS: 'per-user', ...pomerium })).toMatch(
      /USERS_FILE is required with INTERVALS_CREDENTIALS=per-user/,
    );
    const c = loadConfig({ INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: '/run/people/users.yaml', ...pomerium });
    expect(c.credentials).toEqual({ mode: 'per-user', usersFile: '/run/people/users.yaml', pollMs: 2_000 });
    expect(c.intervals.apiKey).toBe('');
  });

  it('per-user and oauth never read INTERVALS_API_KEY_FILE (compose may still set it)', () => {
    const c = loadConfig({ INTERVALS_CREDENTIALS: 'oauth', INTERVALS_API_KEY_FILE: join(tmp, 'does-not-exist'), ...pomerium });
    expect(c.credentials).toEqual({ mode: 'oauth', reconnectUrl: 'https://mcp.example.com/.pomerium/routes' });
    expect(c.intervals.apiKey).toBe('');
    expect(c.intervals.athleteIds).toEqual(['0']);
  });

  it('refuses server-wide athlete settings outside single mode, naming where they go', () => {
    expect(configError({ INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: '/u.json', INTERVALS_ATHLETE_IDS: 'i2', ...pomerium })).toMatch(
      /INTERVALS_ATHLETE_IDS is not used with INTERVALS_CREDENTIALS=per-user: set athlete_id \/ athlete_ids per person in USERS_FILE/,
    );
    expect(configError({ INTERVALS_CREDENTIALS: 'oauth', INTERVALS_ATHLETE_ID: 'i2', ...pomerium })).toMatch(
      /INTERVALS_ATHLETE_ID is not used with INTERVALS_CREDENTIALS=oauth/,
    );
  });

  it('refuses USERS_FILE in single mode (everyone would share the server key)', () => {
    expect(configError({ ...base, USERS_FILE: '/u.json' })).toMatch(/USERS_FILE is only read with INTERVALS_CREDENTIALS=per-user/);
  });

  it('refuses an unknown mode and a bad poll interval, naming the variable', () => {
    expect(configError({ ...base, INTERVALS_CREDENTIALS: 'shared' })).toMatch(/^invalid configuration: INTERVALS_CREDENTIALS /);
    expect(configError({ INTERVALS_CREDENTIALS: 'per-user', USERS_FILE: '/u', USERS_FILE_POLL_MS: '5', ...pomerium })).toMatch(
      /USERS_FILE_POLL_MS/,
    );
  });
});

describe('limits in front of Intervals.icu', () => {
  it('reads every setting, in its own units', () => {
    const c = loadConfig({
      ...base,
      INTERVALS_RATE_LIMIT: '2.5',
      INTERVALS_RATE_BURST: '3',
      INTERVALS_MAX_CONCURRENCY: '4',
      INTERVALS_QUEUE_MAX: '50',
      INTERVALS_QUEUE_WAIT_MS: '5000',
      INTERVALS_MAX_RESPONSE_BYTES: '1048576',
      INTERVALS_CACHE_TTL_MS: '3000',
      INTERVALS_GZIP: 'false',
    });
    expect(c.intervals.limits).toEqual({
      ratePerSec: 2.5,
      burst: 3,
      maxConcurrent: 4,
      maxQueue: 50,
      maxWaitMs: 5_000,
      maxResponseBytes: 1_048_576,
      cacheTtlMs: 3_000,
      gzip: false,
    });
  });

  it.each([
    ['INTERVALS_RATE_LIMIT', '0'],
    ['INTERVALS_RATE_LIMIT', 'fast'],
    ['INTERVALS_RATE_BURST', '0'],
    ['INTERVALS_MAX_CONCURRENCY', '1000'],
    ['INTERVALS_QUEUE_MAX', '-1'],
    ['INTERVALS_QUEUE_WAIT_MS', '1e9'],
    ['INTERVALS_MAX_RESPONSE_BYTES', '100'],
    ['INTERVALS_CACHE_TTL_MS', '1.5'],
    ['INTERVALS_GZIP', 'maybe'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(configError({ ...base, [name]: value })).toMatch(new RegExp(`^invalid configuration: ${name} `));
  });
});

describe('INTERVALS_CREDENTIALS under stdio', () => {
  it('a stdio start ignores the multi-person settings of a homelab .env (one local user, one key)', () => {
    const env = withoutServerSettings({
      ...base,
      INTERVALS_CREDENTIALS: 'per-user',
      USERS_FILE: '/run/people/users.yaml',
      USERS_FILE_POLL_MS: '500',
    });
    expect(loadConfig(env).credentials).toEqual({ mode: 'single' });
  });
});
