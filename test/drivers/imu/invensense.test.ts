/** InvenSense scale factors, identities and temperature formulas against shared/test-vectors/imu. */
import t from 'tap';
import { icmTemperatureC } from '../../../drivers/imu/icm20948/registers.js';
import {
  ACCEL_RANGES,
  type AccelRange,
  accelCode,
  decodeFifo,
  encodeFifoSample,
  GYRO_RANGES,
  type GyroRange,
  gyroCode,
  INVENSENSE_IDENTITIES,
  lowPassFor,
  rateDivider,
  scalesFor,
  wrongIdentity,
} from '../../../drivers/imu/invensense.js';
import { MPU_VARIANTS, MPU6050_DLPF_HZ, temperatureC } from '../../../drivers/imu/mpu6050/registers.js';
import { DEG_TO_RAD, STANDARD_GRAVITY } from '../../../drivers/imu/units.js';
import { num, vectorCsv } from './vectors.js';

t.test('full-scale codes and sensitivities (invensense_scale_factors.csv)', async (t) => {
  const rows = vectorCsv('imu', 'invensense_scale_factors.csv');
  t.equal(rows.length, 8);
  for (const row of rows) {
    const fullScale = Number(row.full_scale.replace('+-', ''));
    const code = Number(row.setting_code);
    if (row.quantity === 'accel') {
      t.equal(accelCode(fullScale as AccelRange), code, `±${fullScale} g code`);
      t.equal(ACCEL_RANGES[code].lsbPerG, Number(row.lsb_per_unit));
    } else {
      t.equal(gyroCode(fullScale as GyroRange), code, `±${fullScale} °/s code`);
      t.equal(GYRO_RANGES[code].lsbPerDps, Number(row.lsb_per_unit));
    }
  }
});

t.test('raw counts to m/s² and rad/s, full precision', async (t) => {
  const s = scalesFor(2, 250);
  const bytes = encodeFifoSample([16384, -8192, 0, 131, -262, 32767]);
  const v = Array.from(decodeFifo(bytes, 1, s));
  const expected = [
    STANDARD_GRAVITY,
    -STANDARD_GRAVITY / 2,
    0,
    DEG_TO_RAD,
    -2 * DEG_TO_RAD,
    (32767 / 131) * DEG_TO_RAD,
  ];
  v.forEach((x, i) => {
    t.ok(Math.abs(x - expected[i]) < 1e-5, `channel ${i}: ${x} ≈ ${expected[i]}`);
  });
  const s16 = scalesFor(16, 2000);
  t.ok(Math.abs(decodeFifo(encodeFifoSample([2048, 0, 0, 164, 0, 0]), 1, s16)[3] - 10 * DEG_TO_RAD) < 1e-6);
});

t.test('identities and temperature formulas (invensense_identity_and_temperature.csv)', async (t) => {
  const rows = vectorCsv('imu', 'invensense_identity_and_temperature.csv');
  for (const id of INVENSENSE_IDENTITIES) {
    const row = rows.find((r) => r.sensor === id.title);
    t.ok(row, id.title);
    t.equal(num(row!.who_am_i_value), id.value, `${id.title} WHO_AM_I value`);
    t.equal(num(row!.who_am_i_register.replace('bank0 ', '')), id.register, `${id.title} WHO_AM_I register`);
  }
  t.equal(MPU_VARIANTS.mpu6050.whoAmI, 0x68);
  t.equal(MPU_VARIANTS.mpu9250.whoAmI, 0x71);
  // product spec: −521 LSB at 35 °C
  t.equal(Number(temperatureC(MPU_VARIANTS.mpu6050, -521).toFixed(2)), 35.0);
  t.equal(temperatureC(MPU_VARIANTS.mpu9250, 0), 21, '0 LSB at 21 °C');
  t.equal(icmTemperatureC(21), 21, 'Pimoroni room-temperature offset 21 LSB');
  t.ok(Math.abs(icmTemperatureC(0, 0) - 21) < 1e-12);
});

t.test('sample-rate divider and low-pass choice', async (t) => {
  t.same(rateDivider(200, 1000, 255), { div: 4, rate: 200 });
  t.same(rateDivider(1000, 1000, 255), { div: 0, rate: 1000 });
  t.same(rateDivider(300, 1000, 255), { div: 2, rate: 1000 / 3 });
  t.same(rateDivider(1, 1000, 255), { div: 255, rate: 1000 / 256 });
  t.equal(rateDivider(100, 1125, 255).div, 10);
  t.equal(lowPassFor(1000, MPU6050_DLPF_HZ), 1, '188 Hz below 500 Hz Nyquist');
  t.equal(lowPassFor(200, MPU6050_DLPF_HZ), 2, '98 Hz below 100');
  t.equal(lowPassFor(100, MPU6050_DLPF_HZ), 3, '42 Hz below 50');
  t.equal(lowPassFor(4, MPU6050_DLPF_HZ), 6, 'narrowest when none fits');
});

t.test('wrong identity messages name the chip found and the driver that fits', async (t) => {
  const expected = { title: 'MPU-6050', register: 0x75, value: 0x68 };
  t.match(
    wrongIdentity(expected, 'I2C bus 1 address 0x68', { whoAmI75: 0x71, whoAmI00: 0 }),
    /that is an MPU-9250; set `driver: mpu9250`/,
  );
  t.match(
    wrongIdentity(expected, 'I2C bus 1 address 0x68', { whoAmI75: 0, whoAmI00: 0xea }),
    /that is an ICM-20948; set `driver: icm20948`/,
  );
  t.match(
    wrongIdentity(expected, 'x', { whoAmI75: 0xff, whoAmI00: 0xff }),
    /found WHO_AM_I 0x75 = 0xFF, which is no InvenSense chip/,
  );
});
