/**
 * Writes the demo replay fixtures in config/demo/ (see config/demo/README.md):
 *
 *   npx tsx scripts/make-demo-fixtures.ts [out-dir]
 *
 * Deterministic: every file comes from its own seeded PRNG (mulberry32), no Math.random, no
 * timestamps, fixed number formatting, so each run writes the same bytes. A test regenerates
 * the files and compares them with the committed ones. The scenes are synthetic and simple on
 * purpose: the demo model tells positive from negative files by coarse statistics.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import wavefile from 'wavefile';

type Rng = () => number;

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates (Box–Muller). */
function gaussian(rng: Rng): () => number {
  return () => Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
}

const TWO_PI = 2 * Math.PI;

// ---------------------------------------------------------------- thermal (32×24 °C, 4 Hz)

const TW = 32;
const TH = 24;

function room(x: number, y: number): number {
  return 21 + 1.2 * (x / (TW - 1) - 0.5) + 0.6 * (y / (TH - 1) - 0.5);
}

/** 0…1 membership of a standing person (torso ellipse 6×11 px + head), soft edges. */
function person(x: number, y: number, cx: number, cy: number): number {
  const soft = (d: number): number => 1 / (1 + Math.exp((d - 1) / 0.12));
  const torso = Math.hypot((x - cx) / 3, (y - (cy + 1.5)) / 5.5);
  const head = Math.hypot(x - cx, y - (cy - 5.5)) / 1.8;
  return Math.max(soft(torso), soft(head));
}

function thermalCsv(seed: number, frames: number, withPerson: boolean): string {
  const noise = gaussian(mulberry32(seed));
  const rows: string[] = [];
  for (let f = 0; f < frames; f++) {
    const cx = 6 + (f * 20) / frames; // drifts 6 → 26 px across the clip
    const values: string[] = [];
    for (let y = 0; y < TH; y++) {
      for (let x = 0; x < TW; x++) {
        const base = room(x, y);
        const warm = withPerson ? person(x, y, cx, 12) : 0;
        values.push((base + (34 - base) * warm + 0.15 * noise()).toFixed(2));
      }
    }
    rows.push(values.join(','));
  }
  return `${rows.join('\n')}\n`;
}

// ---------------------------------------------------------------- IMU (100 Hz, m/s², rad/s)

type ImuRow = [number, number, number, number, number, number];

function walking(t: number): ImuRow {
  const p = TWO_PI * 2 * t; // 2 Hz steps
  return [
    0.9 * Math.sin(p / 2) + 0.3 * Math.sin(p + 1),
    1.1 * Math.sin(p + 0.4),
    9.81 + 3.2 * Math.sin(p) + 0.8 * Math.sin(2 * p + 0.6),
    0.35 * Math.sin(p / 2 + 0.3),
    0.5 * Math.sin(p + 1.2),
    0.25 * Math.sin(p / 2 + 2),
  ];
}

function smoothstep(a: number, b: number, x: number): number {
  const u = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return u * u * (3 - 2 * u);
}

/** 4 s walking, 0.35 s free fall, impact (~30 m/s² over 50 ms, ringing), lying on the side. */
function falling(t: number): ImuRow {
  if (t < 4) return walking(t);
  if (t < 4.35) {
    const spin = Math.sin((Math.PI * (t - 4)) / 0.35);
    return [0.3, 0.2, 0.4, 1.5 * spin, 4 * spin, 0.8 * spin];
  }
  const s = t - 4.35;
  const pulse = s < 0.05 ? Math.sin((Math.PI * s) / 0.05) : 0;
  const ring = s >= 0.05 ? 6 * Math.exp(-(s - 0.05) / 0.08) * Math.sin(TWO_PI * 12 * (s - 0.05)) : 0;
  const g = smoothstep(0, 0.05, s); // gravity moves from z to x as the body lands
  const spin = 3 * Math.exp(-s / 0.06);
  return [
    9.81 * g + 20 * pulse + ring,
    0.5 * ring,
    9.81 * (1 - g) + 14 * pulse + 0.6 * ring,
    spin * 0.4,
    spin,
    spin * 0.2,
  ];
}

function still(): ImuRow {
  return [0, 0, 9.81, 0, 0, 0];
}

