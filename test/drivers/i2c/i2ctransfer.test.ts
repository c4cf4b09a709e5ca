import { spawnSync } from 'node:child_process';
import t from 'tap';
import {
  I2ctransferCombined,
  i2ctransferArgs,
  i2ctransferError,
  parseI2ctransferOutput,
  type RunFile,
} from '../../../drivers/i2c/i2ctransfer.js';

const ok = (stdout: string) => ({ stdout, stderr: '', code: 0, timedOut: false });
const failed = (stderr: string) => ({ stdout: '', stderr, code: 1, timedOut: false });

t.test('command: one write, a repeated start, one read (MLX90640 EEPROM read)', async (t) => {
  t.same(i2ctransferArgs(1, 0x33, Uint8Array.of(0x24, 0x00), 1664), [
    '-y',
    '1',
    'w2@0x33',
    '0x24',
    '0x00',
    'r1664',
  ]);
  t.same(i2ctransferArgs(0, 0x69, Uint8Array.of(0x80), 128, true), [
    '-f',
    '-y',
    '0',
    'w1@0x69',
    '0x80',
    'r128',
  ]);
  t.throws(() => i2ctransferArgs(1, 0x33, Uint8Array.of(), 2), /length must be 1..8192; got 0/);
  t.throws(() => i2ctransferArgs(1, 0x33, Uint8Array.of(1), 8193), /got 8193/);
  t.throws(() => i2ctransferArgs(1, 0x02, Uint8Array.of(1), 2), /0x03..0x77/);
  t.throws(() => i2ctransferArgs(-1, 0x33, Uint8Array.of(1), 2), /bus must be/);
});

t.test('output parser: one line of 0xNN per read message', async (t) => {
  t.same(parseI2ctransferOutput('0x00 0xae 0x49 0x9a\n', 4), Buffer.from([0x00, 0xae, 0x49, 0x9a]));
  t.same(parseI2ctransferOutput('0xFF 0x0a', 2), Buffer.from([0xff, 0x0a]), 'upper-case hex, no newline');
  t.throws(() => parseI2ctransferOutput('0x00 0xae\n', 4), {
    code: 'EIO',
    message: /printed 2 bytes, expected 4/,
  });
  t.throws(() => parseI2ctransferOutput('', 1), { code: 'EIO' });
  t.throws(() => parseI2ctransferOutput('0x00 zz\n', 2), { code: 'EIO', message: /"zz" at byte 1/ });
});

t.test('errors: the strerror text on stderr becomes the errno code', async (t) => {
  const cases: [string, string][] = [
    ["Error: Could not open file `/dev/i2c-1' or `/dev/i2c/1': No such file or directory", 'ENOENT'],
    ['Error: Sending messages failed: Remote I/O error', 'EREMOTEIO'],
    ['Error: Sending messages failed: No such device or address', 'ENXIO'],
    ['Error: Sending messages failed: Input/output error', 'EIO'],
    ['Error: Sending messages failed: Connection timed out', 'ETIMEDOUT'],
    ['something unexpected', 'EIO'],
  ];
  for (const [stderr, code] of cases) t.equal(i2ctransferError(failed(stderr), 1, 0x33).code, code, code);
  const perm = i2ctransferError(
    failed("Error: Could not open file `/dev/i2c-1': Permission denied"),
    1,
    0x33,
  );
  t.match(perm, { code: 'EACCES', message: /i2c group/ });
  t.match(i2ctransferError({ stdout: '', stderr: '', code: null, timedOut: true }, 1, 0x33), {
    code: 'ETIMEDOUT',
  });
});

t.test('I2ctransferCombined runs the program and parses its output', async (t) => {
  const calls: { file: string; args: readonly string[]; timeoutMs: number }[] = [];
  const run: RunFile = async (file, args, timeoutMs) => {
    calls.push({ file, args, timeoutMs });
    return ok('0x19 0x01\n');
  };
  const c = new I2ctransferCombined(3, { path: '/usr/sbin/i2ctransfer', timeoutMs: 250, run });
  t.same(await c.writeRead(0x33, Uint8Array.of(0x80, 0x0d), 2), Buffer.from([0x19, 0x01]));
  t.same(calls, [
    { file: '/usr/sbin/i2ctransfer', args: ['-y', '3', 'w2@0x33', '0x80', '0x0d', 'r2'], timeoutMs: 250 },
  ]);
  const nack = new I2ctransferCombined(1, {
    run: async () => failed('Error: Sending messages failed: Remote I/O error'),
  });
  await t.rejects(nack.writeRead(0x33, Uint8Array.of(0x80, 0x00), 2), { code: 'EREMOTEIO' });
  const missing = new I2ctransferCombined(1, {
    run: async () => {
      throw Object.assign(new Error('spawn i2ctransfer ENOENT'), { code: 'ENOENT' });
    },
  });
  await t.rejects(missing.writeRead(0x33, Uint8Array.of(0x80, 0x00), 2), {
    code: 'SENSOR_FAILED',
    message: /apt install i2c-tools/,
  });
});

const hasI2ctransfer = spawnSync('i2ctransfer', ['-V']).error === undefined;
t.test(
  'the real i2ctransfer binary: a missing /dev/i2c-N is ENOENT',
  { skip: !hasI2ctransfer && 'i2ctransfer (Debian i2c-tools) is not installed' },
  async (t) => {
    const c = new I2ctransferCombined(250, { timeoutMs: 5000 });
    await t.rejects(c.writeRead(0x33, Uint8Array.of(0x24, 0x00), 2), {
      code: 'ENOENT',
      message: /\/dev\/i2c-250/,
    });
  },
);
