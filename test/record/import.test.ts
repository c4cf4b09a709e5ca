/**
 * Import: plain files and folders → one MCAP session whose replay gives the Samples a replay of
 * the files gives (same data, same timing), with capture times from `start`. Datasets from
 * ../shared/data are read in place. Bad specs and empty inputs are refused; a failed import
 * leaves no file.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createReplayDriver } from '../../drivers/replay/replay.js';
import type { Sample } from '../../drivers/types.js';
import { importFiles, parseImportSpec } from '../../src/record/import.js';
import { FakeClock } from '../drivers/fakeClock.js';
import { replayConfig } from '../drivers/replay/fixtures.js';
import { REPO } from '../helpers/cli.js';

const DEMO = join(REPO, 'config', 'demo');
const SHARED = join(REPO, '..', 'shared', 'data');
const START = 1_714_564_800_000_000_000n; // 2024-05-01T12:00:00Z
const MS = 1_000_000n;

async function drain(fields: Record<string, unknown>, clock?: FakeClock): Promise<Sample[]> {
  const driver = createReplayDriver(replayConfig({ realtime: false, ...fields }), { clock });
  await driver.start();
  const out: Sample[] = [];
  for await (const s of driver.samples()) out.push(s);
  await driver.stop();
  return out;
}

const bytes = (s: Sample) => Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength);

t.test('parseImportSpec', async (t) => {
  t.same(parseImportSpec('cam0=vision:a/b=c:d.png'), {
    sensor: 'cam0',
    modality: 'vision',
    path: 'a/b=c:d.png',
  });
  t.throws(() => parseImportSpec('cam0:vision=x'), {
    code: 'USAGE',
    message: /--sensor "cam0:vision=x" is not ID=MODALITY:PATH/,
  });
  t.throws(() => parseImportSpec('cam0=smell:x'), {
    code: 'USAGE',
    message: /MODALITY one of vision, audio, depth, thermal, imu/,
  });
});

t.test('demo files: the replayed session equals a replay of the files, timed from start', async (t) => {
  const out = join(t.testdir({}), 'demo.mcap');
  const thermalFiles = [join(DEMO, 'thermal_person.csv')];
  const result = await importFiles({
    out,
    start: START,
    window: 5,
    hop: 1,
    specs: [
      { sensor: 'thermal0', modality: 'thermal', path: thermalFiles[0] },
      { sensor: 'imu0', modality: 'imu', path: join(DEMO, 'imu_fall.csv') },
    ],
  });
  t.match(result, {
    files: { thermal0: 1, imu0: 1 },
    corruptRows: 0,
    skippedFiles: 0,
    stats: { dropped: 0 },
  });
  for (const [sensor, modality, file] of [
    ['thermal0', 'thermal', thermalFiles[0]],
    ['imu0', 'imu', join(DEMO, 'imu_fall.csv')],
  ] as const) {
    const fromMcap = await drain({ id: sensor, modality, files: [out] });
    const fromFiles = await drain(
      { id: sensor, modality, files: [file], realtime: true },
      new FakeClock({ start: Number(START / MS) }),
    );
    t.equal(fromMcap.length, fromFiles.length, `${sensor}: ${fromMcap.length} samples`);
    fromMcap.forEach((s, i) => {
      t.ok(bytes(s).equals(bytes(fromFiles[i])), `${sensor} ${i}: same data`);
      t.equal(s.t, fromFiles[i].t, `${sensor} ${i}: same capture time`);
    });
  }
});

t.test('a folder: its accepted files in name order, others skipped with a warning', async (t) => {
  const dir = t.testdir({ frames: { 'notes.txt': 'hi' } });
  copyFileSync(join(DEMO, 'vision_bright.png'), join(dir, 'frames', 'b.png'));
  copyFileSync(join(DEMO, 'vision_dark.png'), join(dir, 'frames', 'a.png'));
  const warnings: string[] = [];
  const out = join(dir, 'v.mcap');
  const result = await importFiles({
    out,
    start: START,
    rate: 2,
    specs: [{ sensor: 'cam0', modality: 'vision', path: join(dir, 'frames') }],
    onWarning: (m) => warnings.push(m),
  });
  t.equal(result.files.cam0, 2);
  t.match(warnings, [/notes\.txt skipped \(not \.jpg, \.jpeg, \.png, \.npy\)/]);
  const samples = await drain({ id: 'cam0', modality: 'vision', files: [out] });
  t.same(
    samples.map((s) => [s.t, s.meta?.file]),
    [
      [START, 'a.png'],
      [START + 500n * MS, 'b.png'],
    ],
  );
});

t.test(
  'shared datasets read in place: a 16-bit depth PNG and an ESC-50 WAV',
  { skip: !existsSync(SHARED) && 'no ../shared/data' },
  async (t) => {
    const out = join(t.testdir({}), 'shared.mcap');
    await importFiles({
      out,
      start: START,
      specs: [
        { sensor: 'depth0', modality: 'depth', path: join(SHARED, 'depth', 'tum_depth.png') },
        { sensor: 'mic0', modality: 'audio', path: join(SHARED, 'audio', 'esc50_siren_1-31482-A-42.wav') },
      ],
    });
    const depth = await drain({ id: 'depth0', modality: 'depth', files: [out] });
    t.match(depth, [{ format: 'z16_mm', width: 640, height: 480, t: START }]);
    const audio = await drain({ id: 'mic0', modality: 'audio', files: [out] });
    t.ok(audio.length >= 1);
    const { data, ...first } = audio[0];
    t.match(first, { kind: 'window', rate: 44100, channels: 1, t: START });
    t.equal(data.length, 5 * 44100, 'a 5 s window');
  },
);

t.test('refusals: nothing importable, a wrong extension, a duplicate id; no file left behind', async (t) => {
  const dir = t.testdir({ empty: {}, 'x.wav': 'not a wav' });
  const out = join(dir, 'o.mcap');
  await t.rejects(
    importFiles({
      out,
      start: START,
      specs: [{ sensor: 'a', modality: 'vision', path: join(dir, 'empty') }],
    }),
    {
      code: 'FILE_INVALID',
      message: /folder .*empty has no vision files/,
    },
  );
  await t.rejects(
    importFiles({ out, start: START, specs: [{ sensor: 'a', modality: 'imu', path: join(dir, 'x.wav') }] }),
    {
      message: /cannot import .*x\.wav as imu; use one of \.csv, \.npy/,
    },
  );
  await t.rejects(
    importFiles({ out, start: START, specs: [{ sensor: 'a', modality: 'audio', path: join(dir, 'x.wav') }] }),
    {
      message: /gave no sample to import/,
    },
  );
  t.notOk(existsSync(out), 'the failed import removed its file');
  const twice = { sensor: 'a', modality: 'audio' as const, path: join(DEMO, 'audio_siren.wav') };
  await t.rejects(importFiles({ out, start: START, specs: [twice, twice] }), {
    code: 'USAGE',
    message: /sensor id "a" is given twice/,
  });
});
