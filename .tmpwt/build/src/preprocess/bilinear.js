/**
 * Bilinear resize of a float32 plane with `align_corners=False` and no antialiasing: the
 * semantics of `torch.nn.functional.interpolate(mode="bilinear")` as torchvision 0.14 `Resize`
 * calls it on a tensor (conventions §4 step 5, Omnivore `predict.py` `rgbd_transform`).
 *
 * Mirrors PyTorch's CPU kernel (aten/src/ATen/native/cpu/UpSampleKernel.cpp,
 * `HelperInterpLinear::compute_indices_weights` and `compute_source_index_and_lambda`) in
 * float32: `scale = in / out`, `src = max(scale · (dst + 0.5) − 0.5, 0)`, `i0 = int(src)`,
 * `i1 = i0 + (i0 < in − 1)`, `λ1 = src − i0`, `λ0 = 1 − λ1`; the row blend is outermost.
 */
const f = Math.fround;
function taps(inSize, outSize) {
    const scale = f(inSize / outSize);
    const t = {
        i0: new Int32Array(outSize),
        i1: new Int32Array(outSize),
        w0: new Float32Array(outSize),
        w1: new Float32Array(outSize),
    };
    for (let d = 0; d < outSize; d++) {
        let src = f(f(scale * f(d + 0.5)) - 0.5);
        if (src < 0)
            src = 0;
        const i0 = Math.min(Math.trunc(src), inSize - 1);
        const lambda1 = Math.min(Math.max(f(src - i0), 0), 1);
        t.i0[d] = i0;
        t.i1[d] = i0 + (i0 < inSize - 1 ? 1 : 0);
        t.w1[d] = lambda1;
        t.w0[d] = f(1 - lambda1);
    }
    return t;
}
/** Resize a row-major H×W float plane to outH×outW. */
export function resizeBilinear(src, inW, inH, outW, outH) {
    const out = new Float32Array(outW * outH);
    const tx = taps(inW, outW);
    const ty = taps(inH, outH);
    for (let y = 0; y < outH; y++) {
        const r0 = ty.i0[y] * inW;
        const r1 = ty.i1[y] * inW;
        const wy0 = ty.w0[y];
        const wy1 = ty.w1[y];
        for (let x = 0; x < outW; x++) {
            const c0 = tx.i0[x];
            const c1 = tx.i1[x];
            const wx0 = tx.w0[x];
            const wx1 = tx.w1[x];
            const top = f(f(src[r0 + c0] * wx0) + f(src[r0 + c1] * wx1));
            const bottom = f(f(src[r1 + c0] * wx0) + f(src[r1 + c1] * wx1));
            out[y * outW + x] = f(f(top * wy0) + f(bottom * wy1));
        }
    }
    return out;
}
