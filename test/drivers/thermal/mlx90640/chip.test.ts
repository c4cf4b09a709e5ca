import t from 'tap';
import { RegisterMap } from '../../../../drivers/i2c/emulator.js';
import { DeviceMismatch, FrameRejected, SetupError } from '../../../../drivers/thermal/chip.js';
import { Mlx90640Chip } from '../../../../drivers/thermal/mlx90640/chip.js';
import { Mlx90640Emulator } from '../../../../drivers/thermal/mlx90640/emulator.js';
import { EXAMPLE_SETTINGS, maxError, mlxBench } from './fixtures.js';

/** Polls until the chip has an image, advancing the clock 10 ms between polls; counts undefined results. */
async function nextImage(chip: Mlx90640Chip, clock: { advance(ms: number): void }) {
  for (let i = 0; i < 1000; i++) {
    const r = await chip.poll();
    if (r) return r;
    clock.advance(10);
  }
  throw new Error('no image');
}

t.test('init writes rate, resolution and pattern into the control register', async (t) => {
  const b = mlxBench();
  const h = await b.emu.open(1);
  const chip = new Mlx90640Chip(h, { ...EXAMPLE_SETTINGS, rate: 16, resolution: 19, pattern: 'interleaved' });
  await chip.init();
  // 0x1901 → rate code 5 (16 Hz, bits 9:7), resolution code 3 (bits 11:10), bit 12 clear; bit 0 kept.
  t.equal(b.chip.map.get(0x800d), 0x0e81);
  t.equal(b.chip.periodMs, 62.5, 'the emulated chip now measures at 16 Hz');
  t.equal(chip.parameters?.kVdd, -3200, 'calibration read from the EEPROM');
});

t.test('two subpages make one image equal to the Melexis expected temperatures', async (t) => {
  const b = mlxBench();
  const chip = new Mlx90640Chip(await b.emu.open(1), EXAMPLE_SETTINGS);
  await chip.init();
  t.equal(await chip.poll(), undefined, 'nothing before the first measurement');
  b.clock.advance(500);
  t.equal(await chip.poll(), undefined, 'subpage 0 alone is half an image: not emitted');
  const image = await nextImage(chip, b.clock);
  t.equal(image.meta.subpage, 1);
  t.ok(
    maxError(image.celsius, b.expected) <= 0.01,
    `max error ${maxError(image.celsius, b.expected).toFixed(5)} °C`,
  );
  t.ok(Math.abs((image.meta.ta as number) - 33.99) < 0.001, 'ambient temperature in meta');
  const again = await nextImage(chip, b.clock);
  t.equal(again.meta.subpage, 0, 'then one image per subpage');
});

t.test('set-up and identity errors', async (t) => {
  const b = mlxBench();
  const h = await b.emu.open(1);
  await t.rejects(
    new Mlx90640Chip({ bus: h.bus }, EXAMPLE_SETTINGS).init(),
    SetupError,
    'no repeated-start transport',
  );
  b.emu.detach(0x33);
  b.emu.attach(0x33, new RegisterMap({ addressBytes: 2, wordBytes: 2 }));
  await t.rejects(new Mlx90640Chip(h, EXAMPLE_SETTINGS).init(), DeviceMismatch, 'no EEPROM (all zero)');
  b.emu.detach(0x33);
  const deaf = b.emu.attach(
    0x33,
    new Mlx90640Emulator({ eeprom: b.vector.eeprom, frames: [], clock: b.clock }),
  );
  deaf.map.hook(0x800d, { write: () => undefined });
  await t.rejects(new Mlx90640Chip(h, { ...EXAMPLE_SETTINGS, rate: 8 }).init(), {
    message: /did not keep control register 0x800D/,
  });
});

t.test('corrupt reads are rejected, never returned; the chip carries on', async (t) => {
  const b = mlxBench();
  const chip = new Mlx90640Chip(await b.emu.open(1), EXAMPLE_SETTINGS);
  await chip.init();
  b.clock.advance(500);
  t.equal(await chip.poll(), undefined);
  b.clock.advance(500);
  // Byte 2 exists only in the RAM read (status and control reads are 2 bytes): pixel 1's MSB.
  b.emu.faults.bitFlip({ byte: 2, mask: 0x40, address: 0x33, count: 1 });
  await t.rejects(chip.poll(), FrameRejected, 'a flipped high bit of a pixel is caught');
  t.equal(b.emu.faults.counts.flip, 1);
  b.clock.advance(500);
  const good = await nextImage(chip, b.clock);
  t.ok(
    maxError(good.celsius, b.vector.expected[1] ?? []) < 0.01 || good.meta.subpage === 0,
    'the next image is good',
  );
  for (const frame of b.vector.frames) frame[768 + 8] = 0x7fff; // what the emulator measures next
  b.clock.advance(500);
  await t.rejects(
    nextImage(chip, b.clock),
    { message: /0x708 reads 0x7FFF/ },
    'the chip’s invalid-read marker',
  );
});

t.test(
  'a changed control register (reset or bit error) rejects the frame, then the chip is reconfigured',
  async (t) => {
    const b = mlxBench();
    const chip = new Mlx90640Chip(await b.emu.open(1), EXAMPLE_SETTINGS);
    await chip.init();
    b.chip.map.set(0x800d, 0x1981); // as after a brown-out with another EEPROM default
    b.clock.advance(500);
    await t.rejects(chip.poll(), { message: /control register reads 0x1981, expected 0x1901/ });
    b.clock.advance(500);
    await chip.poll().catch(() => undefined);
    t.equal(b.chip.map.get(0x800d), 0x1901, 'written back');
  },
);
