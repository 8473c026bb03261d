import * as z from 'zod';
import { hms } from '../domain/format.js';
import type { Folder, Workout } from '../intervals/schemas.js';
import { Fields, toTable } from './support/table.js';
import { defineTool, READ } from './support/tool.js';

type Row = { folder: Folder; workout: Workout };

export default defineTool({
  name: 'list_library',
  title: 'Workout library',
  description: 'Folders and plans with their workouts.',
  annotations: READ,
  athleteScoped: true,
  input: z.object({
    folder: z.string().optional().describe('Name contains'),
  }),
  output: Fields,
  async handler(args, ctx) {
    let folders = await ctx.client.listFolders(ctx.athleteId, ctx.signal);
    if (args.folder) {
      const needle = args.folder.trim().toLowerCase();
      folders = folders.filter((f) => (f.name ?? '').toLowerCase().includes(needle));
    }
    // Folders normally carry their workouts; if this answer did not, list them and group by folder.
    const inline = folders.some((f) => Array.isArray(f.children));
    const all = inline || !folders.length ? [] : await ctx.client.listWorkouts(ctx.athleteId, ctx.signal);
    const rows: Row[] = folders.flatMap((folder) =>
      (inline ? (folder.children ?? []) : all.filter((w) => w.folder_id === folder.id)).map((workout) => ({ folder, workout })),
    );
    return {
      workouts: toTable(rows, {
        folder: (r) => (r.folder.type === 'PLAN' ? `${r.folder.name ?? r.folder.id} (plan)` : (r.folder.name ?? String(r.folder.id))),
        id: (r) => r.workout.id,
        name: (r) => r.workout.name,
        sport: (r) => r.workout.type,
        dur: (r) => hms(r.workout.moving_time),
        load: (r) => r.workout.icu_training_load,
        day: (r) => r.workout.day,
      }),
    };
  },
});
