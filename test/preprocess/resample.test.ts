import t from 'tap';
import { resampleSinc } from '../../src/preprocess/resample.js';

function sine(n: number, rate: number, hz: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
}

t.test('lengths are ceil(new · N / orig)', async (t) => {
  t.equal(resampleSinc(new Float32Array(115110), 1, 44100, 16000).length, 41764);
  t.equal(resampleSinc(new Float32Array(24000), 1, 8000, 16000).length, 48000);
  t.equal(resampleSinc(new Float32Array(2 * 1001), 2, 48000, 16000).length, 2 * 334, 'per channel');
  t.equal(resampleSinc(new Float32Array(10), 1, 44101, 16000).length, 4, 'co-prime rates');
});

t.test('same rate is a copy', async (t) => {
  const x = sine(100, 16000, 440);
  const y = resampleSinc(x, 1, 16000, 16000);
  t.same(y, x);
  t.not(y, x);
});

t.test('a 440 Hz tone survives 44.1 kHz → 16 kHz and 8 kHz → 16 kHz', async (t) => {
  for (const rate of [44100, 8000, 22050, 44101]) {
    const y = resampleSinc(sine(rate, rate, 440), 1, rate, 16000);
    const want = sine(y.length, 16000, 440);
    let err = 0;
    // Away from the edges the band-limited interpolation is close to the ideal tone.
    for (let i = 200; i < y.length - 200; i++) err = Math.max(err, Math.abs(y[i] - want[i]));
    t.ok(err < 0.01, `${rate} Hz: max |Δ| ${err.toExponential(2)}`);
  }
});

t.test('anti-aliasing: a tone above the new Nyquist is removed', async (t) => {
  const y = resampleSinc(sine(44100, 44100, 12000), 1, 44100, 16000);
  let peak = 0;
  for (let i = 200; i < y.length - 200; i++) peak = Math.max(peak, Math.abs(y[i]));
  t.ok(peak < 0.01, `12 kHz at 16 kHz output: peak ${peak.toExponential(2)}`);
});

t.test('bad rates are refused', async (t) => {
  t.throws(() => resampleSinc(new Float32Array(4), 1, 44100.5, 16000), {
    code: 'PREPROCESS_INVALID',
    message: /positive integers/,
  });
  t.throws(() => resampleSinc(new Float32Array(4), 1, 0, 16000), { code: 'PREPROCESS_INVALID' });
});
