/**
 * Pomerium identity check.
 *
 * Pomerium authenticates the MCP client (OAuth 2.1, CIMD, IdP login), strips the client's
 * `Authorization` header and, with `pass_identity_headers: true` on the route, forwards a fresh
 * ES256-signed `X-Pomerium-Jwt-Assertion` on every request. This middleware verifies that
 * assertion (signature, `iss` = `aud` = route host, `exp`/`iat`, optional `nbf`) and optionally an
 * email allowlist, then exposes the verified identity as `res.locals.identity`.
 *
 * Every failure is a **403** with a JSON-RPC error body and no `WWW-Authenticate` header: Pomerium
 * treats an upstream 401 as a request to start *upstream* OAuth discovery, which breaks the
 * connector (502 or a re-auth loop).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Response as ExpressResponse, NextFunction, Request, RequestHandler } from 'express';
import {
  type CryptoKey,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { type AuthConfig, ConfigError } from '../config.js';
import type { Logger } from '../logger.js';
import { jsonRpcError } from './guards.js';

/** The verified caller, from the assertion's claims. Empty in AUTH_MODE=none. */
export interface Identity {
  email?: string;
  sub?: string;
  groups?: string[];
}

export interface AuthOptions {
  /** Current time in ms (tests). Default `Date.now`. */
  now?: () => number;
  /** Minimum time between two JWKS fetches triggered by an unknown `kid`. Default 30 s. */
  jwksCooldownMs?: number;
  /** After a failed JWKS fetch, reject without fetching for this long. Default 10 s. */
  jwksFailureCooldownMs?: number;
  /** Timeout of one JWKS fetch. Default 5 s. */
  jwksTimeoutMs?: number;
  /** How long a fetched JWKS is used before it is refreshed. Default 10 min. */
  jwksMaxAgeMs?: number;
}

export const ASSERTION_HEADER = 'x-pomerium-jwt-assertion';

/** Small clock skew between Pomerium's host and ours, in seconds. */
const CLOCK_TOLERANCE_S = 30;
/** Pomerium's assertions live 5 min (`exp = iat + 300`); anything older is not one of its tokens. */
const MAX_TOKEN_AGE_S = 600;
/** Sanity cap: a Pomerium assertion is well under 8 KiB even with many groups. */
const MAX_ASSERTION_LENGTH = 16 * 1024;

class AuthError extends Error {
  override name = 'AuthError';
}

/**
 * Build the identity middleware. In pomerium mode the key is loaded here (a key file is read and
 * parsed once; a broken file throws a ConfigError so startup fails). A JWKS URL is fetched lazily on
 * the first request, because Pomerium usually starts after this server.
 */
export async function createAuthMiddleware(auth: AuthConfig, logger: Logger, opts: AuthOptions = {}): Promise<RequestHandler> {
  if (auth.mode === 'none') return noAuthMiddleware(auth, logger);

  const now = opts.now ?? Date.now;
  const log = logger.child({ component: 'auth' });
  const allowedEmails = new Set(auth.allowedEmails.map((e) => e.toLowerCase()));
  const { key, keySource } = await loadVerificationKey(auth, log, now, opts);
  log.info({ audience: auth.audience, keySource, allowedEmails: allowedEmails.size }, 'verifying X-Pomerium-Jwt-Assertion (ES256)');

  const verify = createVerifier({ key, keySource, audience: auth.audience, allowedEmails, now });
  return assertionMiddleware(verify, log);
}

/** AUTH_MODE=none: every request passes with an empty identity. */
function noAuthMiddleware(auth: NoAuth, logger: Logger): RequestHandler {
  if (auth.allowUnauthenticated) {
    logger.warn('AUTH_MODE=none with ALLOW_UNAUTHENTICATED=true: requests are not authenticated by this server');
  }
  return (_req: Request, res: ExpressResponse, next: NextFunction) => {
    res.locals.identity = {} satisfies Identity;
    next();
  };
}

type NoAuth = Extract<AuthConfig, { mode: 'none' }>;
type PomeriumAuth = Extract<AuthConfig, { mode: 'pomerium' }>;
type KeySource = 'file' | 'jwks';

/** The key file when set (read now), else the JWKS URL (fetched lazily); neither set is a ConfigError. */
async function loadVerificationKey(
  auth: PomeriumAuth,
  log: Logger,
  now: () => number,
  opts: AuthOptions,
): Promise<{ key: CryptoKey | JWTVerifyGetKey; keySource: KeySource }> {
  if (auth.publicKeyFile) {
    const key = await loadPublicKeyFile(auth.publicKeyFile, log);
    if (auth.jwksUrl) log.info('POMERIUM_PUBLIC_KEY_FILE is set: POMERIUM_JWKS_URL is not used');
    return { key, keySource: 'file' };
  }
  if (auth.jwksUrl) return { key: createJwks(new URL(auth.jwksUrl), now, opts), keySource: 'jwks' };
  throw new ConfigError('invalid configuration: POMERIUM_PUBLIC_KEY_FILE or POMERIUM_JWKS_URL is required with AUTH_MODE=pomerium');
}

