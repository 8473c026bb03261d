/**
 * Best-effort curves for get_curves: power, heart rate or pace per duration (pace: per distance)
 * on a log axis, period a against period b, the best activity of a per point. The metric buttons
 * call get_curves again through the host (only when the host lets views call tools).
 */
import { startView, type ViewContext } from '../shared/app.js';
import { clockSecs, dateRange, durationSecs, isNum, mss, num, signed, str } from '../shared/format.js';
import { chartSvg, h, linear, linePath, log, niceAxis, s } from '../shared/svg.js';

interface Curves {
  sport: string;
  a: string;
  b: string;
  unit: string;
  curve: { columns: string[]; rows: unknown[][] };
  note?: string;
}
type Kind = 'power' | 'hr' | 'pace';

interface Row {
  x: number;
  label: string;
  a: number | null;
  b: number | null;
  delta: number | null;
  pct: number | null;
  id: string | null;
}

function parse(sc: unknown): Curves {
  const c = sc as Curves;
  if (!c?.curve || !Array.isArray(c.curve.rows) || !Array.isArray(c.curve.columns)) throw new Error('no curve');
  return c;
}

const kindOf = (unit: string): Kind => (unit.startsWith('pace') ? 'pace' : unit === 'bpm' ? 'hr' : 'power');
const TITLES: Record<Kind, string> = { power: 'Power curve', hr: 'Heart-rate curve', pace: 'Pace curve' };

function rowsOf(c: Curves, pace: boolean): Row[] {
  const col = (n: string) => c.curve.columns.indexOf(n);
  const [ix, ia, ib, id, ip, iid] = [col(pace ? 'dist_m' : 'dur'), col('a'), col('b'), col('delta'), col('delta_pct'), col('a_id')];
  const value = (v: unknown) => (isNum(v) ? v : typeof v === 'string' ? (clockSecs(v) ?? null) : null);
  return c.curve.rows
    .map((r) => {
      const rawX = r[ix];
      const x = pace ? (isNum(rawX) ? rawX : Number.NaN) : (durationSecs(str(rawX)) ?? Number.NaN);
      const label = pace ? distLabel(x) : str(rawX);
      return {
        x,
        label,
        a: value(r[ia]),
        b: value(r[ib]),
        delta: isNum(r[id]) ? (r[id] as number) : null,
        pct: isNum(r[ip]) ? (r[ip] as number) : null,
        id: (r[iid] as string | null) ?? null,
      };
    })
    .filter((r) => Number.isFinite(r.x) && r.x > 0);
}

const distLabel = (m: number) => (m >= 1000 && m % 100 === 0 ? `${m / 1000} km` : `${m} m`);

