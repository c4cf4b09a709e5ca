/**
 * Band-limited resampling with torchaudio's default method, `sinc_interp_hann`
 * (torchaudio/functional/functional.py `_get_sinc_resample_kernel` and
 * `_apply_sinc_resample_kernel`, 0.13.1): lowpass_filter_width 6, rolloff 0.99, output length
 * `ceil(new · N / orig)` (conventions §2 "resample").
 *
 * With g = gcd(orig, new), o = orig/g, n = new/g, base = min(o, n) · rolloff and
 * width = ceil(lpw · o / base), output sample j·n + i is
 *   y = Σ_k x[j·o + k − width] · K_i[k],  k ∈ [0, 2·width + o),
 *   K_i[k] = sinc(π·t) · cos²(π·t / (2·lpw)) · base / o,  t = clamp((−i/n + (k − width)/o) · base, ±lpw),
 * with x zero outside [0, N). Only taps with |t| < lpw are kept: at the clamp the window is
 * cos²(π/2) ≈ 0, so the dropped taps are below 1e-30. This keeps the kernel small for any rate
 * pair (44101 → 16000 has o = 44101 but only ~35 live taps per phase). Arithmetic is float64.
 */
import { invalid } from './checks.js';
function gcd(a, b) {
    let x = a;
    let y = b;
    while (y !== 0)
        [x, y] = [y, x % y];
    return x;
}
/** The per-phase kernels of `_get_sinc_resample_kernel` (Hann window), restricted to live taps. */
function kernels(o, n, lpw, rolloff) {
    const base = Math.min(o, n) * rolloff;
    const width = Math.ceil((lpw * o) / base);
    const kLen = 2 * width + o;
    const scale = base / o;
    const phases = [];
    for (let i = 0; i < n; i++) {
        const centre = width + (o * i) / n;
        const reach = (lpw * o) / base;
        const k0 = Math.max(0, Math.floor(centre - reach));
        const k1 = Math.min(kLen - 1, Math.ceil(centre + reach));
        const taps = new Float64Array(Math.max(0, k1 - k0 + 1));
        for (let k = k0; k <= k1; k++) {
            let t = (-i / n + (k - width) / o) * base;
            if (t < -lpw)
                t = -lpw;
            if (t > lpw)
                t = lpw;
            const c = Math.cos((t * Math.PI) / lpw / 2);
            const window = c * c;
            const tp = t * Math.PI;
            const sinc = tp === 0 ? 1 : Math.sin(tp) / tp;
            taps[k - k0] = sinc * window * scale;
        }
        phases.push({ k0, taps });
    }
    return { width, phases };
}
/**
 * Resample channel-major audio (`channels` planes of equal length) from `orig` Hz to `target` Hz.
 * Both rates must be positive integers (torchaudio refuses others too).
 */
export function resampleSinc(data, channels, orig, target, opts = {}) {
    if (!Number.isInteger(orig) || !Number.isInteger(target) || orig <= 0 || target <= 0) {
        throw invalid(`resample: rates must be positive integers, got ${orig} Hz → ${target} Hz`);
    }
    if (orig === target)
        return data.slice();
    const lpw = opts.lowpassFilterWidth ?? 6;
    const rolloff = opts.rolloff ?? 0.99;
    const g = gcd(orig, target);
    const o = orig / g;
    const n = target / g;
    const len = data.length / channels;
    const outLen = Math.ceil((n * len) / o);
    const { width, phases } = kernels(o, n, lpw, rolloff);
    const out = new Float32Array(outLen * channels);
    for (let c = 0; c < channels; c++) {
        const x = data.subarray(c * len, (c + 1) * len);
        const y = out.subarray(c * outLen, (c + 1) * outLen);
        for (let idx = 0; idx < outLen; idx++) {
            const j = Math.floor(idx / n);
            const ph = phases[idx - j * n];
            const start = j * o + ph.k0 - width;
            const taps = ph.taps;
            let acc = 0;
            const lo = Math.max(0, -start);
            const hi = Math.min(taps.length, len - start);
            for (let k = lo; k < hi; k++)
                acc += x[start + k] * taps[k];
            y[idx] = acc;
        }
    }
    return out;
}
