/**
 * The registration loop, seen from an SDK client over an in-memory transport: which tools are
 * exposed, coach mode's athlete_id, argument refusal, error mapping, the result shape, the cached
 * catalogue and the one log line per call. The tools are fakes; no Intervals.icu client is used.
 */
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import type { IntervalsClient } from '../intervals/client.js';
import { IntervalsError } from '../intervals/errors.js';
import { createLogger } from '../logger.js';
import type { ContextFactory } from '../tools/support/context.js';
import { type AnyTool, defineTool, READ, type ToolContext, WRITE } from '../tools/support/tool.js';
import { catalogue, createMcpServer, type McpDeps, wireAnnotations } from './server.js';

const NOW = new Date('2026-04-06T12:00:00Z');
const SECRET = 'database password is hunter2';

/** Calls the fake handlers saw: (tool, args, athleteId). */
let seen: { tool: string; args: Record<string, unknown>; athleteId: string }[];

const echo = defineTool({
  name: 'echo_text',
  title: 'Echo',
  description: 'Echo the text back for the athlete.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    text: z.string(),
    times: z.number().int().min(1).default(1),
    fail: z.enum(['input', 'intervals', 'internal', 'null']).optional(),
  }),
  output: z.object({ text: z.string(), athlete: z.string(), nested: z.object({ list: z.array(z.number()) }) }),
  async handler(args, ctx) {
    seen.push({ tool: 'echo_text', args, athleteId: ctx.athleteId });
    if (args.fail === 'input') throw new InputError('oldest (2026-04-06) is after newest (2026-04-01); swap them.');
    if (args.fail === 'intervals')
      throw new IntervalsError('not_found', 'Not found on Intervals.icu (404): activity i1. Check the id.', 404);
    if (args.fail === 'internal') throw new Error(SECRET);
    if (args.fail === 'null') throw null; // not even an Error
    return { text: args.text.repeat(args.times), athlete: ctx.athleteId, nested: { list: [1, 2.5, -3] } };
  },
});

const save = defineTool({
  name: 'save_note',
  title: 'Save a note',
  description: 'Write a note to the calendar.',
  annotations: WRITE,
  input: z.object({ note: z.string().max(10) }),
  output: z.object({ saved: z.boolean() }),
  async handler(args, ctx) {
    seen.push({ tool: 'save_note', args, athleteId: ctx.athleteId });
    return { saved: true };
  },
});

const athletes = defineTool({
  name: 'list_athletes',
  title: 'Athletes',
  description: 'The coached athletes.',
  annotations: READ,
  coachOnly: true,
  input: z.object({}),
  output: z.object({ ids: z.array(z.string()) }),
  async handler(args, ctx) {
    seen.push({ tool: 'list_athletes', args, athleteId: ctx.athleteId });
    return { ids: [...ctx.athleteIds] };
  },
});

const TOOLS: readonly AnyTool[] = [echo, save, athletes];

// ------------------------------------------------------------------------------------------ wiring

let lines: string[];
let contextFor: ReturnType<typeof vi.fn<ContextFactory>>;
let open: { close(): Promise<void> }[];

function stubContextFor(athleteIds: readonly string[]) {
  return vi.fn<ContextFactory>(
    (athleteId, signal): ToolContext => ({
      client: {} as IntervalsClient,
      athleteId: athleteId ?? athleteIds[0]!,
      athleteIds,
      athlete: async () => ({ id: athleteId ?? athleteIds[0]!, timezone: 'UTC' }),
      timezone: async () => 'UTC',
      today: async () => '2026-04-06',
      now: () => NOW,
      assertAllowedOwner: async () => undefined,
      signal,
    }),
  );
}

function makeDeps(opts: { athleteIds?: readonly string[]; readOnly?: boolean; tools?: readonly AnyTool[] } = {}): McpDeps {
  const athleteIds = opts.athleteIds ?? ['i1'];
  contextFor = stubContextFor(athleteIds);
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return {
    tools: opts.tools ?? TOOLS,
    contextFor,
    athleteIds,
    readOnly: opts.readOnly ?? false,
    logger: createLogger('info', sink),
    version: '9.9.9-test',
  };
}

