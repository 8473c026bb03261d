/**
 * Answer-size budgets (cl100k tokens) on the fake's sample athlete. Token counts are deterministic,
 * so unlike speed they are safe to assert; `npm run tokens` prints the same figures.
 */
import { getEncoding } from 'js-tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/harness.js';
import { CATALOGUE_BUDGETS, SCENARIOS } from './support/token-scenarios.js';

const enc = getEncoding('cl100k_base');
const tokens = (v: unknown) => enc.encode(JSON.stringify(v)).length;

describe('catalogue budgets', () => {
  for (const variant of CATALOGUE_BUDGETS) {
    it(`tools/list, ${variant.label} ≤ ${variant.budget}`, async () => {
      const stack = await startStack({ env: variant.env });
      try {
        const { tools } = await stack.client.listTools();
        const subset = variant.tools ? tools.filter((t) => variant.tools!.includes(t.name)) : tools;
        if (variant.tools) expect(subset.map((t) => t.name).sort()).toEqual([...variant.tools].sort());
        expect(tokens({ tools: subset })).toBeLessThanOrEqual(variant.budget);
      } finally {
        await stack.close();
      }
    });
  }
});

describe('answer budgets', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { INTERVALS_ATHLETE_IDS: 'i222222' }, fake: { extraAthletes: ['i222222'] } });
  });
  afterAll(async () => {
    await stack.close();
  });
  for (const s of SCENARIOS.filter((x) => x.budget !== undefined)) {
    it(`${s.label} ≤ ${s.budget}`, async () => {
      const r = await stack.client.callTool({ name: s.tool, arguments: s.args });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      const text = (r.content as { text: string }[])[0]!.text;
      expect(text).toBe(JSON.stringify(r.structuredContent));
      expect(enc.encode(text).length).toBeLessThanOrEqual(s.budget!);
    });
  }
});
