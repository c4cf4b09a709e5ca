import { resizeBilinear } from './bilinear.js';
import { assertDims, assertLength, invalid } from './checks.js';
import { centerCropOffset, shortSideSize } from './geometry.js';
import { decodeImage16 } from './raster.js';
/** Omnivore `DepthNorm` lower clamp (its `min_depth` default). */
const DEPTHNORM_MIN = 0.01;
/** z16 default unit: millimetres (drivers/types.ts FrameFormat z16_mm). */
const DEFAULT_DEPTH_UNIT_M = 0.001;
const f = Math.fround;
/**
 * Depth in metres, row-major H×W (0, negative or NaN = invalid) → [1, p.size, p.size].
 * `what` names the input in error messages.
 */
export function depthFromMetres(metres, width, height, p, intrinsics = {}, what = 'depth frame') {
    assertDims(width, height, what);
    assertLength(metres.length, width * height, what);
    const baseline = intrinsics.baselineM ?? p.baselineM;
    const focal = intrinsics.focalPx ?? (p.focalPx640 * width) / 640;
    const bf = baseline * focal;
    const lo = f(DEPTHNORM_MIN);
    const hi = f(p.maxDisparity);
    const norm = new Float32Array(width * height);
    for (let i = 0; i < norm.length; i++) {
        let d = metres[i];
        if (d === Number.POSITIVE_INFINITY || d === Number.NEGATIVE_INFINITY) {
            throw invalid(`${what}: pixel ${i} is ${d}; use 0 or NaN to mark an invalid pixel`, { index: i });
        }
        if (!(d > 0))
            d = p.maxDepthM;
        d = Math.min(Math.max(d, p.minDepthM), p.maxDepthM);
        const disparity = f(bf / d);
        const clamped = Math.min(Math.max(disparity, lo), hi);
        norm[i] = f(clamped / hi);
    }
    const out = shortSideSize(width, height, p.size);
    const resized = resizeBilinear(norm, width, height, out.width, out.height);
    const { top, left } = centerCropOffset(out.width, out.height, p.size);
    const mean = f(p.mean);
    const std = f(p.std);
    const result = new Float32Array(p.size * p.size);
    for (let y = 0; y < p.size; y++) {
        for (let x = 0; x < p.size; x++) {
            result[y * p.size + x] = f(f(resized[(top + y) * out.width + left + x] - mean) / std);
        }
    }
    return result;
}
/** A positive finite number from frame.meta[key], or undefined when absent. */
function metaNumber(frame, key, what) {
    const raw = frame.meta?.[key];
    if (raw === undefined)
        return undefined;
    const v = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(v) || v <= 0)
        throw invalid(`${what}: meta.${key} must be a positive number, got '${raw}'`);
    return v;
}
/** 16-bit depth steps → metres with `unit` metres per step; 0 stays 0 (invalid). */
export function stepsToMetres(steps, unit) {
    const out = new Float64Array(steps.length);
    for (let i = 0; i < steps.length; i++)
        out[i] = steps[i] * unit;
    return out;
}
/**
 * A depth Frame → [1, p.size, p.size]. Formats: z16_mm (Uint16Array) or png (a 16-bit greyscale
 * PNG). frame.meta may carry `depth_unit_m` (metres per step, default 0.001), `baseline_m`, `focal_px`.
 */
export async function preprocessDepth(frame, p) {
    const what = `depth frame from '${frame.sensor}'`;
    const unit = metaNumber(frame, 'depth_unit_m', what) ?? DEFAULT_DEPTH_UNIT_M;
    const intrinsics = {
        baselineM: metaNumber(frame, 'baseline_m', what),
        focalPx: metaNumber(frame, 'focal_px', what),
    };
    if (frame.format === 'z16_mm') {
        if (!(frame.data instanceof Uint16Array))
            throw invalid(`${what}: z16_mm data must be a Uint16Array`);
        return depthFromMetres(stepsToMetres(frame.data, unit), frame.width, frame.height, p, intrinsics, what);
    }
    if (frame.format === 'png') {
        if (!(frame.data instanceof Uint8Array))
            throw invalid(`${what}: png data must be a Uint8Array`);
        const img = await decodeImage16(frame.data, what);
        return depthFromMetres(stepsToMetres(img.data, unit), img.width, img.height, p, intrinsics, what);
    }
    throw invalid(`${what}: format '${frame.format}' is not depth; expected z16_mm or a 16-bit png`, {
        format: frame.format,
    });
}
