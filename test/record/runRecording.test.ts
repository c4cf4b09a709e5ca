/**
 * Recording inside `run`: --record wins over the config's record.file; record.sensors filters;
 * none without either. End to end: `run --record` with the demo pack records what the sensors fed
 * the pipeline, and the recording replays into the same data.
 */
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import t from 'tap';
import { createReplayDriver } from '../../drivers/replay/replay.js';
import type { Frame } from '../../drivers/types.js';
import { buildDemoPack } from '../../models/demo/build.js';
import { configSchema } from '../../src/config/schema.js';
import { startRunRecording } from '../../src/record/runRecording.js';
import { replayConfig } from '../drivers/replay/fixtures.js';
import { REPO, runCli } from '../helpers/cli.js';

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

async function replayAll(fields: Record<string, unknown>) {
  const driver = createReplayDriver(replayConfig({ realtime: false, ...fields }));
  await driver.start();
  const out = [];
  for await (const sample of driver.samples()) out.push(sample);
  await driver.stop();
  return out;
}

t.test('run --record: the agent records every sample it is fed', async (t) => {
  const dir = t.testdir({});
  const pack = join(dir, 'pack');
  await buildDemoPack(pack);
  const csv = join(REPO, 'config', 'demo', 'thermal_person.csv');
  const config = join(dir, 'run.yaml');
  writeFileSync(
    config,
    `models: { pack: ${JSON.stringify(pack)} }
sensors:
  - { id: thermal0, driver: replay, modality: thermal, files: [${JSON.stringify(csv)}], realtime: false }
http: { enabled: false }
mqtt: { url: embedded, embedded: { port: 0 }, outbox: { durable: false } }
`,
  );
  const out = join(dir, 'run.mcap');
  const res = await runCli(['run', config, '--exit-on-end', '--record', out, '--log-level', 'warn'], {
    timeoutMs: 120_000,
  });
  t.equal(res.code, 0, res.stderr);
  const recorded = await replayAll({ id: 'thermal0', modality: 'thermal', files: [out] });
  const direct = await replayAll({ id: 'thermal0', modality: 'thermal', files: [csv] });
  t.equal(recorded.length, 40);
  t.same(
    recorded.map((s) => [...s.data]),
    direct.map((s) => [...s.data]),
    'the same frames, in order',
  );
});
