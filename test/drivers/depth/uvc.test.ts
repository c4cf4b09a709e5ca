/**
 * depth/uvc (uvc-z16): a 16-bit depth PNG from ../shared/data through real ffmpeg arrives
 * bit-exact as z16_mm with its unit in meta; a device is read with v4l2-ctl (ffmpeg has no Z16),
 * here a fake v4l2-ctl, and a missing v4l2-ctl names v4l-utils.
 */

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import t from 'tap';
import { uvcZ16Schema } from '../../../drivers/depth/uvc/config.js';
import { createUvcZ16Driver, uvcZ16Plan } from '../../../drivers/depth/uvc/uvc.js';
import type { Driver, Frame } from '../../../drivers/types.js';
import { installFake, unpluggableFake } from '../../fixtures/fake-capture/fake.js';
import { driverContract } from '../driverContract.js';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
const cfg = (fields: Record<string, unknown>) =>
  uvcZ16Schema.parse({ id: 'depth0', driver: 'uvc-z16', ...fields });

async function firstFrame(d: Driver): Promise<Frame> {
  await d.start();
  for await (const s of d.samples()) {
    await d.stop();
    return s as Frame;
  }
  throw new Error('no frame');
}

t.test('the TUM depth PNG arrives bit-exact as z16_mm, unit and intrinsics in meta', async (t) => {
  const file = join(SHARED, 'depth/tum_depth.png'); // MANIFEST: 640×480, depth_m = value / 5000
  const f = await firstFrame(
    createUvcZ16Driver(cfg({ input: file, depth_unit_m: 0.0002, baseline_m: 0.075, focal_px: 525 })),
  );
  const { data } = await sharp(file)
    .toColourspace('grey16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  const expected = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  t.equal(f.format, 'z16_mm');
  t.equal(f.width * f.height, 640 * 480);
  t.ok(f.data instanceof Uint16Array);
  t.ok(
    Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength).equals(
      Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength),
    ),
    'bit-exact',
  );
  t.same(f.meta, { depth_unit_m: 0.0002, baseline_m: 0.075, focal_px: 525 });
});

t.test('a device is streamed by v4l2-ctl as Z16', async (t) => {
  const plan = uvcZ16Plan(cfg({ input: '/dev/video2', width: 848, height: 480, fps: 15 }));
  t.equal(plan.tool, 'v4l2-ctl');
  t.same(plan.args, [
    '-d',
    '/dev/video2',
    '--set-fmt-video=width=848,height=480,pixelformat=Z16',
    '--set-parm=15',
    '--stream-mmap=4',
    '--stream-to=-',
  ]);
  t.equal(plan.frameBytes, 848 * 480 * 2);
  const dir = t.testdir({});
  installFake(dir, 'v4l2-ctl', { frameBytes: 8 * 6 * 2, intervalMs: 10, chunkBytes: 7 });
  const d = createUvcZ16Driver(cfg({ input: '/dev/video2', width: 8, height: 6 }), {
    env: { searchPath: dir },
  });
  await d.start();
  const frames: Frame[] = [];
  for await (const s of d.samples()) if (frames.push(s as Frame) >= 2) break;
  await d.stop();
  t.same(
    frames.map((f) => [f.data.length, f.data[0], f.data[47]]),
    [
      [48, 0, 0],
      [48, 257, 257],
    ],
    'little-endian 16-bit values',
  );
  const none = createUvcZ16Driver(cfg({ input: '/dev/video2' }), { env: { searchPath: t.testdir({}) } });
  await t.rejects(none.start(), { code: 'TOOL_MISSING', message: /apt-get install v4l-utils/ });
  await none.stop();
});

const contractDir = t.testdir({});
installFake(contractDir, 'v4l2-ctl', { frameBytes: 8 * 6 * 2, intervalMs: 10 });
const unplugDir = join(contractDir, 'unplug');
mkdirSync(unplugDir);
const depthCfg = cfg({ input: '/dev/video9', width: 8, height: 6 });
driverContract(
  t,
  'depth/uvc (fake v4l2-ctl)',
  () => createUvcZ16Driver(depthCfg, { env: { searchPath: contractDir } }),
  {
    unpluggable: () => {
      const { unplug, replug } = unpluggableFake(unplugDir, 'v4l2-ctl', {
        frameBytes: 8 * 6 * 2,
        intervalMs: 10,
      });
      const env = { searchPath: unplugDir, backoff: { initialMs: 50, maxMs: 200 } };
      return { driver: createUvcZ16Driver(depthCfg, { env }), unplug, replug };
    },
  },
);
