import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { msToNs } from '../../../drivers/replay/clock.js';
import { createReplayDriver, REPLAY_COUNTERS } from '../../../drivers/replay/replay.js';
import type { Driver, Sample } from '../../../drivers/types.js';
import { FakeClock } from '../fakeClock.js';
import { waitFor } from '../poll.js';
import { grey8PngBytes, imuCsv, imuRows, replayConfig, rgbImage, thermalCsv, wavBytes } from './fixtures.js';

async function collect(driver: Driver, max = Number.POSITIVE_INFINITY): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of driver.samples()) {
    out.push(s);
    if (out.length >= max) break;
  }
  return out;
}

t.test(
  'audio windows: t is the first sample capture time on the replay clock, divided by speed',
  async (t) => {
    const dir = t.testdir({});
    const path = join(dir, 'a.wav');
    writeFileSync(path, wavBytes([Array(650).fill(1000)], 100, '16'));
    const clock = new FakeClock();
    const start = clock.now();
    const driver = createReplayDriver(
      replayConfig({ id: 'mic0', modality: 'audio', files: [path], speed: 2 }),
      { clock },
    );
    t.equal(driver.health().state, 'down', 'down before start');
    await driver.start();
    t.equal(driver.health().state, 'ok');
    const samples = await collect(driver);
    t.same(
      samples.map((s) => s.t),
      [0, 500, 1000].map((ms) => msToNs(start + ms)),
    );
    t.ok(samples.every((s) => s.kind === 'window' && s.sensor === 'mic0' && s.modality === 'audio'));
    const health = driver.health();
    t.equal(health.state, 'ok', 'a finished replay stays ok');
    t.match(health.counters, {
      finished: 1,
      samples: 3,
      files_played: 1,
      loops: 0,
      corrupt_rows: 0,
      dropped: 0,
    });
    t.equal(
      health.counters.bytes,
      samples.reduce((n, s) => n + s.data.byteLength, 0),
    );
    t.same(Object.keys(health.counters).sort(), ['errors', ...REPLAY_COUNTERS].sort());
    await driver.stop();
    t.equal(driver.health().state, 'down');
  },
);

t.test('a missing file rejects start() before anything plays', async (t) => {
  const dir = t.testdir({ 'ok.csv': imuCsv(imuRows(10, 10)) });
  const missing = join(dir, 'nope.csv');
  const driver = createReplayDriver(
    replayConfig({ id: 'imu0', modality: 'imu', files: [join(dir, 'ok.csv'), missing] }),
    {
      clock: new FakeClock(),
    },
  );
  await t.rejects(driver.start(), { code: 'FIXTURE_MISSING', message: /imu0.*nope\.csv/ });
  const health = driver.health();
  t.equal(health.state, 'down');
  t.match(health.lastError, /nope\.csv/);
  t.equal(health.counters.samples, 0);
  await driver.stop();
  t.same(await collect(driver), [], 'the iterator ends');
});

t.test('an extension the modality does not accept rejects start() with FILE_INVALID', async (t) => {
  const dir = t.testdir({ 'x.wav': '' });
  const driver = createReplayDriver(replayConfig({ modality: 'imu', files: [join(dir, 'x.wav')] }));
  await t.rejects(driver.start(), { code: 'FILE_INVALID', message: /use one of \.csv/ });
});

t.test('corrupt rows degrade health and playback goes on to the end', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'th.csv');
  const lines = thermalCsv(6, 4, 2).split('\n');
  lines[2] = 'warm,1,2,3,4,5,6,7';
  writeFileSync(path, lines.join('\n'));
  const driver = createReplayDriver(
    replayConfig({ modality: 'thermal', files: [path], width: 4, height: 2 }),
    {
      clock: new FakeClock(),
    },
  );
  await driver.start();
  const samples = await collect(driver);
  t.equal(samples.length, 5);
  const health = driver.health();
  t.equal(health.state, 'degraded', 'stays degraded after the end: something was dropped');
  t.match(health.counters, { corrupt_rows: 1, finished: 1, samples: 5 });
  t.match(health.lastError, /th\.csv: dropped 1 corrupt row\(s\); first at line 3/);
  await driver.stop();
});

