/**
 * IMU against every golden case (conventions §5): SisFall 200 Hz (uniform Window), UMAFall
 * SensorTag with separate accelerometer and gyroscope clocks, and a jittered CSV with duplicate
 * timestamps and a window past the end of the data.
 */
import t from 'tap';
import type { Window } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { imuFromSeries, preprocessImu } from '../../src/preprocess/imu.js';
import { readImuCsv, readSisfall, readUmafall } from './datasets.js';
import { casesOf, diff, readGoldenNpy, readParams, tolerance } from './goldens.js';

const P = IMAGEBIND_PREPROCESS.imu;
const TOL = tolerance('imu');

interface ImuGoldenParams {
  window_start_ms: number;
  start_s: number;
  sensor_id?: number;
}

function win(data: Float32Array, rate = 200): Window {
  return { kind: 'window', sensor: 'imu0', modality: 'imu', t: 0n, rate, channels: 6, data };
}

const worst = { meanAbs: 0, maxAbs: 0 };

t.test('golden cases', async (t) => {
  for (const c of casesOf('imu')) {
    await t.test(`${c.id} [${(c.edge_cases ?? []).join('; ')}]`, async (t) => {
      const p = readParams<ImuGoldenParams>(c);
      let y: Float32Array;
      if (c.input.includes('sisfall')) {
        const s = readSisfall(c.input);
        y = preprocessImu(win(s.data, s.rate), P, { startMs: p.window_start_ms });
      } else if (c.input.includes('umafall')) {
        const u = readUmafall(c.input, p.sensor_id!);
        t.equal(
          Math.max(u.firstAccel, u.firstGyro) + p.start_s * 1000,
          p.window_start_ms,
          'window start rule',
        );
        y = imuFromSeries(u.series, p.window_start_ms, P, c.id);
      } else {
        const s = readImuCsv(c.input);
        t.equal(s.t[0] + p.start_s * 1000, p.window_start_ms, 'window start rule');
        y = preprocessImu(win(s.data), P, { startMs: p.window_start_ms, timestampsMs: s.t });
      }
      const expected = readGoldenNpy(c.expected!);
      t.same(expected.shape, [6, P.samples]);
      const d = diff(y, expected.data);
      worst.meanAbs = Math.max(worst.meanAbs, d.meanAbs);
      worst.maxAbs = Math.max(worst.maxAbs, d.maxAbs);
      t.ok(
        d.meanAbs <= TOL,
        `mean |Δ| ${d.meanAbs.toExponential(2)} ≤ ${TOL} (max ${d.maxAbs.toExponential(2)})`,
      );
    });
  }
  t.comment(`imu worst mean |Δ| ${worst.meanAbs.toExponential(3)}, max |Δ| ${worst.maxAbs.toExponential(3)}`);
});

t.test('numpy.interp semantics', async (t) => {
  const small = { kind: 'imu' as const, rate: 1000, samples: 6 };
  const ch = (t: number[], v: number[]) => ({ t, v });
  const s = [
    ch([1, 3], [10, 30]),
    ch([1, 1, 3], [5, 99, 7]),
    ch([2], [4]),
    ch([0, 5], [0, 5]),
    ch([0, 5], [0, 5]),
    ch([0, 5], [0, 5]),
  ];
  const y = imuFromSeries(s, 0, small);
  t.same(
    Array.from(y.subarray(0, 6)),
    [10, 10, 20, 30, 30, 30],
    'edge hold before and after, linear between',
  );
  t.same(
    Array.from(y.subarray(6, 12)),
    [5, 5, 6, 7, 7, 7],
    'a run of equal timestamps keeps its first sample',
  );
  t.same(Array.from(y.subarray(12, 18)), [4, 4, 4, 4, 4, 4], 'a single sample is held everywhere');
  const uniform = preprocessImu(
    win(
      Float32Array.from({ length: 6 * 400 }, (_, i) => i % 400),
      400,
    ),
    P,
  );
  t.equal(uniform[0], 0);
  t.equal(uniform[399], 399, 'same rate: the samples themselves');
  t.equal(uniform[1999], 399, 'held after the end');
});

t.test('bad input is refused with a clear error', async (t) => {
  t.throws(() => preprocessImu(win(new Float32Array(0)), P), {
    code: 'PREPROCESS_INVALID',
    message: /imu0.*empty/,
  });
  t.throws(() => preprocessImu({ ...win(new Float32Array(9)), channels: 3 }, P), {
    message: /expected 6 channels/,
  });
  t.throws(() => preprocessImu(win(new Float32Array(13)), P), { message: /not a multiple of 6/ });
  const nan = new Float32Array(12);
  nan[7] = Number.NaN;
  t.throws(() => preprocessImu(win(nan), P), { message: /channel 3 values: sample 1 is NaN/ });
  t.throws(() => preprocessImu(win(new Float32Array(12)), P, { timestampsMs: Float64Array.from([0]) }), {
    message: /1 timestamps for 2 samples/,
  });
  t.throws(() => preprocessImu(win(new Float32Array(12)), P, { timestampsMs: Float64Array.from([5, 4]) }), {
    message: /earlier than the one before/,
  });
  t.throws(() => preprocessImu(win(new Float32Array(12), 0), P), { message: /rate 0 Hz/ });
  t.throws(() => preprocessImu(win(new Float32Array(12)), P, { startMs: Number.NaN }), {
    message: /window start NaN/,
  });
});
