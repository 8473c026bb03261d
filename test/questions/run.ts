/**
 * Runs the question suite against a fresh stack (coach mode with a second athlete, so every tool is
 * listed) and records, per question, the calls made and the tokens a model pays: the arguments it
 * writes plus the answers it reads, in cl100k. Shared by the vitest suite and `npm run tokens`.
 */
import { getEncoding } from 'js-tiktoken';
import { SAMPLE_ATHLETE_ID } from '../fake-intervals/index.js';
import { type Stack, startStack, TODAY } from '../support/harness.js';
import { type Ask, QUESTIONS, type Question, type World } from './questions.js';

const enc = getEncoding('cl100k_base');
export const tokens = (s: string) => enc.encode(s).length;

export const COACHED_ID = 'i222222';

export interface Answered {
  q: string;
  calls: string[];
  tokens: number;
  error?: string;
}

export async function questionStack(): Promise<{ stack: Stack; world: World }> {
  const stack = await startStack({ env: { INTERVALS_ATHLETE_IDS: COACHED_ID }, fake: { extraAthletes: [COACHED_ID] } });
  const athletes = stack.fake.state.athletes;
  return { stack, world: { stack, athlete: athletes.get(SAMPLE_ATHLETE_ID)!, coached: athletes.get(COACHED_ID)!, today: TODAY } };
}

/** One question: its calls in order, each costed; a failed check or tool error is reported, not thrown. */
export async function answer(question: Question, world: World): Promise<Answered> {
  const out: Answered = { q: question.q, calls: [], tokens: 0 };
  const ask: Ask = async (tool, args = {}) => {
    const r = await world.stack.client.callTool({ name: tool, arguments: args });
    const text = (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');
    out.calls.push(tool);
    out.tokens += tokens(JSON.stringify(args)) + tokens(text);
    if (r.isError) throw new Error(`${tool} ${JSON.stringify(args)}: ${text}`);
    return r.structuredContent as never;
  };
  try {
    await question.run(ask, world);
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
  }
  return out;
}

/** The whole suite, in order (later questions write to the calendar, wellness and settings). */
export async function runQuestions(): Promise<Answered[]> {
  const { stack, world } = await questionStack();
  try {
    const out: Answered[] = [];
    for (const q of QUESTIONS) out.push(await answer(q, world));
    return out;
  } finally {
    await stack.close();
  }
}
