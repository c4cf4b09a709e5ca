/**
 * Preprocessing throughput (DESIGN.md "Performance method"): frames per second for image
 * preprocessing (640×480 JPEG and raw rgb24 → [3,224,224]) and real-time factors
 * (processing time / signal duration; below 1 is faster than real time) for a 2 s audio window
 * and a 5 s IMU window. Each is median / min / max over repeated runs in one process.
 *
 *   npx tsx bench/preprocess.ts [out.json]
 *
 * Prints a markdown table; the JSON goes to the path argument, or to stdout after the table.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import sharp from 'sharp';
import type { Frame, Window } from '../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../models/manifest.js';
import { preprocessAudio } from '../src/preprocess/audio.js';
import { preprocessDepth } from '../src/preprocess/depth.js';
import { preprocessImu } from '../src/preprocess/imu.js';
import { preprocessThermal } from '../src/preprocess/thermal.js';
import { preprocessVision } from '../src/preprocess/vision.js';

interface Result {
  name: string;
  metric: 'fps' | 'rtf';
  runs: number;
  /** Milliseconds per call. */
  ms: { median: number; min: number; max: number };
  /** fps: calls per second; rtf: ms per call / signal ms. From median, best (min ms) and worst (max ms). */
  value: { median: number; best: number; worst: number };
}

async function time(fn: () => unknown, runs: number, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms.sort((a, b) => a - b);
}

function summarize(name: string, metric: Result['metric'], ms: number[], signalMs = 0): Result {
  const median = ms[Math.floor(ms.length / 2)];
  const min = ms[0];
  const max = ms[ms.length - 1];
  const v = (x: number) => (metric === 'fps' ? 1000 / x : x / signalMs);
  return {
    name,
    metric,
    runs: ms.length,
    ms: { median, min, max },
    value: { median: v(median), best: v(min), worst: v(max) },
  };
}

/** A deterministic 640×480 test picture (gradients plus texture, so JPEG has work to do). */
function picture(w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      px[i] = (x * 255) / w;
      px[i + 1] = (y * 255) / h;
      px[i + 2] = ((x * 7919 + y * 104729) % 251) ^ ((x >> 3) & 0x1f);
    }
  }
  return px;
}

async function main(): Promise<void> {
  const W = 640;
  const H = 480;
  const rgb = picture(W, H);
  const jpeg = new Uint8Array(
    await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
  const frame = (over: Partial<Frame>): Frame => ({
    kind: 'frame',
    sensor: 'bench',
    modality: 'vision',
    t: 0n,
    width: W,
    height: H,
    format: 'rgb24',
    data: rgb,
    ...over,
  });
  const window = (rate: number, channels: number, seconds: number, modality: Window['modality']): Window => ({
    kind: 'window',
    sensor: 'bench',
    modality,
    t: 0n,
    rate,
    channels,
    data: Float32Array.from(
      { length: rate * channels * seconds },
      (_, i) => Math.sin(i * 0.01) * 0.3 + ((i * 7919) % 101) / 1000,
    ),
  });
  const P = IMAGEBIND_PREPROCESS;
  const results: Result[] = [];
  results.push(
    summarize(
      'vision: 640×480 JPEG → [3,224,224]',
      'fps',
      await time(
        () => preprocessVision(frame({ format: 'jpeg', data: jpeg, width: 0, height: 0 }), P.vision),
        40,
      ),
    ),
  );
  results.push(
    summarize(
      'vision: 640×480 rgb24 → [3,224,224]',
      'fps',
      await time(() => preprocessVision(frame({}), P.vision), 40),
    ),
  );
  results.push(
    summarize(
      'thermal: 32×24 °C → [1,224,224]',
      'fps',
      await time(
        () =>
          preprocessThermal(
            frame({
              width: 32,
              height: 24,
              format: 'celsius_f32',
              data: new Float32Array(768).map((_, i) => 20 + (i % 17)),
            }),
            P.thermal,
          ),
        200,
      ),
    ),
  );
  results.push(
    summarize(
      'depth: 640×480 z16 → [1,224,224]',
      'fps',
      await time(
        () =>
          preprocessDepth(
            frame({ format: 'z16_mm', data: new Uint16Array(W * H).map((_, i) => 500 + (i % 3000)) }),
            P.depth,
          ),
        40,
      ),
    ),
  );
  const a16 = window(16000, 1, 2, 'audio');
  results.push(
    summarize(
      'audio: 2 s 16 kHz mono → [3,1,128,204]',
      'rtf',
      await time(() => preprocessAudio(a16, P.audio), 20),
      2000,
    ),
  );
  const a44 = window(44100, 2, 2, 'audio');
  results.push(
    summarize(
      'audio: 2 s 44.1 kHz stereo → [3,1,128,204]',
      'rtf',
      await time(() => preprocessAudio(a44, P.audio), 20),
      2000,
    ),
  );
  const imu = window(200, 6, 5, 'imu');
  results.push(
    summarize('imu: 5 s 200 Hz → [6,2000]', 'rtf', await time(() => preprocessImu(imu, P.imu), 200), 5000),
  );

  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));
  const lines = [
    `Preprocessing benchmark — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}`,
    '',
    '| case | metric | median | best | worst | ms median (min–max) | runs |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.metric === 'fps' ? 'frames/s' : 'real-time factor'} | ${f(r.value.median)} | ${f(r.value.best)} | ${f(r.value.worst)} | ${f(r.ms.median)} (${f(r.ms.min)}–${f(r.ms.max)}) | ${r.runs} |`,
    ),
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
}

await main();
