/**
 * BNO055 driver over I2C (I2C emulator) and over UART (serial emulator on binding-mock, the real
 * SerialPortStream): init through CONFIG to the chosen mode with the datasheet delays, SI units,
 * wrong chip, UART over-run retries, no reply, a chip that reset itself.
 */
import t, { type Test as Tap } from 'tap';
import { I2CEmulator } from '../../../../drivers/i2c/emulator.js';
import { createBno055Chip } from '../../../../drivers/imu/bno055/chip.js';
import { Bno055Emulator } from '../../../../drivers/imu/bno055/emulator.js';
import type { Bno055Mode } from '../../../../drivers/imu/bno055/registers.js';
import {
  MODES,
  REG,
  SWITCH_FROM_CONFIG_MS,
  SWITCH_TO_CONFIG_MS,
} from '../../../../drivers/imu/bno055/registers.js';
import { createImuDriver } from '../../../../drivers/imu/driver.js';
import { SerialEmulator } from '../../../../drivers/serial/emulator.js';
import { waitFor } from '../../poll.js';
import { channel, collect, DeviceClock, windowsArrive } from '../helpers.js';

let portNo = 0;

function setup(t: Tap, via: 'i2c' | 'uart', mode: Bno055Mode = 'imu', chipId?: number) {
  const clock = new DeviceClock();
  const chipEmu = new Bno055Emulator({ clock, chipId });
  const bus = new I2CEmulator({ bus: 1, clock });
  const serial = new SerialEmulator();
  const port = `/dev/ttyBNO${portNo++}`;
  if (via === 'i2c') bus.attach(0x28, chipEmu);
  else serial.createPort(port, chipEmu.uartDevice());
  const transport =
    via === 'i2c'
      ? ({ kind: 'i2c', bus: 1, address: 0x28, i2c: bus.opener() } as const)
      : ({ kind: 'uart', port, baudRate: 115200, binding: serial.binding } as const);
  const chip = createBno055Chip({ transport, mode, rate: 100 });
  const driver = createImuDriver(
    { id: 'imu0', chip, window: 0.5, hop: 0.5 },
    { clock, backoff: { initialMs: 100, maxMs: 800, random: () => 0 } },
  );
  t.teardown(() => driver.stop());
  return { clock, chipEmu, bus, serial, port, driver };
}

for (const via of ['i2c', 'uart'] as const) {
  t.test(`${via}: CONFIG → IMU with the datasheet delays, m/s² and rad/s windows`, async (t) => {
    const { driver, chipEmu, clock } = setup(t, via);
    const sleeps = clock.fake.sleeps;
    await driver.start();
    t.equal(driver.health().state, 'ok', driver.health().lastError ?? 'ok');
    t.same(chipEmu.modeLog, [MODES.CONFIG, MODES.IMU]);
    t.ok(
      sleeps.includes(SWITCH_TO_CONFIG_MS) && sleeps.includes(SWITCH_FROM_CONFIG_MS),
      'waits 19 ms and 7 ms',
    );
    t.equal(chipEmu.map.get(REG.UNIT_SEL), 0x02, 'm/s² and rad/s selected');
    const got = collect(driver);
    await windowsArrive(got, 2);
    await driver.stop();
    await got.done;
    const w = got.windows[0];
    t.equal(w.rate, 100);
    t.equal(w.data.length, 6 * 50);
    t.ok(Math.abs(channel(w, 2)[0] - 9.81) < 1e-5, 'az 981 LSB = 9.81 m/s²');
    const ax = channel(w, 0);
    const gx = channel(w, 3);
    for (let i = 0; i < ax.length; i++) {
      if (Math.abs(gx[i] + (ax[i] * 100) / 900) > 1e-5) t.fail(`gx ${gx[i]} does not match ax ${ax[i]}`);
    }
  });
}

t.test('NDOF and AMG modes are written as 0x0C and 0x07', async (t) => {
  for (const [mode, code] of [
    ['ndof', MODES.NDOF],
    ['amg', MODES.AMG],
  ] as const) {
    const { driver, chipEmu } = setup(t, 'i2c', mode);
    await driver.start();
    t.same(chipEmu.modeLog, [MODES.CONFIG, code]);
    await driver.stop();
  }
});

t.test('a chip id other than 0xA0 is named, retried, and the right chip recovers', async (t) => {
  const { driver, chipEmu } = setup(t, 'i2c', 'imu', 0x33);
  await driver.start();
  t.equal(driver.health().state, 'down');
  t.match(
    driver.health().lastError,
    /expected a BNO055 \(CHIP_ID 0x00 = 0xA0\) on I2C bus 1 address 0x28, found 0x33/,
  );
  chipEmu.chipId = 0xa0;
  await waitFor(() => driver.health().state === 'ok', 'recovered');
});

t.test('UART: a bus over-run reply is retried transparently', async (t) => {
  const { driver, chipEmu } = setup(t, 'uart');
  chipEmu.overrunNext = 2;
  await driver.start();
  t.equal(driver.health().state, 'ok', driver.health().lastError ?? 'ok');
  t.equal(chipEmu.overrunNext, 0);
});

t.test('UART: no reply is a timeout with the wiring hint; answering again recovers', async (t) => {
  const { driver, chipEmu } = setup(t, 'uart');
  chipEmu.silent = true;
  await driver.start();
  t.equal(driver.health().state, 'down');
  t.match(driver.health().lastError, /no reply from the BNO055 on UART .* TX\/RX/);
  chipEmu.silent = false;
  await waitFor(() => driver.health().state === 'ok', 'recovered');
});

t.test('UART: the adapter unplugged mid-window: down, back after replug', async (t) => {
  const { driver, serial, port } = setup(t, 'uart');
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  serial.unplug(port);
  await waitFor(() => driver.health().state === 'down', 'down');
  serial.replug(port);
  await waitFor(() => driver.health().state === 'ok', 'back');
  await windowsArrive(got, 3);
  t.equal(driver.health().counters.reconnects, 1);
});

t.test('a chip that reset itself (back in CONFIG, zeros) is noticed and re-initialised', async (t) => {
  const { driver, chipEmu } = setup(t, 'i2c');
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  chipEmu.reset();
  await waitFor(() => driver.health().counters.reconnects >= 1, 're-initialised');
  t.match(driver.health().lastError, /left mode 0x08 \(now 0x00\)/);
  t.same(chipEmu.modeLog.slice(-2), [MODES.CONFIG, MODES.IMU]);
});
