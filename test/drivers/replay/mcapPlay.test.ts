/**
 * The replay driver on MCAP files: recorded Samples come back identical (bytes and capture
 * times); original timing divided by speed, or as fast as the reader takes with no drop; seek;
 * loop with time moving on; a foreign file with Foxglove schemas; a cut-off file and an
 * undecodable message replay what is readable and count what is not. Plus the driver contract.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { HealthTracker } from '../../../drivers/health.js';
import { SCHEMA } from '../../../drivers/replay/mcapSchemas.js';
import { type PlayerDeps, play } from '../../../drivers/replay/player.js';
import { createReplayDriver } from '../../../drivers/replay/replay.js';
import type { Driver, Frame, Sample, Window } from '../../../drivers/types.js';
import { driverContract } from '../driverContract.js';
import { FakeClock } from '../fakeClock.js';
import { tick } from '../poll.js';
import { replayConfig, rgbImage } from './fixtures.js';
import { everyFormat, foxTime, sameSample, T0, writeForeign, writeOwn } from './mcapFixtures.js';

const MS = 1_000_000n;

function thermal(i: number, sensor = 'th0', at = BigInt(i) * 250n * MS): Frame {
  return {
    kind: 'frame',
    sensor,
    modality: 'thermal',
    t: T0 + at,
    width: 2,
    height: 1,
    format: 'celsius_f32',
    data: Float32Array.from([20 + i, 30 + i]),
  };
}

async function collect(driver: Driver, limit = Number.POSITIVE_INFINITY): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of driver.samples()) if (out.push(s) >= limit) break;
  return out;
}

async function replay(
  fields: Record<string, unknown>,
  limit?: number,
): Promise<{ samples: Sample[]; driver: Driver; warnings: string[] }> {
  const warnings: string[] = [];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) =>
      warnings.push(`${msg}: ${String(obj.err ?? obj.reason)}`),
  };
  const driver = createReplayDriver(replayConfig({ realtime: false, ...fields }), { logger });
  await driver.start();
  const samples = await collect(driver, limit);
  await driver.stop();
  return { samples, driver, warnings };
}

function playDeps(fields: Record<string, unknown>, file: string, clock: FakeClock) {
  const samples: Sample[] = [];
  const health = new HealthTracker({ initial: 'ok' });
  const d: PlayerDeps = {
    cfg: replayConfig({ files: [file], ...fields }),
    files: [{ path: file, kind: 'mcap' }],
    clock,
    health,
    signal: new AbortController().signal,
    emit: (s) => samples.push(s),
  };
  return { d, samples, health };
}

t.test('every recorded Sample replays identical: bytes, array type, capture time, meta', async (t) => {
  const file = join(t.testdir({}), 's.mcap');
  const samples = everyFormat(await rgbImage(4, 4, 'png'), await rgbImage(16, 12, 'jpeg'));
  await writeOwn(file, samples);
  for (const want of samples) {
    const { samples: got, driver } = await replay({
      id: want.sensor,
      modality: want.modality,
      files: [file],
    });
    t.equal(got.length, 1, `${want.sensor}: one sample`);
    sameSample(t, got[0], want);
    t.match(driver.health().counters, { samples: 1, dropped: 0, corrupt_messages: 0, finished: 1 });
  }
});

t.test('original timing divided by speed; windows are emitted when complete; t stays recorded', async (t) => {
  const file = join(t.testdir({}), 's.mcap');
  const window: Window = {
    kind: 'window',
    sensor: 'th0',
    modality: 'thermal',
    t: T0 + 1000n * MS,
    rate: 100,
    channels: 1,
    data: new Float32Array(101),
  };
  await writeOwn(file, [thermal(0), thermal(1), thermal(2), window]);
  const clock = new FakeClock();
  const start = clock.now();
  const { d, samples, health } = playDeps({ id: 'th0', modality: 'thermal', speed: 2 }, file, clock);
  const emittedAt: number[] = [];
  d.emit = (s) => {
    samples.push(s);
    emittedAt.push(clock.now() - start);
  };
  t.equal(await play(d), 'finished');
  t.same(
    samples.map((s) => s.t),
    [T0, T0 + 250n * MS, T0 + 500n * MS, T0 + 1000n * MS],
  );
  t.same(emittedAt, [0, 125, 250, 1000], 'frames at log time / 2; the 1 s window 1 s later still (2 s / 2)');
  t.equal(clock.now() - start, 1000, 'the file ends with its last sample: the window due at 2 s, / 2');
  t.equal(health.counter('files_played'), 1);
});

t.test('seek skips the first seconds; past the end it is a file error', async (t) => {
  const file = join(t.testdir({}), 's.mcap');
  await writeOwn(
    file,
    [0, 1, 2, 3].map((i) => thermal(i)),
  );
  const { samples } = await replay({ id: 'th0', modality: 'thermal', files: [file], seek: 0.3 });
  t.same(
    samples.map((s) => s.t),
    [T0 + 500n * MS, T0 + 750n * MS],
  );
  const {
    samples: none,
    driver,
    warnings,
  } = await replay({ id: 'th0', modality: 'thermal', files: [file], seek: 5 });
  t.same(none, []);
  t.match(driver.health(), { state: 'down', counters: { file_errors: 1 } });
  t.match(warnings, [/seek 5 s is past the end of .*s\.mcap \(0\.750 s long\)/]);
});

t.test('loop: each pass moves time on by the length of a pass', async (t) => {
  const file = join(t.testdir({}), 's.mcap');
  await writeOwn(
    file,
    [0, 1, 2].map((i) => thermal(i)),
  );
  const { samples, driver } = await replay({ id: 'th0', modality: 'thermal', files: [file], loop: true }, 7);
  // span 500 ms + mean interval 250 ms = 750 ms per pass
  t.same(
    samples.map((s) => Number((s.t - T0) / MS)),
    [0, 250, 500, 750, 1000, 1250, 1500],
  );
  t.ok(driver.health().counters.loops >= 2);
});

t.test('realtime: false loses nothing to a slow reader (the driver waits for room)', async (t) => {
  const file = join(t.testdir({}), 's.mcap');
  await writeOwn(
    file,
    Array.from({ length: 60 }, (_, i) => thermal(i)),
  );
  const driver = createReplayDriver(
    replayConfig({ id: 'th0', modality: 'thermal', files: [file], realtime: false }),
    { queueLength: 4 },
  );
  await driver.start();
  const got: Sample[] = [];
  for await (const s of driver.samples()) {
    got.push(s);
    for (let i = 0; i < 5; i++) await tick(); // a reader far slower than the file
  }
  await driver.stop();
  t.equal(got.length, 60);
  t.match(driver.health().counters, { samples: 60, dropped: 0 });
});

t.test('a file written by another tool with Foxglove schemas replays', async (t) => {
  const file = join(t.testdir({}), 'foreign.mcap');
  const jpeg = await rgbImage(16, 12, 'jpeg');
  const rgb = Buffer.from(Array.from({ length: 2 * 2 * 3 }, (_, i) => i));
  await writeForeign(file, [
    {
      topic: '/camera/image_raw',
      schema: SCHEMA.rawImage,
      logTime: T0,
      body: {
        timestamp: foxTime(T0),
        frame_id: 'cam',
        width: 2,
        height: 2,
        encoding: 'rgb8',
        step: 6,
        data: rgb.toString('base64'),
      },
    },
    {
      topic: '/camera/compressed',
      schema: SCHEMA.compressedImage,
      logTime: T0 + MS,
      body: { timestamp: foxTime(T0 + MS), frame_id: 'cam', format: 'jpeg', data: jpeg.toString('base64') },
    },
    {
      topic: '/camera/image_raw',
      schema: SCHEMA.rawImage,
      logTime: T0 + 100n * MS,
      body: {
        timestamp: foxTime(T0 + 90n * MS),
        frame_id: 'cam',
        width: 2,
        height: 2,
        encoding: 'rgb8',
        step: 6,
        data: rgb.toString('base64'),
      },
    },
    { topic: '/imu', schema: 'sensor_msgs/msg/Imu', logTime: T0, body: {}, encoding: 'cdr' },
  ]);
  const { samples: raw } = await replay({
    id: 'cam0',
    modality: 'vision',
    files: [file],
    channels: ['/camera/image_raw'],
  });
  t.match(raw, [
    { sensor: 'cam0', format: 'rgb24', width: 2, height: 2, t: T0, meta: { file: 'foreign.mcap' } },
    { t: T0 + 90n * MS },
  ]);
  t.same([...(raw[0]?.data ?? [])], [...rgb]);
  const { samples: both } = await replay({
    id: 'cam0',
    modality: 'vision',
    files: [file],
    channels: ['camera/image_raw', 'camera/compressed'],
  });
  t.same(
    both.map((s) => (s.kind === 'frame' ? s.format : s.kind)),
    ['rgb24', 'jpeg', 'rgb24'],
    'merged in log-time order',
  );
  const { driver, warnings } = await replay({ id: 'cam0', modality: 'vision', files: [file] });
  t.match(driver.health(), {
    state: 'down',
    counters: { file_errors: 1 },
  });
  t.match(warnings, [/several channels could feed this vision sensor: \/camera\/image_raw/]);
});

t.test('a cut-off recording replays what is readable and counts the rest', async (t) => {
  const dir = t.testdir({});
  const full = join(dir, 'full.mcap');
  const frames = Array.from({ length: 40 }, (_, i) => ({
    ...thermal(i),
    width: 64,
    height: 32,
    data: Float32Array.from({ length: 2048 }, (_, k) => Math.sin(i * k)),
  }));
  await writeOwn(full, frames, 8192);
  const bytes = readFileSync(full);
  const cut = join(dir, 'cut.mcap');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const { samples, driver } = await replay({ id: 'th0', modality: 'thermal', files: [cut] });
  t.ok(samples.length > 5 && samples.length < 40, `replayed ${samples.length} of 40`);
  samples.forEach((s, i) => {
    sameSample(t, s, frames[i]);
  });
  const h = driver.health();
  t.match(h, { state: 'down', counters: { unindexed_files: 1, finished: 1 }, lastError: /truncated/ });
  t.ok(h.counters.unreadable_bytes > 0, `unreadable_bytes ${h.counters.unreadable_bytes}`);
});

t.test('an undecodable message is counted and skipped; the rest plays', async (t) => {
  const file = join(t.testdir({}), 'f.mcap');
  const row = (i: number) => Buffer.from([i, i, i]).toString('base64');
  await writeForeign(file, [
    {
      topic: 'cam0',
      schema: SCHEMA.rawImage,
      logTime: T0,
      body: { width: 1, height: 1, encoding: 'rgb8', data: row(1) },
    },
    {
      topic: 'cam0',
      schema: SCHEMA.rawImage,
      logTime: T0 + MS,
      body: { width: 1, height: 1, encoding: 'yuyv', data: row(2) },
    },
    {
      topic: 'cam0',
      schema: SCHEMA.rawImage,
      logTime: T0 + 2n * MS,
      body: { width: 1, height: 1, encoding: 'rgb8', data: row(3) },
    },
  ]);
  const { samples, driver } = await replay({ id: 'cam0', modality: 'vision', files: [file] });
  t.same(
    samples.map((s) => s.t),
    [T0, T0 + 2n * MS],
  );
  t.match(driver.health(), {
    counters: { corrupt_messages: 1 },
    lastError: /"yuyv" cannot be replayed as vision/,
  });
});

const contractDir = t.testdir({});
const contractFile = join(contractDir, 'c.mcap');
await writeOwn(
  contractFile,
  Array.from({ length: 20 }, (_, i) => thermal(i)),
);
driverContract(t, 'replay mcap', () =>
  createReplayDriver(
    replayConfig({ id: 'th0', modality: 'thermal', files: [contractFile], loop: true, speed: 50 }),
  ),
);
