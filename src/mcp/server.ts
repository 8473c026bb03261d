/**
 * The MCP server factory and the one registration loop. Only src/mcp/ imports the SDK server API, so
 * a move to SDK v2 touches these files alone. A new server is built for every HTTP request
 * (stateless transport); everything expensive (client, caches, logger) is shared through `deps`.
 */
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import * as z from 'zod';
import type { Logger } from '../logger.js';
import type { ContextFactory } from '../tools/support/context.js';
import type { AnyTool as ToolDefinition } from '../tools/support/tool.js';
import { appToolMeta, registerApps } from './apps.js';
import { describeError, fail, ok, type ToolResult } from './results.js';

export const SERVER_NAME = 'intervals-mcp';

export const INSTRUCTIONS =
  "Intervals.icu training data for one athlete (or a coach's athletes). Dates are YYYY-MM-DD in the athlete's time zone, from 1990-01-01 to two years ahead. " +
  'Fetch the data before advising and quote concrete numbers. Writes take dry_run: preview the change, confirm with the user, then write. ' +
  'A long list returns next: pass it back as cursor for the following page. Workout text syntax: resource intervals://workout-syntax.';

export interface McpDeps {
  tools: readonly ToolDefinition[];
  contextFor: ContextFactory;
  athleteIds: readonly string[];
  readOnly: boolean;
  logger: Logger;
  version: string;
  /** Optional extra registrations (prompts, resources). */
  extras?: (server: McpServer) => void;
  /** MCP Apps views (APPS): `_meta.ui` on their tools in tools/list and the ui:// resources. */
  apps?: boolean;
}

export interface RequestInfo {
  /** Verified identity (Pomerium), for the tool-call log line. */
  email?: string | undefined;
  requestId?: string | undefined;
  /** Fingerprint of the caller's Intervals.icu credential (a hash, never the secret), for the log line. */
  credential?: string | undefined;
  /** This request's tool context (oauth: built on the caller's token); default `deps.contextFor`. */
  contextFor?: ContextFactory | undefined;
  /** Binds cursors to the caller (src/credentials): sealed into `next`, checked on `cursor`. */
  cursors?: CursorSeal | undefined;
}

/** Ties a cursor to one credential and athlete, so a cursor minted for one person cannot page another's data. */
export interface CursorSeal {
  seal(cursor: string, athleteId: string): string;
  /** The tool's own cursor back, or an InputError when it was sealed for someone else. */
  open(cursor: string, athleteId: string): string;
}

/** Tools exposed under this configuration: READ_ONLY removes every tool whose annotations say it writes; coach tools need coach mode. */
export function exposedTools(deps: Pick<McpDeps, 'tools' | 'readOnly' | 'athleteIds'>): readonly ToolDefinition[] {
  const coach = deps.athleteIds.length > 1;
  return deps.tools.filter((t) => !(deps.readOnly && !t.annotations.readOnlyHint) && !(t.coachOnly && !coach));
}

/** The input schema as the client sees it: coach mode adds `athlete_id`; unknown keys are refused. */
export function inputSchemaFor(tool: ToolDefinition, athleteIds: readonly string[]): z.ZodObject {
  const coach = athleteIds.length > 1;
  const base =
    tool.athleteScoped && coach
      ? tool.input.extend({
          athlete_id: z
            .enum(athleteIds as [string, ...string[]])
            .optional()
            .describe(`Default ${athleteIds[0]}`),
        })
      : tool.input;
  return base.strict();
}

const ANY_ARGUMENTS = z.looseObject({});

/** No string argument is longer than this (a long workout description is a few thousand). */
export const MAX_STRING_LENGTH = 20_000;

/** The first over-long string in the arguments, by path. */
function overlong(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.length > MAX_STRING_LENGTH ? path : undefined;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = overlong(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return undefined;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Validation errors as one line per parameter, naming it and the allowed form, never echoing the
 * value (it may be huge or hostile).
 */
export function invalidArguments(tool: ToolDefinition, schema: z.ZodObject, error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = Object.keys(schema.shape).join(', ') || 'none';
      return `unknown parameter ${issue.keys.map(clip).join(', ')} (parameters: ${allowed})`;
    }
    const where = issue.path.map((p) => clip(String(p))).join('.') || 'arguments';
    return `${where}: ${issue.message}`;
  });
  return `Invalid arguments for ${tool.name}: ${lines.join('; ')}.`;
}

