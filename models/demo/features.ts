/**
 * Every number the demo encoders are wired with, in one table, with the arithmetic that
 * justifies it. models/README.md "The demo pack" restates these; test/models/demo checks
 * them on synthetic preprocessed tensors. Gates are σ(k·(x − t)).
 */
import { IMAGEBIND_PREPROCESS } from '../manifest.js';

/** Softmax temperature for prompt scores (pack.json logitScale) and the text encoder's output scale. */
export const DEMO_LOGIT_SCALE = 5;

/** ImageBind's per-modality output scales (imagebind-contract.md §0; text uses the logit scale). */
export const DEMO_OUTPUT_SCALE = {
  vision: 1,
  text: DEMO_LOGIT_SCALE,
  audio: 20,
  depth: 5,
  thermal: 10,
  imu: 5,
} as const;

const depth = IMAGEBIND_PREPROCESS.depth;

/**
 * The normalised depth value of a flat scene at `metres` seen by a 640-wide sensor with the
 * default intrinsics (preprocess-conventions.md §4): ((clamp(b·f/d, 0.01, 75)/75) − 0.0418)/0.0295.
 */
export function depthValue(metres: number): number {
  const disparity =
    (depth.baselineM * depth.focalPx640) / Math.min(Math.max(metres, depth.minDepthM), depth.maxDepthM);
  const scaled = Math.min(Math.max(disparity, 0.01), depth.maxDisparity) / depth.maxDisparity;
  return (scaled - depth.mean) / depth.std;
}

export const DEMO_FEATURES = {
  /**
   * m = mean of the CLIP-normalised [3,224,224]; bright = σ(k·m). Uniform grey levels give
   * m: 30 → −1.24, 115 → 0.00, 128 → +0.20, 200 → +1.25. With k = 3: grey 30 → 0.02,
   * 200 → 0.98; mid-grey 128 leans bright (0.64).
   */
  vision: { k: 3, t: 0 },
  /**
   * f = fraction of pixels > 0.5 after per-frame min–max. A warm body on a uniform
   * background gives its area, ~3–35 %; sensor noise alone stretches to ~50 %, but frame to
   * frame anywhere in 0.29–0.65 (config/demo/thermal_empty.csv, 20 frames), because the
   * min–max midpoint follows two extreme pixels. So f alone calls some empty frames "person".
   * The skewness g = E[(x−μ)³]/σ³ does not depend on min–max at all: noise and gradients give
   * |g| < 0.15, a warm blob of area a gives (1−2a)/√(a(1−a)) (2.7 at 10 %, 0.5 at 38 %).
   * person = σ(−30·(f − 0.38)) · σ(15·(g − 0.25)); f 0.10 & g 2.4 → 1.00, noise g 0.1 → ≤ 0.1.
   */
  thermal: { k: 30, t: 0.38, pixelThreshold: 0.5, skew: { k: 15, t: 0.25 } },
  /**
   * m = mean normalised disparity. A flat scene gives m: 1.0 m → 16.2, 1.2 m → 13.2,
   * 1.62 m → 9.4, 2.5 m → 5.6, 4 m → 3.0, holes (50 m) → −1.06. near = σ(k·(m − 9.4)), k = 1:
   * 1.2 m → 0.98, 2.5 m → 0.02. The threshold is the value of a flat scene at ~1.62 m.
   */
  depth: { k: 1, t: 9.4 },
  /**
   * Over frames 0..197 (the 6 padded columns excluded) of all 3 clips: P = mean over frames of
   * the max over the 128 mel bins; M = mean of all values; T = P − M (tonality). Measured with
   * the Kaldi-like front end in test/models/demo/logmel.ts: white noise T ≈ 0.53 at any level
   * (−70…−10 dBFS), a 900 Hz sine at 0.5 + −60 dBFS noise T = 1.52. alarm = σ(12·(T − 0.8)).
   * P rises 0.25 per 10 dB of white noise: −60 dBFS → −0.10, −50 → 0.15, −10 → 1.16.
   * quiet = (1 − alarm)·σ(−12·(P − 0.15)), i.e. quieter than −50 dBFS of white noise
   * (the brief's −0.1 put −60 dBFS noise exactly on the boundary); noise = the rest.
   */
  audio: { frames: 198, alarm: { k: 12, t: 0.8 }, quiet: { k: 12, t: 0.15 } },
  /**
   * |a| of channels 0..2 (m/s², gravity kept), smoothed by a 20-sample (50 ms at 400 Hz)
   * moving average; mn, mx, sd = min, max, standard deviation of the smoothed |a|.
   * fall = σ(k·(3 − mn))·σ(k·(mx − 20)) (free fall near 0 then an impact above 20);
   * move = σ(k·(sd − 1)); walk = (1 − fall)·move; still = (1 − fall)·(1 − move).
   */
  imu: { k: 3, smooth: 20, freeFall: 3, impact: 20, motionSd: 1 },
} as const;
