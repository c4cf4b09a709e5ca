/**
 * Issue #7 acceptance, round trip: Samples from replayed sources (the demo fixtures of every
 * modality) are recorded, the MCAP is replayed, and the replay driver — what the pipeline
 * receives — yields identical Samples, bytes and capture times. Then recordSession itself: it
 * stops when the recordings end, at --duration, or on the stop signal, and always leaves an
 * indexed file; unknown sensor ids are refused.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import t from 'tap';
import { createReplayDriver } from '../../drivers/replay/replay.js';
import type { Sample } from '../../drivers/types.js';
import { configSchema } from '../../src/config/schema.js';
import { recordSession } from '../../src/record/session.js';
import { McapRecorder } from '../../src/record/writer.js';
import { FakeClock } from '../drivers/fakeClock.js';
import { replayConfig } from '../drivers/replay/fixtures.js';
import { sameSample } from '../drivers/replay/mcapFixtures.js';
import { REPO } from '../helpers/cli.js';

const DEMO = join(REPO, 'config', 'demo');
const SOURCES: Record<string, unknown>[] = [
  { id: 'thermal0', modality: 'thermal', files: ['thermal_empty.csv', 'thermal_person.csv'], rate: 4 },
  { id: 'imu0', modality: 'imu', files: ['imu_walk.csv', 'imu_fall.csv'], window: 5, hop: 1 },
  { id: 'mic0', modality: 'audio', files: ['audio_siren.wav'], window: 2, hop: 1 },
  { id: 'cam0', modality: 'vision', files: ['vision_dark.png', 'vision_bright.png'] },
  { id: 'depth0', modality: 'depth', files: ['depth_near.png'], baseline_m: 0.05, focal_px: 380 },
].map((s) => ({ ...s, files: (s.files as string[]).map((f) => join(DEMO, f)) }));

async function drain(fields: Record<string, unknown>, clock?: FakeClock): Promise<Sample[]> {
  const driver = createReplayDriver(replayConfig(fields), { clock });
  await driver.start();
  const out: Sample[] = [];
  for await (const s of driver.samples()) out.push(s);
  await driver.stop();
  return out;
}

t.test('record from replayed sources, replay the MCAP: identical Samples', async (t) => {
  const file = join(t.testdir({}), 'session.mcap');
  const clock = new FakeClock(); // recorded times on the replay clock, played as fast as the loop turns
  const originals = new Map<string, Sample[]>();
  const recorder = await McapRecorder.create({ file });
  for (const fields of SOURCES) {
    const samples = await drain(fields, clock);
    originals.set(String(fields.id), samples);
    for (const s of samples) {
      await recorder.room();
      recorder.write(s);
    }
  }
  const stats = await recorder.close();
  t.equal(stats.dropped, 0);
  for (const fields of SOURCES) {
    const want = originals.get(String(fields.id)) ?? [];
    t.ok(want.length > 0, `${fields.id}: ${want.length} samples recorded`);
    const got = await drain({ id: fields.id, modality: fields.modality, files: [file], realtime: false });
    t.equal(got.length, want.length, `${fields.id}: as many samples back`);
    want.forEach((w, i) => {
      sameSample(t, got[i], w);
    });
  }
});

function config(loop: boolean) {
  return configSchema.parse({
    sensors: SOURCES.slice(0, 2).map((s) => ({ ...s, driver: 'replay', speed: 20, loop })),
  });
}

async function channelCounts(file: string): Promise<Record<string, number>> {
  const handle = await open(file, 'r');
  try {
    const reader = await McapIndexedReader.Initialize({ readable: new FileHandleReadable(handle) });
    const counts: Record<string, number> = {};
    for (const [id, n] of reader.statistics?.channelMessageCounts ?? []) {
      counts[reader.channelsById.get(id)?.topic ?? '?'] = Number(n);
    }
    return counts;
  } finally {
    await handle.close();
  }
}

t.test('recordSession stops when every recording has played', async (t) => {
  const out = join(t.testdir({}), 'a.mcap');
  const { stats, reason } = await recordSession({ config: config(false), out, sensors: ['imu0'] });
  t.equal(reason, 'ended');
  t.match(stats, { dropped: 0, sensors: { imu0: { modality: 'imu' } } });
  t.same(Object.keys(stats.sensors), ['imu0'], 'only the chosen sensor');
  t.same(await channelCounts(out), { imu0: stats.messages }, 'indexed, with statistics');
});

t.test('recordSession stops on the signal and at the duration, with the index written', async (t) => {
  const dir = t.testdir({});
  const controller = new AbortController();
  const progress: string[] = [];
  const stream = { write: (s: string) => progress.push(s), isTTY: false };
  const running = recordSession({
    config: config(true),
    out: join(dir, 'b.mcap'),
    signal: controller.signal,
    progress: stream,
    progressIntervalMs: 20,
  });
  while (!/imu0/.test(progress.at(-1) ?? '')) await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort();
  const stopped = await running;
  t.equal(stopped.reason, 'signal');
  t.match(progress[0], /^recording \d+\.\d s: \d+ samples .*written, 0 dropped\n$/);
  t.match(
    progress.at(-1),
    /^recording .* samples \(thermal0 \d+, imu0 \d+\)/,
    'the last line is the final state',
  );
  t.same(Object.keys(await channelCounts(join(dir, 'b.mcap'))).sort(), ['imu0', 'thermal0']);
  const timed = await recordSession({ config: config(true), out: join(dir, 'c.mcap'), durationS: 0.2 });
  t.equal(timed.reason, 'duration');
  t.ok(timed.stats.messages > 0);
});

t.test('unknown sensor ids are refused before anything is written', async (t) => {
  await t.rejects(
    recordSession({ config: config(false), out: join(t.testdir({}), 'x.mcap'), sensors: ['imu0', 'nope'] }),
    {
      code: 'CONFIG_INVALID',
      message: 'unknown sensor "nope" to record; configured sensors: thermal0, imu0',
    },
  );
});
