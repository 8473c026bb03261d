/**
 * Week board for get_weekly_review: per ISO week, planned vs done per workout (status as colour
 * and label), load and time per sport, fitness and form at the week's end; the projection to
 * `project_to` drawn dashed when the answer has one.
 */
import type { Point } from '../../../src/domain/fitness.js';
import { startView } from '../shared/app.js';
import { addDays, dateRange, daysBetween, isNum, isoWeek, num, rowsOf, shortDate, str, type Table, weekday } from '../shared/format.js';
import { chartSvg, h, linear, linePath, niceAxis, s } from '../shared/svg.js';
import { zoneBands, zoneClass } from '../shared/zones.js';

interface Review {
  range: string;
  weeks: Table;
  sports?: Table;
  plan?: Table;
  compliance?: Record<string, number>;
  projection?: { start: Point; end: Point; today_planned_load?: number; planned?: Table };
  note?: string;
}

const STATUSES = ['done', 'partial', 'missed', 'extra', 'upcoming'] as const;

function parse(sc: unknown): Review {
  const r = sc as Review;
  if (!r || typeof r.range !== 'string' || !r.weeks || !Array.isArray(r.weeks.rows)) throw new Error('no weeks');
  return r;
}

function render(root: HTMLElement, r: Review): void {
  const [from = '', to = ''] = r.range.split('..');
  root.append(h('h1', {}, 'Training weeks'), h('p', { class: 'sub', 'data-range': r.range }, dateRange(from, to)));

  const c = r.compliance;
  if (c) {
    const chips = STATUSES.filter((st) => isNum(c[st]) && c[st]! > 0).map((st) =>
      h('span', { class: `chip st-${st}`, 'data-status': st }, `${c[st]} ${st}`),
    );
    const pct = isNum(c.done_pct) ? `${c.done_pct}% of due workouts done` : '';
    const load = isNum(c.planned_load) && c.planned_load > 0 ? `load ${num(c.done_load ?? 0)} of ${num(c.planned_load)} planned` : '';
    const extra = isNum(c.extra_load) && c.extra_load > 0 ? `+ ${num(c.extra_load)} extra` : '';
    root.append(
      h('div', { class: 'row summary' }, ...chips),
      h('p', { class: 'sub' }, [pct, [load, extra].filter(Boolean).join(' ')].filter(Boolean).join(' · ')),
    );
  }

  const sports = rowsOf(r.sports);
  const plan = rowsOf(r.plan);
  const maxLoad = Math.max(1, ...sports.map((x) => (isNum(x.load) ? x.load : 0)));
  for (const w of rowsOf(r.weeks)) {
    const week = str(w.week);
    const end = addDays(week, 6);
    const sec = h('section', { class: 'week', 'data-week': week });
    sec.append(
      h(
        'header',
        {},
        h('h2', {}, `W${isoWeek(week)} · ${dateRange(week, end)}`),
        h('span', { class: 'kv' }, h('b', {}, str(w.time) || '0:00'), ' · load ', h('b', {}, num(isNum(w.load) ? w.load : 0))),
      ),
    );
    if (isNum(w.ctl)) {
      const at = str(w.at);
      sec.append(
        h(
          'p',
          { class: 'fit', 'data-at': at },
          `${at && at !== end ? `On ${weekday(at)} ${shortDate(at)}: ` : 'At week end: '}fitness ${num(w.ctl, 1)}`,
          ...(isNum(w.form) ? [` · form ${num(w.form, 1)} `, h('span', { class: `chip ${zoneClass(str(w.zone))}-fg` }, str(w.zone))] : []),
        ),
      );
    }
    const ws = sports.filter((x) => x.week === week);
    if (ws.length) {
      const grid = h('div', { class: 'sports' });
      for (const x of ws) {
        const load = isNum(x.load) ? x.load : 0;
        const figs = [`${x.n}×`, str(x.time), isNum(x.km) ? `${x.km} km` : '', `load ${num(load)}`].filter(Boolean).join(' · ');
        grid.append(
          h('span', {}, str(x.sport)),
          h('div', { class: 'bar', 'data-sport': str(x.sport), style: `width:${((load / maxLoad) * 100).toFixed(1)}%` }),
          h('span', { class: 'fig' }, figs),
        );
      }
      sec.append(grid);
    }
    const wp = plan.filter((p) => str(p.date) >= week && str(p.date) <= end);
    if (wp.length) {
      const ul = h('ul', { class: 'plan' });
      for (const p of wp) {
        const st = str(p.status);
        const planned =
          isNum(p.plan_load) || p.plan_time
            ? `plan ${[p.plan_time, isNum(p.plan_load) ? `load ${p.plan_load}` : ''].filter(Boolean).join(', ')}`
            : '';
        const done = isNum(p.load) || p.time ? `done ${[p.time, isNum(p.load) ? `load ${p.load}` : ''].filter(Boolean).join(', ')}` : '';
        const date = str(p.date);
        ul.append(
          h(
            'li',
            { class: `st-${st}`, 'data-status': st, 'data-date': date },
            h('span', { class: 'day' }, `${weekday(date)} ${Number(date.slice(8))}`),
            h('span', { class: 'what' }, str(p.name) || str(p.sport), ' ', h('small', {}, str(p.sport))),
            h('span', { class: `chip st-${st}` }, st),
            h('span', { class: 'nums' }, [planned, done].filter(Boolean).join(' → ') || '–'),
          ),
        );
      }
      sec.append(ul);
    }
    root.append(sec);
  }

  if (r.projection) root.append(projection(r.projection, root.clientWidth));
  if (r.note) root.append(h('p', { class: 'note' }, r.note));
}

