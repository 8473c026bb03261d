/**
 * A focused linter for Intervals.icu workout text (the `description` of a WORKOUT event), run before
 * anything is written so a workout that would not parse is caught with a fix, not discovered later
 * on the watch. Pure: no I/O, no load computation (Intervals.icu computes that from the text).
 *
 * Syntax (see the MCP resource intervals://workout-syntax):
 *   - one step per line, starting with `- `: `- [cue] <duration|distance> [target] [cadence]`
 *   - durations `1h`, `10m`, `30s`, `1h2m30s`, `1m30`, `5'`, `30"`; `m` is MINUTES
 *   - distances `500mtr`, `2km`, `1mi`, `400yrd`
 *   - targets (optional) `75%`, `95-105%`, `220w`, `Z2`, `Z3-Z4`, `70% HR`, `95% LTHR`, `Z2 HR`,
 *     `60% Pace`, `5:00/km Pace`, `ramp 50%-75%`, `freeride`, cadence `90rpm`
 *   - repeats: a `4x` line or a header ending in ` 4x`, then the steps, blank lines around the
 *     block; no nesting
 *   - any other line is a section header (`Warmup`, `Main set`, …)
 */

import { type SportFamily, sportFamily } from './sports.js';

export interface LintIssue {
  /** 1-based line number. */
  line: number;
  text: string;
  message: string;
}

export interface LintResult {
  ok: boolean;
  /** Step lines (a step inside a repeat block counts once). */
  steps: number;
  errors: LintIssue[];
  warnings: LintIssue[];
  /** Total of the timed steps including repeats; absent when a step is a distance. */
  estimated_secs?: number;
}

const DISTANCE = /^(\d+(?:\.\d+)?)(mtr|km|mi|yrd)$/i;
const HMS = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/i;
const M_SS = /^(\d+)m(\d{1,2})$/i;
const QUOTES = /^(?:(\d+(?:\.\d+)?)')?(?:(\d+(?:\.\d+)?)")?$/;
const REPEAT = /^(?:(.*?)\s+)?(\d+)\s?x$/i;
/** Words that make a line a step (a target, cadence or step flag). */
const TARGET_WORD = /%|\d\s*w\b|\bz\d|rpm\b|\bpace\b|\bhr\b|\blthr\b|\bramp\b|\bfreeride\b|intensity=/i;

type Length = { secs: number } | { metres: number };
const METRES: Record<string, number> = { mtr: 1, km: 1000, mi: 1609.344, yrd: 0.9144 };

/** A duration or distance token, or null. */
export function parseLength(token: string): Length | null {
  let m = DISTANCE.exec(token);
  if (m) return { metres: Math.round(Number(m[1]) * METRES[m[2]!.toLowerCase()]!) };
  m = HMS.exec(token);
  if (m && (m[1] ?? m[2] ?? m[3]) !== undefined) {
    return { secs: Math.round(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) };
  }
  m = M_SS.exec(token);
  if (m) return { secs: Number(m[1]) * 60 + Number(m[2]) };
  m = QUOTES.exec(token);
  if (m && (m[1] ?? m[2]) !== undefined) return { secs: Math.round(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) };
  return null;
}

const UNIT_FIX: [RegExp, string][] = [
  [/^(min|mins|minute|minutes)$/i, 'm'],
  [/^(sec|secs|second|seconds)$/i, 's'],
  [/^(hr|hrs|hour|hours)$/i, 'h'],
  [/^(meter|meters|metre|metres|mt|mtrs)$/i, 'mtr'],
  [/^(yd|yds|yard|yards)$/i, 'yrd'],
  [/^(mile|miles)$/i, 'mi'],
  [/^(k|kms)$/i, 'km'],
];

/** How to fix a step without a duration or distance, from its tokens. */
function lengthHint(tokens: readonly string[]): string {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const glued = /^(\d+(?:\.\d+)?)([a-z]+)$/i.exec(t);
    const split = /^\d+(?:\.\d+)?$/.test(t) && tokens[i + 1] ? [t, t, tokens[i + 1]!] : null;
    const [, n, unit] = glued ?? split ?? [];
    if (!n || !unit) continue;
    if (split && /^m$/i.test(unit)) return `write \`${n}mtr\` for metres or \`${n}m\` for minutes, without a space`;
    if (split && parseLength(`${n}${unit}`)) return `write \`${n}${unit}\` without the space`;
    for (const [re, fix] of UNIT_FIX) if (re.test(unit)) return `write \`${n}${fix}\` instead of \`${split ? `${n} ${unit}` : t}\``;
  }
  return 'add one, e.g. `10m` (minutes), `30s`, `1h`, `400mtr`, `2km`';
}

