import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import type { Event } from '../intervals/schemas.js';
import {
  checkEvent,
  describeEvent,
  eventDate,
  eventFields,
  eventIdArg,
  flag,
  isPast,
  moveFields,
  plannedFields,
  problemsError,
  writtenEvent,
} from './support/calendar-write.js';
import { EVENT_COLUMNS } from './support/event-row.js';
import { Fields, toRecord } from './support/table.js';
import { defineTool, OVERWRITE } from './support/tool.js';
import { guardWrite } from './support/write-guard.js';

/** Columns Intervals.icu recomputes from new workout text: unknown until it has parsed it. */
const FROM_TEXT = ['dur', 'load', 'if_pct', 'km', 'unparsed'];

export default defineTool({
  name: 'update_event',
  title: 'Change event',
  description: 'Edit or move an event (date); past ones need allow_past.',
  annotations: OVERWRITE,
  athleteScoped: true,
  input: z.object({
    event_id: eventIdArg,
    // create_event's fields, all optional; the text's hint is create_event's (one copy in the catalogue).
    date: eventFields.date.optional(),
    name: eventFields.name,
    text: z.string().optional().describe('As in create_event'),
    sport: eventFields.sport,
    planned_load: eventFields.planned_load,
    planned_secs: eventFields.planned_secs,
    allow_past: flag,
    dry_run: flag,
  }),
  output: Fields,
  async handler(args, ctx) {
    const { event_id: id, date, name, text, sport: type, allow_past: allowPast, dry_run: dryRun } = args;
    if ([date, name, text, type, args.planned_load, args.planned_secs].every((v) => v === undefined)) {
      throw new InputError('Nothing to change: give at least one of date, name, text, sport, planned_load, planned_secs.');
    }
    const [current, today] = await Promise.all([ctx.client.getEvent(ctx.athleteId, id, ctx.signal), ctx.today()]);
    if (!allowPast && isPast(eventDate(current), today)) {
      throw new InputError(
        `${describeEvent(current)} is before today (${today}); past events are history. Pass allow_past: true only if the athlete asked to change it.`,
      );
    }
    if (!allowPast && date !== undefined && isPast(date, today)) {
      throw new InputError(`${date} is before today (${today}): moving an event into the past needs allow_past: true.`);
    }

    // Lint only text that is being written; sport and name are checked only when given.
    const { problems, check } = checkEvent({ category: current.category, sport: type ?? current.type, name, text }, { isNew: false });
    if (problems.length) throw problemsError(problems);

    const body: Record<string, unknown> = {
      ...(date !== undefined && date !== eventDate(current) ? moveFields(current, date) : {}),
      ...(name !== undefined ? { name } : {}),
      ...(text !== undefined ? { description: text } : {}),
      ...(type !== undefined ? { type } : {}),
      ...plannedFields(current.category, args),
    };
    if (Object.keys(body).length === 0) throw new InputError(`Nothing changes: ${describeEvent(current)} is already on ${date}.`);
    if (dryRun) {
      const after = toRecord({ ...current, ...body } as Event, EVENT_COLUMNS);
      if (text !== undefined && current.category === 'WORKOUT') for (const k of FROM_TEXT) delete after[k];
      return { dry_run: true, before: toRecord(current, EVENT_COLUMNS), after, ...(check ? { check } : {}) };
    }
    const stored = await guardWrite(() => ctx.client.updateEvent(ctx.athleteId, id, body, ctx.signal));
    return { ...writtenEvent(stored, check) };
  },
});
