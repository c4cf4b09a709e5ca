import t from 'tap';
import { I2CEmulator } from '../../../../drivers/i2c/emulator.js';
import { Amg8833Chip } from '../../../../drivers/thermal/amg8833/chip.js';
import { Amg8833Emulator } from '../../../../drivers/thermal/amg8833/emulator.js';
import { FrameRejected } from '../../../../drivers/thermal/chip.js';
import { FakeClock } from '../../fakeClock.js';

async function bench(combined: boolean) {
  const clock = new FakeClock({ mode: 'manual' });
  const emu = new I2CEmulator({ clock, combined });
  const amg = emu.attach(0x68, new Amg8833Emulator({ clock, thermistor: -5.5 }));
  const chip = new Amg8833Chip(await emu.open(1), { address: 0x68, rate: 1 });
  return { clock, emu, amg, chip };
}

t.test('init: normal mode, 1 fps; images over a combined transfer or write + read', async (t) => {
  for (const combined of [true, false]) {
    const { clock, emu, amg, chip } = await bench(combined);
    t.same(await chip.init(), { settleMs: 2000 }, 'wait two frames after a mode change');
    t.equal(amg.map.get(0x02), 1, 'FPSC = 1 fps');
    t.equal(amg.periodMs, 1000);
    clock.advance(1000);
    const image = await chip.poll();
    t.equal(image.celsius.length, 64);
    t.equal(image.meta.thermistor, -5.5, 'sign-magnitude thermistor');
    t.equal(image.celsius.filter((v) => v === 30).length, 4, 'the 2×2 blob of the default scene');
    const kinds = emu.log.filter((r) => r.messages.some((m) => m.kind === 'read' && m.length === 128));
    t.equal(
      kinds.at(-1)?.messages.length,
      combined ? 2 : 1,
      combined ? 'one combined transfer' : 'a plain read after a write',
    );
  }
});

t.test('an overflow flag rejects the image and is cleared', async (t) => {
  const { amg, chip } = await bench(true);
  await chip.init();
  amg.map.set(0x04, 0x04);
  await t.rejects(chip.poll(), FrameRejected);
  t.equal(amg.map.get(0x04), 0, 'OVF_IRS cleared through SCLR');
  t.ok(await chip.poll());
});
