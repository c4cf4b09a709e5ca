/**
 * thermal/uvc (uvc-y16) with real ffmpeg reading 16-bit PNGs of known values: Y16 counts arrive
 * bit-exact as y16_ck (°C = v/100 − 273.15), decikelvin is converted and clipping counted, a
 * non-radiometric Lepton gives gray16; and the V4L2 command line asks for Y16 (gray16le).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import t from 'tap';
import { uvcY16Schema } from '../../../../drivers/thermal/uvc/config.js';
import {
  createUvcY16Driver,
  decikelvinToCentikelvin,
  uvcY16Plan,
} from '../../../../drivers/thermal/uvc/uvc.js';
import type { Driver, Frame } from '../../../../drivers/types.js';
import { driverContract } from '../../driverContract.js';

const W = 160;
const H = 120;
const cfg = (fields: Record<string, unknown>) =>
  uvcY16Schema.parse({ id: 'lepton0', driver: 'uvc-y16', ...fields });

async function png16(path: string, values: Uint16Array, width = W, height = H): Promise<string> {
  await sharp(values, { raw: { width, height, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toFile(path);
  return path;
}

async function firstFrame(d: Driver): Promise<Frame> {
  await d.start();
  for await (const s of d.samples()) {
    await d.stop();
    return s as Frame;
  }
  throw new Error('no frame');
}

/** A scene in centikelvin: 20 °C background, a 36 °C block, every pixel distinct in the low bits. */
function scene(): Uint16Array {
  const v = new Uint16Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) v[y * W + x] = (x > 60 && x < 100 && y > 30 && y < 90 ? 30915 : 29315) + x;
  return v;
}

t.test('Y16 centikelvin frames are bit-exact', async (t) => {
  const dir = t.testdir({});
  const values = scene();
  values[0] = 0x7403; // drivers.md §5.1 worked example: bytes 03 74 = 29699 → 23.84 °C
  const f = await firstFrame(createUvcY16Driver(cfg({ input: await png16(join(dir, 'y16.png'), values) })));
  t.equal(f.format, 'y16_ck');
  t.ok(f.data instanceof Uint16Array && f.data.length === W * H, 'Uint16Array of 160×120');
  t.same(Array.from(f.data), Array.from(values), 'every count as written');
  t.equal(Math.round(((f.data[0] as number) / 100 - 273.15) * 100) / 100, 23.84, '°C = v/100 − 273.15');
});

t.test('0.1 K resolution: decikelvin ×10, clipping counted; non-radiometric: gray16', async (t) => {
  const dir = t.testdir({});
  const dk = new Uint16Array(W * H).fill(2981); // 298.1 K
  dk[5] = 7000; // 700 K: above what centikelvin can hold
  const input = await png16(join(dir, 'dk.png'), dk);
  const d = createUvcY16Driver(cfg({ input, resolution: 0.1 }));
  const f = await firstFrame(d);
  t.equal(f.data[0], 29810);
  t.equal(f.data[5], 65535);
  t.equal(d.health().counters.clipped_pixels, 1);
  const raw = await firstFrame(createUvcY16Driver(cfg({ input, radiometric: false })));
  t.equal(raw.format, 'gray16');
  t.equal(raw.data[0], 2981, 'raw counts unchanged');
  const values = new Uint16Array([1, 6553, 6554, 0]);
  t.equal(decikelvinToCentikelvin(values), 1);
  t.same(Array.from(values), [10, 65530, 65535, 0]);
});

t.test('a PureThermal device is opened as V4L2 Y16 at 160×120, 9 fps', async (t) => {
  const plan = uvcY16Plan(cfg({}));
  t.equal(plan.tool, 'ffmpeg');
  const i = plan.args.indexOf('-f');
  t.same(plan.args.slice(i, i + 10), [
    ...[
      '-f',
      'v4l2',
      '-input_format',
      'gray16le',
      '-video_size',
      '160x120',
      '-framerate',
      '9',
      '-i',
      '/dev/video0',
    ],
  ]);
  t.same(plan.args.slice(-4), ['rawvideo', '-pix_fmt', 'gray16le', 'pipe:1']);
  t.equal(plan.frameBytes, 38_400, '160·120·2 (drivers.md §5.1)');
  t.equal(plan.finite, false);
});

driverContract(t, 'thermal/uvc (lavfi gray source)', () =>
  createUvcY16Driver(cfg({ demuxer: 'lavfi', input: 'color=c=gray:size=160x120:rate=9', fps: 9 })),
);
