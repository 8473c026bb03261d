/**
 * The three MCP Apps views in a real browser: headless Chromium (Debian's package, `.ci/run`
 * installs it) runs the test host page (ext-apps AppBridge), which loads each view's HTML, fetched
 * from the running server with resources/read, into a sandboxed iframe and hands it a real tool
 * result of the fake athlete. The checks are what a person would see: lines with one point per day
 * or duration, axis labels and dates from the data, zone bands, the projection dashed, light and
 * dark theme, a 375-px phone width; and no console error, no request leaving the frame.
 */
import { existsSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViews } from '../../views/build.js';
import { type Stack, startStack } from '../support/harness.js';
import { CHROMIUM_PATH, type Rendered, setTheme, settled, type ThemeName, type ToolCallResult, ViewKit } from './kit.js';

type Values = (number | null)[];
interface Fitness {
  daily: { from: string; to: string; ctl: Values; atl: Values; form: Values; load: Values };
  projected_from?: string;
  current?: { date: string; ctl: number; form: number; zone: string };
}
type Table = { columns: string[]; rows: unknown[][] };

const VIEWS = {
  get_fitness: 'ui://intervals/form.html',
  get_weekly_review: 'ui://intervals/week.html',
  get_curves: 'ui://intervals/curves.html',
} as const;
type ToolName = keyof typeof VIEWS;

