import t from 'tap';
import { I2CEmulator, RegisterMap } from '../../../drivers/i2c/emulator.js';
import { FakeClock } from '../fakeClock.js';
import { tick } from '../poll.js';

function setup(options: ConstructorParameters<typeof I2CEmulator>[0] = {}) {
  const emu = new I2CEmulator({ random: () => 0, ...options });
  const byte = emu.attach(0x68, new RegisterMap({ addressBytes: 1 }));
  const word = emu.attach(
    0x33,
    new RegisterMap({ addressBytes: 2, wordBytes: 2, repeatedStart: 'required' }),
  );
  return { emu, byte, word };
}

const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );

t.test('8-bit register map: SMBus byte/word/block calls, auto-increment, little-endian words', async (t) => {
  const { emu, byte } = setup();
  byte.load(0x80, [0xf4, 0x01, 0x64, 0x00]);
  t.equal(await emu.readByte(0x68, 0x80), 0xf4);
  t.equal(await emu.readWord(0x68, 0x80), 0x01f4, 'low register first');
  const buf = Buffer.alloc(4);
  t.same((await emu.readI2cBlock(0x68, 0x80, 4, buf)).buffer, Buffer.from([0xf4, 0x01, 0x64, 0x00]));
  await emu.writeWord(0x68, 0x10, 0xbeef);
  t.same(byte.dump(0x10, 2), [0xef, 0xbe]);
  await emu.writeI2cBlock(0x68, 0x20, 3, Buffer.from([1, 2, 3, 9]));
  t.same(byte.dump(0x20, 4), [1, 2, 3, 0], 'only `length` bytes are written');
  await emu.i2cWrite(0x68, 1, Buffer.of(0x80));
  const plain = Buffer.alloc(2);
  await emu.i2cRead(0x68, 2, plain);
  t.same(plain, Buffer.from([0xf4, 0x01]), 'the pointer survives a STOP on an ordinary chip');
  t.equal(emu.log.at(-1)?.messages[0]?.kind, 'read');
});

t.test(
  '16-bit map: big-endian words; a repeated start is required; split transfers read garbage',
  async (t) => {
    const { emu, word } = setup();
    word.load(0x2400, [0x00ae, 0x499a, 0x1234]);
    t.same(
      await emu.writeRead(0x33, Uint8Array.of(0x24, 0x00), 6),
      Buffer.from([0x00, 0xae, 0x49, 0x9a, 0x12, 0x34]),
    );
    await emu.i2cWrite(0x33, 2, Buffer.of(0x24, 0x00));
    const out = Buffer.alloc(2);
    await emu.i2cRead(0x33, 2, out);
    t.not(out.readUInt16BE(0), 0x00ae, 'write + STOP + read does not read 0x2400');
    emu.faults.noRepeatedStart('split');
    t.same(
      await emu.writeRead(0x33, Uint8Array.of(0x24, 0x00), 2),
      Buffer.alloc(2),
      'a split combined transfer reads from the stale pointer',
    );
    t.equal(emu.faults.counts.split, 1);
    emu.faults.noRepeatedStart('refuse');
    t.equal(await codeOf(emu.writeRead(0x33, Uint8Array.of(0x24, 0x00), 2)), 'EOPNOTSUPP');
    await emu.i2cWrite(0x33, 4, Buffer.of(0x80, 0x0d, 0x19, 0x01));
    t.equal(word.get(0x800d), 0x1901, 'a write with data stores big-endian words');
  },
);

t.test('hooks: computed reads, side effects on write, a FIFO port that does not increment', async (t) => {
  const { emu, byte } = setup();
  const fifo = [1, 2, 3];
  byte.hook(0x74, { read: () => fifo.shift() ?? 0, increment: false });
  byte.hook(0x6b, { write: (v) => (v & 0x80 ? byte.reset() : byte.set(0x6b, v)) });
  byte.set(0x75, 0x68);
  t.same([...(await emu.readI2cBlock(0x68, 0x74, 3, Buffer.alloc(3))).buffer], [1, 2, 3]);
  await emu.writeByte(0x68, 0x6b, 0x01);
  t.equal(byte.get(0x6b), 1);
  await emu.writeByte(0x68, 0x6b, 0x80);
  t.equal(byte.get(0x75), 0, 'reset cleared the registers');
  const withPowerOn = new RegisterMap({ addressBytes: 1, powerOn: (m) => m.set(0x6b, 0x40) });
  t.equal(withPowerOn.get(0x6b), 0x40, 'powerOn values from construction');
  withPowerOn.set(0x6b, 0);
  withPowerOn.reset();
  t.equal(withPowerOn.get(0x6b), 0x40, 'and after reset');
});

