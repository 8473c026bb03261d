import * as z from 'zod';
import { checkEvent, eventBody, eventFields, externalId, flag, problemsError, writtenEvent } from './support/calendar-write.js';
import { Fields } from './support/table.js';
import { defineTool, WRITE } from './support/tool.js';
import { guardWrite } from './support/write-guard.js';

export default defineTool({
  name: 'create_event',
  title: 'Add event',
  description: 'Add a workout, note, race or other event.',
  annotations: WRITE,
  athleteScoped: true,
  input: z.object({ ...eventFields, external_id: externalId.optional(), dry_run: flag }),
  output: Fields,
  async handler(args, ctx) {
    const { problems, check } = checkEvent(args);
    if (problems.length) throw problemsError(problems);
    const body = eventBody(args);
    if (args.dry_run) return { dry_run: true, would_send: body, ...(check ? { check } : {}) };
    const stored = await guardWrite(() => ctx.client.createEvent(ctx.athleteId, body, ctx.signal));
    return { ...writtenEvent(stored, check) };
  },
});
