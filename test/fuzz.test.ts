/**
 * Property-based fuzzing of every tool over real HTTP against the fake Intervals.icu: arguments
 * generated from each tool's own input schema (as tools/list publishes it) by fast-check, plus a
 * hostile corpus per parameter (extreme dates and numbers, huge strings, unicode, path fragments,
 * wrong types, unknown keys). Seeded, so a failure replays; bounded in count.
 *
 * Every call must answer (a hang is what took the server down: get_fitness {newest: 9999-12-31}),
 * invalid input must make no upstream request, no answer may carry the API key, the upstream URL or
 * a stack trace, and the server must still be healthy afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type Stack, startStack } from './support/harness.js';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
};
type Tool = { name: string; inputSchema: JsonSchema };

const SEED = 20261130;
const RUNS_PER_TOOL = 30;
/** A call that has not answered by then is a hang (normal answers take milliseconds). */
const HANG_MS = 5_000;

const HOSTILE_STRINGS = [
  '9999-12-31',
  '0000-01-01',
  '+010000-01-01',
  '1989-12-31',
  '2026-02-30',
  '2026-13-01',
  '20261124',
  '2026-11-24T25:00:00',
  '',
  ' ',
  '../../../etc/passwd',
  '%2e%2e%2fapi%2fv1',
  '?fields=*&oldest=',
  'i0',
  'i99999999999999999999999',
  '\u0000\u0001',
  '🏃‍♀️🚴‍♂️'.repeat(50),
  'ＷＯＲＫＯＵＴ',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'x'.repeat(25_000),
];
const HOSTILE_NUMBERS = [-1, 0, 0.5, -0, 1e21, -1e21, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, 1e-300, 366, 10_000];
const HOSTILE_OTHERS: unknown[] = [null, true, false, [], {}, [null], JSON.parse('{"__proto__": {"polluted": 1}}'), ['9999-12-31']];
const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, ...HOSTILE_OTHERS];

/** Values that fit a date-like string most of the time, so generation reaches past validation. */
const dateLike = fc.oneof(
  fc
    .date({ min: new Date('1980-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('9999-12-31', '0001-01-01', '2026-11-24', '2026-02-29'),
);

/** An arbitrary for one JSON-schema node: valid-looking values mixed with plain junk of the type. */
function arbitraryFor(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), fc.string({ maxLength: 12 }));
  if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => arbitraryFor(x, depth)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return fc.oneof(dateLike, fc.string({ maxLength: 40 }), fc.constantFrom('i1', 'i12345678', 'Ride', 'Run', 'WORKOUT', '- 10m 200w'));
    case 'number':
    case 'integer':
      return fc.oneof(
        fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 500, 1e6) }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...HOSTILE_NUMBERS),
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 2 ? fc.constant([]) : fc.array(arbitraryFor(s.items ?? {}, depth + 1), { maxLength: 4 });
    case 'object':
      return depth > 2 ? fc.constant({}) : objectFor(s, depth + 1);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

function objectFor(s: JsonSchema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryFor(v, depth)]));
  return fc.record(model, { requiredKeys: [] });
}

/** Each parameter set to each hostile value, and a few unknown keys. */
function hostileCases(tool: Tool): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const key of Object.keys(tool.inputSchema.properties ?? {})) {
    for (const value of HOSTILE_VALUES) out.push({ [key]: value });
  }
  out.push({ unknown_key: 1 }, JSON.parse('{"__proto__": {"admin": true}}'), { ['k'.repeat(5000)]: 1 });
  return out;
}

describe('fuzzing every tool', () => {
  let stack: Stack;
  let tools: Tool[];
  let secrets: string[];

  beforeAll(async () => {
    // Coach mode, so the coach-only tool is fuzzed too.
    stack = await startStack({ env: { INTERVALS_ATHLETE_IDS: 'i222222' }, fake: { extraAthletes: ['i222222'] } });
    tools = (await stack.client.listTools()).tools as unknown as Tool[];
    const upstream = new URL(stack.fake.url);
    secrets = [API_KEY, upstream.host, Buffer.from(`API_KEY:${API_KEY}`).toString('base64')];
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function probe(tool: string, args: unknown): Promise<void> {
    const before = stack.fake.requests.length;
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${tool} did not answer within ${HANG_MS} ms for ${JSON.stringify(args).slice(0, 200)}`)),
        HANG_MS,
      );
    });
    const result = await Promise.race([stack.client.callTool({ name: tool, arguments: args as Record<string, unknown> }), hang]).finally(
      () => clearTimeout(timer),
    );
    const text = JSON.stringify(result);
    for (const secret of secrets) expect(text, `${tool} leaked ${secret}`).not.toContain(secret);
    expect(text, `${tool}: a stack trace in the answer`).not.toMatch(/\\n\s+at [\w.<]+ \(|node:internal|file:\/\//);
    if (result.isError) {
      const message = (result.content as { text: string }[])[0]!.text;
      expect(message.length, `${tool}: an error longer than a model should read`).toBeLessThan(2_000);
      if (message.startsWith('Invalid arguments')) {
        expect(stack.fake.requests.length - before, `${tool}: invalid input reached Intervals.icu: ${message}`).toBe(0);
      }
    }
  }

  it('lists every tool with an object input schema', () => {
    expect(tools.length).toBeGreaterThanOrEqual(18);
    for (const t of tools) expect(t.inputSchema.type, t.name).toBe('object');
  });

  it('the call that used to hang answers a tool error: get_fitness {newest: 9999-12-31}', async () => {
    const r = await stack.client.callTool({ name: 'get_fitness', arguments: { newest: '9999-12-31' } });
    expect(r.isError).toBe(true);
    expect((r.content as { text: string }[])[0]!.text).toMatch(
      /newest: must be a real date as YYYY-MM-DD, from 1990-01-01 to two years ahead/,
    );
  });

  it('every hostile value in every parameter of every tool gets a bounded, clean answer', async () => {
    for (const tool of tools) {
      for (const args of hostileCases(tool)) await probe(tool.name, args);
    }
  }, 120_000);

  it('arguments generated from each tool schema get a bounded, clean answer', async () => {
    for (const tool of tools) {
      await fc.assert(
        fc.asyncProperty(objectFor(tool.inputSchema), (args) => probe(tool.name, args)),
        { seed: SEED, numRuns: RUNS_PER_TOOL },
      );
    }
  }, 120_000);

  it('the server is still healthy after all of it', async () => {
    const res = await fetch(`${stack.server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
