import t, { type TAP } from 'tap';
import { I2CEmulator, RegisterMap } from '../../../drivers/i2c/emulator.js';
import { Amg8833Emulator } from '../../../drivers/thermal/amg8833/emulator.js';
import { amg8833SensorSchema, mlx90640SensorSchema } from '../../../drivers/thermal/config.js';
import { createThermalDriver } from '../../../drivers/thermal/factory.js';
import type { Driver, Frame } from '../../../drivers/types.js';
import { FakeClock } from '../fakeClock.js';
import { waitFor } from '../poll.js';
import { maxError, mlxBench } from './mlx90640/fixtures.js';

interface Logged {
  level: 'warn' | 'info';
  msg: string;
  to: unknown;
  reason: unknown;
}

function logger(into: Logged[]) {
  return {
    warn: (o: Record<string, unknown>, msg: string) =>
      into.push({ level: 'warn', msg, to: o.to, reason: o.reason }),
    info: (o: Record<string, unknown>, msg: string) =>
      into.push({ level: 'info', msg, to: o.to, reason: o.reason }),
  };
}

function mlxDriver(
  b: ReturnType<typeof mlxBench>,
  logs: Logged[],
  extra: Record<string, unknown> = {},
  opTimeoutMs?: number,
): Driver {
  const cfg = mlx90640SensorSchema.parse({
    id: 'thermal0',
    driver: 'mlx90640',
    rate: 4,
    emissivity: 1,
    ...extra,
  });
  return createThermalDriver(cfg, {
    i2c: b.emu.opener(),
    clock: b.clock,
    logger: logger(logs),
    random: () => 0.5,
    opTimeoutMs,
  });
}

/** Reads frames until `until(frames)` is true (or `max` frames), checking each one is a good image. */
async function collect(
  t: Pick<TAP, 'fail'>,
  driver: Driver,
  expected: readonly number[],
  until: (n: number) => boolean | Promise<boolean>,
): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const s of driver.samples()) {
    if (s.kind !== 'frame') continue;
    frames.push(s);
    const err = maxError(s.data as Float32Array, expected);
    if (!(err <= 0.01)) t.fail(`frame ${frames.length} is a bad image (max error ${err})`);
    if (await until(frames.length)) break;
  }
  return frames;
}

t.test('MLX90640: images at the configured rate, timestamped at capture, equal to the vector', async (t) => {
  const b = mlxBench('auto');
  const logs: Logged[] = [];
  const driver = mlxDriver(b, logs);
  await driver.start();
  const frames = await collect(t, driver, b.expected, (n) => n >= 9);
  await driver.stop();
  const period = 250; // rate 4 Hz
  const gaps = frames.slice(1).map((f, i) => Number(f.t - frames[i]!.t) / 1e6);
  t.ok(
    gaps.every((g) => Math.abs(g - period) <= period / 16),
    `gaps ${gaps.join(', ')} ms`,
  );
  const span = Number(frames.at(-1)!.t - frames[0]!.t) / 1e6;
  t.ok(Math.abs(span - 8 * period) <= period / 16, `8 periods take ${span} ms`);
  t.match(frames[0], {
    sensor: 'thermal0',
    modality: 'thermal',
    width: 32,
    height: 24,
    format: 'celsius_f32',
  });
  t.equal(frames[0]!.meta?.chip, 'mlx90640');
  t.equal(b.chip.map.get(0x800d), 0x1981, 'the chip was set to 4 Hz');
  t.match(driver.health(), { state: 'down', counters: { samples: 9, frames_rejected: 0, io_errors: 0 } });
  t.same(
    logs.map((l) => l.to),
    ['ok'],
    'one log line: the sensor came up',
  );
});

