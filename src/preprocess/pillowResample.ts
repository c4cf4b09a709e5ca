/**
 * Pillow's antialiased BICUBIC resize for 8-bit images, ported operation for operation from
 * python-pillow/Pillow `src/libImaging/Resample.c` (9.4.0): `precompute_coeffs`,
 * `normalize_coeffs_8bpc`, `ImagingResampleHorizontal_8bpc`, `ImagingResampleVertical_8bpc`
 * and `ImagingResampleInner`. Two separable passes in 22-bit fixed point with the result of
 * each pass rounded and clipped to uint8, so the output is bit-identical to
 * `Image.resize(size, Image.BICUBIC)` (imagebind-contract.md §1.1, §4 item 1).
 *
 * We measured the alternative: sharp/libvips `cubic` differs from Pillow by up to a few grey
 * levels on real photos; this port matches the goldens' `crop_u8` exactly.
 *
 * Speed (it is the costliest step of vision preprocessing, bench/preprocess.ts):
 * - Every output pixel of a pass depends only on its own coefficients, so computing just the
 *   window that the centre crop keeps gives the same bytes as resizing the whole image and
 *   cropping after (a 640×480 frame: 224 of 298 columns in both passes).
 * - The sums are C `int` arithmetic in Resample.c; `Math.imul` and `| 0` keep them 32-bit
 *   integers in V8 too, with C's wrap-around should a sum ever overflow (it cannot for 8-bit
 *   input: the coefficients sum to 1 << 22). `>>` is C's arithmetic shift on gcc/clang, and a
 *   `Uint8ClampedArray` store of an integer is `clip8`'s clamp to [0, 255].
 * - Coefficient tables are cached per (input size, output size): a sensor keeps its size.
 */

/** `PRECISION_BITS = 32 - 8 - 2` (Resample.c). */
const PRECISION_BITS = 22;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** Resample.c `bicubic_filter`, a = -0.5, support 2. */
function bicubicFilter(xIn: number): number {
  const a = -0.5;
  const x = xIn < 0 ? -xIn : xIn;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}
const BICUBIC_SUPPORT = 2.0;

interface Coeffs {
  ksize: number;
  /** [xmin, count] per output pixel. */
  bounds: Int32Array;
  /** Fixed-point coefficients, outSize * ksize. */
  kk: Int32Array;
}

