import { describe, expect, it } from 'vitest';
import { lintWorkoutText, parseLength } from './workout-text.js';

const messages = (issues: { message: string }[]) => issues.map((i) => i.message).join('\n');

describe('parseLength', () => {
  it('reads durations (m is minutes) and distances', () => {
    expect(parseLength('1h')).toEqual({ secs: 3600 });
    expect(parseLength('10m')).toEqual({ secs: 600 });
    expect(parseLength('30s')).toEqual({ secs: 30 });
    expect(parseLength('1h2m30s')).toEqual({ secs: 3750 });
    expect(parseLength('1m30')).toEqual({ secs: 90 });
    expect(parseLength("5'")).toEqual({ secs: 300 });
    expect(parseLength('30"')).toEqual({ secs: 30 });
    expect(parseLength('500mtr')).toEqual({ metres: 500 });
    expect(parseLength('2km')).toEqual({ metres: 2000 });
    expect(parseLength('1mi')).toEqual({ metres: 1609 });
    expect(parseLength('400yrd')).toEqual({ metres: 366 });
    expect(parseLength('1.5km')).toEqual({ metres: 1500 });
    for (const t of ['75%', 'Z2', '220w', '90rpm', 'm', '', '5:00/km', '10min']) expect(parseLength(t)).toBeNull();
  });
});

