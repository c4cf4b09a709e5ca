import t from 'tap';
import { fromHalf, toHalf } from '../../src/encoders/half.js';

t.test('float32 → float16 bits: exact values, rounding, overflow, subnormals, NaN', async (t) => {
  const bits = (...v: number[]) => [...toHalf(Float32Array.from(v))];
  t.same(bits(0, -0, 1, -2, 0.5, 65504), [0x0000, 0x8000, 0x3c00, 0xc000, 0x3800, 0x7bff]);
  t.same(bits(1 + 2 ** -11), [0x3c00], 'halfway rounds to even (down)');
  t.same(bits(1 + 3 * 2 ** -11), [0x3c02], 'halfway rounds to even (up)');
  t.same(bits(65520, Number.POSITIVE_INFINITY, -1e9), [0x7c00, 0x7c00, 0xfc00], 'overflow is infinity');
  t.same(bits(2 ** -24, 2 ** -14, 2 ** -26), [0x0001, 0x0400, 0x0000], 'subnormal and underflow');
  t.equal(toHalf(Float32Array.of(Number.NaN))[0] & 0x7c00, 0x7c00);
  t.not(toHalf(Float32Array.of(Number.NaN))[0] & 0x3ff, 0);
});

t.test('float16 bits → float32 and round trips', async (t) => {
  t.same(
    [...fromHalf(Uint16Array.of(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0xfc00))],
    [1, -2, 65504, 2 ** -24, Infinity, -Infinity],
  );
  t.ok(Number.isNaN(fromHalf(Uint16Array.of(0x7e00))[0]));
  const values = Float32Array.from({ length: 200 }, (_, i) => (i - 100) * 0.37);
  const back = fromHalf(toHalf(values));
  values.forEach((v, i) => {
    if (Math.abs(back[i] - v) > Math.abs(v) * 2 ** -11) t.fail(`${v} → ${back[i]}`);
  });
  t.pass('every value within half a float16 ulp');
});
