/** Recording inside `run`: --record wins over the config's record.file; record.sensors filters; none without either. */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { configSchema } from '../../src/config/schema.js';
import { startRunRecording } from '../../src/record/runRecording.js';

const sensors = ['a', 'b'].map((id) => ({ id, driver: 'replay', modality: 'thermal', files: ['x.csv'] }));
const frame = (sensor: string): Frame => ({
  kind: 'frame',
  sensor,
  modality: 'thermal',
  t: 1n,
  width: 1,
  height: 1,
  format: 'celsius_f32',
  data: Float32Array.of(20),
});

async function topics(file: string): Promise<string[]> {
  const handle = await open(file, 'r');
  const reader = await McapIndexedReader.Initialize({ readable: new FileHandleReadable(handle) });
  await handle.close();
  return [...reader.channelsById.values()].map((c) => c.topic);
}

t.test('config record.file (relative to the config folder) with record.sensors', async (t) => {
  const dir = t.testdir({});
  const config = configSchema.parse({ sensors, record: { file: 'rec.mcap', sensors: ['b'] } });
  const recording = await startRunRecording(config, dir, undefined);
  t.equal(recording?.file, join(dir, 'rec.mcap'));
  recording?.onSample(frame('a'));
  recording?.onSample(frame('b'));
  t.match(await recording?.close(), /rec\.mcap: 1 samples \(b 1\)/);
  t.same(await topics(join(dir, 'rec.mcap')), ['b']);
});

t.test('--record wins; no recording without either; unknown record.sensors refused', async (t) => {
  const dir = t.testdir({});
  const cli = join(dir, 'cli.mcap');
  const recording = await startRunRecording(
    configSchema.parse({ sensors, record: { file: 'rec.mcap' } }),
    dir,
    cli,
  );
  t.equal(recording?.file, cli);
  await recording?.close();
  t.equal(await startRunRecording(configSchema.parse({ sensors }), dir, undefined), undefined);
  await t.rejects(
    startRunRecording(
      configSchema.parse({ sensors, record: { file: 'r.mcap', sensors: ['zz'] } }),
      dir,
      undefined,
    ),
    {
      code: 'CONFIG_INVALID',
      message: /unknown sensor "zz" to record; configured sensors: a, b/,
    },
  );
});