t.test('an EIO burst: degraded once, logged once, recovered; no bad image', async (t) => {
  const b = mlxBench('auto');
  const logs: Logged[] = [];
  const driver = mlxDriver(b, logs);
  await driver.start();
  const states = new Set<string>();
  await collect(t, driver, b.expected, (n) => {
    if (n === 2) b.emu.faults.eio(2, 0x33);
    states.add(driver.health().state);
    return n >= 6;
  });
  const h = driver.health();
  await driver.stop();
  t.equal(h.counters.io_errors, 2);
  t.equal(h.counters.reconnects, 0, 'two errors in a row do not drop the device');
  t.same(
    logs.map((l) => `${l.level}:${l.to}`),
    ['info:ok', 'warn:degraded', 'info:ok'],
  );
  t.match(logs[1]?.reason, /EIO/);
});

t.test('unplugged mid-frame: down, logged once, reconnects with backoff when it comes back', async (t) => {
  let measurements = 0;
  let unplug = (): void => undefined;
  const b = mlxBench('auto', () => {
    if (++measurements === 4) unplug(); // after the status says "new data", before the RAM is read
  });
  unplug = () => b.emu.faults.unplug(0x33);
  const logs: Logged[] = [];
  const driver = mlxDriver(b, logs);
  await driver.start();
  const reading = collect(t, driver, b.expected, (n) => n >= 6);
  await waitFor(() => driver.health().counters.connect_failures >= 4, 'reconnect attempts');
  t.equal(driver.health().state, 'down');
  const sleeps = b.clock.sleeps.filter((ms) => ms >= 400 && ms !== 2000); // 2000: the I/O deadline
  t.ok(
    sleeps.length >= 4 && sleeps[1]! > sleeps[0]! && sleeps[2]! > sleeps[1]!,
    `backoff grows: ${sleeps.slice(0, 4).join(', ')}`,
  );
  b.emu.faults.replug(0x33);
  const frames = await reading;
  const h = driver.health();
  await driver.stop();
  t.equal(frames.length, 6);
  t.match(h, { state: 'ok', counters: { reconnects: 1 } });
  t.same(
    logs.map((l) => `${l.level}:${l.to}`),
    ['info:ok', 'warn:down', 'info:ok'],
    'one line per state change, not per retry',
  );
  t.match(logs[1]?.reason, /ENXIO/);
  t.equal(b.emu.stats().openHandles, 0, 'every handle closed');
});

t.test('bit flips in pixel data: rejected and counted, never emitted', async (t) => {
  const b = mlxBench('auto');
  const logs: Logged[] = [];
  const driver = mlxDriver(b, logs);
  await driver.start();
  await collect(t, driver, b.expected, (n) => {
    if (n === 2) b.emu.faults.bitFlip({ address: 0x33, byte: 2 + 64 * 2, mask: 0x80, count: 2 });
    return n >= 6;
  });
  const h = driver.health();
  await driver.stop();
  t.ok(h.counters.frames_rejected! >= 1, `${h.counters.frames_rejected} rejected`);
  t.equal(h.state, 'ok');
  t.same(
    logs.map((l) => l.to),
    ['ok', 'degraded', 'ok'],
  );
  t.match(h.lastError, /implausible/);
});

t.test(
  'the wrong device (no EEPROM) at start: down but started; recovers when the MLX90640 appears',
  async (t) => {
    const b = mlxBench('auto');
    const real = b.emu.device(0x33)!;
    b.emu.detach(0x33);
    b.emu.attach(0x33, new RegisterMap({ addressBytes: 2, wordBytes: 2 }));
    const logs: Logged[] = [];
    const driver = mlxDriver(b, logs);
    await driver.start();
    t.equal(driver.health().state, 'down');
    t.match(driver.health().lastError, /does not hold an MLX90640 calibration/);
    const reading = collect(t, driver, b.expected, (n) => n >= 2);
    await waitFor(() => driver.health().counters.connect_failures >= 3, 'retries');
    b.emu.detach(0x33);
    b.emu.attach(0x33, real);
    await reading;
    t.equal(driver.health().state, 'ok');
    await driver.stop();
    t.same(
      logs.map((l) => l.to),
      ['down', 'ok'],
    );
  },
);

