/**
 * The WitMotion driver end to end: emulated board → @serialport/binding-mock → the real
 * SerialPortStream → parser → family driver → Windows; with garbage, bad checksums, cut packets
 * and an unplug in the middle of a window.
 */
import t, { type Test as Tap } from 'tap';
import { createImuDriver } from '../../../../drivers/imu/driver.js';
import { STANDARD_GRAVITY } from '../../../../drivers/imu/units.js';
import { createWitmotionChip } from '../../../../drivers/imu/witmotion/chip.js';
import { WitmotionEmulator } from '../../../../drivers/imu/witmotion/emulator.js';
import { SerialEmulator } from '../../../../drivers/serial/emulator.js';
import type { Window } from '../../../../drivers/types.js';
import { waitFor } from '../../poll.js';
import { channel, collect, DeviceClock, recordingLogger, windowsArrive } from '../helpers.js';

let portNo = 0;

function setup(
  t: Tap,
  format: 'classic' | 'ble',
  opts: { baudRate?: number; rate?: number; stream?: boolean } = {},
) {
  const path = `/dev/ttyWIT${portNo++}`;
  const clock = new DeviceClock();
  const serial = new SerialEmulator();
  const rate = opts.rate ?? 50;
  const board = new WitmotionEmulator(serial, { path, rate, format, startMs: clock.now() });
  if (opts.stream !== false) clock.onAdvance((now) => board.advanceTo(now));
  const logger = recordingLogger();
  const chip = createWitmotionChip({
    port: path,
    baudRate: opts.baudRate ?? 9600,
    format: 'auto',
    rate,
    binding: serial.binding,
  });
  const driver = createImuDriver(
    { id: 'imu0', chip, window: 1, hop: 0.5 },
    { clock, logger, backoff: { initialMs: 100, maxMs: 1000, random: () => 0 } },
  );
  t.teardown(() => driver.stop());
  return { path, clock, serial, board, driver, logger };
}

/** Windows must be contiguous runs of the emulator's pattern (no gap, no duplicate inside). */
function contiguous(w: Window): boolean {
  const ax = channel(w, 0);
  for (let i = 1; i < ax.length; i++) {
    const step = Math.round(((ax[i] - ax[i - 1]) / STANDARD_GRAVITY) * 2048);
    if (step !== 1 && step !== -1023) return false;
  }
  return true;
}

for (const format of ['classic', 'ble'] as const) {
  t.test(`${format}: windows of SI samples at the board's rate`, async (t) => {
    const { driver } = setup(t, format);
    await driver.start();
    t.equal(driver.health().state, 'ok');
    const got = collect(driver);
    await windowsArrive(got, 3);
    await driver.stop();
    await got.done;
    const w = got.windows[0];
    t.match(w, { sensor: 'imu0', modality: 'imu', rate: 50, channels: 6 });
    t.equal(w.data.length, 6 * 50, '1 s at 50 Hz');
    const az = channel(w, 2);
    t.ok(Math.abs(az[0] - STANDARD_GRAVITY) < 1e-4, 'az = 1 g in m/s²');
    const gx = channel(w, 3);
    const ax = channel(w, 0);
    t.ok(
      Math.abs(gx[5] + ((ax[5] / STANDARD_GRAVITY) * 2048 * 2000 * Math.PI) / (32768 * 180)) < 1e-6,
      'gx in rad/s',
    );
    for (const win of got.windows) t.ok(contiguous(win), 'contiguous samples');
    const hopNs = got.windows[1].t - got.windows[0].t;
    t.equal(Number(hopNs / 1_000_000n), 500, 'windows start 0.5 s apart');
    const h = driver.health();
    t.equal(h.counters.crc_errors, 0);
    t.ok(h.counters.packets > 0);
  });
}

t.test(
  'garbage and a bad checksum: degraded, counted, logged once, no broken window; then ok again',
  async (t) => {
    const { driver, board, logger, clock } = setup(t, 'classic');
    await driver.start();
    const got = collect(driver);
    await windowsArrive(got, 1);
    board.garbage(Uint8Array.from([0x00, 0x13, 0x37, 0x42]));
    board.corruptNext();
    await waitFor(() => driver.health().counters.crc_errors >= 1, 'a checksum error');
    board.corruptNext();
    await waitFor(() => driver.health().counters.crc_errors >= 2, 'a second checksum error');
    t.equal(driver.health().state, 'degraded');
    t.ok(driver.health().counters.resyncs >= 1, 'garbage counted as a resync');
    t.match(driver.health().lastError, /checksum|without its/);
    const start = clock.now();
    await waitFor(() => driver.health().state === 'ok', 'recovery');
    t.ok(clock.now() - start >= 4000, 'stays degraded for the hold time');
    const n = got.windows.length;
    await windowsArrive(got, n + 2);
    await driver.stop();
    await got.done;
    for (const w of got.windows) t.ok(contiguous(w), 'no window spans a dropped packet');
    const degradedLogs = logger.lines.filter((l) => l.obj.to === 'degraded');
    t.equal(degradedLogs.length, 1, 'one warning for the degradation, not one per bad packet');
  },
);