/** What every request under one configuration shares, derived from `deps` once rather than per request. */
interface Prepared {
  /** The exposed tools with the input schema each is validated against. */
  readonly exposed: readonly Exposed[];
  readonly byName: ReadonlyMap<string, Exposed>;
  readonly names: readonly string[];
  /** tools/list, built on first use. */
  catalogue?: Tool[];
}

interface Exposed {
  tool: ToolDefinition;
  schema: z.ZodObject;
}

const prepared = new WeakMap<McpDeps, Prepared>();

function prepare(deps: McpDeps): Prepared {
  let p = prepared.get(deps);
  if (!p) {
    const exposed = exposedTools(deps).map((tool) => ({ tool, schema: inputSchemaFor(tool, deps.athleteIds) }));
    p = { exposed, byName: new Map(exposed.map((e) => [e.tool.name, e])), names: exposed.map((e) => e.tool.name) };
    prepared.set(deps, p);
  }
  return p;
}

let ajv: AjvJsonSchemaValidator | undefined;

/**
 * One JSON-schema validator for every per-request server. Without it the SDK builds a new Ajv with
 * all its formats for each server, i.e. for every POST (7–10 % of the CPU of a call), although the
 * server side only uses it for elicitation, which these tools never do. Created on first use.
 */
export const sharedJsonSchemaValidator: jsonSchemaValidator = {
  getValidator(schema) {
    ajv ??= new AjvJsonSchemaValidator();
    return ajv.getValidator(schema);
  },
};

/**
 * What a server must be able to answer: `all`, or one tools/call of the named tool. A POST that
 * carries nothing but one tools/call gets a server with that tool alone, without the other tools,
 * prompts, resources and views: registering them was most of the cost of building a server per
 * request, and a tools/call answer cannot depend on them (capabilities are announced only in
 * `initialize`, which always gets the full server). A name that is not an exposed tool gets every
 * tool, so the SDK's "not found" answer is the usual one.
 */
export type ServerScope = 'all' | { call: string };

export function createMcpServer(deps: McpDeps, info: RequestInfo = {}, scope: ServerScope = 'all'): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: deps.version },
    { instructions: INSTRUCTIONS, capabilities: { logging: {} }, jsonSchemaValidator: sharedJsonSchemaValidator },
  );
  const { exposed, byName, names } = prepare(deps);
  const called = scope === 'all' ? undefined : byName.get(scope.call);
  for (const { tool, schema } of called ? [called] : exposed) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        // The SDK passes arguments through; runTool validates them against the real schema so a
        // mistake comes back as a tool error the model can correct, not a protocol error.
        inputSchema: ANY_ARGUMENTS,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      async (args: Record<string, unknown>, extra: { signal?: AbortSignal }) => runTool(deps, tool, schema, args, extra.signal, info),
    );
  }
  // The catalogue is the same for every request: serve it from a cache built once per deps, without
  // the `$schema` and `execution` boilerplate the SDK adds to every tool (tokens the model pays for).
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalogue(deps) }));
  if (scope === 'all') {
    deps.extras?.(server);
    if (deps.apps) registerApps(server, names);
  }
  return server;
}

/** tools/list as JSON Schema (draft-07), computed once per configuration. */
export function catalogue(deps: McpDeps): Tool[] {
  const p = prepare(deps);
  p.catalogue ??= p.exposed.map(({ tool, schema }) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(schema, 'input'),
    outputSchema: shallow(jsonSchema(tool.output, 'output')),
    annotations: wireAnnotations(tool.annotations),
    ...appToolMeta(deps.apps, tool.name),
  }));
  return p.catalogue;
}

/**
 * The hints as tools/list sends them: every definition states all four (the registry test enforces
 * it), the wire drops what the spec already implies. `readOnlyHint` always goes out; for a read
 * tool the destructive and idempotent hints are meaningless (MCP: "meaningful only when
 * readOnlyHint == false"); otherwise a hint goes out only where it differs from the spec's default
 * (destructive: true, idempotent: false, open world: true). ~340 catalogue tokens, no meaning lost.
 */
