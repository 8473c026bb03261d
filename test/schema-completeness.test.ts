/**
 * "Right on the first call" (issue 9): walks tools/list as a client receives it, in every
 * configuration that changes it, and fails on any parameter a model could not fill in from the
 * schema alone: no type, an array without typed items, an object without properties, a closed set
 * that is not an enum, a date without its format.
 */

import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CATEGORIES } from '../src/domain/events.js';
import { STREAM_TYPES } from '../src/tools/support/normalise.js';
import { type Stack, startStack } from './support/harness.js';

type Schema = Record<string, unknown>;

/** Parameters whose values are a closed set, with the set (any leaf of that name must be this enum). */
const CLOSED_SETS: Record<string, readonly (string | number)[]> = {
  category: EVENT_CATEGORIES,
  kind: ['power', 'hr', 'pace'],
  types: STREAM_TYPES,
  sleep_quality: [1, 2, 3, 4],
  soreness: [1, 2, 3, 4],
  fatigue: [1, 2, 3, 4],
  stress: [1, 2, 3, 4],
  mood: [1, 2, 3, 4],
  motivation: [1, 2, 3, 4],
  injury: [1, 2, 3, 4],
  hydration: [1, 2, 3, 4],
  athlete_id: ['i111111', 'i222222'],
};

/** Parameters that hold a date. */
const DATE_PARAM = /^(date|oldest|newest|end|project_to|compare_oldest|compare_newest)$/;

/** A description that spells out a closed set in words instead of an enum (`one of A, B, C`). */
const LISTED_VALUES = /\bone of\b|\b[A-Z][A-Z_]{2,}(?:, [A-Z][A-Z_]{2,}){2,}/;

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/** Every problem of one parameter schema (and its items and properties), by path. */
function schemaProblems(node: Schema, path: string): string[] {
  const out: string[] = [];
  const name = path
    .split(/[.[\]]+/)
    .filter(Boolean)
    .at(-1)!;
  const types = ([] as unknown[]).concat(node.type ?? []);
  if (!types.length || !types.every((t) => typeof t === 'string' && TYPES.has(t))) out.push(`${path}: no JSON Schema type`);
  if (types.includes('array')) {
    const items = node.items as Schema | undefined;
    if (!items || typeof items !== 'object') out.push(`${path}: array without typed items`);
    else out.push(...schemaProblems(items, `${path}[]`));
  }
  if (types.includes('object')) {
    const props = node.properties as Record<string, Schema> | undefined;
    if (!props || !Object.keys(props).length) out.push(`${path}: object without properties`);
    else for (const [k, v] of Object.entries(props)) out.push(...schemaProblems(v, `${path}.${k}`));
  }
  const closed = CLOSED_SETS[name];
  if (closed && !types.includes('array')) {
    const values = node.enum as unknown[] | undefined;
    if (!values) out.push(`${path}: a closed set, not an enum`);
    else if (!closed.every((v) => values.includes(v)) && name !== 'athlete_id')
      out.push(`${path}: enum lacks ${closed.filter((v) => !values.includes(v)).join(', ')}`);
  }
  if (typeof node.description === 'string' && !node.enum && LISTED_VALUES.test(node.description)) {
    out.push(`${path}: description lists values; make them an enum`);
  }
  if (DATE_PARAM.test(name) && node.format !== 'date') out.push(`${path}: a date without "format":"date" (YYYY-MM-DD)`);
  return out;
}

/** Every problem of one tool's input schema. */
function toolProblems(tool: Tool): string[] {
  const schema = tool.inputSchema as Schema;
  const out: string[] = [];
  if (schema.type !== 'object') out.push(`${tool.name}: input is not an object`);
  for (const [k, v] of Object.entries((schema.properties as Record<string, Schema>) ?? {}))
    out.push(...schemaProblems(v, `${tool.name}.${k}`));
  return out;
}

