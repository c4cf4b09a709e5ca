/**
 * Kaldi filterbank features (`compute-fbank-feats`), a general port with Kaldi's option set.
 *
 * Follows Kaldi's src/feat/feature-window.{h,cc} (FrameExtractionOptions, NumFrames,
 * FirstSampleOfFrame, ExtractWindow, ProcessWindow, FeatureWindowFunction),
 * src/feat/mel-computations.cc (MelBanks, VtlnWarpFreq) and src/feat/feature-fbank.cc
 * (FbankComputer::Compute), which torchaudio.compliance.kaldi.fbank re-implements
 * (imagebind-contract.md §1.4). Option names are Kaldi's, camelCased; defaults are Kaldi's
 * except `dither`, which is 0 (dithering is random and is not supported). Arithmetic is
 * float64; Kaldi computes in float32 (see ../shared/test-vectors/kaldi-fbank/README.md for the
 * resulting tolerances).
 *
 * Input samples are taken as they are: Kaldi reads 16-bit WAV as int16 values (not /32768),
 * ImageBind passes torchaudio's [−1, 1] floats.
 */
import FFT from 'fft.js';
import { invalid } from './checks.js';
/** Kaldi's defaults (feature-window.h, mel-computations.h, feature-fbank.h), dither 0. */
export const KALDI_FBANK_DEFAULTS = {
    sampleFrequency: 16000,
    frameShift: 10,
    frameLength: 25,
    dither: 0,
    preemphasisCoefficient: 0.97,
    removeDcOffset: true,
    windowType: 'povey',
    roundToPowerOfTwo: true,
    blackmanCoeff: 0.42,
    snipEdges: true,
    numMelBins: 23,
    lowFreq: 20,
    highFreq: 0,
    vtlnLow: 100,
    vtlnHigh: -500,
    vtlnWarp: 1,
    useEnergy: false,
    energyFloor: 0,
    rawEnergy: true,
    htkCompat: false,
    useLogFbank: true,
    usePower: true,
    subtractMean: false,
    minDuration: 0,
};
/** `std::numeric_limits<float>::epsilon()`, Kaldi's log floor. */
const FLT_EPSILON = 1.1920928955078125e-7;
const WINDOW_TYPES = [
    'hamming',
    'hanning',
    'povey',
    'rectangular',
    'blackman',
    'sine',
];
/** Kaldi command-line name ('frame-length') → option key ('frameLength'). */
function camel(name) {
    return name.replace(/-([a-z])/g, (_, ch) => ch.toUpperCase());
}
/**
 * Options from a map keyed by Kaldi's own names (`{"frame-length": 25, "window-type": "hanning"}`),
 * e.g. a `kaldi_options` object. Unknown names are refused; `channel` is ignored (pass one channel).
 */
