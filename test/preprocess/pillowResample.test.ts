/**
 * Unit checks of the Pillow bicubic port; the bit-exact comparison with Pillow itself is in
 * vision.test.ts and thermal.test.ts (every golden `crop_u8`).
 */
import t from 'tap';
import { mulberry32 } from '../../models/onnx/random.js';
import { resizeBicubicU8, resizeBicubicWindowU8 } from '../../src/preprocess/pillowResample.js';

t.test('same size is a copy', async (t) => {
  const x = Uint8Array.from([1, 2, 3, 4]);
  const y = resizeBicubicU8(x, 2, 2, 1, 2, 2);
  t.same(y, x);
  t.not(y, x);
});

t.test('a constant image stays constant at any scale', async (t) => {
  for (const [w, h, ow, oh] of [
    [10, 7, 3, 5],
    [4, 4, 224, 224],
    [640, 480, 298, 224],
  ]) {
    const y = resizeBicubicU8(new Uint8Array(w * h * 3).fill(200), w, h, 3, ow, oh);
    t.equal(y.length, ow * oh * 3);
    t.ok(
      y.every((v) => v === 200),
      `${w}x${h} → ${ow}x${oh}`,
    );
  }
});

t.test('bicubic overshoot is clipped to [0, 255]', async (t) => {
  const step = Uint8Array.from([0, 0, 255, 255]);
  const y = resizeBicubicU8(step, 4, 1, 1, 16, 1);
  t.equal(y[0], 0);
  t.equal(y[15], 255);
  t.ok(
    y.every((v, i) => i === 0 || v >= y[i - 1] || v === 0 || v === 255),
    'monotone apart from clipped ringing',
  );
});

t.test('downscale by 2 averages with the widened, antialiased kernel', async (t) => {
  // Support 2·scale = 4 taps each side; symmetric input → symmetric output.
  const x = Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80]);
  const y = resizeBicubicU8(x, 8, 1, 1, 4, 1);
  t.equal(y.length, 4);
  t.equal(y[0] + y[3], y[1] + y[2], 'linear ramp stays symmetric');
  t.ok(y[0] > 10 && y[3] < 80);
});

t.test('bands are independent', async (t) => {
  const x = new Uint8Array(6 * 6 * 3);
  for (let i = 0; i < 36; i++) x.set([i * 7, 255 - i * 7, 100], i * 3);
  const rgb = resizeBicubicU8(x, 6, 6, 3, 4, 3);
  const r = resizeBicubicU8(
    Uint8Array.from({ length: 36 }, (_, i) => i * 7),
    6,
    6,
    1,
    4,
    3,
  );
  t.same(Array.from(rgb.filter((_, i) => i % 3 === 0)), Array.from(r));
});

/** Copy a window out of a whole resized image: what the windowed resize must equal. */
function crop(img: Uint8Array, w: number, bands: number, left: number, top: number, cw: number, ch: number) {
  const out = new Uint8Array(cw * ch * bands);
  for (let y = 0; y < ch; y++) {
    const from = ((top + y) * w + left) * bands;
    out.set(img.subarray(from, from + cw * bands), y * cw * bands);
  }
  return out;
}

t.test('a window is byte for byte the same window of the whole resized image', async (t) => {
  const rand = mulberry32(17);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  for (let round = 0; round < 60; round++) {
    const bands = round % 3 === 0 ? 1 : 3;
    const inW = int(1, 90);
    const inH = int(1, 90);
    // Down, up, and one side unchanged (a pass skipped).
    const outW = round % 5 === 0 ? inW : int(1, 120);
    const outH = round % 7 === 0 ? inH : int(1, 120);
    const src = Uint8Array.from({ length: inW * inH * bands }, () => int(0, 255));
    const whole = resizeBicubicU8(src, inW, inH, bands, outW, outH);
    const width = int(1, outW);
    const height = int(1, outH);
    const left = int(0, outW - width);
    const top = int(0, outH - height);
    const win = resizeBicubicWindowU8(src, inW, inH, bands, outW, outH, { left, top, width, height });
    const want = crop(whole, outW, bands, left, top, width, height);
    if (Buffer.compare(Buffer.from(win), Buffer.from(want)) !== 0) {
      t.fail(`${inW}×${inH}×${bands} → ${outW}×${outH}, window ${width}×${height} at (${left}, ${top})`);
      return;
    }
  }
  t.pass('60 random sizes and windows');
});

t.test('a window outside the output is refused', async (t) => {
  const src = new Uint8Array(4 * 4);
  t.throws(
    () => resizeBicubicWindowU8(src, 4, 4, 1, 8, 8, { left: 4, top: 0, width: 5, height: 1 }),
    RangeError,
  );
  t.throws(
    () => resizeBicubicWindowU8(src, 4, 4, 1, 8, 8, { left: 0, top: 0, width: 0, height: 1 }),
    RangeError,
  );
  t.throws(
    () => resizeBicubicWindowU8(src, 4, 4, 1, 8, 8, { left: -1, top: 0, width: 2, height: 1 }),
    RangeError,
  );
});
