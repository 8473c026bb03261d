/**
 * The one place that reads the environment. `loadConfig(env)` is pure over the map it is given
 * (so tests pass their own), validates everything with one zod schema, and returns a frozen Config
 * that the rest of the program receives by injection.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as z from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A boolean flag in the usual spellings; anything else is an error naming the variable. (An empty
 * value never gets here: loadConfig treats it as unset, so the default applies.)
 */
const flag = (byDefault: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(byDefault ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** An Intervals.icu athlete id: `0` (the key's owner), `i12345`, or the legacy bare number. */
export const ATHLETE_ID_PATTERN = /^(0|i\d{1,12}|\d{1,12})$/;
const athleteId = z.string().trim().regex(ATHLETE_ID_PATTERN, 'must be 0, i<digits> or <digits>');

const EnvSchema = z
  .object({
    INTERVALS_API_KEY: z.string().trim().min(1, 'is required (Intervals.icu → Settings → Developer)').optional(),
    INTERVALS_API_KEY_FILE: z.string().trim().min(1).optional(),
    INTERVALS_ATHLETE_ID: athleteId.default('0'),
    INTERVALS_ATHLETE_IDS: list.pipe(z.array(athleteId)),
    INTERVALS_BASE_URL: z
      .url({ protocol: /^https?$/ })
      // Credentials in the URL would be printed wherever the URL is (start-up line, check-key).
      .refine((u) => !/^https?:\/\/[^/]*@/i.test(u), 'must not contain a user name or password (the key goes in INTERVALS_API_KEY)')
      .default('https://intervals.icu')
      .transform((u) => u.replace(/\/+$/, '')),
    INTERVALS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
    // The one guard in front of Intervals.icu (src/intervals/guard.ts), shared by every call and person.
    INTERVALS_RATE_LIMIT: z.coerce.number().min(0.1).max(1000).default(10),
    INTERVALS_RATE_BURST: z.coerce.number().int().min(1).max(1000).default(10),
    INTERVALS_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    INTERVALS_QUEUE_MAX: z.coerce.number().int().min(1).max(100_000).default(200),
    INTERVALS_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(300_000).default(20_000),
    INTERVALS_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .min(65_536)
      .max(1_073_741_824)
      .default(4 * 1024 * 1024),
    INTERVALS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
    INTERVALS_GZIP: flag(true),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    // HTTP server lifecycle (src/http/server.ts): Node's defaults hold a stalled request for minutes.
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(65_000),
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(512),
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
    READINESS_CACHE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    READ_ONLY: flag(false),
    /** MCP Apps (charts in the conversation): on unless APPS=false. */
    APPS: flag(true),
    ALLOWED_HOSTS: list,
    ALLOWED_ORIGINS: list,
    AUTH_MODE: z.enum(['pomerium', 'none']).default('none'),
    ALLOW_UNAUTHENTICATED: flag(false),
    POMERIUM_AUDIENCE: z.string().trim().optional(),
    POMERIUM_PUBLIC_KEY_FILE: z.string().trim().optional(),
    POMERIUM_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    ALLOWED_EMAILS: list.transform((a) => a.map((e) => e.toLowerCase())),
    /** Whose Intervals.icu account a request acts on: the server's key, the caller's key, or the caller's OAuth token. */
    INTERVALS_CREDENTIALS: z.enum(['single', 'per-user', 'oauth']).default('single'),
    USERS_FILE: z.string().trim().min(1).optional(),
    /** How often the users file and its key files are checked for changes (SIGHUP reloads at once). */
    USERS_FILE_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  })
  .superRefine((env, ctx) => {
    const mode = env.INTERVALS_CREDENTIALS;
    if (mode !== 'single') {
      // One clear line each: the verified email is what picks the credential.
      if (env.AUTH_MODE !== 'pomerium') {
        ctx.addIssue({
          code: 'custom',
          path: ['INTERVALS_CREDENTIALS'],
          message: `is ${mode}, which requires AUTH_MODE=pomerium (the verified Pomerium identity picks each person's Intervals.icu account)`,
        });
      }
      if (mode === 'per-user' && !env.USERS_FILE) {
        ctx.addIssue({
          code: 'custom',
          path: ['USERS_FILE'],
          message: 'is required with INTERVALS_CREDENTIALS=per-user (the JSON or YAML file mapping each email to an API key file)',
        });
      }
    } else if (env.USERS_FILE) {
      ctx.addIssue({ code: 'custom', path: ['USERS_FILE'], message: 'is only read with INTERVALS_CREDENTIALS=per-user' });
    }
    if (mode === 'single' && !env.INTERVALS_API_KEY && !env.INTERVALS_API_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['INTERVALS_API_KEY'],
        message: 'is required (Intervals.icu → Settings → Developer → API key)',
      });
    }
    if (env.AUTH_MODE === 'pomerium') {
      if (!env.POMERIUM_AUDIENCE) {
        ctx.addIssue({
          code: 'custom',
          path: ['POMERIUM_AUDIENCE'],
          message: 'is required with AUTH_MODE=pomerium (the route host name, e.g. intervals-mcp.example.com)',
        });
      } else if (/[/:]/.test(env.POMERIUM_AUDIENCE)) {
        ctx.addIssue({
          code: 'custom',
          path: ['POMERIUM_AUDIENCE'],
          message: 'must be a bare host name, without scheme, port or path',
        });
      }
      if (!env.POMERIUM_PUBLIC_KEY_FILE && !env.POMERIUM_JWKS_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['POMERIUM_PUBLIC_KEY_FILE'],
          message: 'or POMERIUM_JWKS_URL is required with AUTH_MODE=pomerium',
        });
      }
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: `must not exceed HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS})`,
      });
    }
    if (env.AUTH_MODE === 'none' && !isLoopback(env.HOST) && !env.ALLOW_UNAUTHENTICATED) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_MODE'],
        message: `is none while HOST=${env.HOST} is not a loopback address: set AUTH_MODE=pomerium, or ALLOW_UNAUTHENTICATED=true if something else authenticates`,
      });
    }
  });

