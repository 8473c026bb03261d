/**
 * Form chart for get_fitness: fitness (CTL) and fatigue (ATL) with daily load as bars, form below
 * on the shaded form zones, the projection from planned workouts dashed after `projected_from`,
 * and a readout per day under the pointer (or arrow keys).
 */
import type { Point } from '../../../src/domain/fitness.js';
import { startView } from '../shared/app.js';
import { addDays, dateRange, daysBetween, isNum, monthName, num, shortDate, signed, weekday } from '../shared/format.js';
import { chartSvg, h, linear, linePath, niceAxis, s } from '../shared/svg.js';
import { formZone, zoneBands, zoneClass } from '../shared/zones.js';

type Values = (number | null)[];
interface Fitness {
  current?: Point;
  change_7d?: { ctl?: number; atl?: number; form?: number };
  daily: { from: string; to: string; ctl: Values; atl: Values; form: Values; load: Values };
  projected_from?: string;
  projection_end?: Point;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(sc: unknown): Fitness {
  const f = sc as Fitness;
  const d = f?.daily;
  if (!d || !DATE.test(d.from) || !DATE.test(d.to)) throw new Error('no daily series');
  const n = daysBetween(d.from, d.to) + 1;
  for (const k of ['ctl', 'atl', 'form', 'load'] as const) {
    if (!Array.isArray(d[k]) || d[k].length !== n) throw new Error(`daily.${k} does not have one value per day`);
  }
  return f;
}

function render(root: HTMLElement, f: Fitness): void {
  const d = f.daily;
  const n = d.ctl.length;
  const dateAt = (i: number) => addDays(d.from, i);
  const pf = f.projected_from ? Math.min(n, Math.max(0, daysBetween(d.from, f.projected_from))) : n;

  // Header: current values, 7-day change, projection end.
  const c = f.current;
  root.append(
    h('h1', {}, 'Fitness and form'),
    h(
      'p',
      { class: 'sub', 'data-range': `${d.from}..${d.to}` },
      dateRange(d.from, d.to) + (f.projected_from ? ` · projected from ${shortDate(f.projected_from)}` : ''),
    ),
  );
  if (c) {
    const ch = f.change_7d;
    root.append(
      h(
        'p',
        { class: 'row kv' },
        h('span', {}, 'Fitness ', h('b', {}, num(c.ctl, 1)), ch && isNum(ch.ctl) ? ` (${signed(ch.ctl)} in 7 d)` : ''),
        h('span', {}, 'Fatigue ', h('b', {}, num(c.atl, 1))),
        h('span', {}, 'Form ', h('b', {}, num(c.form, 1)), ' ', h('span', { class: `chip ${zoneClass(c.zone)}-fg` }, c.zone)),
      ),
    );
  }
  if (f.projection_end) {
    const e = f.projection_end;
    root.append(h('p', { class: 'sub' }, `Planned to ${shortDate(e.date)}: fitness ${num(e.ctl, 1)}, form ${num(e.form, 1)} (${e.zone})`));
  }
  root.append(
    h(
      'div',
      { class: 'legend' },
      h('span', {}, h('i', { style: 'border-color:var(--ctl)' }), 'Fitness'),
      h('span', {}, h('i', { style: 'border-color:var(--atl)' }), 'Fatigue'),
      h('span', {}, h('i', { style: 'border-color:var(--form)' }), 'Form'),
      h('span', {}, h('i', { style: 'border-color:var(--load);border-top-width:6px' }), 'Load'),
      ...(pf < n ? [h('span', {}, h('i', { class: 'dash', style: 'border-color:var(--fg2)' }), 'Projection')] : []),
    ),
  );
  const readout = h('div', { class: 'readout', 'aria-live': 'polite' });
  root.append(readout);

  // Geometry: one SVG, fitness panel above the form panel, shared x.
  const W = Math.max(260, root.clientWidth);
  const left = 30;
  const right = W - 6;
  const step = (right - left) / n;
  const x = (i: number) => left + (i + 0.5) * step;
  const A = { top: 6, bottom: 170 };
  const B = { top: 184, bottom: 294 };
  const H = B.bottom + 20;

  const nums = (v: Values) => v.filter(isNum);
  const fitVals = [...nums(d.ctl), ...nums(d.atl)];
  const axA = niceAxis(Math.min(0, ...fitVals), Math.max(10, ...fitVals), 4);
  const [a0, a1] = [axA.lo, axA.hi];
  const yA = linear(a0, a1, A.bottom, A.top);
  const maxLoad = Math.max(1, ...nums(d.load));
  const yLoad = linear(0, maxLoad, A.bottom, A.bottom - (A.bottom - A.top) * 0.4);
  const forms = nums(d.form);
  const axB = niceAxis(Math.min(-15, ...forms), Math.max(10, ...forms), 4);
  const [b0, b1] = [axB.lo, axB.hi];
  const yB = linear(b0, b1, B.bottom, B.top);

  const svg = chartSvg(W, H, `Fitness, fatigue and form from ${d.from} to ${d.to}`, { focusable: true });

  // Zone bands behind the form line.
  svg.append(...zoneBands(yB, [b0, b1], [left, right], { labels: true }));

  // Grid and y labels.
  for (const [y, ax] of [
    [yA, axA],
    [yB, axB],
  ] as const) {
    for (const t of ax.ticks) {
      svg.append(s('line', { class: 'grid', x1: left, x2: right, y1: y(t), y2: y(t) }));
      svg.append(s('text', { class: 'ylabel', x: left - 4, y: y(t) + 4, 'text-anchor': 'end' }, num(t)));
    }
  }
  svg.append(s('line', { class: 'axis', x1: left, x2: right, y1: B.bottom, y2: B.bottom }));

  // X ticks: months on long ranges, Mondays on short ones; labels thinned to stay apart.
  const xt: { i: number; label: string }[] = [];
  for (let i = 0; i < n; i++) {
    const date = dateAt(i);
    if (n > 45 ? date.endsWith('-01') : weekday(date) === 'Mon') {
      const m = Number(date.slice(5, 7));
      xt.push({ i, label: n > 45 ? (m === 1 ? `${monthName(m)} ${date.slice(0, 4)}` : monthName(m)) : shortDate(date) });
    }
  }
  let lastX = Number.NEGATIVE_INFINITY;
  for (const t of xt) {
    const px = left + t.i * step;
    svg.append(s('line', { class: 'grid', x1: px, x2: px, y1: A.top, y2: B.bottom }));
    if (px - lastX < 44 || px > right - 12) continue;
    svg.append(s('text', { class: 'xlabel', x: px + 2, y: H - 4, 'data-date': dateAt(t.i) }, t.label));
    lastX = px;
  }

  // Load bars.
  const bw = Math.max(1, step * 0.7);
  d.load.forEach((v, i) => {
    if (!isNum(v) || v <= 0) return;
    svg.append(s('rect', { class: i >= pf ? 'bar proj' : 'bar', x: x(i) - bw / 2, y: yLoad(v), width: bw, height: A.bottom - yLoad(v) }));
  });

  // Lines: solid up to today, dashed from today into the projection.
  const line = (vals: Values, y: (v: number) => number, cls: string) => {
    const pts = vals.map((v, i) => [x(i), isNum(v) ? y(v) : null] as const);
    const solid = linePath(pts.slice(0, pf));
    if (solid.n) svg.append(s('path', { class: `line ${cls}`, d: solid.d, 'data-points': solid.n }));
    if (pf < n) {
      const proj = linePath(pts.slice(Math.max(0, pf - 1)));
      if (proj.n) svg.append(s('path', { class: `line ${cls} proj`, d: proj.d, 'data-points': proj.n }));
    }
  };
  line(d.ctl, yA, 'ctl');
  line(d.atl, yA, 'atl');
  line(d.form, yB, 'form');
  if (pf < n && pf > 0) {
    const tx = x(pf - 1);
    svg.append(s('line', { class: 'today', x1: tx, x2: tx, y1: A.top, y2: B.bottom }));
    svg.append(s('text', { class: 'today-label', x: tx - 3, y: A.top + 10, 'text-anchor': 'end' }, 'today'));
  }

  // Readout under the pointer.
  const cursor = s('line', { class: 'cursor', x1: 0, x2: 0, y1: A.top, y2: B.bottom, visibility: 'hidden' });
  svg.append(cursor);
  const fmt = (v: number | null | undefined, digits = 0) => (isNum(v) ? num(v, digits) : '–');
  let sel = c ? Math.min(n - 1, Math.max(0, daysBetween(d.from, c.date))) : n - 1;
  const select = (i: number, showCursor: boolean) => {
    sel = Math.min(n - 1, Math.max(0, i));
    const date = dateAt(sel);
    const form = d.form[sel];
    readout.textContent =
      `${weekday(date)} ${shortDate(date, true)}${sel >= pf ? ' (projected)' : ''} · ` +
      `Fitness ${fmt(d.ctl[sel])} · Fatigue ${fmt(d.atl[sel])} · Form ${fmt(form)}${isNum(form) ? ` ${formZone(form)}` : ''} · Load ${fmt(d.load[sel])}`;
    readout.dataset.date = date;
    cursor.setAttribute('x1', String(x(sel)));
    cursor.setAttribute('x2', String(x(sel)));
    cursor.setAttribute('visibility', showCursor ? 'visible' : 'hidden');
  };
  const fromPointer = (e: PointerEvent) => {
    const r = svg.getBoundingClientRect();
    select(Math.floor((e.clientX - r.left - left) / step), true);
  };
  svg.addEventListener('pointermove', fromPointer);
  svg.addEventListener('pointerdown', fromPointer);
  svg.addEventListener('keydown', (e) => {
    const k = { ArrowLeft: -1, ArrowRight: 1, PageUp: -7, PageDown: 7 }[e.key];
    if (k) {
      e.preventDefault();
      select(sel + k, true);
    }
  });
  root.append(svg);
  select(sel, false);
}

startView({ name: 'form', parse, render: (root, f) => render(root, f) });
