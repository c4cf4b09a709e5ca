/**
 * MPU-6050 / MPU-9250 driver over the I2C emulator: configuration written as the register map
 * says, FIFO read without gaps or duplicates at 100–1000 Hz, overflow detected and recovered,
 * wrong identity named, unplug mid-window, stuck bus.
 */
import t, { type Test as Tap } from 'tap';
import { I2CEmulator } from '../../../../drivers/i2c/emulator.js';
import { createImuDriver } from '../../../../drivers/imu/driver.js';
import { createMpuChip } from '../../../../drivers/imu/mpu6050/chip.js';
import { MpuEmulator } from '../../../../drivers/imu/mpu6050/emulator.js';
import { MPU_VARIANTS, REG } from '../../../../drivers/imu/mpu6050/registers.js';
import { STANDARD_GRAVITY } from '../../../../drivers/imu/units.js';
import type { Window } from '../../../../drivers/types.js';
import { waitFor } from '../../poll.js';
import { channel, collect, DeviceClock, recordingLogger, windowsArrive } from '../helpers.js';

type Variant = 'mpu6050' | 'mpu9250';

function setup(
  t: Tap,
  variant: Variant,
  rate: number,
  opts: { whoAmI?: number; window?: number; hop?: number } = {},
) {
  const clock = new DeviceClock();
  const bus = new I2CEmulator({ bus: 1, clock });
  const device = bus.attach(
    0x68,
    new MpuEmulator({ variant: MPU_VARIANTS[variant], clock, whoAmI: opts.whoAmI }),
  );
  const logger = recordingLogger();
  const chip = createMpuChip({
    variant: MPU_VARIANTS[variant],
    bus: 1,
    address: 0x68,
    rate,
    accelRange: 4,
    gyroRange: 500,
    i2c: bus.opener(),
  });
  const driver = createImuDriver(
    { id: 'imu0', chip, window: opts.window ?? 0.5, hop: opts.hop ?? 0.25 },
    { clock, logger, backoff: { initialMs: 100, maxMs: 800, random: () => 0 } },
  );
  t.teardown(() => driver.stop());
  return { clock, bus, device, driver, logger };
}

/** The ax pattern counts up by one per sample (mod 1000): a gap or a duplicate breaks the step. */
function steps(w: Window, lsbPerG = 8192): number[] {
  const ax = channel(w, 0);
  const out: number[] = [];
  for (let i = 1; i < ax.length; i++)
    out.push(Math.round(((ax[i] - ax[i - 1]) / STANDARD_GRAVITY) * lsbPerG));
  return out;
}
const contiguous = (w: Window): boolean => steps(w).every((s) => s === 1 || s === -999);

for (const [variant, rate] of [
  ['mpu6050', 100],
  ['mpu6050', 1000],
  ['mpu9250', 200],
  ['mpu9250', 1000],
] as const) {
  t.test(`${variant} at ${rate} Hz: every sample once, in order, in SI units`, async (t) => {
    const { driver, device, bus } = setup(t, variant, rate);
    await driver.start();
    t.equal(driver.health().state, 'ok');
    const got = collect(driver);
    await windowsArrive(got, 6);
    await driver.stop();
    await got.done;
    const w = got.windows[0];
    t.equal(w.rate, rate);
    t.equal(w.data.length, 6 * Math.round(0.5 * rate));
    t.ok(Math.abs(channel(w, 2)[0] - STANDARD_GRAVITY) < 1e-5, 'az = 1 g at ±4 g');
    const ax = channel(w, 0)[3];
    const gx = channel(w, 3)[3];
    t.ok(
      Math.abs(gx + ((ax / STANDARD_GRAVITY) * 8192 * Math.PI) / (65.5 * 180)) < 1e-5,
      'gx counts / 65.5 °/s in rad/s',
    );
    for (const win of got.windows) t.ok(contiguous(win), 'no gap, no duplicate');
    // consecutive windows overlap by half: the second starts `hop` samples after the first
    const hop = Math.round(0.25 * rate);
    t.equal(channel(got.windows[1], 0)[0], channel(got.windows[0], 0)[hop]);
    t.equal(driver.health().counters.fifo_overflows, 0);
    t.equal(device.map.get(REG.SMPLRT_DIV), 1000 / rate - 1);
    t.equal(device.map.get(REG.GYRO_CONFIG), 1 << 3);
    t.equal(device.map.get(REG.ACCEL_CONFIG), 1 << 3);
    t.equal(bus.stats().openHandles, 0, 'the handle is closed on stop');
  });
}

t.test('a rate the divider cannot make is rounded, and the Window says the real rate', async (t) => {
  const { driver } = setup(t, 'mpu6050', 300);
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  await driver.stop();
  await got.done;
  t.ok(Math.abs(got.windows[0].rate - 1000 / 3) < 1e-9, '1000/(1+2) Hz');
});

