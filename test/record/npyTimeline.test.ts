/** .npy arrays as import timelines: frame stacks at `rate`, depth metres → mm, audio and IMU windows, and refusals. */
import t from 'tap';
import type { Frame, Window } from '../../drivers/types.js';
import { writeNpyFloat32 } from '../../src/preprocess/npy.js';
import { npyTimeline } from '../../src/record/npyTimeline.js';
import { replayConfig } from '../drivers/replay/fixtures.js';

/** A little-endian, C-order .npy of uint8 or uint16 (writeNpyFloat32 covers float32). */
function npyInt(shape: number[], data: Uint8Array | Uint16Array): Uint8Array {
  const descr = data instanceof Uint8Array ? '|u1' : '<u2';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64);
  header += '\n';
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(body, 10 + header.length);
  return out;
}

const cfg = (fields: Record<string, unknown>) => replayConfig({ files: ['x.npy'], ...fields });

t.test('vision [N,H,W,3] uint8: N rgb24 frames, 1/rate apart', async (t) => {
  const data = Uint8Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => i);
  const tl = npyTimeline(npyInt([2, 2, 3, 3], data), 'v.npy', cfg({ modality: 'vision', rate: 10 }));
  t.equal(tl.samples.length, 2);
  t.same(
    tl.samples.map((s) => s.atMs),
    [0, 100],
  );
  t.equal(tl.durationMs, 200);
  const second = tl.samples[1].build(5n) as Frame;
  t.match(second, { format: 'rgb24', width: 3, height: 2, t: 5n, meta: { file: 'v.npy' } });
  t.same([...second.data], [...data.subarray(18)]);
  const gray = npyTimeline(
    npyInt([2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6])),
    'g.npy',
    cfg({ modality: 'vision' }),
  );
  t.match(gray.samples[0].build(0n), { format: 'gray8', width: 3, height: 2 });
});

t.test('depth: uint16 millimetres as they are, float metres to mm with invalid as 0', async (t) => {
  const mm = npyTimeline(npyInt([1, 2], Uint16Array.from([1200, 0])), 'd.npy', cfg({ modality: 'depth' }));
  t.same([...(mm.samples[0].build(0n) as Frame).data], [1200, 0]);
  const metres = npyTimeline(
    writeNpyFloat32([2, 2], Float32Array.from([1.5, Number.NaN, -1, 0.0004])),
    'd.npy',
    cfg({ modality: 'depth' }),
  );
  const f = metres.samples[0].build(0n) as Frame;
  t.match(f, { format: 'z16_mm', width: 2, height: 2 });
  t.same([...f.data], [1500, 0, 0, 0]);
});

t.test('thermal float °C and uint16 counts', async (t) => {
  const c = npyTimeline(
    writeNpyFloat32([3, 1, 2], Float32Array.from([20, 21, 22, 23, 24, 25])),
    't.npy',
    cfg({ modality: 'thermal' }),
  );
  t.equal(c.samples.length, 3);
  t.same(
    c.samples.map((s) => s.atMs),
    [0, 250, 500],
    'thermal default 4 frames/s',
  );
  t.match(c.samples[2].build(0n), { format: 'celsius_f32', width: 2, height: 1 });
  const counts = npyTimeline(npyInt([1, 2], Uint16Array.from([7, 8])), 't.npy', cfg({ modality: 'thermal' }));
  t.match(counts.samples[0].build(0n), { format: 'gray16' });
});

t.test('audio [C,N] with a sample rate and imu [N,7] become windows', async (t) => {
  const audio = npyTimeline(
    writeNpyFloat32([2, 400], new Float32Array(800)),
    'a.npy',
    cfg({ modality: 'audio', window: 1, hop: 1 }),
    { sampleRate: 200 },
  );
  t.equal(audio.samples.length, 2);
  t.match(audio.samples[0].build(0n) as Window, { rate: 200, channels: 2, data: { length: 400 } });
  const rows = Array.from({ length: 300 }, (_, i) => [i * 10, 0, 0, 9.81, 0, 0, i]).flat();
  const imu = npyTimeline(
    writeNpyFloat32([300, 7], Float32Array.from(rows)),
    'i.npy',
    cfg({ modality: 'imu', window: 1, hop: 1 }),
  );
  t.equal(imu.samples.length, 3);
  const w = imu.samples[1].build(0n) as Window;
  t.match(w, { rate: 100, channels: 6, meta: { t0_ms: 1000 } });
  t.equal(w.data[5 * 100], 100, 'gz of the first row of the second window');
});

t.test('refusals name the file and the expected layout', async (t) => {
  t.throws(
    () => npyTimeline(writeNpyFloat32([10], new Float32Array(10)), 'a.npy', cfg({ modality: 'audio' })),
    {
      code: 'FILE_INVALID',
      message: /a\.npy: an audio \.npy needs a sample rate \(--sample-rate HZ\)/,
    },
  );
  t.throws(
    () => npyTimeline(writeNpyFloat32([2, 2], new Float32Array(4)), 'v.npy', cfg({ modality: 'vision' })),
    {
      message: /vision \.npy must be uint8; got float32/,
    },
  );
  t.throws(
    () => npyTimeline(writeNpyFloat32([4, 6], new Float32Array(24)), 'i.npy', cfg({ modality: 'imu' })),
    {
      message: /an imu \.npy must be float \[N,7\]/,
    },
  );
  t.throws(
    () => npyTimeline(writeNpyFloat32([5], new Float32Array(5)), 'd.npy', cfg({ modality: 'depth' })),
    {
      message: /a depth \.npy must be \[H,W\] or \[N,H,W\]; got shape \[5\]/,
    },
  );
});
