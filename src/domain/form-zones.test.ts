/** The form zones: Intervals.icu's bounds, and the table the views shade agreeing with the names the tools give. */
import { describe, expect, it } from 'vitest';
import { FORM_ZONES, formZone } from './form-zones.js';

describe('formZone', () => {
  it('puts each bound where Intervals.icu does (above zero in the zone below, below zero in the zone above)', () => {
    expect([25.1, 25, 5.1, 5, -10, -10.1, -30, -30.1].map(formZone)).toEqual([
      'transition',
      'fresh',
      'fresh',
      'grey zone',
      'grey zone',
      'optimal',
      'optimal',
      'high risk',
    ]);
    expect(formZone(Number.NEGATIVE_INFINITY)).toBe('high risk');
    expect(formZone(Number.NaN)).toBe('high risk');
  });

  it('the table is contiguous from -∞ to +∞ and every value inside a band gets that band’s name', () => {
    expect(FORM_ZONES[0]!.max).toBe(Number.POSITIVE_INFINITY);
    expect(FORM_ZONES.at(-1)!.min).toBe(Number.NEGATIVE_INFINITY);
    for (let i = 1; i < FORM_ZONES.length; i++) expect(FORM_ZONES[i]!.max).toBe(FORM_ZONES[i - 1]!.min);
    for (let form = -60; form <= 60; form += 0.25) {
      const band = FORM_ZONES.find((z) => form > z.min && form < z.max);
      if (band) expect(formZone(form), `form ${form}`).toBe(band.name);
    }
  });
});
