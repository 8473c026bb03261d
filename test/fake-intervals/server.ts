/**
 * A deterministic fake Intervals.icu HTTP server (node:http only) for tests, benchmarks and demos.
 * Routes live under /api/v1 like the real API; see README.md in this folder.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ActivityRecord,
  type AthleteState,
  addCoachedAthlete,
  addDays,
  athleteCurves,
  athleteSummary,
  blankWellness,
  bulkCreateEvents,
  bulkDeleteEvents,
  type CurveKind,
  createEvent,
  createSampleAthlete,
  dayNum,
  deleteEvent,
  extraProfile,
  type FakeState,
  findActivity,
  findSportSettings,
  generateAthlete,
  isValidDate,
  type Json,
  markEventDone,
  normalizeLocalDateTime,
  putWellness,
  sortEvents,
  todayInTimeZone,
  updateEvent,
  updateSportSettings,
} from './data.js';
import { bestEfforts, generateStreams, STREAM_VALUE_TYPES } from './sim.js';

export interface FakeOptions {
  /** API key accepted as Basic API_KEY:<key>. Default 'test-api-key'. */
  apiKey?: string;
  /** OAuth access tokens accepted as Bearer (default none). */
  bearerTokens?: string[];
  /** 'YYYY-MM-DD' local date of the athlete that counts as today; default: today in Pacific/Auckland. */
  today?: string;
  /** Artificial latency per request in ms (default 0). */
  latencyMs?: number;
  /** Extra athletes coached by the sample athlete (e.g. ['i222222']), generated with other seeds. */
  extraAthletes?: string[];
  /**
   * Other people's Intervals.icu accounts, each with its own athlete, API key and OAuth tokens. A
   * credential reads only its own athlete (`0`) and the athletes it coaches: anything else is 403.
   * The default key and `bearerTokens` keep their access (the sample athlete and `extraAthletes`).
   */
  accounts?: FakeAccount[];
  /**
   * An OAuth app for `POST /api/oauth/token` (form: client_id, client_secret, code; any other
   * parameter, such as Pomerium's code_verifier and resource, is ignored). `codes` maps an
   * authorization code to an account token (see `accounts`).
   */
  oauthApp?: { clientId: string; clientSecret: string; codes: Record<string, string> };
}

/** All scope areas with WRITE: what a full OAuth consent grants. */
export const FULL_SCOPE = 'ACTIVITY:WRITE,WELLNESS:WRITE,CALENDAR:WRITE,SETTINGS:WRITE,LIBRARY:WRITE';
/** Every area readable, nothing writable. */
export const READ_SCOPE = 'ACTIVITY:READ,WELLNESS:READ,CALENDAR:READ,SETTINGS:READ,LIBRARY:READ';

export interface FakeToken {
  token: string;
  /** Comma-separated `AREA:READ|WRITE` (WRITE implies READ); default FULL_SCOPE. */
  scope?: string;
  /** The person revoked the app: every request with it is 401. */
  revoked?: boolean;
}

export interface FakeAccount {
  /** The account's own athlete (generated from its id's seed, Europe/London), e.g. 'i200001'. */
  athleteId: string;
  apiKey: string;
  tokens?: FakeToken[];
  /** Athletes this account coaches (ids of accounts, the sample athlete or extraAthletes). */
  coaches?: string[];
}

/** Who a request authenticated as, and what that credential may reach. */
interface Principal {
  scheme: 'basic' | 'bearer';
  /** The athlete `0` stands for. */
  ownerId: string;
  /** Athletes this credential may read or change. */
  may(athleteId: string): boolean;
  /** Granted scopes (bearer tokens only); null = unrestricted. */
  scope: Set<string> | null;
}