t.test(
  'a stuck bus: the read times out on the driver clock, the device is reopened after release',
  async (t) => {
    const b = mlxBench('auto');
    const logs: Logged[] = [];
    const driver = mlxDriver(b, logs, {}, 1000);
    await driver.start();
    const reading = collect(t, driver, b.expected, (n) => {
      if (n === 2) b.emu.faults.stuck();
      return n >= 4;
    });
    await waitFor(() => driver.health().counters.timeouts! >= 1, 'a timeout');
    t.equal(driver.health().state, 'down');
    await waitFor(() => driver.health().counters.connect_failures! >= 2, 'reopen attempts on the stuck bus');
    b.emu.faults.unstick();
    await reading;
    const h = driver.health();
    await driver.stop();
    t.match(h, { state: 'ok', counters: { reconnects: 1 } });
    t.same(
      logs.map((l) => l.to),
      ['ok', 'down', 'ok'],
    );
    t.match(logs[1]?.reason, /took longer than 1000 ms/);
  },
);

t.test('no repeated-start transport: start() rejects with the fix; nothing keeps running', async (t) => {
  const clock = new FakeClock();
  const b = mlxBench('auto');
  const emu = new I2CEmulator({ clock, combined: false });
  emu.attach(0x33, b.emu.device(0x33)!);
  const cfg = mlx90640SensorSchema.parse({ id: 'thermal0', driver: 'mlx90640' });
  const driver = createThermalDriver(cfg, { i2c: emu.opener(), clock });
  await t.rejects(driver.start(), {
    code: 'SENSOR_FAILED',
    message: /thermal0.*transport.combined: i2ctransfer/,
  });
  t.equal(driver.health().state, 'down');
  await driver.stop();
  t.equal(emu.stats().openHandles, 0);
});

t.test('AMG8833: 10 fps on schedule; a wrong device is refused until the real one answers', async (t) => {
  const clock = new FakeClock();
  const emu = new I2CEmulator({ clock });
  const impostor = emu.attach(0x69, new RegisterMap({ addressBytes: 1 }));
  impostor.load(0x0e, [0xff, 0x0f]); // thermistor −127.9 °C: not an AMG8833
  const logs: Logged[] = [];
  const cfg = amg8833SensorSchema.parse({ id: 'grid', driver: 'amg8833' });
  const driver = createThermalDriver(cfg, {
    i2c: emu.opener(),
    clock,
    logger: logger(logs),
    random: () => 0.5,
  });
  await driver.start();
  t.match(driver.health(), { state: 'down', lastError: /does not behave like an AMG8833/ });
  emu.detach(0x69);
  const amg = emu.attach(0x69, new Amg8833Emulator({ clock }));
  const frames: Frame[] = [];
  for await (const s of driver.samples()) {
    if (s.kind === 'frame') frames.push(s);
    if (frames.length === 3) emu.faults.bitFlip({ address: 0x69, byte: 21, mask: 0x08, count: 1 }); // pixel 10's sign bit
    if (frames.length >= 6) break;
  }
  const h = driver.health();
  await driver.stop();
  const gaps = frames.slice(1).map((f, i) => Number(f.t - frames[i]!.t) / 1e6);
  t.ok(
    gaps.every((g) => Math.abs(g - 100) <= 100 / 16),
    `gaps ${gaps.join(', ')} ms`,
  );
  t.equal(
    Number(frames.at(-1)!.t - frames[0]!.t) / 1e6,
    500,
    'on the 10 fps grid (a retried read does not shift it)',
  );
  t.equal(h.counters.frames_rejected, 1, 'the flipped sign bit made a pixel implausible');
  t.ok(
    frames.every((f) => (f.data as Float32Array).every((v) => v === 22 || v === 30)),
    'only good images',
  );
  t.match(frames[0], {
    width: 8,
    height: 8,
    format: 'celsius_f32',
    meta: { chip: 'amg8833', thermistor: 24 },
  });
  t.equal(amg.map.get(0x02), 0, 'FPSC 0 = 10 fps');
});
