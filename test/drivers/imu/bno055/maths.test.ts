/** BNO055 units, modes, identities and UART frames against shared/test-vectors/imu/bno055_*.csv. */
import t from 'tap';
import {
  ACCEL_LSB_PER_MG,
  ACCEL_LSB_PER_MS2,
  accelMs2,
  GYRO_LSB_PER_DPS,
  GYRO_LSB_PER_RPS,
  gyroRads,
  IDS,
  MODES,
  REG,
  SWITCH_FROM_CONFIG_MS,
  SWITCH_TO_CONFIG_MS,
} from '../../../../drivers/imu/bno055/registers.js';
import {
  BnoUartParser,
  encodeRead,
  encodeWrite,
  statusName,
  type UartResponse,
} from '../../../../drivers/imu/bno055/uart.js';
import { parseHexBytes, toHex } from '../../../../drivers/serial/hex.js';
import { num, vectorCsv } from '../vectors.js';

t.test('LSB per unit for accel and gyro (bno055_units.csv)', async (t) => {
  const rows = vectorCsv('imu', 'bno055_units.csv');
  const lsb = (quantity: string, unit: string): number =>
    Number(rows.find((r) => r.quantity.startsWith(quantity) && r.unit === unit)?.lsb_per_unit);
  t.equal(ACCEL_LSB_PER_MS2, lsb('acceleration', 'm/s^2'));
  t.equal(ACCEL_LSB_PER_MG, lsb('acceleration', 'mg'));
  t.equal(GYRO_LSB_PER_DPS, lsb('angular rate', 'deg/s'));
  t.equal(GYRO_LSB_PER_RPS, lsb('angular rate', 'rad/s'));
  t.equal(
    num(rows.find((r) => r.quantity.startsWith('acceleration'))!.register_start_lsb),
    REG.ACC_DATA_X_LSB,
  );
  t.equal(
    num(rows.find((r) => r.quantity.startsWith('angular rate'))!.register_start_lsb),
    REG.GYR_DATA_X_LSB,
  );
  t.equal(accelMs2(981), 9.81);
  t.equal(gyroRads(900), 1);
  t.equal(gyroRads(-450), -0.5);
});

t.test('identities, OPR_MODE values and switch times (bno055_modes_and_ids.csv)', async (t) => {
  const rows = vectorCsv('imu', 'bno055_modes_and_ids.csv');
  const value = (item: string): string => rows.find((r) => r.item === item)?.value ?? '';
  t.equal(num(value('CHIP_ID')), IDS.chip);
  t.equal(num(value('ACC_ID')), IDS.acc);
  t.equal(num(value('MAG_ID')), IDS.mag);
  t.equal(num(value('GYR_ID')), IDS.gyr);
  for (const [name, code] of Object.entries(MODES)) {
    const row = rows.find((r) => r.item === `OPR_MODE ${name === 'CONFIG' ? 'CONFIGMODE' : name}`);
    t.equal(row && num(row.value), code, name);
    t.equal(row && num(row.register), REG.OPR_MODE);
  }
  t.equal(`${SWITCH_FROM_CONFIG_MS} ms`, value('mode switch CONFIG->any'));
  t.equal(`${SWITCH_TO_CONFIG_MS} ms`, value('mode switch any->CONFIG'));
});

t.test('UART frames (bno055_uart_frames.csv): requests encode, replies decode', async (t) => {
  const rows = vectorCsv('imu', 'bno055_uart_frames.csv');
  const hostFrames = rows.filter((r) => r.direction === 'host->bno').map((r) => r.bytes_hex);
  t.same(hostFrames, [
    toHex(encodeRead(REG.CHIP_ID, 1)),
    toHex(encodeWrite(REG.OPR_MODE, Uint8Array.of(MODES.NDOF))),
    toHex(encodeRead(0x1a, 6)),
  ]);
  const replies = rows.filter((r) => r.direction === 'bno->host');
  const parser = new BnoUartParser();
  const got: UartResponse[] = [];
  parser.on('data', (r: UartResponse) => got.push(r));
  // all replies in one stream, split at an awkward place
  const stream = parseHexBytes(replies.map((r) => r.bytes_hex).join(' '));
  parser.write(Buffer.from(stream.subarray(0, 2)));
  parser.write(Buffer.from(stream.subarray(2)));
  t.same(got[0], { kind: 'read', data: Uint8Array.of(0xa0) });
  const statuses = got.slice(1).map((r) => (r.kind === 'status' ? statusName(r.status) : 'read'));
  t.same(
    statuses,
    replies.slice(1).map((r) => r.meaning.split(/[ (]/)[0]),
  );
  t.equal(parser.skippedBytes, 0);
});

t.test('the UART parser skips garbage and impossible lengths', async (t) => {
  const parser = new BnoUartParser();
  const got: UartResponse[] = [];
  parser.on('data', (r: UartResponse) => got.push(r));
  parser.write(Buffer.from([0x00, 0x13, 0xbb, 0x00, 0xbb, 0x02, 0x01, 0x02, 0xee, 0x01]));
  t.same(got, [
    { kind: 'read', data: Uint8Array.of(1, 2) },
    { kind: 'status', status: 1 },
  ]);
  t.equal(parser.skippedBytes, 4);
  t.throws(() => encodeRead(0, 129), /1\.\.128/);
  t.equal(statusName(0x42), 'unknown status 0x42');
});
