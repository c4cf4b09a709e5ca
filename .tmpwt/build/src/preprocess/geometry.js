/**
 * Resize and crop geometry shared by vision, thermal and depth
 * (../shared/reference/preprocess-conventions.md §1, §3, §4).
 */
/** Python 3 `round(x)`: round half to even (conventions §1 "Crop"). */
export function pythonRound(x) {
    const f = Math.floor(x);
    const diff = x - f;
    if (diff < 0.5)
        return f;
    if (diff > 0.5)
        return f + 1;
    return f % 2 === 0 ? f : f + 1;
}
/**
 * torchvision `Resize(size)` with an int size: the short side becomes `size`, the long side
 * `int(size * long / short)` (torchvision `_compute_resized_output_size`; same evaluation order).
 */
export function shortSideSize(width, height, size) {
    if (width <= height)
        return { width: size, height: Math.trunc((size * height) / width) };
    return { width: Math.trunc((size * width) / height), height: size };
}
/**
 * torchvision `center_crop` anchor: `top = int(round((H - size) / 2.0))`, same for left,
 * with Python's half-to-even round (d = 73 gives 36, not JS Math.round's 37).
 */
export function centerCropOffset(width, height, size) {
    return { top: pythonRound((height - size) / 2), left: pythonRound((width - size) / 2) };
}