/** Minutes from which `<n>m` is probably meant as metres. */
const METRE_SUSPECT: Record<SportFamily, number> = { swim: 50, run: 100, other: 100, ride: 300 };

/** Checks one step body (after `- `); returns the step length or pushes an error. */
function lintStep(body: string, sport: SportFamily, issue: (kind: 'error' | 'warning', message: string) => void): Length | null {
  const tokens = body.split(/\s+/).filter(Boolean);
  const at = tokens.findIndex((t) => parseLength(t) !== null);
  if (at < 0) {
    issue('error', `No duration or distance: ${lengthHint(tokens)}.`);
    return null;
  }
  const token = tokens[at]!;
  const length = parseLength(token)!;
  if ('secs' in length ? length.secs <= 0 : length.metres <= 0) {
    issue('error', 'The duration or distance must be greater than zero.');
    return null;
  }
  const minutes = /^(\d+)m$/i.exec(token);
  if (minutes && Number(minutes[1]) >= METRE_SUSPECT[sport]) {
    // A run or swim step of hundreds of minutes is the classic metres mistake: writing it would put
    // an absurd workout on the calendar, so it blocks the write. Someone who means it writes 6h40m.
    const n = Number(minutes[1]);
    const hm = `${Math.floor(n / 60)}h${n % 60 ? `${n % 60}m` : ''}`;
    issue(
      sport === 'ride' ? 'warning' : 'error',
      `\`${token}\` means ${n} minutes; for metres write \`${n}mtr\`${sport === 'ride' ? '' : ` (if you really mean the time, write ${hm})`}.`,
    );
  }
  const rest = tokens.slice(at + 1).join(' ');
  if (/\d:\d{2}(\s*-\s*\d+:\d{2})?\s*\/\s*(km|mi|100m|100y|500m|400m|250m)\b/i.test(rest) && !/\bpace\b/i.test(rest)) {
    issue('warning', 'An absolute pace needs the `Pace` keyword, e.g. `5:00/km Pace`.');
  }
  if (/\bramp\b/i.test(rest) && !/\d\s*%?\s*-\s*\d/.test(rest)) {
    issue('warning', 'A ramp needs a range, e.g. `ramp 50%-75%`.');
  }
  if (/^\d+(?:-\d+)?$/.test(rest)) {
    issue('warning', `Target \`${rest}\` has no unit: write \`${rest}%\` (of FTP), \`${rest}w\` or a zone like \`Z2\`.`);
  }
  return length;
}

/** An open repeat block: from its header line to the next blank line. */
interface Block {
  reps: number;
  line: number;
  text: string;
  steps: number;
  indent: number | null;
}

type Report = (kind: 'error' | 'warning', message: string) => void;

/**
 * The step part of a line (what follows `- `), or undefined when the line is not a step. Near
 * misses are reported: no space after the hyphen, another bullet, a step that lost its hyphen.
 */
function stepBody(trimmed: string, issue: Report): string | undefined {
  if (trimmed.startsWith('-')) {
    if (!/^-\s/.test(trimmed)) issue('warning', 'Write a space after the hyphen: `- 10m 75%`.');
    return trimmed.replace(/^-+\s*/, '');
  }
  const bullet = /^(?:[–—•*·]|\d+[.)])\s*/.exec(trimmed);
  if (
    bullet &&
    trimmed
      .slice(bullet[0].length)
      .split(/\s+/)
      .some((t) => parseLength(t))
  ) {
    const body = trimmed.slice(bullet[0].length);
    issue('error', `Start step lines with a plain hyphen and a space: \`- ${body}\`.`);
    return body;
  }
  const [first, ...more] = trimmed.split(/\s+/);
  if (!parseLength(first!)) return undefined;
  // `10m 75%` is a step that lost its hyphen; `2km loop` may be a header: warn only.
  const stepLike = more.length === 0 || TARGET_WORD.test(more.join(' '));
  issue(
    stepLike ? 'error' : 'warning',
    `Looks like a step without its leading hyphen: write \`- ${trimmed}\`${stepLike ? '' : ' if it is one'}.`,
  );
  return stepLike ? trimmed : undefined;
}

