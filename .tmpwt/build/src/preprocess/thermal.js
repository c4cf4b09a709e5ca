import { assertDims, assertFinite, assertLength, invalid } from './checks.js';
import { frameToLuma } from './raster.js';
import { resizeAndCrop } from './vision.js';
/** Per-frame min–max to 8 bit (conventions §3 step 1), float64 arithmetic. */
export function minMaxToU8(values) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    const out = new Uint8Array(values.length);
    if (hi === lo)
        return out;
    const range = hi - lo;
    for (let i = 0; i < values.length; i++) {
        const g = Math.floor(((values[i] - lo) / range) * 255 + 0.5);
        out[i] = Math.min(Math.max(g, 0), 255);
    }
    return out;
}
/**
 * float32 temperatures → the decimal readings they came from, as float64: each value becomes the
 * 7-significant-digit decimal that rounds to it when there is one (22.4f → 22.4), else stays as
 * is. Sensors report decimal °C (Omron/AMG 0.1 °C steps, MLX90640 CSV 5 decimals); the goldens
 * and any float64 reader apply the min–max rule to those decimals, and a float32 value at an
 * exact half-level boundary (e.g. Omron row 0 of f_102) would otherwise round to the other level.
 */
export function widenFloat32(values) {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
        const x = values[i];
        const d = Number(x.toPrecision(7));
        out[i] = Math.fround(d) === x ? d : x;
    }
    return out;
}
/** An 8-bit grey frame → [1, size, size] in [0, 1] (ToTensor: float32 `v / 255`). */
export function thermalFromGray8(gray, p) {
    if (gray.bands !== 1)
        throw invalid('thermal: expected a single-band 8-bit frame');
    const crop = resizeAndCrop(gray, p.size);
    const out = new Float32Array(crop.length);
    for (let i = 0; i < crop.length; i++)
        out[i] = crop[i] / 255;
    return out;
}
/**
 * A temperature (°C) or raw-count frame, row-major H×W, → [1, size, size]. float32 input is
 * widened with `widenFloat32` first.
 * `what` names the input in error messages.
 */
export function thermalFromValues(values, width, height, p, what = 'thermal frame') {
    assertDims(width, height, what);
    assertLength(values.length, width * height, what);
    assertFinite(values, what);
    const wide = values instanceof Float32Array ? widenFloat32(values) : values;
    return thermalFromGray8({ width, height, bands: 1, data: minMaxToU8(wide) }, p);
}
/** Radiometric centikelvin (FLIR Lepton TLinear) → °C, float64: `v / 100 − 273.15` (conventions §3). */
export function centikelvinToCelsius(v) {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++)
        out[i] = v[i] / 100 - 273.15;
    return out;
}
function requireArray(frame, ctor, what) {
    if (!(frame.data instanceof ctor)) {
        throw invalid(`${what}: ${frame.format} data must be a ${ctor.name}`, { format: frame.format });
    }
    return frame.data;
}
/** Temperature-like formats: how each becomes the values the min–max rule maps. */
const VALUE_FORMATS = {
    celsius_f32: (f, what) => requireArray(f, Float32Array, what),
    y16_ck: (f, what) => centikelvinToCelsius(requireArray(f, Uint16Array, what)),
    gray16: (f, what) => requireArray(f, Uint16Array, what),
};
/**
 * Any thermal frame → [1, p.size, p.size]: celsius_f32, y16_ck and gray16 by min–max;
 * gray8, rgb24, jpeg and png by Pillow `convert("L")`.
 */
export async function preprocessThermal(frame, p) {
    const what = `thermal frame from '${frame.sensor}'`;
    const decode = VALUE_FORMATS[frame.format];
    if (decode)
        return thermalFromValues(decode(frame, what), frame.width, frame.height, p, what);
    if (frame.format === 'z16_mm')
        throw invalid(`${what}: z16_mm is a depth format, not thermal`);
    return thermalFromGray8(await frameToLuma(frame, what), p);
}
