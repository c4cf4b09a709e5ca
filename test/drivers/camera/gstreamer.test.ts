/**
 * camera/gstreamer against a fake gst-launch-1.0 (a real process writing known frames): the
 * pipeline reaches the tool as argv words, frames are cut at width × height × 3, the driver
 * contract holds, and a missing gst-launch-1.0 names its package.
 */
import { mkdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import t from 'tap';
import { gstreamerCameraSchema } from '../../../drivers/camera/config.js';
import { createGstreamerCameraDriver } from '../../../drivers/camera/gstreamer.js';
import type { Frame } from '../../../drivers/types.js';
import { installFake, unpluggableFake } from '../../fixtures/fake-capture/fake.js';
import { driverContract } from '../driverContract.js';

const W = 16;
const H = 8;
const cfg = (input: string) =>
  gstreamerCameraSchema.parse({ id: 'csi0', driver: 'gstreamer', input, width: W, height: H, fps: 30 });

t.test('frames from the fake gst-launch-1.0; the pipeline arrives as words', async (t) => {
  const dir = t.testdir({});
  const tool = installFake(dir, 'gst-launch-1.0', { frameBytes: W * H * 3, intervalMs: 10, chunkBytes: 100 });
  const d = createGstreamerCameraDriver(cfg(`videotestsrc ! 'video/x-raw,format=RGB'`), {
    env: { searchPath: dir },
  });
  await d.start();
  const frames: Frame[] = [];
  for await (const s of d.samples()) if (frames.push(s as Frame) >= 3) break;
  await d.stop();
  t.same(
    frames.map((f) => [f.width, f.height, f.format, f.data.length, (f.data as Uint8Array)[0]]),
    [0, 1, 2].map((i) => [W, H, 'rgb24', W * H * 3, i]),
  );
  t.same(tool.runs()[0].argv, [
    '-q',
    '-e',
    'videotestsrc',
    '!',
    'video/x-raw,format=RGB',
    '!',
    'videoconvert',
    '!',
    'videoscale',
    '!',
    'videorate',
    '!',
    `video/x-raw,format=RGB,width=${W},height=${H},framerate=30/1`,
    '!',
    'fdsink',
    'fd=1',
  ]);
});

t.test('gst-launch-1.0 missing: start() names gstreamer1.0-tools', async (t) => {
  const d = createGstreamerCameraDriver(cfg('csi:0'), { env: { searchPath: t.testdir({}) } });
  await t.rejects(d.start(), { code: 'TOOL_MISSING', message: /apt-get install gstreamer1.0-tools/ });
  await d.stop();
});

const contractDir = t.testdir({});
installFake(contractDir, 'gst-launch-1.0', { frameBytes: W * H * 3, intervalMs: 10 });
const unplugDir = joinPath(contractDir, 'unplug');
mkdirSync(unplugDir);
driverContract(
  t,
  'camera/gstreamer (fake gst-launch-1.0)',
  () => createGstreamerCameraDriver(cfg('csi:0'), { env: { searchPath: contractDir } }),
  {
    unpluggable: () => {
      const { unplug, replug } = unpluggableFake(unplugDir, 'gst-launch-1.0', {
        frameBytes: W * H * 3,
        intervalMs: 10,
      });
      const env = { searchPath: unplugDir, backoff: { initialMs: 50, maxMs: 200 } };
      return { driver: createGstreamerCameraDriver(cfg('csi:0'), { env }), unplug, replug };
    },
  },
);
