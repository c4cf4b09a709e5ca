/**
 * Capture throughput (issue #6; DESIGN.md "Performance method"): frames per second and CPU per
 * camera for the ffmpeg camera driver at 640×480 and 1280×720, decoding an MJPEG stream to rgb24
 * (what a USB camera sends). Per size, in one run:
 * - limit: ffmpeg alone, decoding the same clip to rgb24 into /dev/null (no pipe, no Node);
 * - driver, unpaced: the driver reading the clip as fast as it can (the clip without -re), so
 *   the ratio to the limit is what the pipe, the framing and the queue cost;
 * - driver, 30 fps live: the driver playing the clip in real time (-re), as a camera delivers
 *   it: the CPU it takes to keep one 30 fps camera running.
 * CPU is user + system time: Node's own (process.cpuUsage) and the reaped ffmpeg children's
 * (cutime + cstime in /proc/self/stat, proc(5)), as a percentage of one core over wall time.
 *
 *   npx tsx bench/capture.ts [out.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegCameraSchema } from '../drivers/camera/config.js';
import { createFfmpegCameraDriver, ffmpegCameraPlan } from '../drivers/camera/ffmpeg.js';
import { captureTiming } from '../drivers/process/config.js';
import type { CaptureDriver } from '../drivers/process/driver.js';
import { createStreamDriver } from '../drivers/process/stream.js';
import type { Frame } from '../drivers/types.js';

const SIZES = [
  [640, 480],
  [1280, 720],
] as const;
const CLIP_S = 8;
const FPS = 30;
const LIVE_FRAMES = 150; // 5 s at 30 fps

interface Result {
  size: string;
  case: string;
  frames: number;
  seconds: number;
  fps: number;
  /** % of one core: Node process, ffmpeg child. */
  cpuNode: number;
  cpuFfmpeg: number;
}

/** user+system ms of reaped children (cutime + cstime, clock ticks at 100 Hz on Linux). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function nodeCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measure(size: string, name: string, run: () => Promise<number>): Promise<Result> {
  const [n0, c0, t0] = [nodeCpuMs(), childrenCpuMs(), performance.now()];
  const frames = await run();
  const seconds = (performance.now() - t0) / 1000;
  const pct = (ms: number) => (100 * ms) / (seconds * 1000);
  return {
    size,
    case: name,
    frames,
    seconds,
    fps: frames / seconds,
    cpuNode: pct(nodeCpuMs() - n0),
    cpuFfmpeg: pct(childrenCpuMs() - c0),
  };
}

async function drain(driver: CaptureDriver, max: number): Promise<number> {
  await driver.start();
  let n = 0;
  for await (const s of driver.samples()) {
    if ((s as Frame).data.length === 0) throw new Error('empty frame');
    if (++n >= max) break;
  }
  await driver.stop();
  return n;
}

async function bench(dir: string, w: number, h: number): Promise<Result[]> {
  const size = `${w}×${h}`;
  const clip = join(dir, `clip-${w}x${h}.avi`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=${FPS}`],
    ...['-t', String(CLIP_S), '-c:v', 'mjpeg', '-q:v', '5', '-y', clip],
  ]);
  const cfg = ffmpegCameraSchema.parse({
    id: 'cam0',
    driver: 'ffmpeg',
    input: clip,
    width: w,
    height: h,
    fps: FPS,
  });
  const plan = ffmpegCameraPlan(cfg);
  const frames = CLIP_S * FPS;
  const limit = await measure(size, 'limit: ffmpeg alone → /dev/null', async () => {
    const args = plan.args.filter((a) => a !== '-re').slice(0, -1);
    execFileSync('ffmpeg', [...args, '-y', '/dev/null'], { stdio: 'ignore' });
    return frames;
  });
  const unpaced = await measure(size, 'driver, unpaced', () =>
    drain(
      createStreamDriver({
        id: 'cam0',
        modality: 'vision',
        plan: { ...plan, args: plan.args.filter((a) => a !== '-re') },
        timing: captureTiming(cfg, plan.periodMs),
        deps: { queueLength: 64 },
        toSample: (data, t): Frame => ({
          kind: 'frame',
          sensor: 'cam0',
          modality: 'vision',
          t,
          width: w,
          height: h,
          format: 'rgb24',
          data,
        }),
      }),
      frames,
    ),
  );
  const live = await measure(size, `driver, ${FPS} fps live`, () =>
    drain(createFfmpegCameraDriver(cfg), LIVE_FRAMES),
  );
  return [limit, unpaced, live];
}

const dir = mkdtempSync(join(tmpdir(), 'bindsight-capture-'));
try {
  const results: Result[] = [];
  for (const [w, h] of SIZES) results.push(...(await bench(dir, w, h)));
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    `Capture benchmark (ffmpeg camera driver, MJPEG → rgb24) — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}`,
    '',
    '| size | case | frames | frames/s | vs limit | CPU Node % | CPU ffmpeg % |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) => {
      const limit = results.find((x) => x.size === r.size && x.case.startsWith('limit'));
      const ratio = limit && !r.case.includes('live') ? `${((100 * r.fps) / limit.fps).toFixed(0)} %` : '—';
      return `| ${r.size} | ${r.case} | ${r.frames} | ${f(r.fps)} | ${ratio} | ${f(r.cpuNode)} | ${f(r.cpuFfmpeg)} |`;
    }),
    '',
    'CPU is % of one core over the wall time of each case; the limit case has no Node work.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = JSON.stringify(
    { node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length, results },
    null,
    2,
  );
  const out = process.argv[2];
  if (out) writeFileSync(out, `${json}\n`);
  else process.stdout.write(`${json}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
