import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import type { Event } from '../intervals/schemas.js';
import {
  checkEvent,
  eventBody,
  eventFields,
  externalId,
  flag,
  issueText,
  parsedSteps,
  parseWarnings,
  problemsError,
  WRITTEN_COLUMNS,
} from './support/calendar-write.js';
import { isUnparsed } from './support/event-row.js';
import { asList } from './support/normalise.js';
import { Fields, toTable } from './support/table.js';
import { defineTool, OVERWRITE } from './support/tool.js';
import { guardWrite } from './support/write-guard.js';

/** One event of the batch: create_event's fields plus the required external_id. Validated below. */
const UpsertEvent = z.strictObject({ ...eventFields, external_id: externalId });
/**
 * In tools/list an item shows UpsertEvent's properties; the arguments take any objects, and the
 * handler checks each against UpsertEvent so every problem is named by the item's external_id.
 */
const { type: _t, ...itemJson } = z.toJSONSchema(UpsertEvent, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
delete itemJson.$schema;
delete itemJson.additionalProperties;
// The workout-text guide is create_event's; here a pointer to it is enough.
(itemJson.properties as Record<string, Record<string, unknown>>).text!.description = 'As create_event';
const MAX_EVENTS = 50;

export default defineTool({
  name: 'upsert_events',
  title: 'Plan events',
  description: 'Create or update ≤50 events by external_id (retry-safe).',
  annotations: OVERWRITE,
  athleteScoped: true,
  input: z.object({
    // Items list create_event's fields in tools/list; one event alone is taken as a list of one.
    events: asList(z.array(z.looseObject({}).meta({ type: 'object', ...itemJson }))),
    dry_run: flag,
  }),
  output: Fields,
  async handler(args, ctx) {
    if (args.events.length < 1 || args.events.length > MAX_EVENTS) {
      throw new InputError(
        `events must hold 1 to ${MAX_EVENTS} events (got ${args.events.length}); split a longer plan into several calls.`,
      );
    }
    const problems: string[] = [];
    const events = args.events.map((raw, i) => {
      const r = UpsertEvent.safeParse(raw);
      if (r.success) return r.data;
      const label = typeof raw.external_id === 'string' ? raw.external_id : `events[${i}]`;
      for (const issue of r.error.issues) {
        const field = issue.path.join('.');
        const message = /received undefined/.test(issue.message) ? 'is required' : issue.message;
        problems.push(`${label}: ${field ? `${field} ` : ''}${message}`);
      }
      return undefined;
    });
    const seen = new Set<string>();
    const checks = events.map((e) => {
      if (!e) return undefined;
      if (seen.has(e.external_id)) problems.push(`${e.external_id}: external_id appears twice; each event needs its own.`);
      seen.add(e.external_id);
      const c = checkEvent(e);
      problems.push(...c.problems.map((p) => `${e.external_id}: ${p}`));
      return c.check;
    });
    if (problems.length) throw problemsError(problems);
    // No problems: every item parsed, so `events` and `checks` line up one to one.
    const valid = events.filter((e) => e !== undefined);
    const checkOf = new Map(valid.map((e, i) => [e.external_id, checks[i]]));
    const bodies = valid.map(eventBody);

    if (args.dry_run) {
      // A read is fine in a dry run: which external_ids already sit in the batch's date span.
      const dates = valid.map((e) => e.date).sort();
      const stored = await ctx.client.listEvents(ctx.athleteId, { oldest: dates[0]!, newest: dates.at(-1)! }, ctx.signal);
      const ids = new Set(stored.map((e) => e.external_id).filter((x): x is string => !!x));
      const existing = valid.map((e) => e.external_id).filter((x) => ids.has(x));
      const warnings = valid.flatMap((e) => (checkOf.get(e.external_id)?.warnings ?? []).map((w) => `${e.external_id}: ${issueText(w)}`));
      return {
        dry_run: true,
        would_send: bodies,
        creates: valid.length - existing.length,
        updates: existing.length,
        existing,
        ...(warnings.length ? { warnings } : {}),
      };
    }

    const stored = await guardWrite(
      () => ctx.client.upsertEvents(ctx.athleteId, bodies, ctx.signal),
      'check list_events, or simply retry: the same external_ids update, never duplicate',
    );
    const warnings = stored.flatMap((e) => parseWarnings(e, checkOf.get(e.external_id ?? '')).map((w) => `${e.external_id ?? e.id}: ${w}`));
    return {
      events: toTable(stored, {
        ...WRITTEN_COLUMNS,
        steps: (e: Event) => parsedSteps(e.workout_doc),
        unparsed: (e: Event) => (isUnparsed(e) ? true : undefined),
      }),
      ...(warnings.length ? { warnings } : {}),
    };
  },
});
