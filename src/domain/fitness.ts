/** Fitness (CTL), fatigue (ATL) and form (CTL − ATL): the shared model and its vocabulary. */
import type { Wellness } from '../intervals/schemas.js';
import { datesFrom } from './dates.js';
import { formZone } from './form-zones.js';
import { round } from './format.js';

export const MODEL_NOTE =
  'Fitness (CTL) and fatigue (ATL) are 42- and 7-day exponentially weighted averages of daily load; form = CTL - ATL.';

export const K_CTL = 1 - Math.exp(-1 / 42);
export const K_ATL = 1 - Math.exp(-1 / 7);

/** One day forward in the model: the value after a day with `load`. */
export function stepModel(prev: { ctl: number; atl: number }, load: number): { ctl: number; atl: number } {
  return { ctl: prev.ctl + (load - prev.ctl) * K_CTL, atl: prev.atl + (load - prev.atl) * K_ATL };
}

export type Point = {
  date: string;
  ctl: number;
  atl: number;
  form: number;
  zone: string;
};

export function point(date: string, ctl: number, atl: number): Point {
  const form = ctl - atl;
  return { date, ctl: round(ctl, 1)!, atl: round(atl, 1)!, form: round(form, 1)!, zone: formZone(form) };
}

export type Series = {
  from: string;
  to: string;
  ctl: (number | null)[];
  atl: (number | null)[];
  form: (number | null)[];
  load: (number | null)[];
  ramp: (number | null)[];
};

/** Daily series from `from` to `to` (inclusive), one value per day, null where no record exists. */
export function series(byDate: Map<string, Wellness>, from: string, to: string): Series {
  const s: Series = { from, to, ctl: [], atl: [], form: [], load: [], ramp: [] };
  for (const d of datesFrom(from, to)) {
    const w = byDate.get(d);
    const ok = w?.ctl != null && w.atl != null;
    s.ctl.push(ok ? round(w!.ctl)! : null);
    s.atl.push(ok ? round(w!.atl)! : null);
    s.form.push(ok ? round(w!.ctl! - w!.atl!)! : null);
    s.load.push(round(w?.ctlLoad) ?? null);
    s.ramp.push(round(w?.rampRate, 1) ?? null);
  }
  return s;
}
