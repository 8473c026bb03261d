import * as z from 'zod';
import { InputError } from '../domain/errors.js';
import { describeEvent, eventDate, eventIdArg, flag, isPast } from './support/calendar-write.js';
import { EVENT_COLUMNS } from './support/event-row.js';
import { Fields, toRecord } from './support/table.js';
import { defineTool, OVERWRITE } from './support/tool.js';
import { guardWrite } from './support/write-guard.js';

export default defineTool({
  name: 'delete_event',
  title: 'Delete event',
  description: 'Delete a future event (past: allow_past; races: allow_race).',
  annotations: OVERWRITE,
  athleteScoped: true,
  input: z.object({ event_id: eventIdArg, allow_past: flag, allow_race: flag, dry_run: flag }),
  output: Fields,
  async handler(args, ctx) {
    const [event, today] = await Promise.all([ctx.client.getEvent(ctx.athleteId, args.event_id, ctx.signal), ctx.today()]);
    if (!args.allow_past && isPast(eventDate(event), today)) {
      throw new InputError(
        `${describeEvent(event)} is before today (${today}); past events are history. Pass allow_past: true only if the athlete asked to delete it.`,
      );
    }
    if (!args.allow_race && event.category.startsWith('RACE')) {
      throw new InputError(`${describeEvent(event)} is a race. Pass allow_race: true only if the athlete asked to delete it.`);
    }
    const record = toRecord(event, EVENT_COLUMNS);
    if (args.dry_run) return { dry_run: true, would_delete: record };
    await guardWrite(
      () => ctx.client.deleteEvent(ctx.athleteId, args.event_id, ctx.signal),
      'check list_events (or retry: deleting again is harmless)',
    );
    return { deleted: record };
  },
});