export type AuthConfig =
  | { mode: 'none'; allowUnauthenticated: boolean }
  | {
      mode: 'pomerium';
      audience: string;
      publicKeyFile?: string;
      jwksUrl?: string;
      allowedEmails: readonly string[];
    };

/**
 * Whose Intervals.icu account each request acts on (src/credentials/):
 * - `single`: the server's key (INTERVALS_API_KEY) for everyone Pomerium lets in;
 * - `per-user`: the verified email picks a key from USERS_FILE (reloaded on SIGHUP or change);
 * - `oauth`: the caller's own token, injected by Pomerium's `upstream_oauth2` as `Authorization: Bearer`.
 */
export type CredentialsConfig =
  | { readonly mode: 'single' }
  | { readonly mode: 'per-user'; readonly usersFile: string; readonly pollMs: number }
  | {
      readonly mode: 'oauth';
      /** Where a person disconnects and reconnects Intervals.icu: https://<route host>/.pomerium/routes */
      readonly reconnectUrl: string;
    };

export interface Config {
  readonly intervals: {
    /** The server-held key (single mode); empty in per-user and oauth modes, which never read it. */
    readonly apiKey: string;
    readonly baseUrl: string;
    /** The default athlete (`0` = the key's owner). */
    readonly athleteId: string;
    /** Coach mode: the athletes a tool may address with `athlete_id` (always includes the default). */
    readonly athleteIds: readonly string[];
    /** Total deadline of one upstream attempt (headers and body). */
    readonly timeoutMs: number;
    /** What protects Intervals.icu (and the server) on every upstream call; see src/intervals/guard.ts. */
    readonly limits: {
      /** Request starts per second, all people together (Intervals.icu limits per IP). */
      readonly ratePerSec: number;
      readonly burst: number;
      readonly maxConcurrent: number;
      /** Callers waiting for a turn at once, and the longest wait, before "try again in N s". */
      readonly maxQueue: number;
      readonly maxWaitMs: number;
      /** Largest upstream answer read (after decompression). */
      readonly maxResponseBytes: number;
      /** Hot reads served from memory for this long (0 = off); any write to the athlete drops them. */
      readonly cacheTtlMs: number;
      /** Ask Intervals.icu for gzip. */
      readonly gzip: boolean;
    };
  };
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Host names accepted in the Host header (DNS-rebinding protection). */
    readonly allowedHosts: readonly string[];
    /** Origins accepted when a request carries an Origin header. */
    readonly allowedOrigins: readonly string[];
    /** A request whose headers have not all arrived after this long gets 408 and is closed. */
    readonly headersTimeoutMs: number;
    /** A request whose body has not fully arrived after this long gets 408 and is closed. */
    readonly requestTimeoutMs: number;
    /** An idle keep-alive connection is closed after this long. */
    readonly keepAliveTimeoutMs: number;
    /** Open connections beyond this are refused (closed at once). */
    readonly maxConnections: number;
    /** Shutdown: in-flight requests get this long, then a JSON-RPC error. Keep it below the orchestrator's grace. */
    readonly drainMs: number;
    /** /readyz reuses an Intervals.icu key check for this long. */
    readonly readinessCacheMs: number;
  };
  readonly auth: AuthConfig;
  readonly credentials: CredentialsConfig;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly readOnly: boolean;
  /** MCP Apps views: UI metadata on their tools and the ui:// resources (APPS=false removes both). */
  readonly apps: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** Parse and validate the environment. Throws ConfigError with one line per problem, never a value. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" (docker compose passes `VAR=` through from .env files).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')} ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const mode = e.INTERVALS_CREDENTIALS;
  if (mode !== 'single') {
    // The athletes come from each person's credential, so a server-wide athlete setting would be ignored: refuse it.
    const lines = (['INTERVALS_ATHLETE_ID', 'INTERVALS_ATHLETE_IDS'] as const)
      .filter((name) => cleaned[name] !== undefined)
      .map((name) =>
        mode === 'per-user'
          ? `${name} is not used with INTERVALS_CREDENTIALS=per-user: set athlete_id / athlete_ids per person in USERS_FILE`
          : `${name} is not used with INTERVALS_CREDENTIALS=oauth: each person acts as their token's owner (athlete 0)`,
      );
    if (lines.length) throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  // Only single mode reads the server-held key; the other modes never touch INTERVALS_API_KEY(_FILE).
  const apiKey = mode !== 'single' ? '' : (e.INTERVALS_API_KEY ?? readSecretFile('INTERVALS_API_KEY_FILE', e.INTERVALS_API_KEY_FILE!));
  const credentials: CredentialsConfig =
    mode === 'per-user'
      ? { mode, usersFile: e.USERS_FILE!, pollMs: e.USERS_FILE_POLL_MS }
      : mode === 'oauth'
        ? { mode, reconnectUrl: `https://${e.POMERIUM_AUDIENCE}/.pomerium/routes` }
        : { mode };
  const defaultHosts = ['localhost', '127.0.0.1', '[::1]'];
  if (!isLoopback(e.HOST) && e.HOST !== '0.0.0.0' && e.HOST !== '::') defaultHosts.push(e.HOST);
  const auth: AuthConfig =
    e.AUTH_MODE === 'pomerium'
      ? {
          mode: 'pomerium',
          audience: e.POMERIUM_AUDIENCE!,
          ...(e.POMERIUM_PUBLIC_KEY_FILE ? { publicKeyFile: e.POMERIUM_PUBLIC_KEY_FILE } : {}),
          ...(e.POMERIUM_JWKS_URL ? { jwksUrl: e.POMERIUM_JWKS_URL } : {}),
          allowedEmails: Object.freeze(e.ALLOWED_EMAILS),
        }
      : { mode: 'none', allowUnauthenticated: e.ALLOW_UNAUTHENTICATED };
  const athleteIds = [...new Set([e.INTERVALS_ATHLETE_ID, ...e.INTERVALS_ATHLETE_IDS])];
  return deepFreeze({
    intervals: {
      apiKey,
      baseUrl: e.INTERVALS_BASE_URL,
      athleteId: e.INTERVALS_ATHLETE_ID,
      athleteIds,
      timeoutMs: e.INTERVALS_TIMEOUT_MS,
      limits: {
        ratePerSec: e.INTERVALS_RATE_LIMIT,
        burst: e.INTERVALS_RATE_BURST,
        maxConcurrent: e.INTERVALS_MAX_CONCURRENCY,
        maxQueue: e.INTERVALS_QUEUE_MAX,
        maxWaitMs: e.INTERVALS_QUEUE_WAIT_MS,
        maxResponseBytes: e.INTERVALS_MAX_RESPONSE_BYTES,
        cacheTtlMs: e.INTERVALS_CACHE_TTL_MS,
        gzip: e.INTERVALS_GZIP,
      },
    },
    http: {
      host: e.HOST,
      port: e.PORT,
      allowedHosts: e.ALLOWED_HOSTS.length ? e.ALLOWED_HOSTS.map((h) => h.toLowerCase()) : defaultHosts,
      allowedOrigins: e.ALLOWED_ORIGINS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEPALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      drainMs: e.SHUTDOWN_DRAIN_MS,
      readinessCacheMs: e.READINESS_CACHE_MS,
    },
    auth,
    credentials,
    logLevel: e.LOG_LEVEL,
    readOnly: e.READ_ONLY,
    apps: e.APPS,
  });
}

