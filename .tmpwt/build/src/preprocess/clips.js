/**
 * ImageBind's audio clip ranges, computed exactly (conventions §2 "clip times").
 *
 * data.py `get_clip_timepoints` with pytorchvideo `ConstantClipsPerVideoSampler(clip_duration=2,
 * clips_per_video=3)` (pytorchvideo/data/clip_sampling.py):
 *   duration D = N / sr (float64); m = max(D − clip, 0) (float64, since float − Fraction is a float);
 *   u = Fraction(m) / max(clips − 1, 1); clip i = [u·i, u·i + clip) seconds;
 *   samples [int(u·i·sr), int((u·i + clip)·sr)) — exact rationals, floored.
 * Float64 `m·i·8000` then `Math.floor` is off by one for about half of all lengths
 * (N = 57007 → clip 2 = [25006, 57006)), so the products here are BigInt.
 */
/** The exact value of a finite non-negative double, as mantissa · 2^exponent → num/den. */
export function exactRational(x) {
    if (!Number.isFinite(x) || x < 0)
        throw new RangeError(`exactRational: ${x} is not a finite non-negative number`);
    if (x === 0)
        return { num: 0n, den: 1n };
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0);
    const biased = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & 0xfffffffffffffn;
    // IEEE 754 binary64: normal = (2^52 + frac) · 2^(e − 1075); subnormal = frac · 2^−1074.
    const mant = biased === 0 ? frac : frac | (1n << 52n);
    const exp = biased === 0 ? -1074 : biased - 1075;
    return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) };
}
/**
 * The `[start, end)` sample ranges of ImageBind's clips for a 16 kHz (or `sampleRate`) buffer of
 * `numSamples`. Ends are capped at numSamples (Python slicing), so files shorter than one clip
 * give `clips` identical ranges [0, numSamples).
 */
export function clipSampleRanges(numSamples, sampleRate, clipSeconds, clips) {
    const duration = numSamples / sampleRate;
    const m = Math.max(duration - clipSeconds, 0);
    const u = exactRational(m);
    const c = exactRational(clipSeconds);
    const div = BigInt(Math.max(clips - 1, 1));
    const sr = BigInt(sampleRate);
    const ranges = [];
    for (let i = 0; i < clips; i++) {
        // start = u·i/div seconds = (u.num · i) / (u.den · div)
        const sNum = u.num * BigInt(i);
        const sDen = u.den * div;
        const start = (sNum * sr) / sDen;
        // end = (start_s + clip) · sr = (sNum · c.den + c.num · sDen) · sr / (sDen · c.den)
        const end = ((sNum * c.den + c.num * sDen) * sr) / (sDen * c.den);
        ranges.push([Number(start), Math.min(Number(end), numSamples)]);
    }
    return ranges;
}
