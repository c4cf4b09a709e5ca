/**
 * IEEE 754 binary16 ⇄ binary32 for packs whose ONNX I/O is float16 (onnxruntime-node moves
 * float16 tensors as Uint16Array bit patterns; Node 20 has no Float16Array).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary32 → binary16 bits, round to nearest even (overflow → ±Inf). */
export function toHalf(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    f32[0] = src[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
    else if (exp > 142) out[i] = sign | 0x7c00;
    else if (exp < 113) {
      // Subnormal half (or zero): shift the implicit-1 mantissa into place, round half to even.
      if (exp < 102) out[i] = sign;
      else {
        const m = mant | 0x800000;
        const shift = 126 - exp;
        const half = m >>> shift;
        const rest = m & ((1 << shift) - 1);
        const mid = 1 << (shift - 1);
        out[i] = sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
      }
    } else {
      const half = ((exp - 112) << 10) | (mant >>> 13);
      const rest = mant & 0x1fff;
      out[i] = sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
    }
  }
  return out;
}

/** binary16 bits → float32. */
export function fromHalf(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) out[i] = sign * mant * 2 ** -24;
    else if (exp === 31) out[i] = mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else out[i] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return out;
}
