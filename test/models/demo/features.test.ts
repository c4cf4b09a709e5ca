/**
 * The numbers behind the demo thresholds (features.ts, models/README.md), recomputed in JS
 * from synthetic preprocessed tensors. The audio part is the numerical check the thresholds
 * were set from: white noise at −60 and −10 dBFS and a 900 Hz sine through a Kaldi-like
 * log-mel front end (logmel.ts).
 */
import t from 'tap';
import { DEMO_FEATURES, depthValue } from '../../../models/demo/features.js';
import { logMelClip } from './logmel.js';
import {
  addSine,
  audioTensor,
  imuFall,
  imuStill,
  imuWalk,
  thermalEmpty,
  thermalPerson,
  visionGrey,
  whiteNoise,
} from './synthetic.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
function mean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}

/** P, M, T of a [3,1,128,204] tensor over frames 0..197, as the audio graph computes them. */
function audioFeatures(x: Float32Array): { P: number; M: number; T: number } {
  const frames = DEMO_FEATURES.audio.frames;
  let peak = 0;
  let all = 0;
  for (let c = 0; c < 3; c++) {
    for (let f = 0; f < frames; f++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let b = 0; b < 128; b++) {
        const v = x[c * 128 * 204 + b * 204 + f];
        mx = Math.max(mx, v);
        all += v;
      }
      peak += mx;
    }
  }
  const P = peak / (3 * frames);
  const M = all / (3 * frames * 128);
  return { P, M, T: P - M };
}

t.test('the log-mel helper reproduces the fixed points of ImageBind normalisation', async (t) => {
  const silence = logMelClip(new Float64Array(32000));
  // Digital silence hits the log floor: (ln 1.1920929e-7 + 4.268) / 9.138 = −1.27756.
  t.equal(Math.abs(silence[0] - -1.27756) < 1e-4, true, `silence ${silence[0]}`);
  // A 2 s clip has 198 frames; columns 198..203 are zero padding → 4.268 / 9.138 = 0.46706.
  t.equal(Math.abs(silence[203] - 0.46706) < 1e-4, true, `padding ${silence[203]}`);
  t.equal(Math.abs(silence[197] - -1.27756) < 1e-4, true, 'frame 197 is still real');
});

t.test(
  'audio thresholds: quiet noise, a 900 Hz tone and loud noise fall where features.ts says',
  async (t) => {
    const { alarm, quiet } = DEMO_FEATURES.audio;
    const a = audioFeatures(audioTensor(whiteNoise(-60)));
    const b = audioFeatures(audioTensor(addSine(whiteNoise(-60), 900, 0.5)));
    const c = audioFeatures(audioTensor(whiteNoise(-10)));
    t.comment(
      `−60 dBFS noise ${JSON.stringify(a)}; sine ${JSON.stringify(b)}; −10 dBFS noise ${JSON.stringify(c)}`,
    );
    // Tonality: noise ≈ 0.53 at any level, the tone ≈ 1.5; the alarm threshold sits between.
    t.ok(a.T < alarm.t - 0.2 && c.T < alarm.t - 0.2, 'white noise is not tonal');
    t.ok(b.T > alarm.t + 0.5, 'the tone is tonal');
    t.ok(Math.abs(a.T - c.T) < 0.05, 'tonality does not depend on level');
    // Loudness: −60 dBFS is below the quiet threshold by ≥ 0.2 (8 dB), −10 dBFS far above it.
    t.ok(a.P < quiet.t - 0.2, `−60 dBFS P = ${a.P}`);
    t.ok(c.P > quiet.t + 0.8, `−10 dBFS P = ${c.P}`);
    // The brief's first guess, −0.1, would have put −60 dBFS noise on the boundary.
    t.ok(Math.abs(a.P - -0.1) < 0.05);
    // Concept weights as the graph computes them.
    const sAlarm = (x: { T: number }) => sigmoid(alarm.k * (x.T - alarm.t));
    const sQuiet = (x: { P: number; T: number }) => (1 - sAlarm(x)) * sigmoid(-quiet.k * (x.P - quiet.t));
    t.ok(sAlarm(b) > 0.99);
    t.ok(sQuiet(a) > 0.9);
    t.ok(1 - sAlarm(c) - sQuiet(c) > 0.95);
  },
);