function render(root: HTMLElement, c: Curves, ctx: ViewContext): void {
  const kind = kindOf(c.unit);
  const pace = kind === 'pace';
  const rows = rowsOf(c, pace);
  const [ao = '', an = ''] = c.a.split('..');
  const [bo = '', bn = ''] = c.b.split('..');
  const unit = pace ? (c.unit.includes('/100m') ? '/100 m' : '/km') : c.unit;
  const fmt = (v: number | null) => (v === null ? '–' : pace ? `${mss(v)}${unit}` : `${Math.round(v)} ${unit}`);

  root.append(
    h('h1', {}, `${TITLES[kind]} · ${c.sport}`),
    h('p', { class: 'sub', 'data-a': c.a, 'data-b': c.b }, `a ${dateRange(ao, an)} vs b ${dateRange(bo, bn)}`),
  );
  if (ctx.app.getHostCapabilities()?.serverTools) root.append(switcher(kind, ctx));
  root.append(
    h(
      'div',
      { class: 'legend' },
      h('span', {}, h('i', { style: 'border-color:var(--a)' }), `a (${dateRange(ao, an)})`),
      h('span', {}, h('i', { style: 'border-color:var(--b)' }), `b (${dateRange(bo, bn)})`),
    ),
  );
  const readout = h('div', { class: 'readout', 'aria-live': 'polite' });
  root.append(readout);

  const W = Math.max(260, root.clientWidth);
  const left = 38;
  const right = W - 14;
  const top = 8;
  const bottom = 200;
  const H = bottom + 20;
  const xs = rows.map((r) => r.x);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const x = rows.length > 1 ? log(x0, x1, left + 6, right - 6) : () => (left + right) / 2;
  const vals = rows.flatMap((r) => [r.a, r.b]).filter(isNum);
  const lo = Math.min(...vals) * (pace ? 0.97 : 0.9);
  const hi = Math.max(...vals) * (pace ? 1.03 : 1.05);
  // Pace ticks on whole clock steps (0:10, 0:15, 0:30, 1:00…) rather than decimal ones.
  const paceStep = [5, 10, 15, 20, 30, 60, 120, 300].find((st) => st >= (hi - lo) / 4) ?? 600;
  const ax = niceAxis(vals.length ? lo : 0, vals.length ? hi : 1, 4);
  const [v0, v1] = !vals.length
    ? [0, 1]
    : pace
      ? [Math.floor(lo / paceStep) * paceStep, Math.ceil(hi / paceStep) * paceStep]
      : [ax.lo, ax.hi];
  const yTicks = pace ? Array.from({ length: Math.round((v1 - v0) / paceStep) + 1 }, (_, i) => v0 + i * paceStep) : ax.ticks;
  // Pace: faster (fewer seconds) is higher up, like the other metrics.
  const y = pace ? linear(v0, v1, top, bottom) : linear(v0, v1, bottom, top);
  const svg = chartSvg(W, H, `${TITLES[kind]}, ${c.sport}: a ${c.a} vs b ${c.b}`, { focusable: true });
  for (const t of yTicks) {
    svg.append(s('line', { class: 'grid', x1: left, x2: right, y1: y(t), y2: y(t) }));
    svg.append(s('text', { class: 'ylabel', x: left - 4, y: y(t) + 4, 'text-anchor': 'end' }, pace ? mss(t) : num(t)));
  }
  svg.append(s('line', { class: 'axis', x1: left, x2: right, y1: bottom, y2: bottom }));
  let lastX = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const px = x(r.x);
    svg.append(s('line', { class: 'grid', x1: px, x2: px, y1: top, y2: bottom }));
    if (px - lastX < 30) continue;
    svg.append(s('text', { class: 'xlabel', x: px, y: H - 4, 'text-anchor': 'middle', 'data-x': r.x }, r.label));
    lastX = px;
  }
  for (const key of ['b', 'a'] as const) {
    const path = linePath(rows.map((r) => [x(r.x), r[key] === null ? null : y(r[key]!)] as const));
    if (path.n) svg.append(s('path', { class: `line ${key}`, d: path.d, 'data-points': path.n, style: `stroke:var(--${key})` }));
    for (const r of rows) {
      if (r[key] === null) continue;
      const tip = `${r.label}: ${key} ${fmt(r[key])}${key === 'a' && r.id ? ` (best: ${r.id})` : ''}`;
      svg.append(
        s(
          'circle',
          { class: `pt ${key}`, cx: x(r.x), cy: y(r[key]!), r: key === 'a' ? 3.5 : 3, fill: `var(--${key})`, 'data-x': r.x },
          s('title', {}, tip),
        ),
      );
    }
  }
  const cursor = s('line', { class: 'cursor', x1: 0, x2: 0, y1: top, y2: bottom, visibility: 'hidden' });
  svg.append(cursor);
  let sel = rows.length - 1;
  const select = (i: number, show: boolean) => {
    sel = Math.max(0, Math.min(rows.length - 1, i));
    const r = rows[sel];
    if (!r) return;
    const delta = r.delta === null ? '' : ` · ${signed(r.delta, 0)}${pace ? ' s' : ''}${r.pct === null ? '' : ` (${signed(r.pct)}%)`}`;
    readout.textContent = `${r.label}: a ${fmt(r.a)} · b ${fmt(r.b)}${delta}${r.id ? ` · best ${r.id}` : ''}`;
    cursor.setAttribute('x1', String(x(r.x)));
    cursor.setAttribute('x2', String(x(r.x)));
    cursor.setAttribute('visibility', show ? 'visible' : 'hidden');
  };
  const nearest = (px: number) => rows.reduce((best, r, i) => (Math.abs(x(r.x) - px) < Math.abs(x(rows[best]!.x) - px) ? i : best), 0);
  const fromPointer = (e: PointerEvent) => select(nearest(e.clientX - svg.getBoundingClientRect().left), true);
  svg.addEventListener('pointermove', fromPointer);
  svg.addEventListener('pointerdown', fromPointer);
  svg.addEventListener('keydown', (e) => {
    const k = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
    if (k) {
      e.preventDefault();
      select(sel + k, true);
    }
  });
  root.append(svg);
  if (rows.length) select(sel, false);

  const table = h('table', { class: 'points' });
  table.append(
    h('thead', {}, h('tr', {}, ...[pace ? 'Distance' : 'Duration', 'a', 'b', 'Δ', 'Δ %', 'Best (a)'].map((t) => h('th', {}, t)))),
  );
  const body = h('tbody');
  for (const r of rows) {
    body.append(
      h(
        'tr',
        { 'data-x': r.x },
        h('td', {}, r.label),
        h('td', {}, r.a === null ? '–' : pace ? mss(r.a) : num(r.a)),
        h('td', {}, r.b === null ? '–' : pace ? mss(r.b) : num(r.b)),
        h('td', {}, r.delta === null ? '–' : signed(r.delta, 0)),
        h('td', {}, r.pct === null ? '–' : signed(r.pct)),
        h('td', {}, r.id ?? '–'),
      ),
    );
  }
  table.append(body);
  root.append(h('p', { class: 'sub' }, `Unit: ${c.unit}`), table);
  if (c.note) root.append(h('p', { class: 'note' }, c.note));
}

