/**
 * A Kaldi-like log-mel front end in TypeScript, for tests only: what ImageBind's audio loader
 * computes (imagebind/data.py waveform2melspec → torchaudio.compliance.kaldi.fbank with
 * htk_compat, hanning window, 128 bins, 25 ms / 10 ms, dither 0, plus the defaults in
 * reference/imagebind-contract.md §1.4: per-frame DC removal, pre-emphasis 0.97, FFT 512,
 * power spectrum, mel filters 20–8000 Hz, log floor 1.1920929e-7), zero-padded to 204 frames
 * and normalised (x + 4.268) / 9.138. Close enough to check the demo audio thresholds; the
 * real port is src/preprocess (checked against the Kaldi goldens in ../shared/test-vectors).
 */

const SAMPLE_RATE = 16000;
const FRAME = 400;
const SHIFT = 160;
const NFFT = 512;
const MEL_BINS = 128;
const TARGET_FRAMES = 204;
const LOG_FLOOR = 1.1920929e-7;

function mel(f: number): number {
  return 1127 * Math.log(1 + f / 700);
}

/** torchaudio get_mel_banks: [128, 256] triangular weights (the Nyquist column is zero). */
function melBanks(): Float64Array[] {
  const lo = mel(20);
  const hi = mel(SAMPLE_RATE / 2);
  const delta = (hi - lo) / (MEL_BINS + 1);
  const binWidth = SAMPLE_RATE / NFFT;
  const banks: Float64Array[] = [];
  for (let b = 0; b < MEL_BINS; b++) {
    const left = lo + b * delta;
    const center = left + delta;
    const right = center + delta;
    const w = new Float64Array(NFFT / 2);
    for (let i = 0; i < NFFT / 2; i++) {
      const m = mel(binWidth * i);
      const up = (m - left) / (center - left);
      const down = (right - m) / (right - center);
      w[i] = Math.max(0, Math.min(up, down));
    }
    banks.push(w);
  }
  return banks;
}

/** In-place iterative radix-2 FFT of length 512. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const ar = re[i + k + len / 2];
        const ai = im[i + k + len / 2];
        const xr = ar * wr - ai * wi;
        const xi = ar * wi + ai * wr;
        re[i + k + len / 2] = re[i + k] - xr;
        im[i + k + len / 2] = im[i + k] - xi;
        re[i + k] += xr;
        im[i + k] += xi;
      }
    }
  }
}

const BANKS = melBanks();
/** Symmetric Hann, torch.hann_window(400, periodic=False). */
const WINDOW = Float64Array.from(
  { length: FRAME },
  (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (FRAME - 1)),
);

/** Normalised log-mel of one clip (mono, 16 kHz, values in [-1, 1]): [128, 204] row-major. */
export function logMelClip(samples: Float32Array | Float64Array): Float32Array {
  let mean = 0;
  for (const v of samples) mean += v;
  mean /= samples.length;
  const frames = Math.min(1 + Math.floor((samples.length - FRAME) / SHIFT), TARGET_FRAMES);
  const out = new Float32Array(MEL_BINS * TARGET_FRAMES); // zero padding, normalised below
  const re = new Float64Array(NFFT);
  const im = new Float64Array(NFFT);
  for (let f = 0; f < frames; f++) {
    const frame = new Float64Array(FRAME);
    let dc = 0;
    for (let j = 0; j < FRAME; j++) {
      frame[j] = samples[f * SHIFT + j] - mean;
      dc += frame[j];
    }
    dc /= FRAME;
    for (let j = 0; j < FRAME; j++) frame[j] -= dc;
    for (let j = FRAME - 1; j > 0; j--) frame[j] -= 0.97 * frame[j - 1];
    frame[0] -= 0.97 * frame[0];
    re.fill(0);
    im.fill(0);
    for (let j = 0; j < FRAME; j++) re[j] = frame[j] * WINDOW[j];
    fft(re, im);
    for (let b = 0; b < MEL_BINS; b++) {
      const w = BANKS[b];
      let e = 0;
      for (let i = 0; i < NFFT / 2; i++) if (w[i] > 0) e += w[i] * (re[i] * re[i] + im[i] * im[i]);
      out[b * TARGET_FRAMES + f] = Math.log(Math.max(e, LOG_FLOOR));
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] + 4.268) / 9.138;
  return out;
}

/** ImageBind's [3, 1, 128, 204] audio tensor for a clip of exactly 2 s: three identical clips. */
export function logMelTensor(samples: Float32Array | Float64Array): Float32Array {
  const clip = logMelClip(samples);
  const out = new Float32Array(3 * clip.length);
  for (let c = 0; c < 3; c++) out.set(clip, c * clip.length);
  return out;
}