/** The OAuth scope area of an API path (the real mapping is not documented; this is the fake's). */
export function scopeAreaOfPath(p: string): string {
  if (/\/wellness/.test(p)) return 'WELLNESS';
  if (/\/events/.test(p)) return 'CALENDAR';
  if (/\/(folders|workouts)/.test(p)) return 'LIBRARY';
  if (/^\/athlete\/[^/]+(\/sport-settings.*)?$/.test(p)) return 'SETTINGS';
  return 'ACTIVITY';
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. '/api/v1/athlete/0/activities'. */
  path: string;
  query: Record<string, string>;
  /** Whether an Authorization header was sent. */
  hasAuthorization: boolean;
  authScheme: 'Basic' | 'Bearer' | 'Other' | null;
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text if not JSON, or undefined if empty. */
  body: unknown;
  /** Status the fake answered with. */
  status?: number;
}

export interface FailNextOptions {
  /** How many consecutive requests fail (default 1). */
  times?: number;
  /** Value of a Retry-After header to send. */
  retryAfter?: string;
  /** Raw body to send (JSON content type if it parses as JSON, text/plain otherwise). */
  body?: string;
}

export interface FakeIntervals {
  /** Base URL, e.g. 'http://127.0.0.1:43121' (append '/api/v1/...'). */
  url: string;
  close(): Promise<void>;
  state: FakeState;
  requests: RecordedRequest[];
  /** Makes the next N requests answer `status` (before auth and routing). */
  failNext(status: number, opts?: FailNextOptions): void;
  /** The sample athlete's "today". */
  today: string;
}

const DEFAULT_API_KEY = 'test-api-key';
const SAMPLE_TZ = 'Pacific/Auckland';