/** Power / HR / Pace: get_curves again with the same periods, through the host. */
function switcher(current: Kind, ctx: ViewContext): HTMLElement {
  const bar = h('div', { class: 'row switch', role: 'group', 'aria-label': 'Metric', style: 'margin:6px 0' });
  const status = h('span', { class: 'sub' });
  for (const kind of ['power', 'hr', 'pace'] as const) {
    const b = h(
      'button',
      { type: 'button', 'aria-pressed': String(kind === current), 'data-kind': kind },
      { power: 'Power', hr: 'HR', pace: 'Pace' }[kind],
    );
    b.addEventListener('click', async () => {
      if (kind === current) return;
      const args: Record<string, unknown> = { ...ctx.args, kind };
      // Durations (s) and distances (m) do not carry over between pace and the others, nor does
      // the sport default (Ride for power/HR, Run for pace).
      if ((kind === 'pace') !== (current === 'pace')) {
        delete args.durations;
        delete args.sport;
      }
      for (const el of bar.querySelectorAll('button')) el.disabled = true;
      status.textContent = 'Loading…';
      try {
        const r = await ctx.app.callServerTool({ name: 'get_curves', arguments: args });
        if (r.isError) throw new Error((r.content ?? []).map((x) => (x.type === 'text' ? x.text : '')).join(' ') || 'tool error');
        ctx.show(r.structuredContent, args);
      } catch (err) {
        status.textContent = `Could not load ${kind}: ${(err as Error).message}`;
        for (const el of bar.querySelectorAll('button')) el.disabled = false;
      }
    });
    bar.append(b);
  }
  bar.append(status);
  return bar;
}

startView({ name: 'curves', parse, render });