describe('schema completeness', () => {
  let stack: Stack;
  let tools: Tool[];
  beforeAll(async () => {
    // Coach mode lists every tool (list_athletes, athlete_id) on top of the default catalogue.
    stack = await startStack({ env: { INTERVALS_ATHLETE_IDS: 'i222222' }, fake: { extraAthletes: ['i222222'] } });
    tools = (await stack.client.listTools()).tools;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('every parameter of every tool is typed; arrays have typed items, objects their properties, closed sets are enums, dates say their format', () => {
    expect(tools.length).toBeGreaterThanOrEqual(18);
    expect(tools.flatMap(toolProblems)).toEqual([]);
  });

  it('upsert_events items are the create_event fields (plus the required external_id)', () => {
    const by = new Map(tools.map((t) => [t.name, t.inputSchema as Schema]));
    const create = by.get('create_event')!.properties as Record<string, Schema>;
    const items = (by.get('upsert_events')!.properties as Record<string, Schema>).events!.items as Schema;
    const itemProps = items.properties as Record<string, Schema>;
    const fields = Object.keys(create).filter((k) => k !== 'dry_run' && k !== 'athlete_id');
    expect(Object.keys(itemProps).sort()).toEqual(fields.sort());
    for (const k of fields)
      expect({ k, type: itemProps[k]!.type, enum: itemProps[k]!.enum }).toEqual({ k, type: create[k]!.type, enum: create[k]!.enum });
    expect(items.required).toEqual(expect.arrayContaining(['date', 'external_id']));
  });

  it('update_wellness.set lists every writable field with its type; scores are the enum 1-4', () => {
    const set = ((tools.find((t) => t.name === 'update_wellness')!.inputSchema as Schema).properties as Record<string, Schema>).set!;
    const props = set.properties as Record<string, Schema>;
    expect(Object.keys(props)).toEqual(
      expect.arrayContaining(['weight', 'resting_hr', 'hrv', 'sleep_hours', 'sleep_quality', 'soreness', 'mood', 'comments', 'locked']),
    );
    expect(props.weight!.type).toBe('number');
    expect(props.comments!.type).toBe('string');
    expect(props.locked!.type).toBe('boolean');
    expect(props.mood).toEqual({ type: 'integer', enum: [1, 2, 3, 4] });
  });

  it('the workout-text guide a model needs is in create_event itself (minutes vs metres, repeats, targets)', () => {
    const text = ((tools.find((t) => t.name === 'create_event')!.inputSchema as Schema).properties as Record<string, Schema>).text!;
    expect(text.description).toMatch(/m = minutes/);
    expect(text.description).toMatch(/mtr/);
    expect(text.description).toMatch(/4x/);
    expect(text.description).toMatch(/% FTP/);
  });

  describe('the checks themselves', () => {
    it('catch an untyped property, an untyped array, a bare object, a closed set as a string, a date without format, values in a description', () => {
      expect(schemaProblems({}, 't.x')).toEqual(['t.x: no JSON Schema type']);
      expect(schemaProblems({ type: 'array' }, 't.x')).toEqual(['t.x: array without typed items']);
      expect(schemaProblems({ type: 'array', items: {} }, 't.x')).toEqual(['t.x[]: no JSON Schema type']);
      expect(schemaProblems({ type: 'object' }, 't.x')).toEqual(['t.x: object without properties']);
      expect(schemaProblems({ type: 'object', properties: { a: {} } }, 't.x')).toEqual(['t.x.a: no JSON Schema type']);
      expect(schemaProblems({ type: 'string' }, 't.category')).toEqual(['t.category: a closed set, not an enum']);
      expect(schemaProblems({ type: 'array', items: { type: 'string' } }, 't.category')).toEqual([
        't.category[]: a closed set, not an enum',
      ]);
      expect(schemaProblems({ type: 'string', enum: ['WORKOUT'] }, 't.category')[0]).toMatch(/enum lacks RACE_A/);
      expect(schemaProblems({ type: 'string' }, 't.oldest')).toEqual(['t.oldest: a date without "format":"date" (YYYY-MM-DD)']);
      expect(schemaProblems({ type: 'string', description: 'WORKOUT, NOTE, RACE_A' }, 't.x')).toEqual([
        't.x: description lists values; make them an enum',
      ]);
      expect(schemaProblems({ type: ['number', 'null'] }, 't.x')).toEqual([]);
    });
  });
});