/** A step inside a repeat block: one indented less than the block, or a cool-down, is likely outside. */
function checkInBlock(block: Block, raw: string, body: string, issue: Report): void {
  const indent = raw.length - raw.trimStart().length;
  if (block.steps === 0) block.indent = indent;
  else if (block.indent !== null && block.indent > 0 && indent < block.indent) {
    issue('warning', `This step is part of the repeat on line ${block.line}; if it should not repeat, put a blank line before it.`);
  }
  if (/\bcool/i.test(body))
    issue('warning', `A cool-down inside the repeat on line ${block.line} is repeated too; put a blank line before it.`);
}

/**
 * A repeat line (`4x`, `Main set 4x`): opens a block, or, inside an open one, is refused (no
 * nesting, no doubled count) and leaves that block open.
 */
function repeatLine(reps: number, open: Block | null, at: { line: number; raw: string; afterText: boolean }, issue: Report): Block {
  if (open) {
    issue(
      'error',
      open.steps > 0
        ? `Repeat inside the repeat on line ${open.line}: nested repeats are not supported. Write the inner repeat out step by step, or end the first block with a blank line.`
        : `Two repeat counts in a row (line ${open.line} and this one): keep one.`,
    );
    open.steps = Math.max(1, open.steps); // reported once
    return open;
  }
  if (reps < 1) issue('error', 'The repeat count must be at least 1.');
  if (at.afterText) issue('warning', 'Put a blank line before a repeat block.');
  return { reps: Math.max(1, reps), line: at.line, text: at.raw, steps: 0, indent: null };
}

const TEXT_ONLY: LintIssue = {
  line: 0,
  text: '',
  message: 'No step lines (`- 10m 75%`): Intervals.icu stores this as text only, without structure or planned load.',
};

export function lintWorkoutText(text: string, sport?: string | null): LintResult {
  const kind = sportFamily(sport);
  const errors: LintIssue[] = [];
  const warnings: LintIssue[] = [];
  const lines = text.split(/\r?\n/);
  let steps = 0;
  let secs = 0;
  let timed = true;
  let block: Block | null = null;
  const closeBlock = (open: Block | null) => {
    if (open?.steps === 0) {
      const message = 'Repeat with no steps: put the steps to repeat on the lines right below it, then a blank line.';
      errors.push({ line: open.line, text: open.text, message });
    }
    return null;
  };

  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const trimmed = raw.trim();
    const issue: Report = (k, message) => (k === 'error' ? errors : warnings).push({ line, text: raw, message });
    if (!trimmed) {
      block = closeBlock(block);
      continue;
    }
    const body = stepBody(trimmed, issue);
    if (body !== undefined) {
      const length = lintStep(body, kind, issue);
      steps++;
      if (block) {
        checkInBlock(block, raw, body, issue);
        block.steps++;
      }
      if (length && 'secs' in length) secs += length.secs * (block ? block.reps : 1);
      else timed = false;
      continue;
    }
    const repeat = REPEAT.exec(trimmed);
    if (repeat) {
      block = repeatLine(Number(repeat[2]), block, { line, raw, afterText: i > 0 && !!lines[i - 1]!.trim() }, issue);
      continue;
    }
    // A section header (or a free-text line). It ends an open repeat block.
    if (block && block.steps > 0) issue('warning', 'Put a blank line after a repeat block.');
    block = closeBlock(block);
  }
  closeBlock(block);

  if (steps === 0 && errors.length === 0) warnings.push({ ...TEXT_ONLY });
  return {
    ok: errors.length === 0,
    steps,
    errors,
    warnings,
    ...(timed && steps > 0 ? { estimated_secs: secs } : {}),
  };
}
