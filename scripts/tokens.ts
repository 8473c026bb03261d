/**
 * `npm run tokens`: what each tool's answer costs a model, in cl100k tokens, on the sample athlete
 * of the fake Intervals.icu. The model reads either the text content or the structured content
 * (they are the same JSON), so one of them is counted. Budgets are printed beside each figure.
 */
import { getEncoding } from 'js-tiktoken';
import { QUESTIONS_BUDGET } from '../test/questions/budget.js';
import { runQuestions } from '../test/questions/run.js';
import { startStack } from '../test/support/harness.js';
import { CATALOGUE_BUDGETS, SCENARIOS } from '../test/support/token-scenarios.js';

const enc = getEncoding('cl100k_base');
const count = (v: unknown) => enc.encode(typeof v === 'string' ? v : JSON.stringify(v)).length;

const rows: [string, number, number | undefined][] = [];
for (const variant of CATALOGUE_BUDGETS) {
  const stack = await startStack({ env: variant.env });
  const list = await stack.client.listTools();
  const names = new Set(variant.tools ?? list.tools.map((t) => t.name));
  const subset = { tools: list.tools.filter((t) => names.has(t.name)) };
  rows.push([`tools/list: ${variant.label} (${subset.tools.length} tools)`, count(subset), variant.budget]);
  await stack.close();
}

const stack = await startStack({ env: { INTERVALS_ATHLETE_IDS: 'i222222' }, fake: { extraAthletes: ['i222222'] } });
for (const s of SCENARIOS) {
  const r = await stack.client.callTool({ name: s.tool, arguments: s.args });
  if (r.isError) throw new Error(`${s.label}: ${JSON.stringify(r.content)}`);
  const text = (r.content as { text: string }[])[0]!.text;
  if (text !== JSON.stringify(r.structuredContent)) throw new Error(`${s.label}: text and structured content differ`);
  rows.push([s.label, count(text), s.budget]);
}
await stack.close();

// The question suite: per question, the arguments a model writes plus the answers it reads.
const answered = await runQuestions();
const failed = answered.filter((a) => a.error);
const total = answered.reduce((n, a) => n + a.tokens, 0);

const over = rows.filter(([, n, budget]) => budget !== undefined && n > budget).length + (total > QUESTIONS_BUDGET ? 1 : 0) + failed.length;
const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));
if (process.argv.includes('--markdown')) {
  // The tables README.md quotes.
  console.log('| Answer | Tokens | Budget |\n|---|---:|---:|');
  for (const [label, n, budget] of rows) console.log(`| ${label} | ${fmt(n)} | ${fmt(budget)} |`);
  console.log(`\n| Question | Calls | Tokens |\n|---|---|---:|`);
  for (const a of answered) console.log(`| ${a.q} | ${a.calls.join(', ')} | ${fmt(a.tokens)} |`);
  console.log(`| **${answered.length} questions** | ${answered.reduce((n, a) => n + a.calls.length, 0)} calls | **${fmt(total)}** |`);
  process.exit(over ? 1 : 0);
}
const width = Math.max(...rows.map((r) => r[0].length), ...answered.map((a) => a.q.length));
console.log(`${'answer'.padEnd(width)}  tokens  budget`);
for (const [label, n, budget] of rows) {
  const flag = budget !== undefined && n > budget ? '  OVER' : '';
  console.log(`${label.padEnd(width)}  ${String(n).padStart(6)}  ${budget === undefined ? '     -' : String(budget).padStart(6)}${flag}`);
}
console.log(`\n${'question (calls)'.padEnd(width)}  tokens`);
for (const a of answered)
  console.log(`${a.q.padEnd(width)}  ${String(a.tokens).padStart(6)}  ${a.calls.join(', ')}${a.error ? `  FAILED: ${a.error}` : ''}`);
console.log(
  `${`question suite: ${answered.length} questions, ${answered.reduce((n, a) => n + a.calls.length, 0)} calls`.padEnd(width)}  ${String(total).padStart(6)}  budget ${QUESTIONS_BUDGET}${total > QUESTIONS_BUDGET ? '  OVER' : ''}`,
);
process.exit(over ? 1 : 0);