describe('lintWorkoutText', () => {
  it('accepts a sweet spot ride with warmup, repeat block and cooldown', () => {
    const r = lintWorkoutText('Warmup\n- 15m ramp 50%-75%\n\nMain Set 3x\n- 15m 88-92%\n- 5m 55% 90rpm\n\nCooldown\n- 10m 50%', 'Ride');
    expect(r).toEqual({ ok: true, steps: 4, errors: [], warnings: [], estimated_secs: 15 * 60 + 3 * 20 * 60 + 10 * 60 });
  });

  it('accepts every target form', () => {
    const text = [
      '- 10m 75%',
      '- 5m 95-105%',
      '- 5m 220w',
      '- 5m Z2',
      '- 5m Z3-Z4',
      '- 5m 70% HR',
      '- 5m 95% LTHR',
      '- 5m Z2 HR',
      '- 5m 60% Pace',
      '- 2km 5:00/km Pace',
      '- 10m ramp 50%-75%',
      '- 10m freeride',
      '- 1h2m30s 65% 85-95rpm',
      '- 20s intensity=rest',
      '- pull 400mtr Z2 Pace',
      '- 1mi 80% Pace',
      '- 400yrd Z1 Pace',
    ].join('\n');
    const r = lintWorkoutText(text, 'Run');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.steps).toBe(17);
    expect(r.estimated_secs).toBeUndefined(); // distance steps have no time without a pace
  });

  it('reads `m` as minutes: a timed run is fine', () => {
    const r = lintWorkoutText('- 10m Z2 HR\n- 40m Z2\n- 5m Z1', 'Run');
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.estimated_secs).toBe(55 * 60);
  });

  it('refuses a run or swim step that uses m where metres are meant, and only warns for a ride', () => {
    const run = lintWorkoutText('- 400m 105% Pace\n- 1000m 95% Pace', 'Run');
    expect(run.ok).toBe(false);
    expect(run.errors.map((w) => w.line)).toEqual([1, 2]);
    expect(run.errors[0]!.message).toBe('`400m` means 400 minutes; for metres write `400mtr` (if you really mean the time, write 6h40m).');
    expect(lintWorkoutText('- 50m Z2 Pace', 'Swim').errors[0]!.message).toContain('`50mtr`');
    expect(lintWorkoutText('- 6h40m Z1 Pace', 'Run').ok).toBe(true);
    const ride = lintWorkoutText('- 300m 60%', 'Ride');
    expect(ride.ok).toBe(true);
    expect(ride.warnings[0]!.message).toBe('`300m` means 300 minutes; for metres write `300mtr`.');
    // A 2-hour endurance ride is plausible: no warning.
    expect(lintWorkoutText('- 120m 65%', 'Ride').warnings).toEqual([]);
  });

  it('accepts metres as mtr', () => {
    const r = lintWorkoutText('- 400mtr 70% Pace\n\n8x\n- 100mtr 100% Pace\n- 20s intensity=rest', 'Swim');
    expect(r).toMatchObject({ ok: true, steps: 3, warnings: [] });
  });

  it('accepts repeats separated by blank lines, bare or with a header', () => {
    const r = lintWorkoutText('- 10m 55%\n\n4x\n- 4m 115%\n- 4m 50%\n\nSet two 2x\n- 1m 130%\n- 2m 50%\n\n- 10m 50%', 'Ride');
    expect(r).toMatchObject({ ok: true, steps: 6, warnings: [] });
    expect(r.estimated_secs).toBe(600 + 4 * 480 + 2 * 180 + 600);
  });

  it('warns when a repeat block has no blank line before or after it', () => {
    const before = lintWorkoutText('- 10m 55%\n4x\n- 4m 115%\n- 4m 50%', 'Ride');
    expect(before.ok).toBe(true);
    expect(before.warnings).toMatchObject([{ line: 2, message: 'Put a blank line before a repeat block.' }]);

    const after = lintWorkoutText('3x\n- 5m 100%\n- 5m 50%\nCooldown\n- 10m 50%', 'Ride');
    expect(after.ok).toBe(true);
    expect(after.warnings).toMatchObject([{ line: 4, message: 'Put a blank line after a repeat block.' }]);

    // An outdented step right after an indented block: it will be repeated too.
    const outdent = lintWorkoutText('3x\n  - 5m 100%\n  - 5m 50%\n- 10m 50%', 'Ride');
    expect(outdent.warnings).toMatchObject([{ line: 4 }]);
    expect(outdent.warnings[0]!.message).toContain('part of the repeat on line 1');
  });

  it('refuses nested repeats and empty repeats', () => {
    const nested = lintWorkoutText('3x\n- 5m 90%\n2x\n- 30s 120%\n- 30s 50%\n\n- 10m 50%', 'Ride');
    expect(nested.ok).toBe(false);
    expect(nested.errors).toMatchObject([{ line: 3, text: '2x' }]);
    expect(nested.errors[0]!.message).toContain('nested repeats are not supported');

    const empty = lintWorkoutText('- 10m 50%\n\n5x\n\n- 5m 50%', 'Ride');
    expect(empty.errors).toMatchObject([{ line: 3, text: '5x' }]);
    expect(empty.errors[0]!.message).toContain('Repeat with no steps');
  });

  it('treats prose lines as section headers, but not steps that lost their hyphen', () => {
    const prose = lintWorkoutText('Keep it conversational.\n- 45m Z2\nFinish with strides if fresh.', 'Run');
    expect(prose).toMatchObject({ ok: true, steps: 1, warnings: [] });

    const noDash = lintWorkoutText('10m 50%\n- 5m 80%', 'Ride');
    expect(noDash.errors).toMatchObject([{ line: 1, message: 'Looks like a step without its leading hyphen: write `- 10m 50%`.' }]);

    const bullets = lintWorkoutText('• 10m 50%\n– 5m 80%\n1. 5m 90%', 'Ride');
    expect(bullets.errors.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(bullets.errors[1]!.message).toBe('Start step lines with a plain hyphen and a space: `- 5m 80%`.');
  });

  it('says how to fix a step without a duration', () => {
    const r = lintWorkoutText('- Easy spin\n- 10 min easy\n- 400 m 5:00/km Pace\n- 30sec 120%\n- 0m 50%', 'Run');
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'No duration or distance: add one, e.g. `10m` (minutes), `30s`, `1h`, `400mtr`, `2km`.'],
      [2, 'No duration or distance: write `10m` instead of `10 min`.'],
      [3, 'No duration or distance: write `400mtr` for metres or `400m` for minutes, without a space.'],
      [4, 'No duration or distance: write `30s` instead of `30sec`.'],
      [5, 'The duration or distance must be greater than zero.'],
    ]);
  });

  it('warns about targets Intervals.icu would misread', () => {
    const r = lintWorkoutText('- 10m 5:00/km\n- 10m ramp\n- 10m 75', 'Run');
    expect(r.ok).toBe(true);
    expect(messages(r.warnings)).toBe(
      [
        'An absolute pace needs the `Pace` keyword, e.g. `5:00/km Pace`.',
        'A ramp needs a range, e.g. `ramp 50%-75%`.',
        'Target `75` has no unit: write `75%` (of FTP), `75w` or a zone like `Z2`.',
      ].join('\n'),
    );
  });

  it('warns when there are no steps at all (text-only workout)', () => {
    const r = lintWorkoutText('Easy spin, legs only.', 'Ride');
    expect(r.ok).toBe(true);
    expect(r.steps).toBe(0);
    expect(r.warnings[0]!.message).toContain('No step lines');
  });
});
