import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { openI2C } from '../../../drivers/i2c/bus.js';
import { I2CEmulator } from '../../../drivers/i2c/emulator.js';
import { I2ctransferCombined } from '../../../drivers/i2c/i2ctransfer.js';

/** Stands in for the i2c-bus module: opens the emulator (the real module needs /dev/i2c-N). */
function fakeI2cBus(emu: I2CEmulator, seen: { bus?: number; forceAccess?: boolean }) {
  return async () => ({
    openPromisified: async (bus: number, options?: { forceAccess?: boolean }) => {
      seen.bus = bus;
      seen.forceAccess = options?.forceAccess;
      return (await emu.open(bus)).bus;
    },
  });
}

t.test('a missing /dev/i2c-N: ENOENT with the fix in the message', async (t) => {
  const devDir = t.testdir({});
  await t.rejects(openI2C(7, { devDir }), {
    code: 'ENOENT',
    message: /i2c-7 does not exist; enable the I2C bus.*i2cdetect -l/,
  });
  await t.rejects(openI2C(-1), /bus number must be an integer/);
});

t.test(
  'no permission: EACCES naming the i2c group',
  { skip: process.getuid?.() === 0 && 'running as root: every file is accessible' },
  async (t) => {
    const devDir = t.testdir({ 'i2c-1': '' });
    await chmod(join(devDir, 'i2c-1'), 0o000);
    await t.rejects(openI2C(1, { devDir }), { code: 'EACCES', message: /usermod -aG i2c/ });
  },
);

t.test('opens i2c-bus promisified plus i2ctransfer for the combined transfer', async (t) => {
  const devDir = t.testdir({ 'i2c-1': '' });
  const emu = new I2CEmulator({ bus: 1 });
  const seen: { bus?: number; forceAccess?: boolean } = {};
  const h = await openI2C(1, {
    devDir,
    loadI2cBus: fakeI2cBus(emu, seen),
    force: true,
    run: async () => ({ stdout: '0x01\n', stderr: '', code: 0, timedOut: false }),
  });
  t.same(seen, { bus: 1, forceAccess: true });
  t.ok(h.combined instanceof I2ctransferCombined, 'combined through i2ctransfer');
  t.same(await h.combined?.writeRead(0x33, Uint8Array.of(0x80, 0x00), 1), Buffer.of(1));
  await h.bus.close();
  const plain = await openI2C(1, { devDir, loadI2cBus: fakeI2cBus(emu, seen), combined: 'none' });
  t.equal(plain.combined, undefined, "combined: 'none'");
  await plain.bus.close();
});

const hwBus = process.env.BINDSIGHT_HW_I2C;
t.test(
  'real hardware: scan /dev/i2c-$BINDSIGHT_HW_I2C and read the MLX90640 control register if present',
  {
    skip:
      hwBus === undefined &&
      'set BINDSIGHT_HW_I2C=<bus number> to run against a real /dev/i2c-N (none here: the build VM has no I2C)',
  },
  async (t) => {
    const h = await openI2C(Number(hwBus));
    try {
      const found = await h.bus.scan();
      t.ok(Array.isArray(found), `devices: ${found.map((a) => `0x${a.toString(16)}`).join(' ') || 'none'}`);
      if (found.includes(0x33) && h.combined) {
        const control = (await h.combined.writeRead(0x33, Uint8Array.of(0x80, 0x0d), 2)).readUInt16BE(0);
        t.ok(
          (control & 0x0001) === 1,
          `MLX90640 control register 0x${control.toString(16)} has subpages enabled`,
        );
      }
    } finally {
      await h.bus.close();
    }
  },
);