async function connect(deps: McpDeps): Promise<Client> {
  const server = createMcpServer(deps, { email: 'coach@example.com', requestId: 'req-1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'server-test', version: '0' });
  await client.connect(clientSide);
  open.push(client, server);
  return client;
}

/** Log lines for tool calls, parsed. */
const toolLines = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'tool call');

const textOf = (r: Awaited<ReturnType<Client['callTool']>>) => (r.content as { type: string; text: string }[])[0]!.text;

beforeEach(() => {
  seen = [];
  lines = [];
  open = [];
});

afterEach(async () => {
  for (const o of open.reverse()) await o.close();
});

// ------------------------------------------------------------------------------------------ exposure

describe('which tools are exposed', () => {
  it('single athlete, writable: reads and writes, no coach-only tools', async () => {
    const client = await connect(makeDeps());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['echo_text', 'save_note']);
  });

  it('READ_ONLY hides every writing tool, and calling one fails', async () => {
    const client = await connect(makeDeps({ readOnly: true }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['echo_text']);
    const r = await client.callTool({ name: 'save_note', arguments: { note: 'x' } });
    expect(r.isError).toBe(true);
    expect(seen).toEqual([]);
  });

  it('coach mode exposes coach-only tools; READ_ONLY still hides writes', async () => {
    const coach = await connect(makeDeps({ athleteIds: ['i1', 'i2', 'i3'] }));
    expect((await coach.listTools()).tools.map((t) => t.name)).toEqual(['echo_text', 'save_note', 'list_athletes']);
    const ro = await connect(makeDeps({ athleteIds: ['i1', 'i2'], readOnly: true }));
    expect((await ro.listTools()).tools.map((t) => t.name)).toEqual(['echo_text', 'list_athletes']);
  });

  it('a coach-only tool cannot be called outside coach mode', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'list_athletes', arguments: {} });
    expect(r.isError).toBe(true);
    expect(seen).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ athlete_id

describe('coach mode athlete_id', () => {
  it('athlete-scoped tools get an optional athlete_id enum of the configured athletes; other tools do not', async () => {
    const client = await connect(makeDeps({ athleteIds: ['i1', 'i2'] }));
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    const echoProps = byName.echo_text!.inputSchema.properties as Record<string, Record<string, unknown>>;
    expect(echoProps.athlete_id).toMatchObject({ type: 'string', enum: ['i1', 'i2'] });
    expect(echoProps.athlete_id!.description).toContain('i1');
    expect(byName.echo_text!.inputSchema.required).toEqual(['text']);
    expect(byName.save_note!.inputSchema.properties).not.toHaveProperty('athlete_id');
    expect(byName.list_athletes!.inputSchema.properties ?? {}).not.toHaveProperty('athlete_id');
  });

  it('single-athlete mode has no athlete_id and refuses one', async () => {
    const client = await connect(makeDeps({ athleteIds: ['i1'] }));
    const { tools } = await client.listTools();
    expect(tools[0]!.inputSchema.properties).not.toHaveProperty('athlete_id');
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'x', athlete_id: 'i1' } });
    expect(r.isError).toBe(true);
    expect(seen).toEqual([]);
    expect(contextFor).not.toHaveBeenCalled();
  });

  it('routes the call to the chosen athlete and strips athlete_id from the handler arguments', async () => {
    const client = await connect(makeDeps({ athleteIds: ['i1', 'i2'] }));
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'hi', athlete_id: 'i2' } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toEqual({ text: 'hi', athlete: 'i2', nested: { list: [1, 2.5, -3] } });
    expect(seen).toEqual([{ tool: 'echo_text', args: { text: 'hi', times: 1 }, athleteId: 'i2' }]);
    expect(contextFor).toHaveBeenCalledTimes(1);
    expect(contextFor.mock.calls[0]![0]).toBe('i2');
  });

  it('without athlete_id the default (first) athlete is used', async () => {
    const client = await connect(makeDeps({ athleteIds: ['i1', 'i2'] }));
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'hi' } });
    expect(r.structuredContent).toMatchObject({ athlete: 'i1' });
    expect(contextFor.mock.calls[0]![0]).toBeUndefined();
  });

  it.each(['i9', '', 'I1', 'i1 '])('an athlete_id outside the list (%j) is refused without calling the handler', async (id) => {
    const client = await connect(makeDeps({ athleteIds: ['i1', 'i2'] }));
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'hi', athlete_id: id } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('athlete_id');
    expect(seen).toEqual([]);
    expect(contextFor).not.toHaveBeenCalled();
  });

  it('athlete_id on a tool that is not athlete-scoped is refused', async () => {
    const client = await connect(makeDeps({ athleteIds: ['i1', 'i2'] }));
    const r = await client.callTool({ name: 'save_note', arguments: { note: 'x', athlete_id: 'i2' } });
    expect(r.isError).toBe(true);
    expect(seen).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ arguments

describe('argument validation', () => {
  it('refuses unknown argument keys', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'x', txet: 'typo' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('txet');
    expect(seen).toEqual([]);
  });

  it('refuses arguments that fail the tool schema, and missing required ones', async () => {
    const client = await connect(makeDeps());
    for (const args of [{ text: 1 }, {}, { text: 'x', times: 0 }]) {
      const r = await client.callTool({ name: 'echo_text', arguments: args });
      expect(r.isError).toBe(true);
    }
    const r = await client.callTool({ name: 'save_note', arguments: { note: 'far too long for ten' } });
    expect(r.isError).toBe(true);
    expect(seen).toEqual([]);
  });

  it('applies schema defaults before the handler runs', async () => {
    const client = await connect(makeDeps());
    await client.callTool({ name: 'echo_text', arguments: { text: 'ab', times: 2 } });
    await client.callTool({ name: 'echo_text', arguments: { text: 'ab' } });
    expect(seen.map((s) => s.args)).toEqual([
      { text: 'ab', times: 2 },
      { text: 'ab', times: 1 },
    ]);
  });

  it('an unknown tool is an error', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'no_such_tool', arguments: {} });
    expect(r.isError).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------ results

describe('results', () => {
  it('carry the same data as compact JSON text and as structuredContent', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'héllo "q"', times: 2 } });
    expect(r.isError).toBeFalsy();
    expect(r.content).toHaveLength(1);
    expect((r.content as { type: string }[])[0]!.type).toBe('text');
    const data = { text: 'héllo "q"héllo "q"', athlete: 'i1', nested: { list: [1, 2.5, -3] } };
    expect(r.structuredContent).toStrictEqual(data);
    expect(textOf(r)).toBe(JSON.stringify(r.structuredContent));
    expect(JSON.parse(textOf(r))).toStrictEqual(r.structuredContent);
    expect(textOf(r)).not.toMatch(/\n/); // compact
  });

  it('an InputError is a tool error with exactly its message', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'input' } });
    expect(r).toMatchObject({ isError: true });
    expect(r.content).toEqual([{ type: 'text', text: 'oldest (2026-04-06) is after newest (2026-04-01); swap them.' }]);
    expect(r.structuredContent).toBeUndefined();
  });

  it('an IntervalsError is a tool error with exactly its message', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'intervals' } });
    expect(r.isError).toBe(true);
    expect(r.content).toEqual([{ type: 'text', text: 'Not found on Intervals.icu (404): activity i1. Check the id.' }]);
    expect(r.structuredContent).toBeUndefined();
  });

  it('an unexpected Error is an internal error with a reference and never its message', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'internal' } });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(/^Internal error \(reference [0-9a-f]{8}\)\. The server log has the details\.$/);
    expect(text).not.toContain('hunter2');
    expect(JSON.stringify(r)).not.toContain('hunter2');
    // The log carries the details and the same reference.
    const ref = /reference ([0-9a-f]{8})/.exec(text)![1];
    const [line] = toolLines();
    expect(line).toMatchObject({ level: 50, tool: 'echo_text', status: 'error', kind: 'internal', ref });
    expect(JSON.stringify(line)).toContain('hunter2');
  });

  it('each internal error gets its own reference', async () => {
    const client = await connect(makeDeps());
    const a = textOf(await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'internal' } }));
    const b = textOf(await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'internal' } }));
    expect(a).not.toBe(b);
  });

  it('a thrown non-Error value is an internal error too', async () => {
    const client = await connect(makeDeps());
    const r = await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'null' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^Internal error \(reference [0-9a-f]{8}\)/);
  });
});

