/**
 * Shared by the calendar write tools (create_event, update_event, delete_event, upsert_events):
 * parameter schemas, request bodies, checks made before anything is sent, the compact answer about
 * what Intervals.icu stored, and the error advice for writes that failed half-way.
 */
import * as z from 'zod';
import { addDays, dayOf, daysBetween } from '../../domain/dates.js';
import { InputError } from '../../domain/errors.js';
import { hms } from '../../domain/format.js';
import { type LintIssue, type LintResult, lintWorkoutText } from '../../domain/workout-text.js';
import type { Event } from '../../intervals/schemas.js';
import { EVENT_COLUMNS, isUnparsed } from './event-row.js';
import { categoryArg, sportArg } from './normalise.js';
import { localDate as day, wholeIn } from './params.js';
import type { Columns } from './table.js';
import { toRecord } from './table.js';

export const NAME_MAX = 80;
export const SYNTAX_HINT = 'syntax: resource intervals://workout-syntax';

// ---------------------------------------------------------------- parameters
// Typed in tools/list (enums for closed sets, dates with "format":"date"); bounds are checked by
// refinements, so the write tools stay within the catalogue's token budget. Loose spellings
// (`workout`, `bike`) are normalised before validation (./normalise.ts).

export const time = z
  .string()
  .refine((t) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t), 'must be HH:MM (24 h)')
  .describe('HH:MM');

export const whole = wholeIn(0);

export const amount = z.number().refine((n) => n >= 0, 'must be ≥ 0');

export const eventIdArg = z
  .number()
  .refine((n) => Number.isSafeInteger(n) && n > 0, 'must be an event id from list_events')
  .meta({ type: 'integer' });

export const externalId = z.string().refine((s) => s.length >= 1 && s.length <= 100, 'must be 1-100 characters');

/** Optional flags default to false in the handler (no `default` in the schema). */
export const flag = z.boolean().optional();

/**
 * What a model needs to write workout text that parses, in the schema it reads (hosts seldom show
 * resources); the long form is the intervals://workout-syntax resource.
 */
export const WORKOUT_TEXT_HINT =
  'Workout steps, one a line: "- 10m 75%" (m = minutes; metres: 400mtr); targets % FTP, 220w, Z2, 70% HR, 95% LTHR, 5:00/km Pace; repeats: a "4x" line then steps, blank line before and after';

/** The fields of one new event (create_event, and each item of upsert_events). */
export const eventFields = {
  date: day,
  // Default WORKOUT, applied after parsing so the JSON schema stays the enum.
  category: categoryArg.optional().transform((c) => c ?? 'WORKOUT'),
  sport: sportArg().optional(),
  name: z.string().optional(),
  text: z.string().optional().describe(WORKOUT_TEXT_HINT),
  time: time.optional(),
  planned_secs: whole.optional(),
  planned_km: amount.optional(),
  planned_load: whole.optional(),
};

// ---------------------------------------------------------------- request bodies

export interface EventInput {
  date: string;
  category: string;
  sport?: string | undefined;
  name?: string | undefined;
  text?: string | undefined;
  time?: string | undefined;
  planned_secs?: number | undefined;
  planned_km?: number | undefined;
  planned_load?: number | undefined;
  external_id?: string | undefined;
}

/** Planned values go to the target fields on a TARGET event, to the planned ones otherwise. */
export function plannedFields(
  category: string,
  a: Pick<EventInput, 'planned_secs' | 'planned_km' | 'planned_load'>,
): Record<string, number> {
  const target = category === 'TARGET';
  const out: Record<string, number> = {};
  if (a.planned_secs !== undefined) out[target ? 'time_target' : 'moving_time'] = a.planned_secs;
  if (a.planned_km !== undefined) out[target ? 'distance_target' : 'distance'] = Math.round(a.planned_km * 1000);
  if (a.planned_load !== undefined) out[target ? 'load_target' : 'icu_training_load'] = a.planned_load;
  return out;
}

/** The EventEx body for POST /events and the bulk upsert, keys in a readable order. */
export function eventBody(a: EventInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    category: a.category,
    start_date_local: `${a.date}T${a.time ?? '00:00'}:00`,
  };
  if (a.sport !== undefined) body.type = a.sport;
  if (a.name !== undefined) body.name = a.name;
  if (a.text !== undefined) body.description = a.text;
  Object.assign(body, plannedFields(a.category, a));
  if (a.external_id !== undefined) body.external_id = a.external_id;
  return body;
}

/** A moved event keeps its time of day and its length in days (multi-day notes). */
export function moveFields(e: Event, date: string): Record<string, string> {
  const from = dayOf(e.start_date_local);
  const out: Record<string, string> = { start_date_local: `${date}${e.start_date_local.slice(10) || 'T00:00:00'}` };
  if (e.end_date_local && e.end_date_local.length >= 10) {
    out.end_date_local = `${addDays(e.end_date_local.slice(0, 10), daysBetween(from, date))}${e.end_date_local.slice(10)}`;
  }
  return out;
}

// ---------------------------------------------------------------- checks before writing

