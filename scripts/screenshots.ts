/**
 * `npm run screenshots [outDir]`: PNGs of the three MCP Apps views for the README, drawn the way the
 * browser test draws them: the real server on the fake athlete (today = 2026-11-24), each view's
 * HTML from resources/read, a real tool result, headless Chromium (/usr/bin/chromium) through the
 * ext-apps test host. Writes docs/screenshots/ unless given another folder.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shoot, type ThemeName, type ToolCallResult, ViewKit } from '../test/browser/kit.js';
import { startStack } from '../test/support/harness.js';
import { buildViews } from '../views/build.js';

interface Shot {
  file: string;
  tool: string;
  uri: string;
  args: Record<string, unknown>;
  theme: ThemeName;
  width: number;
}

export const SHOTS: Shot[] = [
  { file: 'form-light.png', tool: 'get_fitness', uri: 'ui://intervals/form.html', args: {}, theme: 'light', width: 720 },
  { file: 'form-dark-375.png', tool: 'get_fitness', uri: 'ui://intervals/form.html', args: {}, theme: 'dark', width: 375 },
  {
    file: 'week-light.png',
    tool: 'get_weekly_review',
    uri: 'ui://intervals/week.html',
    args: { weeks: 2, project_to: '2027-01-05' },
    theme: 'light',
    width: 720,
  },
  { file: 'week-dark-375.png', tool: 'get_weekly_review', uri: 'ui://intervals/week.html', args: { weeks: 2 }, theme: 'dark', width: 375 },
  { file: 'curves-light.png', tool: 'get_curves', uri: 'ui://intervals/curves.html', args: {}, theme: 'light', width: 720 },
  {
    file: 'curves-pace-dark-375.png',
    tool: 'get_curves',
    uri: 'ui://intervals/curves.html',
    args: { kind: 'pace' },
    theme: 'dark',
    width: 375,
  },
];

const outDir = resolve(process.argv[2] ?? 'docs/screenshots');
mkdirSync(outDir, { recursive: true });
await buildViews();
const stack = await startStack();
const kit = await ViewKit.launch();
let failed = false;
try {
  for (const s of SHOTS) {
    const html = ((await stack.client.readResource({ uri: s.uri })).contents[0] as { text: string }).text;
    const result = (await stack.client.callTool({ name: s.tool, arguments: s.args })) as ToolCallResult;
    const r = await kit.render({ html, toolName: s.tool, args: s.args, result, theme: s.theme, width: s.width });
    await shoot(r, join(outDir, s.file));
    if (r.errors.length || r.requests.length) {
      failed = true;
      process.stderr.write(`${s.file}: errors ${JSON.stringify(r.errors)}, requests ${JSON.stringify(r.requests)}\n`);
    }
    await r.close();
    process.stdout.write(`${join(outDir, s.file)}\n`);
  }
} finally {
  await kit.close();
  await stack.close();
}
if (failed) process.exit(1);