class HttpError extends Error {
  constructor(
    public status: number,
    public body: unknown,
    public headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

const err = (status: number, error: string) => new HttpError(status, { status, error });
const required = (name: string) => err(422, `Required request parameter '${name}' is not present`);
const notFound = (path: string) =>
  new HttpError(404, { timestamp: new Date().toISOString().replace('Z', '+00:00'), status: 404, error: 'Not Found', path });
const strava422 = () => err(422, 'Cannot read Strava activities via the API');

function project(obj: Json, fields: string[] | null, keepId: boolean): Json {
  if (!fields) return obj;
  const out: Json = {};
  if (keepId && obj['id'] !== undefined && obj['id'] !== null) out['id'] = obj['id'];
  for (const f of fields) {
    const v = obj[f];
    if (v !== null && v !== undefined) out[f] = v;
  }
  return out;
}

/** Comma-separated and/or repeated query parameter (Spring accepts both). */
function listParam(q: URLSearchParams, name: string): string[] | null {
  const all = q.getAll(name);
  return all.length ? csvList(all.join(',')) : null;
}

function csvList(v: string | null): string[] | null {
  if (v === null) return null;
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return parts;
}

function parseIntParam(v: string | null): number | null {
  if (v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** Creates the request handler over a state (exported for in-process use). */
export function createFakeHandler(
  state: FakeState,
  opts: {
    apiKey?: string;
    bearerTokens?: string[];
    latencyMs?: number;
    requests?: RecordedRequest[];
    accounts?: FakeAccount[];
    oauthApp?: FakeOptions['oauthApp'];
  } = {},
): { handler: http.RequestListener; failNext: FakeIntervals['failNext']; requests: RecordedRequest[] } {
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const tokens = new Set(opts.bearerTokens ?? []);
  // Accounts: athletes they own are out of the default credential's reach.
  const accounts = opts.accounts ?? [];
  const accountOwned = new Set(accounts.map((a) => a.athleteId));
  const defaultPrincipal = (scheme: 'basic' | 'bearer'): Principal => ({
    scheme,
    ownerId: state.ownerId,
    may: (id) => !accountOwned.has(id),
    scope: null,
  });
  const accountPrincipal = (a: FakeAccount, scheme: 'basic' | 'bearer', scope: string | null): Principal => {
    const reach = new Set([a.athleteId, ...(a.coaches ?? [])]);
    return {
      scheme,
      ownerId: a.athleteId,
      may: (id) => reach.has(id),
      scope: scope === null ? null : new Set(scope.split(',').map((x) => x.trim().toUpperCase())),
    };
  };
  const byKey = new Map(accounts.map((a) => [a.apiKey, a]));
  const byToken = new Map(accounts.flatMap((a) => (a.tokens ?? []).map((t) => [t.token, { account: a, token: t }] as const)));
  const requests = opts.requests ?? [];
  const failQueue: { status: number; times: number; retryAfter?: string; body?: string }[] = [];
  const streamCache = new Map<string, Record<string, number[]>>();

  const failNext = (status: number, o: FailNextOptions = {}) => {
    const entry: { status: number; times: number; retryAfter?: string; body?: string } = { status, times: Math.max(1, o.times ?? 1) };
    if (o.retryAfter !== undefined) entry.retryAfter = o.retryAfter;
    if (o.body !== undefined) entry.body = o.body;
    failQueue.push(entry);
  };

  const streamsOf = (rec: ActivityRecord): Record<string, number[]> => {
    let s = streamCache.get(rec.id);
    if (!s) {
      if (!rec.sim) return {};
      s = generateStreams(rec.sim);
      streamCache.set(rec.id, s);
      if (streamCache.size > 8) {
        const first = streamCache.keys().next().value;
        if (first !== undefined) streamCache.delete(first);
      }
    }
    return s;
  };

  const nowIso = () => new Date().toISOString().replace('Z', '+00:00');

  function authenticate(req: http.IncomingMessage): Principal {
    const h = req.headers.authorization;
    if (!h) throw err(401, 'Unauthorized');
    const sp = h.indexOf(' ');
    const scheme = (sp < 0 ? h : h.slice(0, sp)).toLowerCase();
    const cred = sp < 0 ? '' : h.slice(sp + 1).trim();
    if (scheme === 'basic') {
      const bad = /[^A-Za-z0-9+/=]/.exec(cred);
      if (bad) throw err(500, `java.lang.IllegalArgumentException: Illegal base64 character ${bad[0].charCodeAt(0).toString(16)}`);
      if (cred.length % 4 !== 0 || /=[^=]/.test(cred)) {
        throw err(500, `java.lang.IllegalArgumentException: Input byte array has wrong 4-byte ending unit`);
      }
      const decoded = Buffer.from(cred, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) throw err(401, 'Unauthorized');
      if (decoded.slice(0, i) === 'API_KEY' && decoded.slice(i + 1) === apiKey) return defaultPrincipal('basic');
      const account = decoded.slice(0, i) === 'API_KEY' ? byKey.get(decoded.slice(i + 1)) : undefined;
      if (account) return accountPrincipal(account, 'basic', null);
      throw err(401, 'Unauthorized');
    }
    if (scheme === 'bearer') {
      if (tokens.has(cred)) return defaultPrincipal('bearer');
      const held = byToken.get(cred);
      if (held) {
        if (held.token.revoked) throw err(401, 'Unauthorized');
        return accountPrincipal(held.account, 'bearer', held.token.scope ?? FULL_SCOPE);
      }
      if (cred === apiKey || byKey.has(cred)) throw err(403, 'Access denied');
      throw err(401, 'Unauthorized');
    }
    throw err(401, 'Unauthorized');
  }

  // The credential of the request being routed (set in the handler before route() runs).
  let who: Principal = defaultPrincipal('basic');

  function athleteOf(idParam: string): AthleteState {
    const id = idParam === '0' ? who.ownerId : idParam;
    const ath = state.athletes.get(id);
    if (!ath || !who.may(id)) throw err(403, 'Access denied');
    return ath;
  }

  function activityOf(id: string, path: string): ActivityRecord {
    const found = findActivity(state, id);
    if (!found) throw notFound(path);
    if (!who.may(found.ath.id)) throw err(403, 'Access denied');
    return found.rec;
  }

  /** A bearer token must hold the path's area: READ (or WRITE) to read, WRITE to change. */
  function checkScope(method: string, path: string) {
    if (!who.scope) return;
    const area = scopeAreaOfPath(path.slice('/api/v1'.length));
    const ok = method === 'GET' ? who.scope.has(`${area}:READ`) || who.scope.has(`${area}:WRITE`) : who.scope.has(`${area}:WRITE`);
    if (!ok) throw err(403, `Access denied: the token lacks ${area}:${method === 'GET' ? 'READ' : 'WRITE'}`);
  }

  function eventOf(ath: AthleteState, idStr: string, path: string): Json {
    const id = Number(idStr);
    const ev = ath.events.find((e) => e['id'] === id);
    if (!ev) throw notFound(path);
    return ev;
  }

  function dateParam(q: URLSearchParams, name: string): string | null {
    const v = q.get(name);
    if (v === null || v === '') return null;
    const d = v.slice(0, 10);
    if (!isValidDate(d)) throw err(422, `Invalid date [${v}] for parameter '${name}'`);
    return d;
  }

  function route(method: string, path: string, q: URLSearchParams, body: unknown, scheme: 'basic' | 'bearer'): unknown {
    checkScope(method, path);
    const p = path.slice('/api/v1'.length);
    let m: RegExpExecArray | null;
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, { timestamp: nowIso(), status: 405, error: 'Method Not Allowed', path });
    };
    const obj = (b: unknown): Json => {
      if (!b || typeof b !== 'object' || Array.isArray(b)) throw err(422, 'Expected a JSON object body');
      return b as Json;
    };

    // ---- athletes the caller coaches (API key only)
    if (p === '/athletes') {
      allow('GET');
      if (scheme === 'bearer') throw err(403, 'Access denied');
      const owner = state.athletes.get(who.ownerId);
      const others = [...state.athletes.values()].filter((a) => a.id !== who.ownerId && who.may(a.id));
      return [owner, ...others]
        .filter((a): a is AthleteState => a !== undefined)
        .map((a) => ({ ...a.athlete, icu_tags: [], icu_notes: null }));
    }

    // ---- athlete & sport settings
    if ((m = /^\/athlete\/([^/]+)$/.exec(p))) {
      allow('GET');
      const ath = athleteOf(m[1]!);
      return { ...ath.athlete, sportSettings: ath.sportSettings, custom_items: [] };
    }
    if ((m = /^\/athlete\/([^/]+)\/sport-settings$/.exec(p))) {
      allow('GET');
      return athleteOf(m[1]!).sportSettings;
    }
    if ((m = /^\/athlete\/([^/]+)\/sport-settings\/([^/]+)$/.exec(p))) {
      allow('GET', 'PUT');
      const ath = athleteOf(m[1]!);
      const key = decodeURIComponent(m[2]!);
      if (method === 'GET') {
        const ss = findSportSettings(ath, key);
        if (!ss) throw notFound(path);
        return ss;
      }
      if (q.get('recalcHrZones') === null) throw required('recalcHrZones');
      const r = updateSportSettings(ath, key, body, nowIso());
      if (!r.ok) throw r.status === 404 ? notFound(path) : err(r.status, r.error);
      return r.settings;
    }

    // ---- activities
    if ((m = /^\/athlete\/([^/]+)\/activities$/.exec(p))) {
      allow('GET');
      const ath = athleteOf(m[1]!);
      const oldestRaw = q.get('oldest');
      if (oldestRaw === null) throw required('oldest');
      const oldest = normalizeLocalDateTime(oldestRaw);
      if (!oldest) throw err(422, `Invalid date [${oldestRaw}] for parameter 'oldest'`);
      const newestRaw = q.get('newest');
      const newest = newestRaw ? normalizeLocalDateTime(newestRaw, true) : '9999-12-31T23:59:59';
      if (!newest) throw err(422, `Invalid date [${newestRaw}] for parameter 'newest'`);
      const limit = parseIntParam(q.get('limit'));
      const fields = listParam(q, 'fields');
      let list = ath.activities.filter((a) => a.startLocal >= oldest && a.startLocal <= newest);
      if (limit !== null && limit >= 0) list = list.slice(0, limit);
      // Stubs are projected like any record (the worst case): the client must ask for `_note`.
      return list.map((a) => project(a.json, fields, true));
    }
    if ((m = /^\/athlete\/([^/]+)\/activities\/(search|search-full)$/.exec(p))) {
      allow('GET');
      const ath = athleteOf(m[1]!);
      const qs = q.get('q');
      if (qs === null) throw required('q');
      const limit = parseIntParam(q.get('limit'));
      const needle = qs.trim().toLowerCase();
      let list = ath.activities.filter((a) => {
        if (a.stub) return false;
        if (needle.startsWith('#')) {
          const tag = needle.slice(1);
          const tags = a.json['tags'];
          return Array.isArray(tags) && tags.some((t) => String(t).toLowerCase() === tag);
        }
        return String(a.json['name'] ?? '')
          .toLowerCase()
          .includes(needle);
      });
      if (limit !== null && limit >= 0) list = list.slice(0, limit);
      if (m[2] === 'search-full') return list.map((a) => a.json);
      return list.map((a) => ({
        id: a.json['id'],
        name: a.json['name'],
        start_date_local: a.json['start_date_local'],
        type: a.json['type'],
        race: a.json['race'],
        distance: a.json['distance'],
        moving_time: a.json['moving_time'],
        tags: a.json['tags'],
        description: a.json['description'],
      }));
    }
    if ((m = /^\/athlete\/([^/]+)\/activities\/([^/]+)$/.exec(p))) {
      allow('GET');
      const ath = athleteOf(m[1]!);
      const ids = decodeURIComponent(m[2]!).split(',');
      const withIntervals = q.get('intervals') === 'true';
      const out: Json[] = [];
      for (const id of ids) {
        const rec = ath.activities.find((a) => a.id === id.trim());
        if (!rec) continue;
        out.push(
          rec.stub || !withIntervals
            ? rec.json
            : { ...rec.json, icu_intervals: rec.summary?.intervals ?? [], icu_groups: rec.summary?.groups ?? [] },
        );
      }
      return out;
    }
    if ((m = /^\/activity\/([^/]+)$/.exec(p))) {
      allow('GET');
      const rec = activityOf(decodeURIComponent(m[1]!), path);
      if (rec.stub) return rec.json;
      if (q.get('intervals') === 'true')
        return { ...rec.json, icu_intervals: rec.summary?.intervals ?? [], icu_groups: rec.summary?.groups ?? [] };
      return rec.json;
    }
    if ((m = /^\/activity\/([^/]+)\/intervals$/.exec(p))) {
      allow('GET');
      const rec = activityOf(decodeURIComponent(m[1]!), path);
      if (rec.stub) throw strava422();
      return {
        id: rec.id,
        analyzed: rec.json['analyzed'],
        icu_intervals: rec.summary?.intervals ?? [],
        icu_groups: rec.summary?.groups ?? [],
      };
    }
    if ((m = /^\/activity\/([^/]+)\/streams(\.[A-Za-z]+)?$/.exec(p))) {
      allow('GET');
      const rec = activityOf(decodeURIComponent(m[1]!), path);
      if (rec.stub) throw strava422();
      const all = streamsOf(rec);
      const requested = listParam(q, 'types');
      const types = requested?.length ? requested : Object.keys(all);
      const present = types.filter((t) => all[t] !== undefined);
      if ((m[2] ?? '').toLowerCase() === '.csv') {
        const n = all['time']?.length ?? 0;
        const lines = [present.join(',')];
        for (let i = 0; i < n; i++) lines.push(present.map((t) => String(all[t]?.[i] ?? '')).join(','));
        throw new HttpError(200, `${lines.join('\n')}\n`, { 'content-type': 'text/csv' });
      }
      return present.map((t) => ({
        type: t,
        name: null,
        data: all[t],
        data2: null,
        valueType: STREAM_VALUE_TYPES[t] ?? 'java.lang.Float',
        valueTypeIsArray: false,
        anomalies: null,
        custom: false,
        allNull: false,
      }));
    }
    if ((m = /^\/activity\/([^/]+)\/best-efforts$/.exec(p))) {
      allow('GET');
      const rec = activityOf(decodeURIComponent(m[1]!), path);
      if (rec.stub) throw strava422();
      const stream = q.get('stream');
      if (stream === null) throw required('stream');
      const duration = parseIntParam(q.get('duration'));
      const distance = q.get('distance') !== null ? Number(q.get('distance')) : null;
      if (duration === null && (distance === null || !Number.isFinite(distance))) throw err(422, 'One of duration or distance is required');
      const o: { duration?: number; distance?: number; count?: number; minValue?: number } = {};
      if (duration !== null) o.duration = duration;
      else if (distance !== null) o.distance = distance;
      const count = parseIntParam(q.get('count'));
      if (count !== null) o.count = count;
      const minValue = q.get('minValue');
      if (minValue !== null && Number.isFinite(Number(minValue))) o.minValue = Number(minValue);
      return { efforts: bestEfforts(streamsOf(rec), stream, o) };
    }

    // ---- athlete curves
    if ((m = /^\/athlete\/([^/]+)\/(power|hr|pace)-curves(\.json)?$/.exec(p))) {
      allow('GET');
      const ath = athleteOf(m[1]!);
      const kind = m[2] as CurveKind;
      const type = q.get('type');
      if (kind === 'power' && (type === null || type === '')) throw required('type');
      const r = athleteCurves(ath, kind, type, listParam(q, 'curves') ?? [], q.get('newest'));
      if (!r.ok) throw err(r.status, r.error);
      return r.body;
    }

    // ---- wellness
    if ((m = /^\/athlete\/([^/]+)\/wellness(\.json)?$/.exec(p))) {
      allow('GET');
      const ath = athleteOf(m[1]!);
      const oldest = dateParam(q, 'oldest') ?? ath.firstDay;
      const newest = dateParam(q, 'newest') ?? ath.today;
      const fields = listParam(q, 'fields');
      return [...ath.wellness.values()]
        .filter((w) => String(w['id']) >= oldest && String(w['id']) <= newest)
        .sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1))
        .map((w) => project(w, fields, true));
    }
    if ((m = /^\/athlete\/([^/]+)\/wellness\/([^/]+)$/.exec(p))) {
      allow('GET', 'PUT');
      const ath = athleteOf(m[1]!);
      const date = decodeURIComponent(m[2]!);
      if (!isValidDate(date)) throw err(422, `Invalid date [${date}]`);
      if (method === 'GET') return ath.wellness.get(date) ?? blankWellness(date);
      const r = putWellness(ath, date, body, nowIso());
      if (!r.ok) throw err(r.status, r.error);
      return r.record;
    }

    // ---- events
    if ((m = /^\/athlete\/([^/]+)\/events(\.json)?$/.exec(p))) {
      allow('GET', 'POST');
      const ath = athleteOf(m[1]!);
      if (method === 'POST') {
        if (m[2]) throw notFound(path);
        const r = createEvent(ath, obj(body), nowIso());
        if (!r.ok) throw err(r.status, r.error);
        return r.event;
      }
      const oldest = dateParam(q, 'oldest') ?? ath.today;
      const newest = dateParam(q, 'newest') ?? addDays(oldest, 6);
      const cats = listParam(q, 'category');
      const limit = parseIntParam(q.get('limit'));
      const o = dayNum(oldest);
      const n = dayNum(newest);
      let list = sortEvents(ath.events).filter((e) => {
        if (cats?.length && !cats.includes(String(e['category']))) return false;
        const s = String(e['start_date_local']);
        const sd = dayNum(s);
        const endStr = typeof e['end_date_local'] === 'string' ? (e['end_date_local'] as string) : null;
        let ed = endStr ? dayNum(endStr) + (endStr.slice(11) > '00:00:00' ? 1 : 0) : sd + 1;
        if (ed <= sd) ed = sd + 1;
        return sd <= n && ed > o;
      });
      if (limit !== null && limit >= 0) list = list.slice(0, limit);
      return list;
    }
    if ((m = /^\/athlete\/([^/]+)\/events\/bulk$/.exec(p))) {
      allow('POST');
      const ath = athleteOf(m[1]!);
      const r = bulkCreateEvents(ath, body, q.get('upsert') === 'true', nowIso());
      if (!r.ok) throw err(r.status, r.error);
      return r.events;
    }
    if ((m = /^\/athlete\/([^/]+)\/events\/bulk-delete$/.exec(p))) {
      allow('PUT');
      const ath = athleteOf(m[1]!);
      const r = bulkDeleteEvents(ath, body);
      if (!r.ok) throw err(r.status, r.error);
      return { eventsDeleted: r.eventsDeleted };
    }
    if ((m = /^\/athlete\/([^/]+)\/events\/(\d+)\/mark-done$/.exec(p))) {
      allow('POST');
      const done = markEventDone(athleteOf(m[1]!), Number(m[2]));
      if (!done) throw notFound(path);
      return done;
    }
    if ((m = /^\/athlete\/([^/]+)\/events\/([^/]+)$/.exec(p))) {
      allow('GET', 'PUT', 'DELETE');
      const ath = athleteOf(m[1]!);
      if (!/^\d+$/.test(m[2]!)) throw notFound(path);
      const ev = eventOf(ath, m[2]!, path);
      const id = ev['id'] as number;
      if (method === 'GET') return ev;
      if (method === 'DELETE') {
        deleteEvent(ath, id);
        return { id };
      }
      const r = updateEvent(ath, id, obj(body), nowIso());
      if (!r.ok) throw r.status === 404 ? notFound(path) : err(r.status, r.error);
      return r.event;
    }

    // ---- library
    if ((m = /^\/athlete\/([^/]+)\/folders$/.exec(p))) {
      allow('GET');
      return athleteOf(m[1]!).folders;
    }
    if ((m = /^\/athlete\/([^/]+)\/workouts$/.exec(p))) {
      allow('GET');
      return athleteOf(m[1]!).workouts;
    }

    // ---- summary
    if ((m = /^\/athlete\/([^/]+)\/athlete-summary(\.json)?$/.exec(p))) {
      allow('GET');
      return athleteSummary(athleteOf(m[1]!), q.get('start'), q.get('end'));
    }

    throw notFound(path);
  }

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const isText = typeof body === 'string';
    const payload = isText ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': isText ? 'text/plain' : 'application/json',
      ...headers,
      'content-length': String(Buffer.byteLength(payload)),
    });
    res.end(payload);
  };

  /** `POST /api/oauth/token`: the code exchange of the Intervals.icu OAuth flow. */
  function exchangeCode(form: string): { status: number; body: unknown } {
    const app = opts.oauthApp;
    const f = new URLSearchParams(form);
    if (!app || f.get('client_id') !== app.clientId || f.get('client_secret') !== app.clientSecret) {
      return { status: 401, body: { status: 401, error: 'invalid_client' } };
    }
    const token = app.codes[f.get('code') ?? ''];
    const held = token ? byToken.get(token) : undefined;
    if (!held) return { status: 400, body: { status: 400, error: 'invalid_grant' } };
    const ath = state.athletes.get(held.account.athleteId);
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        access_token: token,
        scope: held.token.scope ?? FULL_SCOPE,
        athlete: { id: ath?.id, name: ath?.athlete['name'] },
      },
    };
  }

  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake.invalid');
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        let bodyError: string | null = null;
        if (raw.length > 0) {
          try {
            body = JSON.parse(raw);
          } catch (e) {
            body = raw;
            const ct = String(req.headers['content-type'] ?? '');
            if (ct.includes('json') || /^\s*[[{]/.test(raw)) bodyError = `JSON parse error: ${(e as Error).message}`;
          }
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const auth = req.headers.authorization;
        const scheme = auth ? (/^basic /i.test(auth) ? 'Basic' : /^bearer /i.test(auth) ? 'Bearer' : 'Other') : null;
        const query: Record<string, string> = {};
        for (const [k, v] of url.searchParams) query[k] = v;
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query,
          hasAuthorization: auth !== undefined,
          authScheme: scheme,
          headers,
          body,
        };
        requests.push(recorded);
        if (opts.latencyMs && opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));

        const fail = failQueue[0];
        if (fail) {
          fail.times--;
          if (fail.times <= 0) failQueue.shift();
          const h: Record<string, string> = {};
          if (fail.retryAfter !== undefined) h['retry-after'] = fail.retryAfter;
          recorded.status = fail.status;
          if (fail.body !== undefined) {
            let isJson = false;
            try {
              JSON.parse(fail.body);
              isJson = true;
            } catch {
              isJson = false;
            }
            res.writeHead(fail.status, {
              'content-type': isJson ? 'application/json' : 'text/plain',
              ...h,
              'content-length': String(Buffer.byteLength(fail.body)),
            });
            res.end(fail.body);
            return;
          }
          const text: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
          const t = text[fail.status];
          if (t !== undefined) send(res, fail.status, t, h);
          else send(res, fail.status, { status: fail.status, error: http.STATUS_CODES[fail.status] ?? 'Error' }, h);
          return;
        }

        try {
          if (url.pathname === '/api/oauth/token' && req.method === 'POST') {
            const token = exchangeCode(raw);
            recorded.status = token.status;
            send(res, token.status, token.body);
            return;
          }
          if (!url.pathname.startsWith('/api/v1/')) throw notFound(url.pathname);
          who = authenticate(req);
          if (bodyError) throw err(400, bodyError);
          const out = route(req.method ?? 'GET', url.pathname, url.searchParams, body, who.scheme);
          recorded.status = 200;
          send(res, 200, out);
        } catch (e) {
          if (e instanceof HttpError) {
            recorded.status = e.status;
            send(res, e.status, e.body, e.headers);
          } else {
            recorded.status = 500;
            send(res, 500, { status: 500, error: `java.lang.RuntimeException: ${(e as Error).message}` });
          }
        }
      })();
    });
  };

  return { handler, failNext, requests };
}

