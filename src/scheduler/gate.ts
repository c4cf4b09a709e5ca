/**
 * Change gating: a cheap summary ("signature") of an encoder input and a distance between two
 * signatures. A sample whose signature is within the modality's threshold of the last sample
 * of the same sensor that was encoded is not encoded again: its embedding is reused.
 *
 * The signature is taken from the preprocessed tensor, not from the raw Sample, so that:
 * - one threshold means the same thing for a JPEG, a PNG and a raw rgb24 frame, and for a
 *   thermal frame in °C, centikelvin or 8-bit grey (preprocessing has already put them in the
 *   encoder's own units: CLIP-normalised pixels, min–max-scaled thermal, normalised disparity,
 *   normalised log-mel, SI IMU units);
 * - overlapping audio and IMU windows are compared as spectra and statistics: two windows of a
 *   steady siren one hop apart differ sample by sample (the phase moves), so a raw RMS
 *   difference would never gate a steady sound.
 * The layout follows the tensor's rank (the pack's per-sample input shape), never the modality
 * name (style.md: no model-type branches in generic code).
 */

/** Image-like [C, H, W]: block means on a grid of at most this many cells per side. */
const IMAGE_GRID = 16;
/** Spectrogram-like [..., F, T]: frequency bins kept after averaging over time. */
const SPECTRUM_BINS = 32;
/** Series-like [C, T]: segments per channel, each summarised by its mean and its spread. */
const SERIES_SEGMENTS = 4;
/** Anything else: block means over the flattened tensor. */
const FLAT_BLOCKS = 64;

/** Means of `count` near-equal consecutive blocks of x[offset, offset + length). */
function blockMeans(x: Float32Array, offset: number, length: number, count: number, out: number[]): void {
  const n = Math.min(count, length);
  for (let b = 0; b < n; b++) {
    const start = offset + Math.floor((b * length) / n);
    const end = offset + Math.floor(((b + 1) * length) / n);
    let sum = 0;
    for (let i = start; i < end; i++) sum += x[i];
    out.push(sum / Math.max(end - start, 1));
  }
}

function imageSignature(x: Float32Array, c: number, h: number, w: number): number[] {
  const gy = Math.min(IMAGE_GRID, h);
  const gx = Math.min(IMAGE_GRID, w);
  const out: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    const plane = ch * h * w;
    for (let by = 0; by < gy; by++) {
      const y0 = Math.floor((by * h) / gy);
      const y1 = Math.floor(((by + 1) * h) / gy);
      for (let bx = 0; bx < gx; bx++) {
        const x0 = Math.floor((bx * w) / gx);
        const x1 = Math.floor(((bx + 1) * w) / gx);
        let sum = 0;
        for (let y = y0; y < y1; y++) {
          const row = plane + y * w;
          for (let i = x0; i < x1; i++) sum += x[row + i];
        }
        out.push(sum / Math.max((y1 - y0) * (x1 - x0), 1));
      }
    }
  }
  return out;
}

/** [..., F, T]: the time-averaged spectrum of every leading slice, F averaged into SPECTRUM_BINS. */
function spectrumSignature(x: Float32Array, f: number, t: number): number[] {
  const slices = x.length / (f * t);
  const out: number[] = [];
  const profile = new Float32Array(f);
  for (let s = 0; s < slices; s++) {
    for (let k = 0; k < f; k++) {
      let sum = 0;
      const row = (s * f + k) * t;
      for (let i = 0; i < t; i++) sum += x[row + i];
      profile[k] = sum / t;
    }
    blockMeans(profile, 0, f, SPECTRUM_BINS, out);
  }
  return out;
}

/** [C, T]: per channel and segment, the mean and the mean absolute deviation. */
function seriesSignature(x: Float32Array, c: number, t: number): number[] {
  const segs = Math.min(SERIES_SEGMENTS, t);
  const out: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    for (let s = 0; s < segs; s++) {
      const start = ch * t + Math.floor((s * t) / segs);
      const end = ch * t + Math.floor(((s + 1) * t) / segs);
      let sum = 0;
      for (let i = start; i < end; i++) sum += x[i];
      const mean = sum / (end - start);
      let dev = 0;
      for (let i = start; i < end; i++) dev += Math.abs(x[i] - mean);
      out.push(mean, dev / (end - start));
    }
  }
  return out;
}

/**
 * The signature of one encoder input of per-sample `shape` (no batch axis). A shape that does
 * not match the tensor's length is treated as flat.
 */
export function signature(x: Float32Array, shape: readonly number[]): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const dims = size === x.length ? shape : [x.length];
  let out: number[];
  if (dims.length === 3) out = imageSignature(x, dims[0], dims[1], dims[2]);
  else if (dims.length >= 4) out = spectrumSignature(x, dims[dims.length - 2], dims[dims.length - 1]);
  else if (dims.length === 2) out = seriesSignature(x, dims[0], dims[1]);
  else {
    out = [];
    blockMeans(x, 0, x.length, FLAT_BLOCKS, out);
  }
  return Float32Array.from(out);
}

/**
 * How much `b` differs from `a`: the largest absolute difference of any signature cell, in the
 * encoder input's units. The largest, not the mean: a small person entering one corner of a
 * wide view changes a few cells a lot and the frame's mean hardly at all. Signatures of
 * different lengths (a pack change) are infinitely apart.
 */
export function change(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) max = d;
    else if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
  }
  return max;
}