interface VerifierSettings {
  key: CryptoKey | JWTVerifyGetKey;
  keySource: KeySource;
  audience: string;
  /** Lower-cased; empty means every verified caller is allowed. */
  allowedEmails: Set<string>;
  now: () => number;
}

/** Token to identity: the signature and claims (jose), then the email allowlist. Rejects with an AuthError. */
function createVerifier({ key, keySource, audience, allowedEmails, now }: VerifierSettings): (token: string) => Promise<Identity> {
  const verifyOptions = (): JWTVerifyOptions => ({
    algorithms: ['ES256'],
    issuer: audience,
    audience,
    requiredClaims: ['exp', 'iat'],
    clockTolerance: CLOCK_TOLERANCE_S,
    maxTokenAge: MAX_TOKEN_AGE_S,
    currentDate: new Date(now()),
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      // Two calls so TypeScript picks the right overload; the options are identical.
      payload =
        typeof key === 'function'
          ? (await jwtVerify(token, key, verifyOptions())).payload
          : (await jwtVerify(token, key, verifyOptions())).payload;
    } catch (err) {
      throw new AuthError(describeJoseError(err, keySource));
    }
    const identity = identityFrom(payload);
    checkAllowedEmail(identity, allowedEmails);
    return identity;
  };
}

function checkAllowedEmail(identity: Identity, allowedEmails: Set<string>): void {
  if (allowedEmails.size === 0) return;
  if (!identity.email) throw new AuthError('assertion has no email claim but ALLOWED_EMAILS is set');
  if (!allowedEmails.has(identity.email.toLowerCase())) {
    throw new AuthError(`${identity.email} is not in ALLOWED_EMAILS`);
  }
}

/** The one assertion header, trimmed, or the reason it cannot be one. */
function readAssertion(req: Request): { token: string } | { reason: string } {
  const raw = req.headers[ASSERTION_HEADER];
  if (Array.isArray(raw)) return { reason: 'more than one X-Pomerium-Jwt-Assertion header' };
  const token = raw?.trim();
  if (!token) return { reason: 'missing X-Pomerium-Jwt-Assertion: is pass_identity_headers: true set on the route?' };
  if (token.length > MAX_ASSERTION_LENGTH) return { reason: 'malformed X-Pomerium-Jwt-Assertion (too long)' };
  return { token };
}

/** Read the header, verify it, and either expose the identity or answer 403 (logged with the reason). */
function assertionMiddleware(verify: (token: string) => Promise<Identity>, log: Logger): RequestHandler {
  return (req: Request, res: ExpressResponse, next: NextFunction) => {
    const fail = (reason: string) => {
      log.warn({ reason, method: req.method, path: req.path }, 'request rejected: %s', reason);
      forbidden(res, reason);
    };
    const assertion = readAssertion(req);
    if ('reason' in assertion) return fail(assertion.reason);
    verify(assertion.token).then(
      (identity) => {
        res.locals.identity = identity;
        next();
      },
      (err: unknown) => {
        if (err instanceof AuthError) return fail(err.message);
        log.error({ err }, 'unexpected error while verifying the assertion');
        fail('the assertion could not be verified');
      },
    );
  };
}

/** 403 with a JSON-RPC error body. Never 401 and never `WWW-Authenticate` (see the file comment). */
function forbidden(res: ExpressResponse, reason: string): void {
  if (res.headersSent) return;
  res.removeHeader('WWW-Authenticate');
  res.set('Cache-Control', 'no-store');
  jsonRpcError(res, 403, -32001, `Forbidden: ${reason}`);
}

function identityFrom(payload: JWTPayload): Identity {
  const identity: Identity = {};
  if (typeof payload.email === 'string' && payload.email) identity.email = payload.email;
  if (typeof payload.sub === 'string' && payload.sub) identity.sub = payload.sub;
  if (Array.isArray(payload.groups)) {
    identity.groups = payload.groups.filter((g): g is string => typeof g === 'string');
  }
  return identity;
}

