import { describe, expect, it } from 'vitest';
import { round } from './format.js';

describe('round', () => {
  it('rounds to the given decimals and drops what is not a finite number', () => {
    expect([round(1.25, 1), round(1234.5), round(-7.46, 1), round(null), round(undefined), round(Number.NaN)]).toEqual([
      1.3,
      1235,
      -7.5,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('never returns -0, which JSON would print as 0 (the text and structured answers must agree)', () => {
    expect(Object.is(round(-0.3), 0)).toBe(true);
    expect(Object.is(round(-0.04, 1), 0)).toBe(true);
  });
});
