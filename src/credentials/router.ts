/**
 * Which Intervals.icu account serves a request, from the verified Pomerium identity:
 *
 * - per-user: the assertion's email picks an entry of USERS_FILE (its API key, athletes, read-only
 *   flag); an email not in the file gets 403 before anything reaches Intervals.icu;
 * - oauth: the `Authorization: Bearer` token Pomerium's upstream_oauth2 injects (the auth middleware
 *   has already verified the assertion) is used as is, toward Intervals.icu only, for this request
 *   only: it is never stored, logged or echoed. No token → 401, the one case where a 401 is right
 *   (Pomerium then asks the person to connect Intervals.icu).
 *
 * Everything per person is keyed by the credential's fingerprint (a hash): the MCP deps (and with
 * them the tool catalogue: read-only people get no write tool), the profile cache, the read cache
 * and fair-queue slot of the shared Intervals.icu guard, the cursor seal and the log fields.
 */

import type { Config } from '../config.js';
import { createUpstream, IntervalsClient, type IntervalsClientOptions } from '../intervals/client.js';
import type { Logger } from '../logger.js';
import type { CursorSeal, McpDeps } from '../mcp/server.js';
import { type ContextFactory, createContextFactory, ProfileCache } from '../tools/support/context.js';
import { explainingClient } from './client-errors.js';
import { createCursorSealer } from './cursor-seal.js';
import { Users } from './users.js';
import type { UserEntry } from './users-file.js';

export interface Routed {
  mcp: McpDeps;
  info: { credential: string; contextFor?: ContextFactory; cursors: CursorSeal };
}

/** A refusal, answered as a JSON-RPC error with this HTTP status (never a WWW-Authenticate header). */
export interface Refused {
  status: 401 | 403;
  code: number;
  message: string;
}

export interface CredentialRouter {
  readonly mode: 'per-user' | 'oauth';
  route(identity: { email?: string | undefined } | undefined, authorization: string | string[] | undefined): Routed | Refused;
  /** Re-read USERS_FILE now (SIGHUP); false if the new file was refused (the old list stays). */
  reload(): boolean;
  /** Stop watching USERS_FILE and close the shared guard and its connection pool. */
  close(): Promise<void>;
  /** The deps every person's deps derive from (startup log: the catalogue). */
  readonly base: McpDeps;
}

export interface RouterOptions {
  /** Tools, extras, logger, version, READ_ONLY (src/deps.ts `mcpDepsFor` with `noSharedContext`). */
  base: McpDeps;
  logger: Logger;
  /** Test hook: the HTTP pool (mock agent) of the one shared guard. */
  dispatcher?: IntervalsClientOptions['dispatcher'];
  now?: () => Date;
}

/** The context of deps that serve several people: never used, each request brings its own. */
export const noSharedContext: ContextFactory = () => {
  throw new Error('INTERVALS_CREDENTIALS is per-user or oauth: the tool context comes with each request');
};