let stack: Stack;
let kit: ViewKit;
const html = new Map<string, string>();
const open: Rendered[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (.ci/run does this)`);
  }
  await buildViews();
  [stack, kit] = await Promise.all([startStack(), ViewKit.launch()]);
  for (const uri of Object.values(VIEWS)) {
    const r = await stack.client.readResource({ uri });
    html.set(uri, (r.contents[0] as { text: string }).text);
  }
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(open.map((r) => r.close()));
  await kit?.close();
  await stack?.close();
});

async function call(name: string, args: Record<string, unknown>): Promise<ToolCallResult> {
  return (await stack.client.callTool({ name, arguments: args })) as ToolCallResult;
}

async function show(tool: ToolName, args: Record<string, unknown>, theme: ThemeName, width: number, result?: ToolCallResult) {
  const res = result ?? (await call(tool, args));
  const r = await kit.render({ html: html.get(VIEWS[tool])!, toolName: tool, args, result: res, theme, width, callTool: call });
  open.push(r);
  return { r, f: r.frame, data: res.structuredContent as Record<string, unknown> };
}

/** Nothing went wrong that a person would not see: no console error, no request at all. */
function clean(r: Rendered) {
  expect(r.errors).toEqual([]);
  expect(r.requests).toEqual([]);
}

const attr = (f: Frame, sel: string, name: string) => f.locator(sel).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);
const texts = (f: Frame, sel: string) => f.locator(sel).allTextContents();
const vertices = (d: string | null) => (d?.match(/[ML]/g) ?? []).length;
/** A computed style property of the first match (evaluated in the frame; this file has no DOM types). */
type Styles = { getComputedStyle(e: unknown): Record<string, string> };
const style = (f: Frame, sel: string, prop: string) =>
  f
    .locator(sel)
    .first()
    .evaluate((e, p) => (globalThis as unknown as Styles).getComputedStyle(e)[p]!, prop);
const dash = (f: Frame, sel: string) => style(f, sel, 'strokeDasharray');
const js = <T>(f: Frame, expr: string) => f.evaluate<T>(expr);
const nonNull = (v: Values) => v.filter((x) => x !== null).length;
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const short = (d: string) => `${Number(d.slice(8))} ${MONTHS[Number(d.slice(5, 7)) - 1]}`;
const rows = (t: Table) => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));

async function noOverflow(f: Frame, width: number) {
  expect(await js<number>(f, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
  for (const w of await f.locator('svg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right)))
    expect(w).toBeLessThanOrEqual(width);
}

describe('form chart (get_fitness)', () => {
  it('draws a point per day, load bars, zone bands, the projection dashed, month labels', async () => {
    const { r, f, data } = await show('get_fitness', {}, 'light', 720);
    const d = (data as unknown as Fitness).daily;
    const n = d.ctl.length;
    const pf = Math.round((Date.parse(data.projected_from as string) - Date.parse(d.from)) / 86_400_000);
    expect(pf).toBeGreaterThan(0);
    expect(pf).toBeLessThan(n);
    for (const key of ['ctl', 'atl', 'form'] as const) {
      const [solid] = await attr(f, `path.${key}:not(.proj)`, 'd');
      const [proj] = await attr(f, `path.${key}.proj`, 'd');
      expect(vertices(solid ?? null), key).toBe(nonNull(d[key].slice(0, pf)));
      expect(vertices(proj ?? null), key).toBe(nonNull(d[key].slice(pf - 1)));
      expect(await dash(f, `path.${key}:not(.proj)`)).toBe('none');
      expect(await dash(f, `path.${key}.proj`)).not.toBe('none');
    }
    expect(await f.locator('rect.bar').count()).toBe(d.load.filter((v) => v !== null && v > 0).length);
    expect(await f.locator('rect.bar.proj').count()).toBe(d.load.slice(pf).filter((v) => v !== null && v > 0).length);

    // Zone bands: the zones the form values fall in are all shaded, under the tool's names.
    const zones = await attr(f, 'rect.zone', 'data-zone');
    const seen = new Set(
      d.form
        .filter((v): v is number => v !== null)
        .map((v) => (v > 25 ? 'transition' : v > 5 ? 'fresh' : v >= -10 ? 'grey zone' : v >= -30 ? 'optimal' : 'high risk')),
    );
    for (const z of seen) expect(zones).toContain(z);

    // Dates: the range in the header, month labels at the first of each month in the data.
    expect(await f.locator('[data-range]').getAttribute('data-range')).toBe(`${d.from}..${d.to}`);
    expect(await f.locator('[data-range]').textContent()).toContain(`${short(d.from)} – ${short(d.to)} ${d.to.slice(0, 4)}`);
    const labelDates = (await attr(f, 'text.xlabel', 'data-date')) as string[];
    const firsts = Array.from({ length: n }, (_, i) => addDays(d.from, i)).filter((x) => x.endsWith('-01'));
    expect(labelDates).toEqual(firsts);
    expect(await texts(f, 'text.xlabel')).toEqual(firsts.map((x) => MONTHS[Number(x.slice(5, 7)) - 1]));
    expect((await texts(f, 'text.ylabel')).length).toBeGreaterThanOrEqual(6);

    // The readout starts at today's values, and follows the pointer.
    const cur = (data as unknown as Fitness).current!;
    const readout = f.locator('.readout');
    expect(await readout.getAttribute('data-date')).toBe(cur.date);
    expect(await readout.textContent()).toContain(`Form ${Math.round(d.form[pf - 1]!)} ${cur.zone}`);
    const box = (await f.locator('svg').boundingBox())!;
    const i = 10;
    await r.page.mouse.move(box.x + 30 + ((i + 0.5) * (box.width - 36)) / n, box.y + 60);
    await expect.poll(() => readout.getAttribute('data-date')).toBe(addDays(d.from, i));
    expect(await readout.textContent()).toContain(`Fitness ${d.ctl[i]}`);
    clean(r);
  });

  it('follows the host theme (variables, dark, live change, safe-area insets) and fits 375 px', async () => {
    const { r, f } = await show('get_fitness', {}, 'dark', 375);
    expect(await js<string>(f, 'document.documentElement.dataset.theme')).toBe('dark');
    expect(await js<string>(f, 'getComputedStyle(document.body).backgroundColor')).toBe('rgb(38, 38, 36)');
    expect(await js<string>(f, 'getComputedStyle(document.querySelector("h1")).color')).toBe('rgb(245, 244, 239)');
    const darkLine = await style(f, 'path.ctl:not(.proj)', 'stroke');
    await noOverflow(f, 375);
    expect(await f.locator('text.xlabel').count()).toBeGreaterThanOrEqual(3);

    await setTheme(r, 'light', 375);
    await expect.poll(() => js<string>(f, 'getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    expect(await js<string>(f, 'document.documentElement.dataset.theme')).toBe('light');
    expect(await style(f, 'path.ctl:not(.proj)', 'stroke')).not.toBe(darkLine);

    // A phone's notch and home bar: the safe-area insets become padding around the view.
    expect(await style(f, 'body', 'paddingTop')).toBe('10px');
    await setTheme(r, 'light', 375, { safeAreaInsets: { top: 24, right: 0, bottom: 16, left: 4 } });
    await expect.poll(() => style(f, 'body', 'paddingTop')).toBe('34px');
    expect(await style(f, 'body', 'paddingBottom')).toBe('26px');
    expect(await style(f, 'body', 'paddingLeft')).toBe('14px');
    clean(r);
  });

  it('shows a tool error as text', async () => {
    const { r, f } = await show('get_fitness', {}, 'light', 500, {
      content: [{ type: 'text', text: 'oldest (2026-12-01) is after newest' }],
      isError: true,
    });
    expect(await f.locator('p.status').textContent()).toBe('oldest (2026-12-01) is after newest');
    expect(await f.locator('svg').count()).toBe(0);
    clean(r);
  });
});

describe('week board (get_weekly_review)', () => {
  const args = { project_to: '2027-01-05' };

  it('shows every week, workout status, sports, form at week end and the projection dashed', async () => {
    const { r, f, data } = await show('get_weekly_review', args, 'light', 720);
    const weeks = rows(data.weeks as Table);
    const plan = rows(data.plan as Table);
    const sports = rows(data.sports as Table);
    expect(await attr(f, 'section.week', 'data-week')).toEqual(weeks.map((w) => w.week));
    for (const w of weeks) {
      const fit = await f.locator(`section.week[data-week="${w.week}"] .fit`).textContent();
      expect(fit).toContain(`fitness ${(w.ctl as number).toFixed(1)}`);
      expect(fit).toContain(String(w.zone));
    }
    expect(await attr(f, '.plan li', 'data-status')).toEqual(plan.map((p) => p.status));
    expect(await attr(f, '.plan li', 'data-date')).toEqual(plan.map((p) => p.date));
    expect(await texts(f, '.plan li .chip')).toEqual(plan.map((p) => p.status));
    const colour = (st: string) => style(f, `.plan li[data-status="${st}"] .chip`, 'color');
    const statuses = [...new Set(plan.map((p) => p.status as string))];
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(new Set(await Promise.all(statuses.map(colour))).size).toBe(statuses.length);
    expect(await attr(f, '.sports .bar', 'data-sport')).toEqual(sports.map((s) => s.sport));

    const p = data.projection as { start: { date: string }; end: { date: string }; planned: Table };
    const dates = new Set([p.start.date, ...rows(p.planned).map((x) => x.date as string), p.end.date]);
    for (const key of ['ctl', 'form']) {
      expect(vertices((await attr(f, `.projection path.${key}.proj`, 'd'))[0] ?? null)).toBe(dates.size);
      expect(await dash(f, `.projection path.${key}`)).not.toBe('none');
    }
    const labels = (await attr(f, '.projection text.xlabel', 'data-date')) as string[];
    expect(labels[0]).toBe(p.start.date);
    expect(labels.at(-1)).toBe(p.end.date);
    expect(await f.locator('.projection h2').textContent()).toBe(`Projection to ${short(p.end.date)} ${p.end.date.slice(0, 4)}`);
    expect(await f.locator('.projection rect.zone').count()).toBeGreaterThanOrEqual(2);
    clean(r);
  });

  it('fits 375 px in the dark theme', async () => {
    const { r, f, data } = await show('get_weekly_review', {}, 'dark', 375);
    expect(await js<string>(f, 'getComputedStyle(document.body).backgroundColor')).toBe('rgb(38, 38, 36)');
    expect(await f.locator('section.projection').count()).toBe(0);
    expect(await f.locator('.plan li').count()).toBe((data.plan as Table).rows.length);
    await noOverflow(f, 375);
    clean(r);
  });
});

describe('curves (get_curves)', () => {
  it('draws a vs b on a log-time axis with the tool’s duration labels and best activities', async () => {
    const { r, f, data } = await show('get_curves', {}, 'light', 720);
    const curve = rows(data.curve as Table);
    expect(await texts(f, 'text.xlabel')).toEqual(curve.map((c) => c.dur));
    const xs = (await f.locator('text.xlabel').evaluateAll((els) => els.map((e) => Number(e.getAttribute('x'))))) as number[];
    // Log axis: equal ratios, equal distances (5s→15s and 20m→1h are both ×3).
    expect(Math.abs(xs[1]! - xs[0]! - (xs[7]! - xs[6]!))).toBeLessThan(0.5);
    expect(await f.locator('circle.pt.a').count()).toBe(curve.filter((c) => c.a !== null).length);
    expect(await f.locator('circle.pt.b').count()).toBe(curve.filter((c) => c.b !== null).length);
    expect(vertices((await attr(f, 'path.line.a', 'd'))[0] ?? null)).toBe(curve.filter((c) => c.a !== null).length);
    expect(await texts(f, 'table.points tbody td:last-child')).toEqual(curve.map((c) => c.a_id ?? '–'));
    expect(await f.locator('[data-a]').getAttribute('data-a')).toBe(data.a);
    expect(await f.locator('h1').textContent()).toBe(`Power curve · ${data.sport}`);
    clean(r);
  });

  it('switches metric by calling get_curves through the host', async () => {
    const { r, f } = await show('get_curves', {}, 'light', 600);
    await f.locator('button[data-kind="hr"]').click();
    await expect.poll(() => f.locator('h1').textContent()).toBe('Heart-rate curve · Ride');
    expect(r.calls).toEqual([{ name: 'get_curves', args: { kind: 'hr' } }]);
    const hr = rows((await call('get_curves', { kind: 'hr' })).structuredContent!.curve as Table);
    expect(await texts(f, 'table.points tbody td:nth-child(2)')).toEqual(hr.map((c) => (c.a === null ? '–' : String(c.a))));
    expect(await f.locator('button[data-kind="hr"]').getAttribute('aria-pressed')).toBe('true');
    await settled(r);
    clean(r);
  });

  it('pace: distances and m:ss at 375 px, dark', async () => {
    const { r, f, data } = await show('get_curves', { kind: 'pace' }, 'dark', 375);
    const curve = rows(data.curve as Table);
    expect(await attr(f, 'text.xlabel', 'data-x')).toEqual(curve.map((c) => String(c.dist_m)));
    expect(await texts(f, 'table.points tbody td:nth-child(2)')).toEqual(curve.map((c) => c.a ?? '–'));
    for (const t of await texts(f, 'text.ylabel')) expect(t).toMatch(/^\d+:\d\d$/);
    // Faster is higher: the smallest pace has the smallest y.
    const ys = (await f.locator('circle.pt.a').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))))) as number[];
    const secs = curve.map((c) =>
      String(c.a)
        .split(':')
        .reduce((a, x) => a * 60 + Number(x), 0),
    );
    expect(ys.indexOf(Math.min(...ys))).toBe(secs.indexOf(Math.min(...secs)));
    await noOverflow(f, 375);
    clean(r);
  });
});

describe('the test host itself', () => {
  it('sees what a frame loads or fetches, and a view that never connects', async () => {
    const canary =
      '<!doctype html><main id="app"></main><img src="http://cdn.example.test/x.png">' +
      '<script>fetch("https://fonts.example.test/f.woff2").catch(() => {})</script>';
    const r = await kit.render({
      html: canary,
      toolName: 'canary',
      args: {},
      result: { content: [] },
      theme: 'light',
      width: 400,
      handshakeMs: 1500,
    });
    open.push(r);
    await expect.poll(() => r.requests.length).toBe(2);
    expect(r.requests.sort()).toEqual(['CONNECT fonts.example.test:443', 'http://cdn.example.test/x.png']);
    expect(r.errors).toContain('the view did not complete the MCP Apps handshake within 1500 ms');
  });
});