export function wireAnnotations(a: ToolDefinition['annotations']): Tool['annotations'] {
  const write = !a.readOnlyHint;
  return {
    readOnlyHint: a.readOnlyHint,
    ...(write && !a.destructiveHint ? { destructiveHint: false } : {}),
    ...(write && a.idempotentHint ? { idempotentHint: true } : {}),
    ...(a.openWorldHint ? {} : { openWorldHint: false }),
  };
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-07', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return slim(rest) as Tool['inputSchema'];
}

/**
 * The JSON schemas describe shape for the client and the model; the server validates arguments and
 * results with zod itself (unknown argument keys are still refused). Drop the keywords that only
 * repeat the obvious (`additionalProperties: false`, `propertyNames` of string, empty `items` or
 * `properties`), which would otherwise be a third of the catalogue.
 */
function slim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(slim);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'additionalProperties' && v === false) continue;
    if (k === 'propertyNames') continue;
    if ((k === 'items' || k === 'properties' || k === 'additionalProperties') && isEmptyObject(v)) continue;
    out[k] = slim(v);
  }
  return out;
}

/**
 * Output schemas in tools/list keep the top level (each key and its type) and drop nested detail:
 * clients get the shape they can rely on, the model (which is not shown output schemas) pays
 * nothing for the rest, and the server still validates every result against the full zod schema.
 */
function shallow(schema: Tool['inputSchema']): Tool['outputSchema'] {
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!props) return schema;
  const top = Object.fromEntries(
    Object.entries(props).map(([k, v]) => {
      const { properties: _p, items: _i, required: _r, additionalProperties: _a, ...rest } = v;
      return [k, rest];
    }),
  );
  return { ...schema, properties: top } as Tool['outputSchema'];
}

const isEmptyObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

async function runTool(
  deps: McpDeps,
  tool: ToolDefinition,
  schema: z.ZodObject,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
  info: RequestInfo,
): Promise<ToolResult> {
  const started = performance.now();
  const athleteArg = args.athlete_id;
  const athleteId = typeof athleteArg === 'string' ? athleteArg : undefined;
  const log = deps.logger.child({
    tool: tool.name,
    ...(info.email ? { email: info.email } : {}),
    ...(info.credential ? { credential: info.credential } : {}),
    ...(info.requestId ? { reqId: info.requestId } : {}),
  });
  const refuse = (message: string) => {
    log.info({ status: 'error', kind: 'input', ms: Math.round(performance.now() - started) }, 'tool call');
    return fail(message);
  };
  const long = overlong(args, '');
  if (long) return refuse(`Invalid arguments for ${tool.name}: ${long} is longer than ${MAX_STRING_LENGTH} characters.`);
  if (athleteId !== undefined && !deps.athleteIds.includes(athleteId)) {
    return refuse(`athlete_id ${clip(athleteId)} is not one of the configured athletes (${deps.athleteIds.join(', ')}).`);
  }
  const parsed = schema.safeParse(args);
  if (!parsed.success) return refuse(invalidArguments(tool, schema, parsed.error));
  const { athlete_id: _athlete, ...input } = parsed.data as Record<string, unknown>;
  try {
    const ctx = (info.contextFor ?? deps.contextFor)(athleteId, signal);
    const sealedFor = ctx.athleteId;
    if (info.cursors && typeof input.cursor === 'string') input.cursor = info.cursors.open(input.cursor, sealedFor);
    const data = await tool.handler(input, ctx);
    if (info.cursors && typeof (data as { next?: unknown }).next === 'string') {
      (data as { next: string }).next = info.cursors.seal((data as { next: string }).next, sealedFor);
    }
    log.info({ status: 'ok', ms: Math.round(performance.now() - started), ...(athleteId ? { athlete: athleteId } : {}) }, 'tool call');
    return ok(data as Record<string, unknown>);
  } catch (err) {
    const ref = randomUUID().slice(0, 8);
    const { kind, message } = describeError(err, ref);
    const ms = Math.round(performance.now() - started);
    if (kind === 'internal') log.error({ status: 'error', kind, ms, ref, err }, 'tool call');
    else log.info({ status: 'error', kind, ms }, 'tool call');
    return fail(message);
  }
}