/** A short, actionable reason that never contains the token or claim values. */
function describeJoseError(err: unknown, keySource: KeySource): string {
  if (err instanceof errors.JWTExpired) {
    return err.claim === 'iat'
      ? 'assertion is too old (iat): check the clocks of Pomerium and this host'
      : 'assertion expired: check the clocks of Pomerium and this host';
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return `assertion lacks the required "${err.claim}" claim`;
    switch (err.claim) {
      case 'aud':
        return 'wrong audience: POMERIUM_AUDIENCE must equal the route host name (the `from` host, without https://)';
      case 'iss':
        return 'wrong issuer: POMERIUM_AUDIENCE must equal the route host name and jwt_issuer_format must be hostOnly (the default)';
      case 'nbf':
      case 'iat':
        return 'assertion not yet valid: check the clocks of Pomerium and this host';
      default:
        return `assertion claim "${err.claim}" is invalid`;
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'assertion algorithm not allowed (ES256 required)';
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return keySource === 'file'
      ? 'assertion signature invalid: POMERIUM_PUBLIC_KEY_FILE must be the public half of Pomerium signing_key'
      : 'assertion signature invalid: the key in POMERIUM_JWKS_URL does not match';
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return 'no key in POMERIUM_JWKS_URL matches the assertion kid';
  }
  if (err instanceof JwksUnavailable || err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return 'cannot fetch the signing keys from POMERIUM_JWKS_URL';
  }
  if (err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC') {
    return 'cannot fetch the signing keys from POMERIUM_JWKS_URL';
  }
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSENotSupported ||
    err instanceof errors.JWKInvalid
  ) {
    return 'malformed X-Pomerium-Jwt-Assertion';
  }
  if (err instanceof TypeError) return 'cannot fetch the signing keys from POMERIUM_JWKS_URL';
  return 'the assertion could not be verified';
}

class JwksUnavailable extends Error {
  override name = 'JwksUnavailable';
}

/**
 * Remote JWKS, cached by jose: refetched on an unknown `kid` at most once per cooldown, refreshed
 * after `jwksMaxAgeMs`, each fetch bounded by a timeout. jose does not remember *failed* fetches, so
 * a flood of requests while Pomerium is down would fetch on every request; the wrapper stops that.
 */
function createJwks(url: URL, now: () => number, opts: AuthOptions): JWTVerifyGetKey {
  const failureCooldown = opts.jwksFailureCooldownMs ?? 10_000;
  let lastFailure = Number.NEGATIVE_INFINITY;
  const guardedFetch: FetchImplementation = async (input, init) => {
    if (now() - lastFailure < failureCooldown) throw new JwksUnavailable('JWKS fetch failed recently');
    try {
      const response = await fetch(input, init);
      if (response.status !== 200) lastFailure = now();
      return response;
    } catch (err) {
      lastFailure = now();
      throw err;
    }
  };
  return createRemoteJWKSet(url, {
    cooldownDuration: opts.jwksCooldownMs ?? 30_000,
    cacheMaxAge: opts.jwksMaxAgeMs ?? 600_000,
    timeoutDuration: opts.jwksTimeoutMs ?? 5_000,
    headers: { 'user-agent': 'intervals-mcp' },
    [customFetch]: guardedFetch,
  });
}

/**
 * Read the verification key once. Accepts the SPKI public key (`openssl ec -in signing_key.pem
 * -pubout`), or Pomerium's private signing key itself (SEC1 `EC PRIVATE KEY` or PKCS#8), from which
 * the public half is derived; also base64-encoded PEM, as Pomerium's `signing_key` accepts.
 */
async function loadPublicKeyFile(path: string, log: Logger): Promise<CryptoKey> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`invalid configuration: POMERIUM_PUBLIC_KEY_FILE ${path} cannot be read (${code})`);
  }
  if (!text.includes('-----BEGIN')) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) text = decoded.trim();
  }
  const hint = 'expected a PEM EC P-256 key (the output of `openssl ec -in signing_key.pem -pubout`, or the signing key itself)';
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey(text);
  } catch {
    throw new ConfigError(`invalid configuration: POMERIUM_PUBLIC_KEY_FILE ${path} cannot be parsed: ${hint}`);
  }
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  if (keyObject.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new ConfigError(
      `invalid configuration: POMERIUM_PUBLIC_KEY_FILE ${path} holds a ${keyObject.asymmetricKeyType ?? 'unknown'}${curve ? `/${curve}` : ''} key: ${hint}`,
    );
  }
  if (/PRIVATE KEY-----/.test(text)) {
    log.warn(
      'POMERIUM_PUBLIC_KEY_FILE holds a private key: the public half is used; mount only the public key (openssl ec -pubout) into this container',
    );
  }
  const spki = keyObject.export({ type: 'spki', format: 'pem' }).toString();
  return importSPKI(spki, 'ES256');
}
