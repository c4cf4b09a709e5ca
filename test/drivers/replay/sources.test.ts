import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openTimeline } from '../../../drivers/replay/sources.js';
import type { Frame, Sample, Window } from '../../../drivers/types.js';
import { depthPngBytes, imuCsv, imuRows, replayConfig, rgbImage, thermalCsv, wavBytes } from './fixtures.js';

function asWindow(s: Sample): Window {
  if (s.kind !== 'window') throw new Error(`expected a window, got a ${s.kind}`);
  return s;
}

function asFrame(s: Sample): Frame {
  if (s.kind !== 'frame') throw new Error(`expected a frame, got a ${s.kind}`);
  return s;
}

t.test('wav: windows emitted at their last sample, channel-major, one partial tail', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'a.wav');
  const left = Array.from({ length: 650 }, (_, i) => i);
  writeFileSync(path, wavBytes([left, left.map((v) => -v)], 100, '16'));
  const cfg = replayConfig({ modality: 'audio', files: [path], window: 5, hop: 1 });
  const tl = await openTimeline({ path, kind: 'wav' }, cfg);
  t.equal(tl.durationMs, 6500);
  t.same(
    tl.samples.map((s) => [s.atMs, s.spanMs]),
    [
      [4990, 4990],
      [5990, 4990],
      [6490, 4490],
    ],
  );
  const w = asWindow(tl.samples[1].build(123n));
  t.match(w, { kind: 'window', sensor: 'replay0', modality: 'audio', t: 123n, rate: 100, channels: 2 });
  t.equal(w.data.length, 1000);
  t.equal(w.data[0], 100 / 32768, 'channel 0 starts at sample 100');
  t.equal(w.data[500], -100 / 32768, 'channel 1 follows channel 0');
  t.same(w.meta, { file: 'a.wav' });
});

t.test('imu: timing from t_ms, rate from the median spacing, meta t0_ms', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'walk.csv');
  const rows = imuRows(1000, 10).map(([tm, ...v]) => [tm + 12_345, ...v]);
  writeFileSync(path, imuCsv(rows));
  const cfg = replayConfig({ modality: 'imu', files: [path] });
  const tl = await openTimeline({ path, kind: 'imu_csv' }, cfg);
  t.equal(tl.durationMs, 10_000);
  t.same(
    tl.samples.map((s) => s.atMs),
    [4990, 5990, 6990, 7990, 8990, 9990, 9990],
  );
  const w = asWindow(tl.samples[1].build(1n));
  t.equal(w.rate, 100);
  t.equal(w.channels, 6);
  t.equal(w.data.length, 6 * 500);
  t.same(w.meta, { t0_ms: 13_345, file: 'walk.csv' });
  t.equal(w.data[0], 100, 'ax of row 100');
  t.equal(w.data[500], Math.fround(100.1), 'ay of row 100');
  t.equal(asWindow(tl.samples[6].build(1n)).data.length, 6 * 400, 'the partial tail has 4 s');
});

t.test('thermal csv: a frame per row at the rate, corrupt rows keep their slot', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'th.csv');
  const lines = thermalCsv(4, 2, 2).split('\n');
  lines[1] = '1,2,3';
  writeFileSync(path, lines.join('\n'));
  const tl = await openTimeline(
    { path, kind: 'thermal_csv' },
    replayConfig({ modality: 'thermal', files: [path], width: 2, height: 2 }),
  );
  t.equal(tl.durationMs, 1000, '4 rows at the default 4 Hz');
  t.same(
    tl.samples.map((s) => s.atMs),
    [0, 500, 750],
  );
  t.same(tl.corrupt, [{ line: 2, reason: 'expected 4 values (2×2), got 3' }]);
  const f = asFrame(tl.samples[2].build(5n));
  t.match(f, { format: 'celsius_f32', width: 2, height: 2, modality: 'thermal', t: 5n });
  t.same(Array.from(f.data), [23, 23, 23, 23]);
  const fast = await openTimeline(
    { path, kind: 'thermal_csv' },
    replayConfig({ modality: 'thermal', files: [path], width: 2, height: 2, rate: 8 }),
  );
  t.equal(fast.durationMs, 500);
});

t.test('image: one encoded frame per file, 1 fps by default', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'cam.jpg');
  writeFileSync(path, await rgbImage(32, 24, 'jpeg'));
  const tl = await openTimeline({ path, kind: 'image' }, replayConfig({ modality: 'vision', files: [path] }));
  t.equal(tl.durationMs, 1000);
  const f = asFrame(tl.samples[0].build(9n));
  t.match(f, { kind: 'frame', format: 'jpeg', width: 32, height: 24, modality: 'vision' });
  t.same(
    Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength),
    readFileSync(path),
    'the file bytes as they are',
  );
  const tl2 = await openTimeline(
    { path, kind: 'image' },
    replayConfig({ modality: 'thermal', files: [path], rate: 4 }),
  );
  t.equal(tl2.durationMs, 250);
});

t.test('depth: z16_mm frame with baseline/focal meta when configured', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'd.png');
  writeFileSync(path, await depthPngBytes(2, 2, Uint16Array.from([0, 600, 3500, 65535])));
  const cfg = replayConfig({ modality: 'depth', files: [path], baseline_m: 0.05, focal_px: 380 });
  const f = asFrame((await openTimeline({ path, kind: 'depth_png' }, cfg)).samples[0].build(1n));
  t.equal(f.format, 'z16_mm');
  t.ok(f.data instanceof Uint16Array);
  t.same(Array.from(f.data), [0, 600, 3500, 65535]);
  t.same(f.meta, { file: 'd.png', baseline_m: 0.05, focal_px: 380 });
  const plain = asFrame(
    (
      await openTimeline({ path, kind: 'depth_png' }, replayConfig({ modality: 'depth', files: [path] }))
    ).samples[0].build(1n),
  );
  t.same(plain.meta, { file: 'd.png' });
});