t.test('depth: a flat scene at 1.2 m is near, at 2.5 m empty; holes read as 50 m', async (t) => {
  const { k, t: threshold } = DEMO_FEATURES.depth;
  t.equal(depthValue(1.2).toFixed(2), '13.24');
  t.equal(depthValue(2.5).toFixed(2), '5.62');
  t.equal(depthValue(50).toFixed(3), '-1.065');
  t.equal(depthValue(0.3).toFixed(2), '32.48', 'disparity clamped at 75');
  t.ok(sigmoid(k * (depthValue(1.2) - threshold)) > 0.95);
  t.ok(sigmoid(k * (depthValue(2.5) - threshold)) < 0.05);
  t.ok(Math.abs(depthValue(1.62) - threshold) < 0.1, 'the threshold is a flat scene at ~1.62 m');
});

t.test('vision: mean of CLIP-normalised grey levels', async (t) => {
  t.equal(mean(visionGrey(30)).toFixed(2), '-1.24');
  t.ok(Math.abs(mean(visionGrey(115))) < 0.01, 'grey 115 is the bright/dark boundary');
  t.equal(mean(visionGrey(128)).toFixed(2), '0.20');
  t.equal(mean(visionGrey(200)).toFixed(2), '1.25');
});

t.test('thermal: fraction above 0.5 after min–max', async (t) => {
  const f = (x: Float32Array) => mean(x.map((v) => (v > DEMO_FEATURES.thermal.pixelThreshold ? 1 : 0)));
  const empty = f(thermalEmpty());
  t.comment(`empty room f = ${empty}`);
  t.ok(empty > 0.38 && empty < 0.62, 'noise alone stretches to about half the pixels');
  t.ok(Math.abs(f(thermalPerson(0.1)) - 0.1) < 0.01);
  t.ok(Math.abs(f(thermalPerson(0.3)) - 0.3) < 0.01);
});

t.test('thermal: skewness is ~0 for noise and (1−2a)/√(a(1−a)) for a warm blob of area a', async (t) => {
  const skew = (x: Float32Array) => {
    const m = mean(x);
    const m2 = mean(x.map((v) => (v - m) ** 2));
    const m3 = mean(x.map((v) => (v - m) ** 3));
    return m3 / m2 ** 1.5;
  };
  const bernoulli = (a: number) => (1 - 2 * a) / Math.sqrt(a * (1 - a));
  for (let seed = 1; seed <= 5; seed++) t.ok(Math.abs(skew(thermalEmpty(seed))) < 0.05, `noise seed ${seed}`);
  for (const a of [0.1, 0.25]) {
    const g = skew(thermalPerson(a));
    t.ok(Math.abs(g - bernoulli(a)) < 0.1, `area ${a}: skew ${g.toFixed(2)} vs ${bernoulli(a).toFixed(2)}`);
  }
  t.ok(Math.abs(bernoulli(0.38) - 0.49) < 0.01, 'the 38% area boundary is skew ≈ 0.5');
  t.ok(DEMO_FEATURES.thermal.skew.t < 0.5 && DEMO_FEATURES.thermal.skew.t > 0.15);
});

t.test('imu: smoothed |a| statistics separate rest, walking and a fall', async (t) => {
  const stats = (x: Float32Array) => {
    const n = 2000;
    const mag = Array.from({ length: n }, (_, i) => Math.hypot(x[i], x[n + i], x[2 * n + i]));
    const sm = Array.from({ length: n - 19 }, (_, i) => mean(mag.slice(i, i + 20)));
    const m = mean(sm);
    return { mn: Math.min(...sm), mx: Math.max(...sm), sd: Math.sqrt(mean(sm.map((v) => (v - m) ** 2))) };
  };
  const { freeFall, impact, motionSd } = DEMO_FEATURES.imu;
  const still = stats(imuStill());
  const walk = stats(imuWalk());
  const fall = stats(imuFall());
  t.comment(JSON.stringify({ still, walk, fall }));
  t.ok(still.sd < motionSd / 2 && still.mn > freeFall && still.mx < impact);
  t.ok(walk.sd > 2 * motionSd && walk.mn > freeFall + 2 && walk.mx < impact - 3);
  t.ok(fall.mn < freeFall / 2 && fall.mx > impact + 5);
});
