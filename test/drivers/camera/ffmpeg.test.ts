/**
 * camera/ffmpeg with real ffmpeg: lavfi test sources, the shared images, and a video file made from
 * one. Frames must be byte-exact (the same bytes ffmpeg writes when run directly), counted exactly
 * for a finite input, and stamped with increasing capture times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { type FfmpegCameraConfig, ffmpegCameraSchema } from '../../../drivers/camera/config.js';
import { createFfmpegCameraDriver, ffmpegCameraPlan } from '../../../drivers/camera/ffmpeg.js';
import type { Driver, Frame } from '../../../drivers/types.js';
import { driverContract } from '../driverContract.js';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');

function config(fields: Record<string, unknown>): FfmpegCameraConfig {
  return ffmpegCameraSchema.parse({ id: 'cam0', driver: 'ffmpeg', ...fields });
}

async function all(d: Driver): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const s of d.samples()) out.push(s as Frame);
  return out;
}

/** What ffmpeg writes for the same plan when run directly, without real-time pacing. */
function direct(cfg: FfmpegCameraConfig): Buffer {
  const args = ffmpegCameraPlan(cfg).args.filter((a) => a !== '-re');
  return execFileSync('ffmpeg', args, { maxBuffer: 64 << 20 });
}

function concat(frames: Frame[]): Buffer {
  return Buffer.concat(frames.map((f) => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength)));
}

t.test('a finite lavfi source: exact frame count and bytes, increasing capture times', async (t) => {
  const cfg = config({
    demuxer: 'lavfi',
    input: 'testsrc=size=64x48:rate=10:duration=1',
    width: 64,
    height: 48,
    fps: 10,
  });
  const d = createFfmpegCameraDriver(cfg);
  const before = BigInt(Date.now()) * 1_000_000n;
  await d.start();
  const frames = await all(d);
  const after = BigInt(Date.now()) * 1_000_000n;
  const h = d.health();
  await d.stop();
  t.equal(frames.length, 10, '1 s at 10 fps');
  t.ok(
    frames.every((f) => f.data.length === 64 * 48 * 3 && f.width === 64 && f.format === 'rgb24'),
    'rgb24 64×48',
  );
  t.ok(concat(frames).equals(direct(cfg)), 'byte-identical to ffmpeg run directly');
  for (let i = 1; i < frames.length; i++) t.ok(frames[i].t > frames[i - 1].t, `t[${i}] > t[${i - 1}]`);
  t.ok(frames[0].t >= before - 1_000_000_000n && frames[9].t <= after, 'capture times are wall-clock times');
  t.equal(h.counters.finished, 1);
  t.equal(h.counters.frames, 10);
  t.equal(h.counters.partial_frames, 0);
});

t.test('shared images: one frame each, scaled, rgb24 and gray8', async (t) => {
  for (const [file, pixel] of [
    ['images/skimage_chelsea.png', 'rgb24'],
    ['images/pexels_bakery.jpg', 'gray8'],
  ] as const) {
    const cfg = config({ input: join(SHARED, file), width: 96, height: 64, fps: 5, pixel });
    const d = createFfmpegCameraDriver(cfg);
    await d.start();
    const frames = await all(d);
    await d.stop();
    t.equal(frames.length, 1, `${file}: one frame`);
    t.equal(frames[0].data.length, 96 * 64 * (pixel === 'rgb24' ? 3 : 1), `${file}: ${pixel} size`);
    t.ok(concat(frames).equals(direct(cfg)), `${file}: byte-identical`);
  }
});

t.test('a looped image keeps delivering frames', async (t) => {
  const cfg = config({
    input: join(SHARED, 'images/skimage_astronaut.png'),
    width: 32,
    height: 32,
    fps: 20,
    loop: true,
  });
  const d = createFfmpegCameraDriver(cfg);
  await d.start();
  const frames: Frame[] = [];
  for await (const s of d.samples()) if (frames.push(s as Frame) >= 5) break;
  await d.stop();
  t.equal(frames.length, 5);
  t.ok(concat(frames.slice(0, 1)).equals(concat(frames.slice(4, 5))), 'the same picture again');
});

t.test('an MJPEG video file plays in real time with its exact frame count', async (t) => {
  const dir = t.testdir({});
  const video = join(dir, 'clip.avi');
  const made = spawnSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-loop', '1', '-framerate', '10', '-t', '0.8'],
    ...['-i', join(SHARED, 'images/imagebind_dog_image.jpg'), '-vf', 'scale=160:120', '-c:v', 'mjpeg', video],
  ]);
  t.equal(made.status, 0, 'test video made');
  const cfg = config({ input: video, width: 80, height: 60, fps: 10 });
  const d = createFfmpegCameraDriver(cfg);
  await d.start();
  const frames = await all(d);
  await d.stop();
  t.equal(frames.length, 8, '0.8 s at 10 fps');
  t.ok(concat(frames).equals(direct(cfg)), 'byte-identical');
});

t.test('faults: a missing file, a file ffmpeg cannot read', async (t) => {
  const missing = createFfmpegCameraDriver(config({ input: '/nonexistent/cam.mp4' }));
  await t.rejects(missing.start(), {
    code: 'FIXTURE_MISSING',
    message: /input file not found: \/nonexistent\/cam.mp4/,
  });
  await missing.stop();
  const junk = join(t.testdir({}), 'junk.mp4');
  writeFileSync(junk, 'this is not a video');
  const bad = createFfmpegCameraDriver(config({ input: junk }));
  await t.rejects(bad.start(), {
    code: 'SENSOR_FAILED',
    message:
      /ffmpeg for sensor "cam0" \(reading .*junk.mp4\) exited with code 1 after 0 frame\(s\); ffmpeg stderr \(last 4 kB\):\n.*Invalid data/s,
  });
  t.match(bad.health().stderr, /Invalid data found/, 'stderr is kept in health');
  await bad.stop();
});

driverContract(t, 'camera/ffmpeg (lavfi testsrc)', () =>
  createFfmpegCameraDriver(
    config({ demuxer: 'lavfi', input: 'testsrc=size=32x24:rate=30', width: 32, height: 24, fps: 30 }),
  ),
);