export const issueText = (i: LintIssue) => (i.line ? `line ${i.line} \`${i.text.trim()}\`: ${i.message}` : i.message);

export interface EventCheck {
  /** Problems that block the write, one line each, with the fix. */
  problems: string[];
  /** The workout text lint, for WORKOUT events with text. */
  check?: LintResult;
}

/** Name, sport and workout text rules shared by create, update and upsert. */
export function checkEvent(
  a: { category: string; sport?: string | null | undefined; name?: string | null | undefined; text?: string | null | undefined },
  opts: { isNew: boolean } = { isNew: true },
): EventCheck {
  const problems: string[] = [];
  if (a.name !== undefined && a.name !== null && a.name.length > NAME_MAX) {
    problems.push(`name is ${a.name.length} characters; Intervals.icu allows ${NAME_MAX}. Shorten it (details go in text).`);
  }
  if (a.category === 'NOTE' && (opts.isNew || a.name !== undefined) && !a.name?.trim()) problems.push('a NOTE needs a name.');
  if (opts.isNew && a.category === 'WORKOUT' && !a.sport?.trim()) problems.push('a WORKOUT needs a sport, e.g. Ride, Run, Swim.');
  let check: LintResult | undefined;
  if (a.category === 'WORKOUT' && a.text?.trim()) {
    check = lintWorkoutText(a.text, a.sport);
    problems.push(...check.errors.map(issueText));
  }
  return { problems, ...(check ? { check } : {}) };
}

/** The tool error for blocked writes: every problem on its own line. */
export function problemsError(problems: readonly string[]): InputError {
  const syntax = problems.some((p) => /\bline \d+ `/.test(p)) ? `\n(${WORKOUT_TEXT_HINT}. Full ${SYNTAX_HINT}.)` : '';
  return new InputError(`Nothing was written. Fix:\n- ${problems.join('\n- ')}${syntax}`);
}

/** `today` and later may change; earlier dates are history. */
export const isPast = (date: string, today: string) => date < today;

export const eventDate = (e: Event) => dayOf(e.start_date_local);

/** `#123 RACE_A 2026-12-01 "Club 10k"`, for messages. */
export const describeEvent = (e: Event) => `#${e.id} ${e.category} ${eventDate(e)}${e.name ? ` "${e.name}"` : ''}`;

// ---------------------------------------------------------------- what Intervals.icu stored

/** The calendar columns without the text the caller just sent (and with the parse status apart). */
export const WRITTEN_COLUMNS: Columns<Event> = Object.fromEntries(
  Object.entries(EVENT_COLUMNS).filter(([k]) => k !== 'text' && k !== 'unparsed'),
);

/** Steps in a parsed workout: every step line once, inside repeat blocks too (as the lint counts). */
export function parsedSteps(doc: unknown): number | undefined {
  const steps = (doc as { steps?: unknown } | null | undefined)?.steps;
  if (!Array.isArray(steps)) return undefined;
  let n = 0;
  for (const s of steps) {
    const inner = (s as { steps?: unknown } | null)?.steps;
    n += Array.isArray(inner) ? (parsedSteps(s) ?? 0) : 1;
  }
  return n;
}

export const UNPARSED_WARNING = `Intervals.icu did not turn the workout text into steps: no structure on the device and no planned load. Fix the text (${SYNTAX_HINT}) with update_event.`;

/** Warnings about one stored event: the lint's, then what Intervals.icu made of the text. */
export function parseWarnings(e: Event, check: LintResult | undefined): string[] {
  const out = (check?.warnings ?? []).map(issueText);
  // Text without step lines: the lint's warning already says it is stored as text only.
  if (isUnparsed(e) && check?.steps !== 0) out.push(UNPARSED_WARNING);
  else {
    const parsed = parsedSteps(e.workout_doc);
    if (check && parsed !== undefined && parsed !== check.steps) {
      out.push(`Intervals.icu parsed ${parsed} steps, the text has ${check.steps}: check the step lines.`);
    }
  }
  return out;
}

export interface WrittenEvent {
  event: Record<string, string | number | boolean>;
  parsed?: { steps?: number; dur?: string; load?: number };
  unparsed?: true;
  warnings?: string[];
}

/** The stored event as one record, plus `parsed` (steps, dur, load) or `unparsed` for a WORKOUT. */
export function writtenEvent(e: Event, check?: LintResult): WrittenEvent {
  const out: WrittenEvent = { event: toRecord(e, WRITTEN_COLUMNS) };
  if (e.workout_doc) {
    const parsed: WrittenEvent['parsed'] = {};
    const steps = parsedSteps(e.workout_doc);
    if (steps !== undefined) parsed.steps = steps;
    const dur = hms(e.moving_time);
    if (dur) parsed.dur = dur;
    if (typeof e.icu_training_load === 'number') parsed.load = e.icu_training_load;
    out.parsed = parsed;
  } else if (isUnparsed(e)) out.unparsed = true;
  const warnings = parseWarnings(e, check);
  if (warnings.length) out.warnings = warnings;
  return out;
}