export function fbankOptionsFromKaldi(map) {
    const out = {};
    for (const [name, value] of Object.entries(map)) {
        if (name === 'channel')
            continue;
        const key = camel(name);
        if (!(key in KALDI_FBANK_DEFAULTS))
            throw invalid(`fbank: unknown Kaldi option '--${name}'`, { option: name });
        out[key] = value;
    }
    return out;
}
/** Kaldi `FeatureWindowFunction`, a = 2π / (N − 1). */
function windowFunction(type, n, blackmanCoeff) {
    const w = new Float64Array(n);
    const a = (2 * Math.PI) / (n - 1);
    for (let i = 0; i < n; i++) {
        const c = Math.cos(a * i);
        switch (type) {
            case 'hanning':
                w[i] = 0.5 - 0.5 * c;
                break;
            case 'sine':
                w[i] = Math.sin(0.5 * a * i);
                break;
            case 'hamming':
                w[i] = 0.54 - 0.46 * c;
                break;
            case 'povey':
                w[i] = (0.5 - 0.5 * c) ** 0.85;
                break;
            case 'rectangular':
                w[i] = 1;
                break;
            case 'blackman':
                w[i] = blackmanCoeff - 0.5 * c + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
                break;
        }
    }
    return w;
}
const melScale = (f) => 1127 * Math.log(1 + f / 700);
const inverseMelScale = (m) => 700 * (Math.exp(m / 1127) - 1);
/** Kaldi `MelBanks::VtlnWarpFreq`: piecewise-linear warp with breakpoints l and h. */
function vtlnWarpFreq(vLow, vHigh, low, high, warp, freq) {
    if (freq < low || freq > high)
        return freq;
    const l = vLow * Math.max(1, warp);
    const h = vHigh * Math.min(1, warp);
    const scale = 1 / warp;
    const fl = scale * l;
    const fh = scale * h;
    const scaleLeft = (fl - low) / (l - low);
    const scaleRight = (high - fh) / (high - h);
    if (freq < l)
        return low + scaleLeft * (freq - low);
    if (freq < h)
        return scale * freq;
    return high + scaleRight * (freq - high);
}
/** Kaldi `MelBanks` constructor: triangular weights [numMelBins][paddedSize/2]. */
function melBanks(o, paddedSize) {
    const numBins = o.numMelBins;
    if (numBins < 3)
        throw invalid(`fbank: num-mel-bins must be at least 3, got ${numBins}`);
    const numFftBins = Math.floor(paddedSize / 2);
    const nyquist = 0.5 * o.sampleFrequency;
    const low = o.lowFreq;
    const high = o.highFreq > 0 ? o.highFreq : nyquist + o.highFreq;
    if (low < 0 || low >= nyquist || high <= 0 || high > nyquist || high <= low) {
        throw invalid(`fbank: bad frequency range low-freq ${low}, high-freq ${high}, Nyquist ${nyquist}`);
    }
    const fftBinWidth = o.sampleFrequency / paddedSize;
    const melLow = melScale(low);
    const melHigh = melScale(high);
    const delta = (melHigh - melLow) / (numBins + 1);
    const vLow = o.vtlnLow;
    const vHigh = o.vtlnHigh < 0 ? o.vtlnHigh + nyquist : o.vtlnHigh;
    const warp = o.vtlnWarp;
    if (warp !== 1 &&
        (vLow < 0 || vLow <= low || vLow >= high || vHigh <= 0 || vHigh >= high || vHigh <= vLow)) {
        throw invalid(`fbank: bad vtln-low ${vLow} / vtln-high ${vHigh} for low-freq ${low} and high-freq ${high}`);
    }
    const warpMel = (m) => warp === 1 ? m : melScale(vtlnWarpFreq(vLow, vHigh, low, high, warp, inverseMelScale(m)));
    const banks = [];
    for (let b = 0; b < numBins; b++) {
        const left = warpMel(melLow + b * delta);
        const center = warpMel(melLow + (b + 1) * delta);
        const right = warpMel(melLow + (b + 2) * delta);
        const w = new Float64Array(numFftBins);
        for (let i = 0; i < numFftBins; i++) {
            const mel = melScale(fftBinWidth * i);
            if (mel > left && mel < right) {
                w[i] = mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
            }
        }
        banks.push(w);
    }
    return banks;
}
/**
 * |X_k|² for k = 0 … n/2 of a real n-point frame: fft.js for powers of two ≥ 4, else (or when
 * `direct`) a direct DFT, for Kaldi's `round-to-power-of-two=false` frame sizes.
 */
