/**
 * camera/webcam against a fake fswebcam (a real process printing a real JPEG): the argv node-webcam
 * would use, one jpeg Frame per run with its true size, and the faults — a picture cut short, a
 * non-zero exit with stderr, a hung run — each counted and followed by a retry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import t from 'tap';
import { webcamSchema } from '../../../drivers/camera/config.js';
import { createWebcamDriver, fswebcamArgs } from '../../../drivers/camera/webcam.js';
import type { Frame } from '../../../drivers/types.js';
import { installFake, unpluggableFake } from '../../fixtures/fake-capture/fake.js';
import { driverContract } from '../driverContract.js';

const cfg = (fields: Record<string, unknown> = {}) =>
  webcamSchema.parse({ id: 'usb0', driver: 'webcam', fps: 5, startTimeout: 2, ...fields });

async function jpegFile(dir: string): Promise<string> {
  const path = join(dir, 'shot.jpg');
  const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  writeFileSync(path, bytes);
  return path;
}

t.test('fswebcam argv', async (t) => {
  t.same(fswebcamArgs(cfg({ input: '/dev/video2', width: 640, height: 480, skip: 5, quality: 80 })), [
    ...['-q', '--no-banner', '-d', '/dev/video2', '-r', '640x480', '--skip', '5', '--jpeg', '80', '-'],
  ]);
});

t.test('pictures, and every fault counted and retried', async (t) => {
  const dir = t.testdir({});
  const file = await jpegFile(dir);
  const tool = installFake(dir, 'fswebcam', {
    pattern: 'file',
    file,
    frames: 1,
    intervalMs: 0,
    runs: [
      {},
      { frames: 0, after: 'partial', partialBytes: 200 },
      { frames: 0, exitCode: 1, stderr: 'Error selecting input 0\n' },
      { frames: 0, after: 'hang' },
    ],
  });
  const d = createWebcamDriver(cfg(), {
    env: { searchPath: dir, backoff: { initialMs: 10, maxMs: 20 }, termGraceMs: 200 },
  });
  await d.start();
  const frames: Frame[] = [];
  for await (const s of d.samples()) {
    if (frames.push(s as Frame) >= 2) break;
  }
  const h = d.health();
  await d.stop();
  t.same(
    frames.map((f) => [f.format, f.width, f.height, f.data.length]),
    [
      ['jpeg', 40, 30, frames[0].data.length],
      ['jpeg', 40, 30, frames[0].data.length],
    ],
  );
  t.ok(frames[1].t > frames[0].t);
  t.equal(tool.runs().length, 5, 'one run per attempt');
  t.same(tool.runs()[0].argv, fswebcamArgs(cfg()));
  t.match(h.counters, { frames: 2, partial_frames: 1, exits: 1, stalls: 1, restarts: 3, spawns: 5 });
  t.match(h.lastError, /took more than 2 s for one picture; killed it/);
  t.equal(h.state, 'ok');
});

t.test(
  'the first picture failing fails start() with stderr; a missing fswebcam names the package',
  async (t) => {
    const dir = t.testdir({});
    installFake(dir, 'fswebcam', {
      frames: 0,
      exitCode: 1,
      stderr: '/dev/video0: No such file or directory\n',
    });
    const d = createWebcamDriver(cfg(), { env: { searchPath: dir } });
    await t.rejects(d.start(), {
      code: 'SENSOR_FAILED',
      message:
        /fswebcam for sensor "usb0" \(reading \/dev\/video0\) exited with code 1; fswebcam stderr \(last 4 kB\):\n\/dev\/video0: No such file/,
    });
    await d.stop();
    const none = createWebcamDriver(cfg(), { env: { searchPath: t.testdir({}) } });
    await t.rejects(none.start(), { code: 'TOOL_MISSING', message: /apt-get install fswebcam/ });
    await none.stop();
  },
);

const contractDir = t.testdir({});
const contractJpeg = await jpegFile(contractDir);
installFake(contractDir, 'fswebcam', { pattern: 'file', file: contractJpeg, frames: 1, intervalMs: 0 });
const unplugDir = join(contractDir, 'unplug');
mkdirSync(unplugDir);
driverContract(
  t,
  'camera/webcam (fake fswebcam)',
  () => createWebcamDriver(cfg(), { env: { searchPath: contractDir } }),
  {
    unpluggable: () => {
      const behaviour = { pattern: 'file' as const, file: contractJpeg, frames: 1, intervalMs: 0 };
      const { unplug, replug } = unpluggableFake(unplugDir, 'fswebcam', behaviour);
      const env = { searchPath: unplugDir, backoff: { initialMs: 50, maxMs: 200 } };
      return { driver: createWebcamDriver(cfg(), { env }), unplug, replug };
    },
  },
);
