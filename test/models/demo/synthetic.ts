/**
 * Synthetic *preprocessed* tensors for the demo-pack tests, built with the semantics of
 * reference/preprocess-conventions.md (what src/preprocess produces), and a deterministic
 * noise source. Not tests themselves.
 */
import { mulberry32 } from '../../../models/demo/concepts.js';
import { depthValue } from '../../../models/demo/features.js';
import { IMAGEBIND_PREPROCESS } from '../../../models/manifest.js';
import { logMelTensor } from './logmel.js';

const SIZE = 224;

/** Standard normal draws (Box–Muller over mulberry32). */
export function gaussian(seed: number): () => number {
  const next = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Vision: a uniform RGB grey level, CLIP-normalised [3,224,224]. */
export function visionGrey(level: number): Float32Array {
  const { mean, std } = IMAGEBIND_PREPROCESS.vision;
  const out = new Float32Array(3 * SIZE * SIZE);
  for (let c = 0; c < 3; c++)
    out.fill((level / 255 - mean[c]) / std[c], c * SIZE * SIZE, (c + 1) * SIZE * SIZE);
  return out;
}

/** Per-frame min–max to [0, 1], as the thermal rule does for temperature frames (§3). */
function minMax(celsius: Float64Array): Float32Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of celsius) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return Float32Array.from(celsius, (v) => (hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * 255) / 255));
}

/** Thermal: an empty room, 21 °C ± 0.15 °C sensor noise, after min–max [1,224,224]. */
export function thermalEmpty(seed = 1): Float32Array {
  const g = gaussian(seed);
  return minMax(Float64Array.from({ length: SIZE * SIZE }, () => 21 + 0.15 * g()));
}

/**
 * Thermal: the same room with a 33 °C upright ellipse (a person) covering `area` of the
 * frame, after min–max.
 */
export function thermalPerson(area: number, seed = 1): Float32Array {
  const g = gaussian(seed);
  // Ellipse with semi-axes a (x) and b = 2.5a (y): area π·a·b = area·224².
  const a = Math.sqrt((area * SIZE * SIZE) / (Math.PI * 2.5));
  const b = 2.5 * a;
  const frame = new Float64Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inside = ((x - 112) / a) ** 2 + ((y - 112) / b) ** 2 <= 1;
      frame[y * SIZE + x] = (inside ? 33 : 21) + 0.15 * g();
    }
  }
  return minMax(frame);
}

/** Depth: a flat scene at `metres`, with `holes` (fraction) of invalid pixels read as 50 m (§4). */
export function depthScene(metres: number, holes = 0, seed = 1): Float32Array {
  const next = mulberry32(seed);
  const value = depthValue(metres);
  const hole = depthValue(IMAGEBIND_PREPROCESS.depth.maxDepthM);
  return Float32Array.from({ length: SIZE * SIZE }, () => (next() < holes ? hole : value));
}

const AUDIO_RATE = 16000;

/** White noise at `dbfs` (RMS relative to 1.0), 2 s at 16 kHz. */
export function whiteNoise(dbfs: number, seed = 7): Float64Array {
  const g = gaussian(seed);
  const rms = 10 ** (dbfs / 20);
  return Float64Array.from({ length: 2 * AUDIO_RATE }, () => rms * g());
}

/** A sine of `hz` at `amplitude` added to `base`. */
export function addSine(base: Float64Array, hz: number, amplitude: number): Float64Array {
  return base.map((v, i) => v + amplitude * Math.sin((2 * Math.PI * hz * i) / AUDIO_RATE));
}

/** The [3,1,128,204] audio tensor of a 2 s waveform. */
export function audioTensor(wave: Float64Array): Float32Array {
  return logMelTensor(wave);
}

const IMU_RATE = 400;
const IMU_SAMPLES = 2000;
const G = 9.80665;

/** IMU [6,2000] from an |a| profile along z plus small noise on every channel. */
function imuFrom(az: (t: number) => number, seed: number): Float32Array {
  const g = gaussian(seed);
  const out = new Float32Array(6 * IMU_SAMPLES);
  for (let i = 0; i < IMU_SAMPLES; i++) {
    const t = i / IMU_RATE;
    out[i] = 0.05 * g();
    out[IMU_SAMPLES + i] = 0.05 * g();
    out[2 * IMU_SAMPLES + i] = az(t) + 0.05 * g();
    for (let c = 3; c < 6; c++) out[c * IMU_SAMPLES + i] = 0.01 * g();
  }
  return out;
}

/** A device at rest: |a| = g. */
export function imuStill(seed = 3): Float32Array {
  return imuFrom(() => G, seed);
}

/** Walking: |a| oscillates 6–15 m/s² at 1.8 steps/s. */
export function imuWalk(seed = 3): Float32Array {
  return imuFrom((t) => 10.5 + 4.5 * Math.sin(2 * Math.PI * 1.8 * t), seed);
}

/** A fall: rest, 0.3 s free fall (|a| ≈ 0.5) from 2.0 s, a 0.1 s impact at 30 m/s², then lying still. */
export function imuFall(seed = 3): Float32Array {
  return imuFrom((t) => (t >= 2.0 && t < 2.3 ? 0.5 : t >= 2.3 && t < 2.4 ? 30 : G), seed);
}