/** Resample.c `precompute_coeffs` (box = [0, inSize]) followed by `normalize_coeffs_8bpc`. */
function precomputeCoeffs(inSize: number, outSize: number): Coeffs {
  const in0 = 0;
  const in1 = inSize;
  const scale = (in1 - in0) / outSize;
  const filterscale = Math.max(scale, 1.0);
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    let ww = 0.0;
    const ss = 1.0 / filterscale;
    // C `(int)` truncates toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    for (let x = 0; x < xmax; x++) {
      const w = bicubicFilter((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < ksize; x++) {
      let v = x < xmax ? k[x] : 0;
      if (x < xmax && ww !== 0.0) v /= ww;
      // normalize_coeffs_8bpc: round half away from zero, then C truncation.
      kk[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * ONE) : Math.trunc(0.5 + v * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

/** A window of the resized image: the output is `width`×`height` starting at (left, top). */
export interface ResizeWindow {
  left: number;
  top: number;
  width: number;
  height: number;
}

const coeffCache = new Map<string, Coeffs>();
const COEFF_CACHE_MAX = 32;

function coeffsFor(inSize: number, outSize: number): Coeffs {
  const key = `${inSize}:${outSize}`;
  let c = coeffCache.get(key);
  if (!c) {
    if (coeffCache.size >= COEFF_CACHE_MAX) coeffCache.clear();
    c = precomputeCoeffs(inSize, outSize);
    coeffCache.set(key, c);
  }
  return c;
}

/**
 * Horizontal pass (`ImagingResampleHorizontal_8bpc`) over `rows` input rows from `rowOffset`,
 * for output columns [x0, x0 + outW) only.
 */
function resampleHorizontal(
  src: Uint8Array,
  inW: number,
  bands: number,
  rowOffset: number,
  rows: number,
  x0: number,
  outW: number,
  c: Coeffs,
): Uint8Array {
  const out = new Uint8ClampedArray(outW * rows * bands);
  const { ksize, bounds, kk } = c;
  const rowLen = inW * bands;
  let o = 0;
  let yy = 0;
  // RGB: two rows per pass over a column's taps, sharing its coefficients (one load, six sums).
  // The rows left (an odd last one, or every row of other band counts) take the plain loop below.
  for (; bands === 3 && yy + 2 <= rows; yy += 2) {
    const rowBase = (yy + rowOffset) * rowLen;
    let o2 = o + outW * 3;
    for (let xx = x0; xx < x0 + outW; xx++) {
      const n = bounds[xx * 2 + 1];
      let p = rowBase + bounds[xx * 2] * 3;
      let k = xx * ksize;
      let a0 = HALF;
      let a1 = HALF;
      let a2 = HALF;
      let b0 = HALF;
      let b1 = HALF;
      let b2 = HALF;
      for (let x = 0; x < n; x++, p += 3, k++) {
        const w = kk[k];
        const q = p + rowLen;
        a0 = (a0 + Math.imul(src[p], w)) | 0;
        a1 = (a1 + Math.imul(src[p + 1], w)) | 0;
        a2 = (a2 + Math.imul(src[p + 2], w)) | 0;
        b0 = (b0 + Math.imul(src[q], w)) | 0;
        b1 = (b1 + Math.imul(src[q + 1], w)) | 0;
        b2 = (b2 + Math.imul(src[q + 2], w)) | 0;
      }
      out[o++] = a0 >> PRECISION_BITS;
      out[o++] = a1 >> PRECISION_BITS;
      out[o++] = a2 >> PRECISION_BITS;
      out[o2++] = b0 >> PRECISION_BITS;
      out[o2++] = b1 >> PRECISION_BITS;
      out[o2++] = b2 >> PRECISION_BITS;
    }
    o = o2;
  }
  for (; yy < rows; yy++) {
    const rowBase = (yy + rowOffset) * rowLen;
    for (let xx = x0; xx < x0 + outW; xx++) {
      const n = bounds[xx * 2 + 1];
      const first = rowBase + bounds[xx * 2] * bands;
      for (let b = 0; b < bands; b++) {
        let p = first + b;
        let k = xx * ksize;
        let s = HALF;
        for (let x = 0; x < n; x++, p += bands, k++) s = (s + Math.imul(src[p], kk[k])) | 0;
        out[o++] = s >> PRECISION_BITS;
      }
    }
  }
  return new Uint8Array(out.buffer);
}

/**
 * Vertical pass (`ImagingResampleVertical_8bpc`) for output rows [y0, y0 + outH). `src` holds
 * input rows from `srcRow0` on, `srcW` pixels wide; output columns are [x0, x0 + outW) of it.
 */
function resampleVertical(
  src: Uint8Array,
  srcW: number,
  srcRow0: number,
  bands: number,
  x0: number,
  outW: number,
  y0: number,
  outH: number,
  c: Coeffs,
): Uint8Array {
  const rowLen = outW * bands;
  const srcRowLen = srcW * bands;
  const out = new Uint8ClampedArray(rowLen * outH);
  const { ksize, bounds, kk } = c;
  for (let yy = 0; yy < outH; yy++) {
    const n = bounds[(y0 + yy) * 2 + 1];
    const kBase = (y0 + yy) * ksize;
    const first = (bounds[(y0 + yy) * 2] - srcRow0) * srcRowLen + x0 * bands;
    const o = yy * rowLen;
    // Four outputs per pass over the taps: one coefficient load serves four sums.
    let i = 0;
    for (; i + 4 <= rowLen; i += 4) {
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      let s3 = HALF;
      let p = first + i;
      for (let y = 0; y < n; y++, p += srcRowLen) {
        const w = kk[kBase + y];
        s0 = (s0 + Math.imul(src[p], w)) | 0;
        s1 = (s1 + Math.imul(src[p + 1], w)) | 0;
        s2 = (s2 + Math.imul(src[p + 2], w)) | 0;
        s3 = (s3 + Math.imul(src[p + 3], w)) | 0;
      }
      out[o + i] = s0 >> PRECISION_BITS;
      out[o + i + 1] = s1 >> PRECISION_BITS;
      out[o + i + 2] = s2 >> PRECISION_BITS;
      out[o + i + 3] = s3 >> PRECISION_BITS;
    }
    for (; i < rowLen; i++) {
      let s = HALF;
      let p = first + i;
      for (let y = 0; y < n; y++, p += srcRowLen) s = (s + Math.imul(src[p], kk[kBase + y])) | 0;
      out[o + i] = s >> PRECISION_BITS;
    }
  }
  return new Uint8Array(out.buffer);
}

/** Copy a window out of an interleaved image. */
function cropWindow(src: Uint8Array, w: number, bands: number, win: ResizeWindow): Uint8Array {
  const row = win.width * bands;
  const out = new Uint8Array(row * win.height);
  for (let y = 0; y < win.height; y++) {
    const from = ((win.top + y) * w + win.left) * bands;
    out.set(src.subarray(from, from + row), y * row);
  }
  return out;
}

/**
 * The `win` window of `Image.resize((outW, outH), BICUBIC)` on an interleaved 8-bit image with
 * `bands` channels (1 for mode L, 3 for RGB): byte for byte the same as resizing the whole image
 * and cropping, for the cost of the window. Resample.c `ImagingResampleInner`: horizontal pass
 * first, only over the rows the vertical pass reads; a pass whose size does not change is skipped.
 */
export function resizeBicubicWindowU8(
  src: Uint8Array,
  inW: number,
  inH: number,
  bands: number,
  outW: number,
  outH: number,
  win: ResizeWindow,
): Uint8Array {
  if (
    win.left < 0 ||
    win.top < 0 ||
    win.width < 1 ||
    win.height < 1 ||
    win.left + win.width > outW ||
    win.top + win.height > outH
  ) {
    throw new RangeError(
      `resize window ${win.width}×${win.height} at (${win.left}, ${win.top}) is outside the ${outW}×${outH} output`,
    );
  }
  const needH = outW !== inW;
  const needV = outH !== inH;
  if (!needH && !needV) return cropWindow(src, inW, bands, win);
  const vert = needV ? coeffsFor(inH, outH) : undefined;
  if (!needH) {
    return resampleVertical(src, inW, 0, bands, win.left, win.width, win.top, win.height, vert as Coeffs);
  }
  const horiz = coeffsFor(inW, outW);
  if (!vert) return resampleHorizontal(src, inW, bands, win.top, win.height, win.left, win.width, horiz);
  // Input rows read by the output rows of the window (bounds are monotone in the output row).
  const last = win.top + win.height - 1;
  const rowFirst = vert.bounds[win.top * 2];
  const rowEnd = vert.bounds[last * 2] + vert.bounds[last * 2 + 1];
  const h = resampleHorizontal(src, inW, bands, rowFirst, rowEnd - rowFirst, win.left, win.width, horiz);
  return resampleVertical(h, win.width, rowFirst, bands, 0, win.width, win.top, win.height, vert);
}

/** `Image.resize((outW, outH), BICUBIC)`: the whole output (see `resizeBicubicWindowU8`). */
export function resizeBicubicU8(
  src: Uint8Array,
  inW: number,
  inH: number,
  bands: number,
  outW: number,
  outH: number,
): Uint8Array {
  if (outW === inW && outH === inH) return src.slice();
  return resizeBicubicWindowU8(src, inW, inH, bands, outW, outH, {
    left: 0,
    top: 0,
    width: outW,
    height: outH,
  });
}