t.test('a packet cut short: skipped, counted as truncated or checksum, never emitted', async (t) => {
  const { driver, board } = setup(t, 'ble', { baudRate: 115200 });
  await driver.start();
  const got = collect(driver);
  await windowsArrive(got, 1);
  board.cutNext();
  await waitFor(() => driver.health().counters.truncated_packets >= 1, 'truncation');
  const n = got.windows.length;
  await windowsArrive(got, n + 2);
  await driver.stop();
  await got.done;
  for (const w of got.windows) t.ok(contiguous(w));
  t.ok(driver.health().counters.gaps >= 1);
});

t.test(
  'unplug mid-window: down, partial window discarded, reconnect with backoff, windows resume',
  async (t) => {
    const { driver, board, logger, clock, serial, path } = setup(t, 'classic');
    await driver.start();
    const got = collect(driver);
    await windowsArrive(got, 2);
    // 0.3 s into the next window
    const target = clock.now() + 300;
    await waitFor(() => clock.now() >= target, 'time to pass');
    board.unplug();
    await waitFor(() => driver.health().state === 'down', 'down');
    const down = driver.health();
    t.match(down.lastError, /imu0|ttyWIT/);
    t.ok(down.counters.discarded_samples > 0, 'the partial window is discarded');
    const before = got.windows.length;
    await waitFor(() => driver.health().counters.reconnect_attempts >= 3, 'retries');
    t.equal(got.windows.length, before, 'nothing while unplugged');
    t.equal(logger.lines.filter((l) => l.obj.to === 'down').length, 1, 'down is logged once');
    board.replug(clock.now());
    await waitFor(() => driver.health().state === 'ok', 'back');
    t.equal(driver.health().counters.reconnects, 1);
    await windowsArrive(got, before + 2);
    await driver.stop();
    await got.done;
    for (const w of got.windows) t.ok(contiguous(w), 'no window spans the unplug');
    t.ok(serial.stats(path).opens >= 2);
  },
);

t.test(
  'a port that is absent at start: start() resolves, down with the fix, recovers when it appears',
  async (t) => {
    const clock = new DeviceClock();
    const serial = new SerialEmulator();
    const chip = createWitmotionChip({
      port: '/dev/ttyWIT-late',
      baudRate: 9600,
      format: 'classic',
      rate: 20,
      binding: serial.binding,
    });
    const driver = createImuDriver(
      { id: 'imu1', chip, window: 1, hop: 1 },
      { clock, backoff: { initialMs: 50, maxMs: 200, random: () => 0 } },
    );
    await driver.start();
    t.equal(driver.health().state, 'down');
    t.match(driver.health().lastError, /bindsight doctor/);
    const board = new WitmotionEmulator(serial, {
      path: '/dev/ttyWIT-late',
      rate: 20,
      format: 'classic',
      startMs: clock.now(),
    });
    clock.onAdvance((now) => board.advanceTo(now));
    const got = collect(driver);
    await windowsArrive(got, 1);
    t.equal(driver.health().state, 'ok');
    await driver.stop();
    await got.done;
  },
);

t.test('the wrong baud rate: bytes but no packet is reported with the fix', async (t) => {
  const { driver, board, clock } = setup(t, 'classic', { stream: false });
  clock.onAdvance(() => board.garbage(Uint8Array.from({ length: 64 }, (_, i) => (i * 29 + 3) & 0x7f)));
  await driver.start();
  await waitFor(() => /baud rate/.test(driver.health().lastError ?? ''), 'the baud-rate hint');
  t.equal(driver.health().state, 'down');
  await driver.stop();
});

t.test('a board sending faster than the configured rate is reported', async (t) => {
  const path = `/dev/ttyWIT${portNo++}`;
  const clock = new DeviceClock();
  const serial = new SerialEmulator();
  const board = new WitmotionEmulator(serial, { path, rate: 100, format: 'ble', startMs: clock.now() });
  clock.onAdvance((now) => board.advanceTo(now));
  const chip = createWitmotionChip({
    port: path,
    baudRate: 115200,
    format: 'ble',
    rate: 10,
    binding: serial.binding,
  });
  const driver = createImuDriver({ id: 'imu2', chip, window: 5, hop: 5 }, { clock });
  await driver.start();
  await waitFor(() => driver.health().counters.rate_mismatches >= 1, 'a rate mismatch');
  t.match(driver.health().lastError, /rate: 100/);
  await driver.stop();
});