t.test(
  'FIFO overflow: detected, counted, FIFO reset, partial window discarded, no broken window',
  async (t) => {
    const { driver, device, bus, logger } = setup(t, 'mpu6050', 1000);
    await driver.start();
    const got = collect(driver);
    await windowsArrive(got, 2);
    // The host stalls: every transfer takes 150 ms, longer than the FIFO holds at 1 kHz (85 ms).
    bus.faults.slow(150, 0x68);
    await waitFor(() => driver.health().counters.fifo_overflows >= 1, 'an overflow');
    bus.faults.slow(0, 0x68);
    t.equal(driver.health().state, 'degraded');
    t.match(driver.health().lastError, /FIFO overflow/);
    t.ok(driver.health().counters.fifo_discarded_bytes > 0);
    const n = got.windows.length;
    await waitFor(() => driver.health().state === 'ok', 'recovered');
    await windowsArrive(got, n + 3);
    await driver.stop();
    await got.done;
    for (const w of got.windows) t.ok(contiguous(w), 'no window spans the overflow');
    t.ok(device.fifo.generated > 0);
    t.equal(logger.lines.filter((l) => l.obj.to === 'degraded').length, 1, 'logged once');
  },
);

t.test(
  'a chip answering with the wrong identity: down, named, retried; recovers when the right chip is there',
  async (t) => {
    const { driver, device, logger } = setup(t, 'mpu9250', 200, { whoAmI: 0x68 });
    await driver.start();
    const h = driver.health();
    t.equal(h.state, 'down');
    t.match(
      h.lastError,
      /expected an MPU-9250 \(WHO_AM_I 0x75 = 0x71\) on I2C bus 1 address 0x68, found WHO_AM_I 0x75 = 0x68/,
    );
    t.match(h.lastError, /set `driver: mpu6050`/);
    await waitFor(() => driver.health().counters.reconnect_attempts >= 3, 'retries');
    t.equal(
      logger.lines.filter((l) => /wrong|expected/.test(String(l.obj.reason ?? l.obj.error))).length,
      1,
      'logged once',
    );
    device.whoAmI = 0x71;
    await waitFor(() => driver.health().state === 'ok', 'right chip');
    await driver.stop();
  },
);

t.test('an unknown identity says what else answers at 0x68', async (t) => {
  const { driver } = setup(t, 'mpu6050', 100, { whoAmI: 0x12 });
  await driver.start();
  t.match(driver.health().lastError, /found WHO_AM_I 0x75 = 0x12, which is no InvenSense chip.*AMG8833/);
  await driver.stop();
});

t.test(
  'unplug mid-window: down, the partial window discarded, back after replug (power-on reset)',
  async (t) => {
    const { driver, bus, clock, logger } = setup(t, 'mpu6050', 200, { window: 1, hop: 1 });
    await driver.start();
    const got = collect(driver);
    await windowsArrive(got, 1);
    const mid = clock.now() + 400;
    await waitFor(() => clock.now() >= mid, 'mid-window');
    bus.faults.unplug(0x68);
    await waitFor(() => driver.health().state === 'down', 'down');
    t.match(driver.health().lastError, /ENXIO/);
    t.ok(driver.health().counters.discarded_samples > 0);
    const before = got.windows.length;
    await waitFor(() => driver.health().counters.reconnect_attempts >= 3, 'retries');
    t.equal(got.windows.length, before);
    bus.faults.replug(0x68);
    await waitFor(() => driver.health().state === 'ok', 'back');
    await windowsArrive(got, before + 2);
    await driver.stop();
    await got.done;
    for (const w of got.windows) t.ok(contiguous(w));
    t.equal(driver.health().counters.reconnects, 1);
    t.equal(
      logger.lines.filter((l) => l.obj.to === 'down' && l.obj.reason !== 'stopped').length,
      1,
      'logged once',
    );
    t.equal(bus.stats().openHandles, 0);
  },
);

t.test('a stuck bus times out (deadline) and is retried; a bus that comes back recovers', async (t) => {
  const { driver, bus } = setup(t, 'mpu6050', 100);
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  bus.faults.stuck();
  await waitFor(() => driver.health().state === 'down', 'down');
  t.match(driver.health().lastError, /ETIMEDOUT|took longer/);
  bus.faults.unstick();
  await waitFor(() => driver.health().state === 'ok', 'back');
  await driver.stop();
  await got.done;
});

t.test('a frozen FIFO (chip stopped sampling) is a stall: down, reopened', async (t) => {
  const { driver, device } = setup(t, 'mpu6050', 100);
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  device.fifo.frozen = true;
  await waitFor(() => driver.health().counters.stalls >= 1, 'a stall');
  t.match(driver.health().lastError, /no sample from MPU-6050/);
  device.fifo.frozen = false;
  await waitFor(() => driver.health().state === 'ok', 'reopened');
  await driver.stop();
  await got.done;
});
