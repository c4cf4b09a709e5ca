import { assertFinite, invalid } from './checks.js';
import { clipSampleRanges } from './clips.js';
import { fbank } from './fbank.js';
import { resampleSinc } from './resample.js';
/** data.py:35-45 `kaldi.fbank(...)` arguments; everything else is Kaldi's / torchaudio's default. */
const FRAME_LENGTH_MS = 25;
const FRAME_SHIFT_MS = 10;
function imagebindFbankOptions(p) {
    return {
        htkCompat: true,
        sampleFrequency: p.sampleRate,
        useEnergy: false,
        windowType: 'hanning',
        numMelBins: p.melBins,
        dither: 0,
        frameLength: FRAME_LENGTH_MS,
        frameShift: FRAME_SHIFT_MS,
    };
}
function checkWindow(win, what) {
    if (!Number.isInteger(win.channels) || win.channels < 1)
        throw invalid(`${what}: bad channel count ${win.channels}`);
    if (win.data.length === 0)
        throw invalid(`${what}: the window is empty`);
    if (win.data.length % win.channels !== 0) {
        throw invalid(`${what}: ${win.data.length} samples is not a multiple of ${win.channels} channels`);
    }
    if (!Number.isInteger(win.rate) || win.rate <= 0) {
        throw invalid(`${what}: sample rate must be a positive integer in Hz, got ${win.rate}`);
    }
    assertFinite(win.data, what);
}
/** An audio Window (channel-major floats in [−1, 1], any rate and channel count) → [3, 1, 128, 204]. */
export function preprocessAudio(win, p) {
    const what = `audio window from '${win.sensor}'`;
    checkWindow(win, what);
    const channels = win.channels;
    const buf = win.rate === p.sampleRate ? win.data.slice() : resampleSinc(win.data, channels, win.rate, p.sampleRate);
    const n = buf.length / channels;
    const frameSamples = Math.trunc(p.sampleRate * 0.001 * FRAME_LENGTH_MS);
    const ranges = clipSampleRanges(n, p.sampleRate, p.clipSeconds, p.clips);
    const opts = imagebindFbankOptions(p);
    const plane = p.melBins * p.targetFrames;
    const out = new Float32Array(p.clips * plane);
    const mean = Math.fround(p.mean);
    const std = Math.fround(p.std);
    const padValue = Math.fround(Math.fround(0 - mean) / std);
    ranges.forEach(([a, b], clip) => {
        const len = b - a;
        if (len < frameSamples) {
            throw invalid(`${what}: clip ${clip} has ${len} samples at ${p.sampleRate} Hz (${(len / p.sampleRate).toFixed(4)} s), ` +
                `fewer than one ${FRAME_LENGTH_MS} ms fbank frame (${frameSamples} samples); ImageBind refuses such audio`, { clip, samples: len, needed: frameSamples });
        }
        // In-place mean removal over all channels of the clip, in float32 like torch.
        let sum = 0;
        for (let c = 0; c < channels; c++)
            for (let i = a; i < b; i++)
                sum += buf[c * n + i];
        const m = Math.fround(sum / (len * channels));
        for (let c = 0; c < channels; c++)
            for (let i = a; i < b; i++)
                buf[c * n + i] -= m;
        const fb = fbank(buf.subarray(a, b), opts);
        const base = clip * plane;
        const frames = Math.min(fb.frames, p.targetFrames);
        for (let mel = 0; mel < p.melBins; mel++) {
            const row = base + mel * p.targetFrames;
            for (let t = 0; t < frames; t++)
                out[row + t] = Math.fround(Math.fround(fb.data[t * fb.columns + mel] - mean) / std);
            out.fill(padValue, row + frames, row + p.targetFrames);
        }
    });
    return out;
}
