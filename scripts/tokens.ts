/**
 * `npm run tokens`: what each tool's answer costs a model, in cl100k tokens, on the sample athlete
 * of the fake Intervals.icu. The model reads either the text content or the structured content
 * (they are the same JSON), so one of them is counted. Budgets are printed beside each figure.
 */
import { getEncoding } from 'js-tiktoken';
import { startStack } from '../test/support/harness.js';
import { SCENARIOS, CATALOGUE_BUDGETS } from '../test/support/token-scenarios.js';

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

const over = rows.filter(([, n, budget]) => budget !== undefined && n > budget).length;
if (process.argv.includes('--markdown')) {
  // The table README.md quotes.
  const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toLocaleString('en-US'));
  console.log('| Answer | Tokens | Budget |\n|---|---:|---:|');
  for (const [label, n, budget] of rows) console.log(`| ${label} | ${fmt(n)} | ${fmt(budget)} |`);
  process.exit(over ? 1 : 0);
}
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`${'answer'.padEnd(width)}  tokens  budget`);
for (const [label, n, budget] of rows) {
  const flag = budget !== undefined && n > budget ? '  OVER' : '';
  console.log(`${label.padEnd(width)}  ${String(n).padStart(6)}  ${budget === undefined ? '     -' : String(budget).padStart(6)}${flag}`);
}
process.exit(over ? 1 : 0);