// ------------------------------------------------------------------------------------------ catalogue

describe('catalogue()', () => {
  const hasKeyDeep = (node: unknown, key: string): boolean =>
    !!node && typeof node === 'object' && Object.entries(node).some(([k, v]) => k === key || hasKeyDeep(v, key));

  it('has no $schema or execution, and the hints the spec does not already imply', () => {
    const list = catalogue(makeDeps({ athleteIds: ['i1', 'i2'] }));
    expect(list.map((t) => t.name)).toEqual(['echo_text', 'save_note', 'list_athletes']);
    for (const t of list) {
      expect(hasKeyDeep(t, '$schema')).toBe(false);
      expect(t).not.toHaveProperty('execution');
      expect(Object.keys(t).sort()).toEqual(['annotations', 'description', 'inputSchema', 'name', 'outputSchema', 'title']);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(typeof t.annotations?.readOnlyHint).toBe('boolean');
    }
    expect(list[0]!.annotations).toEqual({ readOnlyHint: true });
    expect(list[1]!.annotations).toEqual({ readOnlyHint: false, destructiveHint: false });
  });

  it('wireAnnotations keeps every hint that differs from the spec default, and only those', () => {
    expect(wireAnnotations(READ)).toEqual({ readOnlyHint: true });
    expect(wireAnnotations(WRITE)).toEqual({ readOnlyHint: false, destructiveHint: false });
    expect(wireAnnotations({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true })).toEqual({
      readOnlyHint: false,
      idempotentHint: true,
    });
    expect(wireAnnotations({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false })).toEqual({
      readOnlyHint: false,
      openWorldHint: false,
    });
  });

  it('input schemas describe what the client may send (defaults optional)', () => {
    const [tool] = catalogue(makeDeps());
    expect(tool!.inputSchema.required).toEqual(['text']);
    expect(Object.keys(tool!.inputSchema.properties ?? {})).toEqual(['text', 'times', 'fail']);
    expect(tool!.outputSchema!.required).toEqual(['text', 'athlete', 'nested']);
  });

  it('is cached per deps object and rebuilt for another one', () => {
    const deps = makeDeps();
    const a = catalogue(deps);
    expect(catalogue(deps)).toBe(a);
    const other = makeDeps();
    const b = catalogue(other);
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
  });

  it('is what tools/list serves, for every server built from the same deps', async () => {
    const deps = makeDeps({ athleteIds: ['i1', 'i2'] });
    const first = await connect(deps);
    const second = await connect(deps);
    const expected = JSON.parse(JSON.stringify(catalogue(deps))) as unknown;
    expect((await first.listTools()).tools).toEqual(expected);
    expect((await second.listTools()).tools).toEqual(expected);
    expect(catalogue(deps)).toBe(catalogue(deps));
  });
});

