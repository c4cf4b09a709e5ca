/** ICM-20948 driver over the I2C emulator: banked configuration, FIFO reading, identity, overflow. */
import t, { type Test as Tap } from 'tap';
import { I2CEmulator } from '../../../../drivers/i2c/emulator.js';
import { createImuDriver } from '../../../../drivers/imu/driver.js';
import { createIcmChip } from '../../../../drivers/imu/icm20948/chip.js';
import { IcmEmulator } from '../../../../drivers/imu/icm20948/emulator.js';
import { B0, B2 } from '../../../../drivers/imu/icm20948/registers.js';
import { MpuEmulator } from '../../../../drivers/imu/mpu6050/emulator.js';
import { MPU_VARIANTS } from '../../../../drivers/imu/mpu6050/registers.js';
import { STANDARD_GRAVITY } from '../../../../drivers/imu/units.js';
import { waitFor } from '../../poll.js';
import { channel, collect, DeviceClock, windowsArrive } from '../helpers.js';

function setup(t: Tap, rate: number, device?: (clock: DeviceClock) => IcmEmulator | MpuEmulator) {
  const clock = new DeviceClock();
  const bus = new I2CEmulator({ bus: 1, clock });
  const chipEmu = bus.attach(0x69, device?.(clock) ?? new IcmEmulator({ clock }));
  const chip = createIcmChip({
    bus: 1,
    address: 0x69,
    rate,
    accelRange: 16,
    gyroRange: 2000,
    i2c: bus.opener(),
  });
  const driver = createImuDriver(
    { id: 'imu0', chip, window: 0.5, hop: 0.5 },
    { clock, backoff: { initialMs: 100, maxMs: 800, random: () => 0 } },
  );
  t.teardown(() => driver.stop());
  return { clock, bus, chipEmu, driver };
}

t.test('ICM-20948 at 1125/(1+div) Hz: banked registers set, every sample once, SI units', async (t) => {
  const { driver, chipEmu } = setup(t, 225);
  await driver.start();
  t.equal(driver.health().state, 'ok');
  const got = collect(driver);
  await windowsArrive(got, 4);
  await driver.stop();
  await got.done;
  const emu = chipEmu as IcmEmulator;
  t.equal(emu.banks[2].get(B2.GYRO_SMPLRT_DIV), 4, '1125/(1+4) = 225 Hz');
  t.equal(emu.banks[2].get(B2.ACCEL_SMPLRT_DIV_2), 4);
  t.equal(emu.banks[2].get(B2.GYRO_CONFIG_1) & 0x07, (3 << 1) | 1, '±2000 °/s, DLPF on');
  t.equal(emu.banks[2].get(B2.ACCEL_CONFIG) & 0x07, (3 << 1) | 1, '±16 g, DLPF on');
  t.equal(emu.banks[0].get(B0.FIFO_EN_2), 0x1e);
  const w = got.windows[0];
  t.equal(w.rate, 225);
  t.ok(Math.abs(channel(w, 2)[0] - STANDARD_GRAVITY) < 1e-4, 'az = 1 g at 2048 LSB/g');
  for (const win of got.windows) {
    const ax = channel(win, 0);
    let ok = true;
    for (let i = 1; i < ax.length; i++) {
      const step = Math.round(((ax[i] - ax[i - 1]) / STANDARD_GRAVITY) * 2048);
      if (step !== 1 && step !== -999) ok = false;
    }
    t.ok(ok, 'contiguous');
  }
});

t.test('an MPU-6050 where an ICM-20948 is configured: named, and nothing is written to it', async (t) => {
  const { driver, bus } = setup(t, 100, (clock) => new MpuEmulator({ variant: MPU_VARIANTS.mpu6050, clock }));
  await driver.start();
  t.equal(driver.health().state, 'down');
  t.match(driver.health().lastError, /expected an ICM-20948.*that is an MPU-6050; set `driver: mpu6050`/);
  const writes = bus.log.filter((r) => r.messages.some((m) => m.kind === 'write' && m.data.length > 1));
  t.same(writes, [], 'identification only reads');
});

t.test('a bank left selected by another program is reset to bank 0 before identifying', async (t) => {
  const { driver, chipEmu, bus } = setup(t, 100);
  await bus.writeByte(0x69, 0x7f, 0x20); // bank 2
  t.not((chipEmu as IcmEmulator).banks[2].get(0), 0xea);
  await driver.start();
  t.equal(driver.health().state, 'ok');
});

t.test('overflow on the ICM-20948: counted, recovered', async (t) => {
  const { driver, bus } = setup(t, 1125);
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  bus.faults.slow(200, 0x69);
  await waitFor(() => driver.health().counters.fifo_overflows >= 1, 'an overflow');
  bus.faults.slow(0, 0x69);
  await waitFor(() => driver.health().state === 'ok', 'recovered');
  await driver.stop();
  await got.done;
});