/** The projected fitness and form from today to project_to, dashed, with the planned days marked. */
function projection(p: NonNullable<Review['projection']>, width: number): HTMLElement {
  const sec = h('section', { class: 'projection', 'data-to': p.end.date });
  sec.append(
    h('h2', {}, `Projection to ${shortDate(p.end.date, true)}`),
    h(
      'p',
      { class: 'sub' },
      `${shortDate(p.start.date)}: fitness ${num(p.start.ctl, 1)}, form ${num(p.start.form, 1)} (${p.start.zone}) → ` +
        `${shortDate(p.end.date)}: fitness ${num(p.end.ctl, 1)}, form ${num(p.end.form, 1)} (${p.end.zone})`,
    ),
  );
  const byDate = new Map<string, { ctl: number; form: number; load?: number }>();
  byDate.set(p.start.date, { ctl: p.start.ctl, form: p.start.form });
  const planned = rowsOf(p.planned).filter((x) => isNum(x.ctl) && isNum(x.form));
  for (const x of planned) byDate.set(str(x.date), { ctl: x.ctl as number, form: x.form as number, load: isNum(x.load) ? x.load : 0 });
  if (!byDate.has(p.end.date)) byDate.set(p.end.date, { ctl: p.end.ctl, form: p.end.form });
  const pts = [...byDate.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

  const W = Math.max(260, width);
  const left = 30;
  const right = W - 6;
  const top = 8;
  const bottom = 150;
  const H = bottom + 20;
  const days = Math.max(1, daysBetween(p.start.date, p.end.date));
  const x = linear(0, days, left, right);
  const xOf = (d: string) => x(daysBetween(p.start.date, d));
  const vals = pts.flatMap(([, v]) => [v.ctl, v.form]);
  const ax = niceAxis(Math.min(-10, ...vals), Math.max(10, ...vals), 4);
  const [y0, y1] = [ax.lo, ax.hi];
  const y = linear(y0, y1, bottom, top);
  const svg = chartSvg(W, H, `Projected fitness and form to ${p.end.date}`);
  svg.append(...zoneBands(y, [y0, y1], [left, right], { opacity: 0.7 }));
  for (const t of ax.ticks) {
    svg.append(s('line', { class: 'grid', x1: left, x2: right, y1: y(t), y2: y(t) }));
    svg.append(s('text', { x: left - 4, y: y(t) + 4, 'text-anchor': 'end' }, num(t)));
  }
  for (const [cls, key] of [
    ['ctl', 'ctl'],
    ['form', 'form'],
  ] as const) {
    const path = linePath(pts.map(([d, v]) => [xOf(d), y(v[key])] as const));
    svg.append(s('path', { class: `line ${cls} proj`, d: path.d, 'data-points': path.n }));
  }
  for (const [d, v] of pts)
    if (v.load)
      svg.append(
        s(
          'circle',
          { class: 'planned', cx: xOf(d), cy: y(v.ctl), r: 3, fill: 'var(--ctl)', 'data-date': d },
          s('title', {}, `${d}: planned load ${v.load}`),
        ),
      );
  // Date labels: start, the first of each month, end; each needs ~44 px, so crowded ones are skipped.
  const labels: { d: string; at: number; anchor: string }[] = [{ d: p.start.date, at: left, anchor: 'start' }];
  for (let d = addDays(p.start.date, 1); d < p.end.date; d = addDays(d, 1))
    if (d.endsWith('-01')) labels.push({ d, at: xOf(d), anchor: 'middle' });
  labels.push({ d: p.end.date, at: right, anchor: 'end' });
  const span = (l: (typeof labels)[number]): [number, number] =>
    l.anchor === 'start' ? [l.at, l.at + 44] : l.anchor === 'end' ? [l.at - 44, l.at] : [l.at - 22, l.at + 22];
  let lastEnd = Number.NEGATIVE_INFINITY;
  labels.forEach((l, i) => {
    const [a, b] = span(l);
    const next = labels[i + 1];
    if (a < lastEnd + 6 || (next === labels.at(-1) && l !== next && b > span(next!)[0] - 6)) return;
    svg.append(s('text', { class: 'xlabel', x: l.at, y: H - 4, 'text-anchor': l.anchor, 'data-date': l.d }, shortDate(l.d)));
    lastEnd = b;
  });
  sec.append(
    h(
      'div',
      { class: 'legend' },
      h('span', {}, h('i', { class: 'dash', style: 'border-color:var(--ctl)' }), 'Fitness (projected)'),
      h('span', {}, h('i', { class: 'dash', style: 'border-color:var(--form)' }), 'Form (projected)'),
      h('span', {}, '● planned workout'),
    ),
    svg,
  );
  return sec;
}

startView({ name: 'week', parse, render: (root, r) => render(root, r) });
