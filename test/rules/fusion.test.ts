import t from 'tap';
import {
  alignReadings,
  fuseEmbeddings,
  fuseValues,
  SensorHistory,
  type SensorReading,
} from '../../src/rules/fusion.js';

const S = 1_000_000_000n;
const reading = (sensor: string, t: bigint, value: number | undefined, span = 0n): SensorReading => ({
  sensor,
  modality: 'thermal',
  t,
  end: t + span,
  value,
  score: value ?? 0,
  best: 0,
  embedding: Float32Array.from([value ?? 0, 1]),
});

t.test('nearest sample within the window; what a window covers counts', async (t) => {
  const h = new SensorHistory();
  for (let i = 0; i < 10; i++) h.push(reading('cam', BigInt(i) * S, i));
  t.equal(h.nearest(4n * S + S / 3n, 4n * S + S / 3n, S)?.value, 4);
  t.equal(h.nearest(20n * S, 20n * S, S), undefined, '11 s away');
  t.equal(h.nearest(12n * S, 15n * S, 3n * S)?.value, 9, 'the window [12, 15] s is 3 s from 9 s');
  const imu = new SensorHistory();
  imu.push(reading('imu', 0n, 1, 5n * S));
  t.equal(imu.nearest(3n * S, 3n * S, 0n)?.value, 1, 'a frame inside a 5 s window aligns at gap 0');
});

t.test('history is bounded', async (t) => {
  const h = new SensorHistory();
  for (let i = 0; i < 1000; i++) h.push(reading('cam', BigInt(i) * (S / 30n), i));
  t.equal(h.nearest(0n, 0n, S), undefined, 'the oldest of 1000 samples at 30 fps is gone');
  t.equal(h.latest()?.value, 999);
});

t.test('fuse values and embeddings', async (t) => {
  const a = reading('a', 0n, 0.9);
  const b = reading('b', 0n, 0.3);
  const histories = new Map([['b', new SensorHistory()]]);
  histories.get('b')?.push(b);
  const aligned = alignReadings(['a', 'b', 'c'], histories, a, S);
  t.same(
    aligned.map((r) => r.sensor),
    ['a', 'b'],
    'c has no sample',
  );
  t.equal(fuseValues('any', aligned, ['a', 'b', 'c']).value, 0.9);
  t.equal(fuseValues('all', aligned, ['a', 'b', 'c']).value, undefined, 'all needs every sensor');
  t.equal(fuseValues('all', aligned, ['a', 'b']).value, 0.3);
  t.ok(Math.abs((fuseValues('mean', aligned, ['a', 'b'], { a: 1, b: 3 }).value ?? 0) - 0.45) < 1e-9);
  t.equal(fuseValues('any', [reading('a', 0n, undefined)], ['a']).value, undefined, 'warming up');
  const e = fuseEmbeddings(aligned, ['a', 'b']);
  t.ok(e && Math.abs(Math.hypot(...e) - 1) < 1e-6, 'unit length');
  t.equal(fuseEmbeddings(aligned, ['a', 'b', 'c']), undefined);
});
