/** A few SVG helpers: elements, scales, ticks and line paths. No dependencies. */
const NS = 'http://www.w3.org/2000/svg';

export type Attrs = Record<string, string | number | undefined>;

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** A chart's root: `width` × `height`, an image named `label`; `focusable` for a chart read with the arrow keys. */
export function chartSvg(width: number, height: number, label: string, opts: { focusable?: boolean } = {}): SVGSVGElement {
  return s('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    tabindex: opts.focusable ? 0 : undefined,
    'aria-label': label,
  });
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

export type Scale = ((v: number) => number) & { invert(px: number): number };

export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.invert = (px) => (k === 0 ? d0 : d0 + (px - r0) / k);
  return f;
}

export function log(d0: number, d1: number, r0: number, r1: number): Scale {
  const l = linear(Math.log(d0), Math.log(d1), r0, r1);
  const f = ((v: number) => l(Math.log(v))) as Scale;
  f.invert = (px) => Math.exp(l.invert(px));
  return f;
}

/** A round step (1, 2, 5 × 10^k) giving about `count` intervals over [min, max]. */
export function tickStep(min: number, max: number, count: number): number {
  const raw = (max - min) / Math.max(1, count);
  if (!(raw > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((st) => st >= raw) ?? 10 * mag;
}

/** [min, max] widened to whole steps, with the step and the tick values (one step apart). */
export function niceAxis(min: number, max: number, count: number): { lo: number; hi: number; ticks: number[] } {
  if (!(max > min)) return niceAxis(min - 1, max + 1, count);
  const step = tickStep(min, max, count);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 1e6; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return { lo, hi, ticks };
}

/** An SVG path through the points; null values break the line. Returns the path and its vertex count. */
export function linePath(points: readonly (readonly [number, number | null])[]): { d: string; n: number } {
  let d = '';
  let n = 0;
  let pen = false;
  for (const [x, y] of points) {
    if (y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
    n++;
  }
  return { d, n };
}