export function powerSpectrum(n, direct = false) {
    const half = Math.floor(n / 2);
    if (!direct && n >= 4 && (n & (n - 1)) === 0) {
        const fft = new FFT(n);
        const complex = new Float64Array(2 * n);
        return (frame, out) => {
            fft.realTransform(complex, frame);
            for (let k = 0; k <= half; k++)
                out[k] = complex[2 * k] * complex[2 * k] + complex[2 * k + 1] * complex[2 * k + 1];
        };
    }
    const cos = new Float64Array(n);
    const sin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        cos[i] = Math.cos((2 * Math.PI * i) / n);
        sin[i] = Math.sin((2 * Math.PI * i) / n);
    }
    return (frame, out) => {
        for (let k = 0; k <= half; k++) {
            let re = 0;
            let im = 0;
            for (let t = 0; t < n; t++) {
                const idx = (k * t) % n;
                re += frame[t] * cos[idx];
                im -= frame[t] * sin[idx];
            }
            out[k] = re * re + im * im;
        }
    };
}
function validate(o, windowSize, windowShift) {
    if (o.dither !== 0)
        throw invalid(`fbank: dither ${o.dither} is not supported (random); use 0`);
    if (!WINDOW_TYPES.includes(o.windowType)) {
        throw invalid(`fbank: unknown window-type '${o.windowType}'; expected one of ${WINDOW_TYPES.join(', ')}`);
    }
    if (windowSize < 2 || windowShift < 1) {
        throw invalid(`fbank: frame-length ${o.frameLength} ms / frame-shift ${o.frameShift} ms give too few samples`);
    }
    if (!(o.preemphasisCoefficient >= 0 && o.preemphasisCoefficient <= 1)) {
        throw invalid(`fbank: preemphasis-coefficient must be in [0, 1], got ${o.preemphasisCoefficient}`);
    }
}
/** Kaldi fbank of one channel. Throws PREPROCESS_INVALID when the input yields no frame. */
export function fbank(wave, options = {}) {
    const o = { ...KALDI_FBANK_DEFAULTS, ...options };
    // FrameExtractionOptions::WindowShift / WindowSize: int32(samp_freq * 0.001 * ms).
    const shift = Math.trunc(o.sampleFrequency * 0.001 * o.frameShift);
    const size = Math.trunc(o.sampleFrequency * 0.001 * o.frameLength);
    validate(o, size, shift);
    const padded = o.roundToPowerOfTwo ? 2 ** Math.ceil(Math.log2(size)) : size;
    const n = wave.length;
    if (n < o.minDuration * o.sampleFrequency)
        return { frames: 0, columns: o.numMelBins, data: new Float32Array(0) };
    // NumFrames (flush = true).
    const frames = o.snipEdges
        ? n < size
            ? 0
            : 1 + Math.floor((n - size) / shift)
        : Math.floor((n + Math.floor(shift / 2)) / shift);
    if (frames <= 0 || n === 0) {
        throw invalid(`fbank: ${n} samples give no frame; a frame needs ${size} samples (${o.frameLength} ms at ${o.sampleFrequency} Hz)`, { samples: n, windowSize: size });
    }
    const win = windowFunction(o.windowType, size, o.blackmanCoeff);
    const banks = melBanks(o, padded);
    const spectrum = powerSpectrum(padded);
    const columns = o.numMelBins + (o.useEnergy ? 1 : 0);
    const melOffset = o.useEnergy && !o.htkCompat ? 1 : 0;
    const energyCol = o.htkCompat ? o.numMelBins : 0;
    const logEnergyFloor = o.energyFloor > 0 ? Math.log(o.energyFloor) : Number.NEGATIVE_INFINITY;
    const out = new Float64Array(frames * columns);
    const frame = new Float64Array(padded);
    const power = new Float64Array(Math.floor(padded / 2) + 1);
    for (let f = 0; f < frames; f++) {
        // ExtractWindow: FirstSampleOfFrame, with reflection at the edges when !snip_edges.
        const start = o.snipEdges ? f * shift : f * shift + Math.floor(shift / 2) - Math.floor(size / 2);
        frame.fill(0);
        for (let s = 0; s < size; s++) {
            let idx = start + s;
            while (idx < 0 || idx >= n)
                idx = idx < 0 ? -idx - 1 : 2 * n - 1 - idx;
            frame[s] = wave[idx];
        }
        // ProcessWindow: DC offset, raw energy, pre-emphasis, window.
        if (o.removeDcOffset) {
            let sum = 0;
            for (let s = 0; s < size; s++)
                sum += frame[s];
            const mean = sum / size;
            for (let s = 0; s < size; s++)
                frame[s] -= mean;
        }
        let energy = 0;
        if (o.useEnergy && o.rawEnergy)
            energy = logEnergy(frame, size);
        if (o.preemphasisCoefficient !== 0) {
            const c = o.preemphasisCoefficient;
            for (let s = size - 1; s > 0; s--)
                frame[s] -= c * frame[s - 1];
            frame[0] -= c * frame[0];
        }
        for (let s = 0; s < size; s++)
            frame[s] *= win[s];
        if (o.useEnergy && !o.rawEnergy)
            energy = logEnergy(frame, padded);
        spectrum(frame, power);
        if (!o.usePower)
            for (let k = 0; k < power.length; k++)
                power[k] = Math.sqrt(power[k]);
        const row = f * columns;
        for (let b = 0; b < o.numMelBins; b++) {
            const w = banks[b];
            let e = 0;
            for (let k = 0; k < w.length; k++)
                if (w[k] !== 0)
                    e += w[k] * power[k];
            if (o.useLogFbank)
                e = Math.log(Math.max(e, FLT_EPSILON));
            out[row + melOffset + b] = e;
        }
        if (o.useEnergy)
            out[row + energyCol] = Math.max(energy, logEnergyFloor);
    }
    if (o.subtractMean)
        subtractColumnMeans(out, frames, columns);
    return { frames, columns, data: Float32Array.from(out) };
}
/** log(max(Σx², FLT_EPSILON)) over the first `len` samples. */
function logEnergy(x, len) {
    let e = 0;
    for (let s = 0; s < len; s++)
        e += x[s] * x[s];
    return Math.log(Math.max(e, FLT_EPSILON));
}
function subtractColumnMeans(m, rows, cols) {
    for (let c = 0; c < cols; c++) {
        let sum = 0;
        for (let r = 0; r < rows; r++)
            sum += m[r * cols + c];
        const mean = sum / rows;
        for (let r = 0; r < rows; r++)
            m[r * cols + c] -= mean;
    }
}