function imuCsv(
  seed: number,
  seconds: number,
  motion: (t: number) => ImuRow,
  accelNoise: number,
  gyroNoise: number,
): string {
  const noise = gaussian(mulberry32(seed));
  const lines = ['t_ms,ax,ay,az,gx,gy,gz'];
  for (let i = 0; i < seconds * 100; i++) {
    const row = motion(i / 100).map((v, c) => v + (c < 3 ? accelNoise : gyroNoise) * noise());
    lines.push(`${i * 10},${row.map((v) => v.toFixed(4)).join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- audio (16 kHz mono int16)

const SR = 16_000;

/** Low-passed Gaussian noise at −60 dBFS RMS (0.001 full scale). */
function roomNoise(seed: number, n: number): Float64Array {
  const noise = gaussian(mulberry32(seed));
  const out = new Float64Array(n);
  let y = 0;
  let energy = 0;
  for (let i = 0; i < n; i++) {
    y = 0.9 * y + noise();
    out[i] = y;
    energy += y * y;
  }
  const scale = 0.001 / Math.sqrt(energy / n);
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

/** A siren: 700 → 1300 → 700 Hz every 1.5 s, amplitude 0.5, 20 ms fades, over room noise. */
function siren(seed: number, n: number): Float64Array {
  const out = roomNoise(seed, n);
  const period = 1.5;
  for (let i = 0; i < n; i++) {
    const t = i / SR;
    // f(t) = 1000 − 300·cos(2πt/T); the phase is its integral.
    const phase = TWO_PI * (1000 * t - ((300 * period) / TWO_PI) * Math.sin((TWO_PI * t) / period));
    const fade = Math.min(1, t / 0.02, (n - 1 - i) / SR / 0.02);
    out[i] += 0.5 * fade * Math.sin(phase);
  }
  return out;
}

function wav16(samples: Float64Array): Uint8Array {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++)
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, SR, '16', pcm);
  return wav.toBuffer();
}

// ---------------------------------------------------------------- vision (160×120 RGB)

const VW = 160;
const VH = 120;
type Rgb = [number, number, number];

/** Reflectance of a simple room: wall, floor, window, picture, table, lamp. */
function sceneAt(x: number, y: number): Rgb {
  if ((x - 50) ** 2 + (y - 42) ** 2 < 100) return [0.9, 0.6, 0.2]; // lamp shade
  if (x >= 100 && x < 140 && y >= 15 && y < 55) return [0.75, 0.85, 0.95]; // window
  if (x >= 20 && x < 45 && y >= 15 && y < 35) return [0.3, 0.5, 0.35]; // picture
  if (x >= 20 && x < 80 && y >= 70 && y < 76) return [0.45, 0.3, 0.2]; // table top
  if ((x >= 24 && x < 28) || (x >= 72 && x < 76)) if (y >= 76 && y < 100) return [0.4, 0.27, 0.18]; // legs
  if (y >= 84) return [0.55, 0.4, 0.3]; // floor
  const light = 1 - 0.15 * (y / 84);
  return [0.85 * light, 0.82 * light, 0.75 * light]; // wall
}

function render(seed: number, illumination: number): Uint8Array {
  const noise = gaussian(mulberry32(seed));
  const out = new Uint8Array(VW * VH * 3);
  for (let y = 0; y < VH; y++) {
    for (let x = 0; x < VW; x++) {
      const rgb = sceneAt(x, y);
      for (let c = 0; c < 3; c++) {
        const v = 255 * (rgb[c] * illumination + 0.01 * noise());
        out[(y * VW + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return out;
}

/** The scene lit so that its mean level is `target` (bisection on the illumination). */
function sceneWithMean(seed: number, target: number): Uint8Array {
  const mean = (px: Uint8Array): number => px.reduce((s, v) => s + v, 0) / px.length;
  let lo = 0;
  let hi = 4;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (mean(render(seed, mid)) < target) lo = mid;
    else hi = mid;
  }
  return render(seed, (lo + hi) / 2);
}

function rgbPng(pixels: Uint8Array): Promise<Buffer> {
  return sharp(pixels, { raw: { width: VW, height: VH, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

// ---------------------------------------------------------------- depth (160×120, 16-bit mm)

function depthMap(seed: number, withObject: boolean): Uint16Array {
  const rng = mulberry32(seed);
  const noise = gaussian(rng);
  const out = new Uint16Array(VW * VH);
  for (let y = 0; y < VH; y++) {
    for (let x = 0; x < VW; x++) {
      let mm = 3500 + 2 * (x - VW / 2) + 4 * noise(); // a slightly oblique wall
      let valid = x >= 4 && rng() >= 0.02; // left stereo band and 2 % dropouts
      if (withObject) {
        const inside = x >= 40 && x < 120 && y >= 30 && y < 90;
        const r2 = ((x - 80) / 40) ** 2 + ((y - 60) / 30) ** 2;
        if (inside) mm = 600 + 40 * r2 + 2 * noise(); // a rounded object ~0.6 m away
        if (x >= 34 && x < 40 && y >= 30 && y < 90) valid = false; // its occlusion shadow
      }
      out[y * VW + x] = valid ? Math.round(mm) : 0;
    }
  }
  return out;
}

function depthPng(mm: Uint16Array): Promise<Buffer> {
  return sharp(mm, { raw: { width: VW, height: VH, channels: 1 } })
    .toColourspace('grey16')
    .png({ compressionLevel: 9 })
    .toBuffer();
}

// ---------------------------------------------------------------- all files

/** Every demo fixture, file name → bytes. */
export async function demoFixtures(): Promise<Map<string, Uint8Array>> {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const files = new Map<string, Uint8Array>();
  files.set('thermal_empty.csv', text(thermalCsv(101, 20, false)));
  files.set('thermal_person.csv', text(thermalCsv(102, 40, true)));
  files.set('imu_walk.csv', text(imuCsv(201, 10, walking, 0.05, 0.01)));
  files.set('imu_fall.csv', text(imuCsv(202, 10, falling, 0.05, 0.01)));
  files.set('imu_still.csv', text(imuCsv(203, 6, still, 0.02, 0.002)));
  files.set('audio_quiet.wav', wav16(roomNoise(301, 6 * SR)));
  files.set('audio_siren.wav', wav16(siren(302, 6 * SR)));
  files.set('vision_dark.png', await rgbPng(sceneWithMean(401, 25)));
  files.set('vision_bright.png', await rgbPng(sceneWithMean(402, 200)));
  files.set('depth_far.png', await depthPng(depthMap(501, false)));
  files.set('depth_near.png', await depthPng(depthMap(502, true)));
  return files;
}

/** Writes every fixture into `dir`; returns the paths written. */
export async function makeDemoFixtures(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, bytes] of await demoFixtures()) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    written.push(path);
  }
  return written;
}

/** config/demo/ of this repository. */
export const DEMO_DIR = fileURLToPath(new URL('../config/demo/', import.meta.url));

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? DEMO_DIR;
  for (const path of await makeDemoFixtures(dir)) console.log(path);
}