/** Starts the fake on 127.0.0.1 (random port by default). */
export async function startFakeIntervals(opts: FakeOptions & { port?: number; host?: string } = {}): Promise<FakeIntervals> {
  const today = opts.today ?? todayInTimeZone(SAMPLE_TZ);
  const state = createSampleAthlete(today);
  for (const id of opts.extraAthletes ?? []) {
    if (!state.athletes.has(id)) addCoachedAthlete(state, id, opts.today);
  }
  for (const account of opts.accounts ?? []) {
    if (state.athletes.has(account.athleteId)) throw new Error(`fake account athlete ${account.athleteId} already exists`);
    const profile = extraProfile(account.athleteId, state.athletes.size);
    state.athletes.set(account.athleteId, generateAthlete(profile, opts.today ?? todayInTimeZone(profile.timezone), false));
  }
  const handlerOpts: Parameters<typeof createFakeHandler>[1] = {};
  if (opts.accounts !== undefined) handlerOpts.accounts = opts.accounts;
  if (opts.oauthApp !== undefined) handlerOpts.oauthApp = opts.oauthApp;
  if (opts.apiKey !== undefined) handlerOpts.apiKey = opts.apiKey;
  if (opts.bearerTokens !== undefined) handlerOpts.bearerTokens = opts.bearerTokens;
  if (opts.latencyMs !== undefined) handlerOpts.latencyMs = opts.latencyMs;
  const { handler, failNext, requests } = createFakeHandler(state, handlerOpts);
  const server = http.createServer(handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    state,
    requests,
    failNext,
    today,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