t.test('arguments are checked the way i2c-bus checks them', async (t) => {
  const { emu } = setup();
  await t.rejects(emu.readByte(0x80, 0), /Invalid I2C address 128/);
  await t.rejects(emu.readByte(0x68, 0x100), /Invalid I2C command 256/);
  await t.rejects(emu.readI2cBlock(0x68, 0, 33, Buffer.alloc(40)), /Invalid buffer length 33/);
  await t.rejects(emu.i2cRead(0x68, 4, Buffer.alloc(2)), /Invalid buffer length 4/);
  t.throws(() => emu.attach(0x68, new RegisterMap({ addressBytes: 1 })), /already taken/);
});

t.test('faults: NACK, unplug/replug, EIO bursts, bit flips, scan', async (t) => {
  const { emu, byte } = setup();
  byte.set(0x00, 0x55);
  t.same(await emu.scan(), [0x33, 0x68]);
  emu.faults.nack(0x68, 'EREMOTEIO');
  t.equal(await codeOf(emu.readByte(0x68, 0)), 'EREMOTEIO');
  t.same(await emu.scan(), [0x33], 'a NACKing address is not found');
  emu.faults.clear();
  emu.faults.unplug(0x68);
  t.equal(await codeOf(emu.readByte(0x68, 0)), 'ENXIO');
  emu.faults.replug(0x68);
  t.equal(await emu.readByte(0x68, 0), 0, 'replug is a power cycle (reset)');
  t.equal(await codeOf(emu.readByte(0x10, 0)), 'ENXIO', 'nothing at 0x10');
  byte.set(0x00, 0x55);
  emu.faults.eio(2, 0x68);
  t.equal(await emu.readByte(0x33, 0), 0, 'the EIO burst is for 0x68 only');
  t.equal(await codeOf(emu.readByte(0x68, 0)), 'EIO');
  t.equal(await codeOf(emu.readByte(0x68, 0)), 'EIO');
  t.equal(await emu.readByte(0x68, 0), 0x55, 'the burst wore off');
  emu.faults.bitFlip({ mask: 0x80 });
  t.equal(await emu.readByte(0x68, 0), 0xd5, 'one bit flipped once');
  t.equal(await emu.readByte(0x68, 0), 0x55);
  t.same(emu.faults.counts, { nack: 1, unplugged: 1, eio: 2, timeout: 0, flip: 1, refused: 0, split: 0 });
  const err = await emu.readByte(0x10, 0).catch((e: unknown) => e as Error & { errno: number });
  t.match(err, { code: 'ENXIO', errno: 6, message: /^ENXIO, No such device or address: no device at 0x10/ });
});

t.test('a stuck bus hangs until released, or times out on the clock', async (t) => {
  const clock = new FakeClock({ mode: 'manual' });
  const { emu, byte } = setup({ clock });
  byte.set(1, 7);
  emu.faults.stuck();
  let done = false;
  const pending = emu.readByte(0x68, 1).then((v) => {
    done = true;
    return v;
  });
  for (let i = 0; i < 5; i++) await tick();
  t.notOk(done, 'still hanging');
  emu.faults.unstick();
  t.equal(await pending, 7, 'completes once released');
  emu.faults.stuck({ timeoutMs: 1000 });
  const timed = codeOf(emu.readByte(0x68, 1));
  await tick();
  clock.advance(999);
  await tick();
  clock.advance(1);
  t.equal(await timed, 'ETIMEDOUT');
  t.equal(clock.pending, 0, 'no sleep left behind');
  emu.faults.clear();
  emu.faults.slow(50);
  const slow = emu.readByte(0x68, 1);
  await tick();
  t.equal(clock.pending, 1, 'a slow transfer waits on the clock');
  clock.advance(50);
  t.equal(await slow, 7);
});

t.test('opener: handles, close, a missing adapter', async (t) => {
  const { emu, byte } = setup({ combined: false });
  byte.set(0, 1);
  const open = emu.opener();
  const h = await open(1);
  t.equal(h.combined, undefined, 'combined: false leaves it out');
  t.equal(await h.bus.readByte(0x68, 0), 1);
  await h.bus.close();
  await h.bus.close();
  t.equal(await codeOf(h.bus.readByte(0x68, 0)), 'EBADF', 'a closed handle refuses');
  t.equal(await codeOf(open(2)), 'ENOENT', 'another bus number');
  emu.faults.adapter(false);
  t.equal(await codeOf(open(1)), 'ENOENT');
  t.equal(await codeOf(emu.readByte(0x68, 0)), 'ENODEV');
  t.match(emu.stats(), { opens: 1, closes: 1, openHandles: 0 });
});
