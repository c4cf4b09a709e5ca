import t from 'tap';
import { parseImuCsv, parseThermalCsv } from '../../../drivers/replay/csv.js';
import { imuCsv, imuRows, thermalCsv } from './fixtures.js';

t.test('IMU rows become channel-major data with times and median spacing', async (t) => {
  const table = parseImuCsv(imuCsv(imuRows(4, 10)), 'imu.csv');
  t.equal(table.rows, 4);
  t.same(Array.from(table.t), [0, 10, 20, 30]);
  t.equal(table.medianDtMs, 10);
  // channel ax = i + 0, gz = i + 0.5
  t.same(Array.from(table.data.subarray(0, 4)), [0, 1, 2, 3]);
  t.same(Array.from(table.data.subarray(20, 24)), Array.from(Float32Array.from([0.5, 1.5, 2.5, 3.5])));
  t.same(table.corrupt, []);
});

t.test('IMU header columns may come in any order, with extra columns and CRLF', async (t) => {
  const text = 'gz,gy,gx,az,ay,ax,t_ms,temp\r\n6,5,4,3,2,1,0,30\r\n60,50,40,30,20,10,5,30\r\n';
  const table = parseImuCsv(text, 'imu.csv');
  t.same(Array.from(table.data), [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60]);
  t.equal(table.medianDtMs, 5);
});

t.test('corrupt IMU rows are dropped with line numbers and reasons', async (t) => {
  const text = [
    't_ms,ax,ay,az,gx,gy,gz',
    '0,1,1,1,1,1,1',
    '10,1,1,1,1,1', // short
    '',
    '# a comment',
    '20,1,abc,1,1,1,1',
    '30,1,1,1,1,1,NaN',
    '40,1,1,1,1,1,1',
    '35,1,1,1,1,1,1', // backwards
    '50,1,1,1,1,,1',
    '60,2,2,2,2,2,2',
  ].join('\n');
  const table = parseImuCsv(text, 'imu.csv');
  t.same(Array.from(table.t), [0, 40, 60]);
  t.same(table.corrupt, [
    { line: 3, reason: 'expected 7 columns, got 6' },
    { line: 6, reason: 'ay is not a number: "abc"' },
    { line: 7, reason: 'gz is not a number: "NaN"' },
    { line: 9, reason: "t_ms 35 is before the previous row's 40" },
    { line: 10, reason: 'gy is not a number: ""' },
  ]);
  t.equal(table.medianDtMs, 30, 'median of 40 and 20');
});

t.test('an IMU file without the header or with fewer than 2 timed rows is FILE_INVALID', async (t) => {
  t.throws(() => parseImuCsv('time,ax,ay,az\n0,1,1,1\n', 'bad.csv'), {
    code: 'FILE_INVALID',
    message:
      /bad\.csv: IMU CSV header must name the columns t_ms,ax,ay,az,gx,gy,gz \(missing t_ms, gx, gy, gz\)/,
  });
  t.throws(() => parseImuCsv('', 'empty.csv'), { code: 'FILE_INVALID', message: /got an empty file/ });
  t.throws(() => parseImuCsv(imuCsv([[0, 1, 1, 1, 1, 1, 1]]), 'one.csv'), {
    code: 'FILE_INVALID',
    message: /at least 2 rows/,
  });
  t.throws(
    () =>
      parseImuCsv(
        imuCsv([
          [5, 1, 1, 1, 1, 1, 1],
          [5, 1, 1, 1, 1, 1, 1],
        ]),
        'same.csv',
      ),
    {
      message: /increasing t_ms/,
    },
  );
});

t.test('thermal rows are frames; an optional header is skipped', async (t) => {
  for (const header of [false, true]) {
    const table = parseThermalCsv(thermalCsv(3, 4, 2, header), 4, 2);
    t.equal(table.frames.length, 3, `header=${header}`);
    t.same(Array.from(table.frames[2] ?? []), Array(8).fill(22));
    t.same(table.corrupt, []);
  }
});

t.test('corrupt thermal rows keep their slot as null', async (t) => {
  const good = Array(4).fill('21.5').join(',');
  const text = [good, '1,2,3', good.replace(/21\.5$/, 'hot'), good].join('\n');
  const table = parseThermalCsv(text, 2, 2);
  t.same(
    table.frames.map((f) => (f === null ? null : f.length)),
    [4, null, null, 4],
  );
  t.same(table.corrupt, [
    { line: 2, reason: 'expected 4 values (2×2), got 3' },
    { line: 3, reason: 'value 4 is not a number: "hot"' },
  ]);
});
