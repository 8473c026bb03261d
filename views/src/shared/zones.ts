/**
 * The form zones the views shade and name: the tools' own (src/domain/form-zones.ts, free of
 * imports, so esbuild bundles it into the browser code).
 */
import { FORM_ZONES } from '../../../src/domain/form-zones.js';
import { s } from './svg.js';

export { FORM_ZONES, formZone } from '../../../src/domain/form-zones.js';

/** CSS class for a zone name ("grey zone" → "z-grey"). */
export const zoneClass = (name: string) => `z-${name.split(' ')[0]}`;

/**
 * The zone bands from `left` to `right` for the form range `lo`..`hi` on the scale `y`, highest
 * first; `labels` names each band tall enough to hold its name.
 */
export function zoneBands(
  y: (v: number) => number,
  [lo, hi]: readonly [number, number],
  [left, right]: readonly [number, number],
  opts: { labels?: boolean; opacity?: number } = {},
): SVGElement[] {
  const out: SVGElement[] = [];
  for (const z of FORM_ZONES) {
    const from = Math.max(z.min, lo);
    const to = Math.min(z.max, hi);
    if (to <= from) continue;
    const [y0, y1] = [y(to), y(from)];
    out.push(
      s('rect', {
        class: `zone ${zoneClass(z.name)}`,
        'data-zone': z.name,
        x: left,
        y: y0,
        width: right - left,
        height: y1 - y0,
        opacity: opts.opacity,
      }),
    );
    if (opts.labels && y1 - y0 >= 12) out.push(s('text', { class: 'zone-label', x: right - 4, y: y0 + 11, 'text-anchor': 'end' }, z.name));
  }
  return out;
}
