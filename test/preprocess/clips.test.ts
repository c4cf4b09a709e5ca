import t from 'tap';
import { clipSampleRanges, exactRational } from '../../src/preprocess/clips.js';

t.test('exactRational gives the double exactly', async (t) => {
  t.same(exactRational(0), { num: 0n, den: 1n });
  t.same(exactRational(0.5), { num: 1n << 52n, den: 1n << 53n });
  const r = exactRational(0.1);
  t.equal(Number(r.num) / Number(r.den), 0.1);
  t.equal(r.den, 1n << 56n, '0.1 = 3602879701896397 / 2^55 scaled');
  t.same(exactRational(3), { num: 3n << 51n, den: 1n << 51n }, 'integers');
  t.throws(() => exactRational(-1));
  t.throws(() => exactRational(Number.NaN));
});

t.test('ImageBind clip ranges', async (t) => {
  t.same(
    clipSampleRanges(57007, 16000, 2, 3),
    [
      [0, 32000],
      [12503, 44503],
      [25006, 57006],
    ],
    'Fraction-of-float: 25006, not 25007',
  );
  t.same(
    clipSampleRanges(41764, 16000, 2, 3),
    [
      [0, 32000],
      [4882, 36882],
      [9764, 41764],
    ],
    'ImageBind dog',
  );
  t.same(
    clipSampleRanges(80000, 16000, 2, 3),
    [
      [0, 32000],
      [24000, 56000],
      [48000, 80000],
    ],
    '5 s',
  );
  t.same(
    clipSampleRanges(20800, 16000, 2, 3),
    [
      [0, 20800],
      [0, 20800],
      [0, 20800],
    ],
    'under 2 s: the whole file, 3 times',
  );
  t.same(
    clipSampleRanges(32000, 16000, 2, 3),
    [
      [0, 32000],
      [0, 32000],
      [0, 32000],
    ],
    'exactly 2 s',
  );
  t.same(clipSampleRanges(160000, 16000, 2, 1), [[0, 32000]], 'one clip');
  // Against the naive float formula: the exact rule is never later and at most one sample earlier.
  let earlier = 0;
  const bad: number[] = [];
  for (let n = 32001; n < 34001; n++) {
    const r = clipSampleRanges(n, 16000, 2, 3);
    const naive = n - 32000;
    if (r[2][0] === naive - 1) earlier++;
    else if (r[2][0] !== naive) bad.push(n);
    if (r[2][1] - r[2][0] !== 32000) bad.push(n);
  }
  t.same(bad, [], 'clip 2 starts at (n − 32000) or one earlier, 32000 samples long');
  t.ok(earlier > 500, `about half of all lengths start one sample earlier (${earlier} of 2000)`);
});