// ------------------------------------------------------------------------------------------ logging

describe('logging', () => {
  it('one line per tool call with tool, status and ms', async () => {
    const client = await connect(makeDeps({ athleteIds: ['i1', 'i2'] }));
    await client.callTool({ name: 'echo_text', arguments: { text: 'x' } });
    expect(toolLines()).toHaveLength(1);
    await client.callTool({ name: 'echo_text', arguments: { text: 'x', athlete_id: 'i2' } });
    await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'input' } });
    await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'intervals' } });
    await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'internal' } });
    await client.callTool({ name: 'list_athletes', arguments: {} });
    const logged = toolLines();
    expect(logged).toHaveLength(6);
    for (const l of logged) {
      expect(typeof l.tool).toBe('string');
      expect(['ok', 'error']).toContain(l.status);
      expect(typeof l.ms).toBe('number');
      expect(l.ms).toBeGreaterThanOrEqual(0);
      expect(l).toMatchObject({ service: 'intervals-mcp', email: 'coach@example.com', reqId: 'req-1' });
    }
    expect(logged.map((l) => [l.tool, l.status, l.kind ?? null, l.level])).toEqual([
      ['echo_text', 'ok', null, 30],
      ['echo_text', 'ok', null, 30],
      ['echo_text', 'error', 'input', 30],
      ['echo_text', 'error', 'not_found', 30],
      ['echo_text', 'error', 'internal', 50],
      ['list_athletes', 'ok', null, 30],
    ]);
    expect(logged[0]).not.toHaveProperty('athlete');
    expect(logged[1]).toMatchObject({ athlete: 'i2' });
  });

  it('does not log arguments, results or expected error messages', async () => {
    const client = await connect(makeDeps());
    await client.callTool({ name: 'echo_text', arguments: { text: 'private-note-text' } });
    await client.callTool({ name: 'echo_text', arguments: { text: 'x', fail: 'input' } });
    const all = lines.join('\n');
    expect(all).not.toContain('private-note-text');
    expect(all).not.toContain('swap them');
  });
});