function readSecretFile(name: string, path: string): string {
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${name} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!value) throw new ConfigError(`invalid configuration: ${name} points at an empty file`);
  return value;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/**
 * Production entry: load `.env` (if present) into the process environment without overriding real
 * variables, then validate. dotenv is quiet so nothing reaches stdout before the logger.
 */
export async function loadConfigFromProcess(transport: 'http' | 'stdio' = 'http'): Promise<Config> {
  const dotenv = await import('dotenv');
  dotenv.config({ quiet: true });
  return loadConfig(transport === 'stdio' ? withoutServerSettings(process.env) : process.env);
}

/**
 * Settings of the HTTP listener, its authentication and the per-person credentials that rest on it.
 * A stdio server has none of these (one local user, one key), so it ignores
 * them (a homelab `.env` in the working directory must not stop a local stdio start).
 */
export const SERVER_ONLY_VARIABLE =
  /^(HOST|PORT|HTTP_\w+|SHUTDOWN_DRAIN_MS|READINESS_CACHE_MS|ALLOWED_(HOSTS|ORIGINS|EMAILS)|AUTH_MODE|ALLOW_UNAUTHENTICATED|POMERIUM_\w+|INTERVALS_CREDENTIALS|USERS_FILE\w*)$/;

export function withoutServerSettings(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !SERVER_ONLY_VARIABLE.test(k)));
}