export function createCredentialRouter(config: Config, opts: RouterOptions): CredentialRouter | undefined {
  const creds = config.credentials;
  if (creds.mode === 'single') return undefined;
  const log = opts.logger.child({ component: 'credentials' });
  const profiles = new ProfileCache(1024);
  const sealFor = createCursorSealer();
  // One guard (pacing, concurrency cap, fair queue per credential, shared 429 pause), one pool and one
  // read cache (scoped by credential) for everyone: Intervals.icu limits by IP, not by account.
  const upstream = createUpstream({ ...config.intervals.limits, timeoutMs: config.intervals.timeoutMs }, { dispatcher: opts.dispatcher });
  const common = { baseUrl: config.intervals.baseUrl, shared: upstream };
  const contextFor = (client: IntervalsClient, athleteIds: readonly string[], credential: string) =>
    createContextFactory({ client, athleteIds, credential, profiles, ...(opts.now ? { now: opts.now } : {}) });

  if (creds.mode === 'per-user') {
    // Everything a person's requests share (deps, client, context, cursor seal) is built on their
    // first request and kept until the users file drops or changes their entry.
    const built = new Map<string, { entry: UserEntry; routed: Routed }>();
    const users = new Users(creds.usersFile, {
      logger: opts.logger,
      pollMs: creds.pollMs,
      // Forget people who left and keys that changed; requests in flight keep what they resolved.
      onReload: (list) => {
        const current = new Set(list);
        for (const [email, b] of built) if (!current.has(b.entry)) built.delete(email);
      },
    });
    const routedFor = (entry: UserEntry): Routed => {
      const hit = built.get(entry.email);
      if (hit && hit.entry === entry) return hit.routed;
      const client = explainingClient(
        new IntervalsClient({
          ...common,
          apiKey: entry.apiKey,
          athleteId: entry.athleteIds[0]!,
          logger: opts.logger.child({ email: entry.email }),
        }),
        { mode: 'per-user', email: entry.email },
      );
      const routed: Routed = {
        mcp: {
          ...opts.base,
          athleteIds: entry.athleteIds,
          readOnly: opts.base.readOnly || entry.readOnly,
          contextFor: contextFor(client, entry.athleteIds, entry.fingerprint),
        },
        info: { credential: entry.fingerprint, cursors: sealFor(entry.fingerprint) },
      };
      built.set(entry.email, { entry, routed });
      return routed;
    };
    return {
      mode: 'per-user',
      route(identity) {
        const entry = users.get(identity?.email);
        if (!entry) {
          log.warn({ email: identity?.email ?? null }, 'request refused: no entry in USERS_FILE for this email');
          return {
            status: 403,
            code: -32001,
            message: `Forbidden: ${identity?.email ? identity.email : 'this identity (no email in the assertion)'} has no Intervals.icu account on this server. Ask its operator to add you to USERS_FILE.`,
          };
        }
        return routedFor(entry);
      },
      reload: () => users.reload('SIGHUP'),
      close: async () => {
        users.close();
        await upstream.guard.close();
      },
      base: opts.base,
    };
  }

  // oauth: one catalogue for everyone (no coach tools: the roster endpoint refuses bearer tokens).
  const athleteIds = ['0'] as const;
  const mcp: McpDeps = { ...opts.base, tools: opts.base.tools.filter((t) => !t.coachOnly), athleteIds, contextFor: noSharedContext };
  const explain = { mode: 'oauth', reconnectUrl: creds.reconnectUrl } as const;
  return {
    mode: 'oauth',
    route(identity, authorization) {
      if (!identity) return { status: 403, code: -32001, message: 'Forbidden: no verified Pomerium identity.' };
      const token = bearerToken(authorization);
      if (!token) {
        log.info({ email: identity.email ?? null }, 'no Intervals.icu token in the request: answering 401 so Pomerium asks for consent');
        return {
          status: 401,
          code: -32001,
          message:
            'Unauthorized: this connection has no Intervals.icu authorization yet. Reconnect the connector; Pomerium will ask you to allow access on Intervals.icu.',
        };
      }
      // A client for this request only: the token lives as long as the request does. The client
      // fingerprints it (and tags its log lines with that) once; the request reuses that name.
      const raw = new IntervalsClient({
        ...common,
        bearerToken: token,
        athleteId: '0',
        logger: identity.email ? opts.logger.child({ email: identity.email }) : opts.logger,
      });
      const credential = raw.credentialKey;
      const client = explainingClient(raw, explain);
      return { mcp, info: { credential, contextFor: contextFor(client, athleteIds, credential), cursors: sealFor(credential) } };
    },
    reload: () => true,
    close: () => upstream.guard.close(),
    base: mcp,
  };
}

/**
 * The token of a single `Authorization: Bearer <token>` header, else undefined. Any visible ASCII is
 * accepted: refusing a token Pomerium did inject would answer 401, and Pomerium would loop on it.
 */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer +([\x21-\x7e]{1,4096}) *$/i.exec(header);
  return m?.[1];
}
