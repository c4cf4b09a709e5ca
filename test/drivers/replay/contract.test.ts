/** The replay driver passes the shared driver contract for every file kind it plays. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createReplayDriver } from '../../../drivers/replay/replay.js';
import { driverContract } from '../driverContract.js';
import { depthPngBytes, imuCsv, imuRows, replayConfig, rgbImage, thermalCsv, wavBytes } from './fixtures.js';

const dir = t.testdir({});
const file = (name: string, bytes: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const kinds: [string, Record<string, unknown>][] = [
  [
    'wav',
    {
      modality: 'audio',
      files: [file('a.wav', wavBytes([Array(1600).fill(500)], 1600, '16'))],
      window: 0.5,
      hop: 0.25,
    },
  ],
  ['jpeg', { modality: 'vision', files: [file('v.jpg', await rgbImage(16, 12, 'jpeg'))] }],
  ['thermal png', { modality: 'thermal', files: [file('t.png', await rgbImage(8, 6, 'png'))] }],
  ['thermal csv', { modality: 'thermal', files: [file('t.csv', thermalCsv(4, 4, 3))], width: 4, height: 3 }],
  ['imu csv', { modality: 'imu', files: [file('i.csv', imuCsv(imuRows(200, 10)))], window: 1, hop: 0.5 }],
  [
    'depth png',
    { modality: 'depth', files: [file('d.png', await depthPngBytes(4, 4, new Uint16Array(16).fill(1200)))] },
  ],
];

for (const [name, fields] of kinds) {
  driverContract(t, `replay ${name}`, () =>
    createReplayDriver(replayConfig({ id: 'replay0', loop: true, speed: 50, ...fields })),
  );
}