t.test('an 8-bit depth PNG is skipped as FILE_INVALID, the next file plays', async (t) => {
  const dir = t.testdir({});
  const bad = join(dir, 'd8.png');
  writeFileSync(bad, await grey8PngBytes(4, 4));
  const good = join(dir, 'rgb.png');
  writeFileSync(good, await rgbImage(4, 4, 'png'));
  const warnings: Record<string, unknown>[] = [];
  const depth = createReplayDriver(replayConfig({ modality: 'depth', files: [bad] }), {
    clock: new FakeClock(),
    logger: { warn: (obj) => warnings.push(obj) },
  });
  await depth.start();
  t.same(await collect(depth), []);
  t.match(depth.health(), { state: 'down', counters: { file_errors: 1 }, lastError: /produced no sample/ });
  t.match(warnings, [{ file: bad, err: /d8\.png: depth replay needs a 16-bit single-channel \(grey\) PNG/ }]);
  await depth.stop();

  const garbage = join(dir, 'garbage.png');
  writeFileSync(garbage, 'garbage');
  const vision = createReplayDriver(replayConfig({ modality: 'vision', files: [garbage, good] }), {
    clock: new FakeClock(),
  });
  await vision.start();
  t.equal((await collect(vision)).length, 1);
  t.match(vision.health(), { state: 'degraded', counters: { file_errors: 1, files_played: 1, finished: 1 } });
  await vision.stop();
});

t.test('loop plays again until stop; stop ends the iterator and is idempotent', async (t) => {
  const dir = t.testdir({});
  const a = join(dir, 'a.png');
  writeFileSync(a, await rgbImage(4, 4, 'png'));
  const driver = createReplayDriver(
    replayConfig({ modality: 'vision', files: [a, a], loop: true, rate: 2 }),
    {
      clock: new FakeClock(),
    },
  );
  await Promise.all([driver.start(), driver.start()]);
  const samples = await collect(driver, 7);
  const gaps = samples.slice(1).map((s, i) => s.t - samples[i].t);
  t.ok(
    gaps.every((g) => g === 500_000_000n),
    'frames stay 1/rate apart across files and loops',
  );
  t.ok(driver.health().counters.loops >= 3);
  const reading = collect(driver);
  await Promise.all([driver.stop(), driver.stop()]);
  await reading;
  await driver.stop();
  t.equal(driver.health().state, 'down');
  t.same(await collect(driver), [], 'samples() after stop ends at once');
});

t.test('stop() aborts a pending sleep at once and leaves nothing pending', async (t) => {
  const dir = t.testdir({});
  const a = join(dir, 'a.png');
  writeFileSync(a, await rgbImage(4, 4, 'png'));
  const clock = new FakeClock({ mode: 'manual' });
  const driver = createReplayDriver(replayConfig({ modality: 'vision', files: [a], loop: true }), { clock });
  await driver.start();
  const it = driver.samples()[Symbol.asyncIterator]();
  t.equal((await it.next()).done, false);
  await waitFor(() => clock.pending === 1, 'the wait for the next frame');
  const next = it.next();
  await driver.stop();
  t.same(await next, { value: undefined, done: true });
  t.equal(clock.pending, 0);
});

t.test('start() after stop() plays again from the first file; counters keep counting', async (t) => {
  const dir = t.testdir({});
  const a = join(dir, 'a.png');
  writeFileSync(a, await rgbImage(4, 4, 'png'));
  const driver = createReplayDriver(replayConfig({ modality: 'vision', files: [a] }), {
    clock: new FakeClock(),
  });
  await driver.start();
  t.equal((await collect(driver)).length, 1);
  await driver.stop();
  await driver.start();
  t.equal(driver.health().state, 'ok');
  t.equal((await collect(driver)).length, 1);
  t.match(driver.health().counters, { samples: 2, finished: 2, files_played: 2 });
  await driver.stop();
});

t.test('a reader that falls behind loses the oldest samples, counted as dropped', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'th.csv');
  writeFileSync(path, thermalCsv(10, 2, 2));
  const driver = createReplayDriver(
    replayConfig({ modality: 'thermal', files: [path], width: 2, height: 2 }),
    {
      clock: new FakeClock(),
      queueLength: 3,
    },
  );
  await driver.start();
  await waitFor(() => driver.health().counters.finished === 1, 'the end of playback');
  const samples = await collect(driver);
  t.same(
    samples.map((s) => s.data[0]),
    [27, 28, 29],
    'the newest three remain',
  );
  t.match(driver.health().counters, { samples: 10, dropped: 7 });
  await driver.stop();
});

t.test('speed and the real clock: a long file is stopped promptly and leaves no timer', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'th.csv');
  writeFileSync(path, thermalCsv(1000, 2, 2));
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const driver = createReplayDriver(
    replayConfig({ modality: 'thermal', files: [path], width: 2, height: 2, rate: 1 }),
  );
  await driver.start();
  const [first] = await collect(driver, 1);
  t.equal(first.data[0], 20);
  await driver.stop();
  t.equal(timers(), before, 'the 1 s wait for the next frame was cleared');
});
