/** list_library as a pure handler over a mocked client. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ATHLETE_ID, rowsOf, toolTest } from '../../test/support/tool-kit.js';
import { FolderSchema, WorkoutSchema } from '../intervals/schemas.js';
import listLibrary from './list-library.js';

const t = toolTest();

const folders = (raw: unknown[]) => z.array(FolderSchema).parse(raw);
const workouts = (raw: unknown[]) => z.array(WorkoutSchema).parse(raw);

describe('list_library', () => {
  it('lists the workouts folders carry, plans labelled, with h:mm:ss, load and day', async () => {
    t.client.listFolders.mockResolvedValue(
      folders([
        {
          id: 1,
          type: 'FOLDER',
          name: 'Bike',
          children: [{ id: 10, name: 'Sweet spot', type: 'Ride', moving_time: 3600, icu_training_load: 65 }],
        },
        { id: 2, type: 'PLAN', name: 'Base 8 weeks', children: [{ id: 20, name: 'Long run', type: 'Run', moving_time: 5400, day: 6 }] },
      ]),
    );
    const r = await t.run(listLibrary, {});
    expect(t.client.listFolders.mock.calls[0]![0]).toBe(ATHLETE_ID);
    expect(t.client.listWorkouts).not.toHaveBeenCalled();
    expect(rowsOf(r.workouts as never)).toEqual([
      { folder: 'Bike', id: 10, name: 'Sweet spot', sport: 'Ride', dur: '1:00:00', load: 65, day: null },
      { folder: 'Base 8 weeks (plan)', id: 20, name: 'Long run', sport: 'Run', dur: '1:30:00', load: null, day: 6 },
    ]);
  });

  it('when folders come without their workouts, lists them and groups by folder', async () => {
    t.client.listFolders.mockResolvedValue(
      folders([
        { id: 1, type: 'FOLDER', name: 'Bike' },
        { id: 2, type: 'FOLDER', name: 'Run' },
      ]),
    );
    t.client.listWorkouts.mockResolvedValue(
      workouts([
        { id: 11, folder_id: 2, name: 'Strides' },
        { id: 12, folder_id: 1, name: 'VO2' },
        { id: 13, folder_id: 99, name: 'Orphan' },
      ]),
    );
    const r = await t.run(listLibrary, {});
    expect(rowsOf(r.workouts as never).map((x) => [x.folder, x.name])).toEqual([
      ['Bike', 'VO2'],
      ['Run', 'Strides'],
    ]);
  });

  it('filters folders by a name substring in any case, and fetches no workouts when none match', async () => {
    t.client.listFolders.mockResolvedValue(folders([{ id: 1, type: 'FOLDER', name: 'Bike' }]));
    const r = await t.run(listLibrary, { folder: '  RUN ' });
    expect(r.workouts).toEqual({ columns: [], rows: [] });
    expect(t.client.listWorkouts).not.toHaveBeenCalled();
  });
});
