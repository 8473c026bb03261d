/**
 * The question suite end to end: every question's calls succeed and its facts hold. Token counts are
 * deterministic, so the total is held to a budget; `npm run tokens` prints them per question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../support/harness.js';
import { QUESTIONS_BUDGET } from './budget.js';
import { QUESTIONS, type World } from './questions.js';
import { type Answered, answer, questionStack } from './run.js';

describe('question suite', () => {
  let stack: Stack;
  let world: World;
  const answered: Answered[] = [];
  beforeAll(async () => {
    ({ stack, world } = await questionStack());
  });
  afterAll(async () => {
    await stack.close();
  });

  it('has at least 40 questions, each answered with at least one call', () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(40);
  });

  // In order: the write questions come last and build on the same fake.
  for (const q of QUESTIONS) {
    it(q.q, async () => {
      const a = await answer(q, world);
      answered.push(a);
      expect(a.error).toBeUndefined();
      expect(a.calls.length).toBeGreaterThan(0);
    });
  }

  it(`costs at most ${QUESTIONS_BUDGET.toLocaleString('en-US')} tokens in all`, () => {
    expect(answered).toHaveLength(QUESTIONS.length);
    const total = answered.reduce((s, a) => s + a.tokens, 0);
    expect(total).toBeLessThanOrEqual(QUESTIONS_BUDGET);
  });
});
