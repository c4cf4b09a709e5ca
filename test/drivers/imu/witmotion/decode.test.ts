/** `bindsight decode --driver witmotion`: the decoder on the real capture and on a binary stream. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { witmotionDecoder } from '../../../../drivers/imu/witmotion/decode.js';
import { CLASSIC_TYPES, encodeClassic } from '../../../../drivers/imu/witmotion/frame.js';
import { isBindsightError } from '../../../../src/errors.js';
import { VECTORS } from '../vectors.js';

const capture = readFileSync(join(VECTORS, 'witmotion', 'wt901blecl_usb_capture_issue50.hex'));

t.test('the hex capture decodes to its six packets with stats', async (t) => {
  const out = witmotionDecoder.decode({ in: capture, frames: [], params: {} });
  t.equal(out.csv.length, 7, 'header + 6 rows');
  t.match(out.csv[0], /^packet,kind,ax_g/);
  t.match(out.csv[1], /^0,combined,0\.0048828125,0\.01806640625,1\.0107421875,/);
  t.match(out.json, { stats: { packets: 6, truncated: 2 } });
});

t.test('a binary classic stream, with the checksum enforced', async (t) => {
  const bad = encodeClassic(CLASSIC_TYPES.gyro, [1, 2, 3, 4]);
  bad[10] ^= 1;
  const bytes = Buffer.from([
    ...encodeClassic(CLASSIC_TYPES.accel, [2048, 0, 0, 2500]),
    ...bad,
    ...encodeClassic(CLASSIC_TYPES.gyro, [164, 0, 0, 0]),
  ]);
  const out = witmotionDecoder.decode({ in: bytes, frames: [], params: { input: 'binary' } });
  t.equal(out.csv.length, 3);
  t.match(out.csv[1], /^0,accel,1,0,0,,,,,,,25,9\.80665,0,0/);
  t.match(out.csv[2], /^1,gyro,,,,10\.009765625,0,0/);
  t.match(out.json, { stats: { checksumErrors: 1 } });
});

t.test('bad params and an input without packets are refused with a reason', async (t) => {
  const err = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const e1 = err(() => witmotionDecoder.decode({ in: capture, frames: [], params: { format: 'x' } }));
  t.ok(isBindsightError(e1) && e1.code === 'USAGE');
  const e2 = err(() => witmotionDecoder.decode({ in: Buffer.from('hello'), frames: [], params: {} }));
  t.ok(isBindsightError(e2) && e2.code === 'FILE_INVALID');
});
