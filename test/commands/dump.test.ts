import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { I2CEmulator } from '../../drivers/i2c/emulator.js';
import { Amg8833Emulator } from '../../drivers/thermal/amg8833/emulator.js';
import { decode } from '../../src/commands/decode.js';
import { runDump } from '../../src/commands/dump.js';
import { FakeClock } from '../drivers/fakeClock.js';
import { mlxBench } from '../drivers/thermal/mlx90640/fixtures.js';
import { MLX_DIR, readCsvNumbers } from '../drivers/thermal/vectors.js';
import { runCli } from '../helpers/cli.js';

const CONFIG = `
sensors:
  - id: thermal0
    driver: mlx90640
    rate: 2
  - id: grid0
    driver: amg8833
    address: 0x68
  - id: cam
    driver: replay
    modality: vision
    files: [a.jpg]
`;

t.test('mlx90640: EEPROM + frames from the device decode to the Melexis image', async (t) => {
  const dir = t.testdir({ 'c.yaml': CONFIG });
  const b = mlxBench('auto');
  const out = join(dir, 'dump');
  const summary = await runDump(
    { sensor: 'thermal0', config: join(dir, 'c.yaml'), out, frames: 2 },
    { opener: b.emu.opener(), clock: b.clock },
  );
  t.match(summary, /wrote .*dump\.eeprom\.bin \(1664 bytes\)/);
  t.match(
    summary,
    /decode with: bindsight decode --driver mlx90640 --eeprom .*dump\.eeprom\.bin --frame .*dump\.frame0\.bin --frame .*dump\.frame1\.bin/,
  );
  t.equal((await readFile(`${out}.frame0.bin`)).length, 1668, 'RAM + control + subpage');
  t.same(
    await readFile(`${out}.eeprom.bin`),
    await readFile(join(MLX_DIR, 'eeprom_be.bin')),
    'the EEPROM bytes as on the bus',
  );
  const csv = await decode({
    driver: 'mlx90640',
    eeprom: `${out}.eeprom.bin`,
    frame: [`${out}.frame0.bin`, `${out}.frame1.bin`],
    param: ['emissivity=1'],
    format: 'csv',
    in: undefined,
  });
  const rows = csv
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  const expected = readCsvNumbers(join(MLX_DIR, 'expected_To_after_frame1.csv'));
  t.ok(
    expected.every((row, r) => row.every((e, c) => Math.abs((rows[r]?.[c] ?? Number.NaN) - e) <= 0.01)),
    'decoded image matches',
  );
  t.equal(b.emu.stats().openHandles, 0, 'the handle is closed');
});

t.test('amg8833: a 256-byte register block', async (t) => {
  const dir = t.testdir({ 'c.yaml': CONFIG });
  const clock = new FakeClock();
  const emu = new I2CEmulator({ clock });
  emu.attach(
    0x68,
    new Amg8833Emulator({ clock, scene: () => Array.from({ length: 64 }, (_, i) => 20 + i / 4) }),
  );
  const out = join(dir, 'regs.bin');
  await runDump({ sensor: 'grid0', config: join(dir, 'c.yaml'), out }, { opener: emu.opener(), clock });
  const json = JSON.parse(
    await decode({ driver: 'amg8833', in: out, frame: [], param: [], format: 'json', eeprom: undefined }),
  );
  t.equal(json.thermistor, 24);
  t.same(json.celsius[7], [34, 34.25, 34.5, 34.75, 35, 35.25, 35.5, 35.75]);
});

t.test('refusals: unknown sensor, a driver dump does not support, no device', async (t) => {
  const dir = t.testdir({ 'c.yaml': CONFIG });
  const config = join(dir, 'c.yaml');
  const out = join(dir, 'x');
  const emu = new I2CEmulator();
  await t.rejects(runDump({ sensor: 'nope', config, out }, { opener: emu.opener() }), {
    code: 'USAGE',
    message: /its sensors: thermal0, grid0, cam/,
  });
  await t.rejects(runDump({ sensor: 'cam', config, out }, { opener: emu.opener() }), {
    code: 'USAGE',
    message: /dump supports: mlx90640, amg8833/,
  });
  await t.rejects(
    runDump({ sensor: 'thermal0', config, out, frames: 0 }, { opener: emu.opener() }),
    /--frames must be/,
  );
  await t.rejects(runDump({ sensor: 'thermal0', config, out }, { opener: emu.opener() }), {
    code: 'SENSOR_FAILED',
    message: /mlx90640 "thermal0" on \/dev\/i2c-1 at 0x33: ENXIO/,
  });
  const cli = await runCli(['dump', 'thermal0', '--config', join(dir, 'missing.yaml'), '--out', out]);
  t.equal(cli.code, 78);
  t.match(cli.stderr, /^bindsight: config file not found/);
});
