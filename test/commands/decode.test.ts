import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { bytesFromWords } from '../../drivers/thermal/mlx90640/registers.js';
import { decode } from '../../src/commands/decode.js';
import { MLX_DIR, melexisVector, readCsvNumbers } from '../drivers/thermal/vectors.js';
import { runCli } from '../helpers/cli.js';

const EE = join(MLX_DIR, 'eeprom_be.bin');
const F0 = join(MLX_DIR, 'frame0_ram_0x0400-0x073F_be.bin');
const F1 = join(MLX_DIR, 'frame1_ram_0x0400-0x073F_be.bin');
const base = {
  eeprom: undefined,
  frame: [] as string[],
  in: undefined,
  param: [] as string[],
  format: 'csv',
};

const parseCsv = (text: string): number[][] =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));

/** Largest |a − e| (a missing or NaN value counts as infinite); `skipZero` skips expected 0 (not computed). */
function maxDiff(actual: number[][], expected: number[][], skipZero = false): number {
  let max = 0;
  for (const [r, row] of expected.entries()) {
    for (const [c, e] of row.entries()) {
      if (skipZero && e === 0) continue;
      const d = Math.abs((actual[r]?.[c] ?? Number.NaN) - e);
      max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(max, d);
    }
  }
  return max;
}

t.test('mlx90640: the Melexis example EEPROM and two RAM dumps give the expected image', async (t) => {
  const csv = await decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: [F0, F1] });
  const rows = parseCsv(csv);
  t.same([rows.length, rows[0]?.length], [24, 32]);
  const expected = readCsvNumbers(join(MLX_DIR, 'expected_To_after_frame1.csv'));
  t.ok(maxDiff(rows, expected) <= 0.01, `max difference ${maxDiff(rows, expected)} °C`);
  const half = parseCsv(await decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: [F0] }));
  t.ok(
    maxDiff(half, readCsvNumbers(join(MLX_DIR, 'expected_To_after_frame0.csv')), true) <= 0.01,
    'after frame 0',
  );
  t.equal(half.flat().filter(Number.isNaN).length, 384, 'the other subpage is NaN until measured');
});

t.test('mlx90640: JSON output, 1668-byte frames with control and subpage, params', async (t) => {
  const v = melexisVector();
  const dir = t.testdir({});
  const files = await Promise.all(
    v.frames.map(async (words, i) => {
      const path = join(dir, `f${i}.bin`);
      await writeFile(path, bytesFromWords(words));
      return path;
    }),
  );
  const out = JSON.parse(
    await decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: files, format: 'json' }),
  ) as {
    width: number;
    height: number;
    frames: { subpage: number; ta: number }[];
    celsius: number[][];
  };
  t.same([out.width, out.height, out.frames.map((f) => f.subpage)], [32, 24, [0, 1]]);
  t.ok(maxDiff(out.celsius, readCsvNumbers(join(MLX_DIR, 'expected_To_after_frame1.csv'))) <= 0.01);
  const hotter = parseCsv(
    await decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: files, param: ['emissivity=0.9'] }),
  );
  t.ok((hotter[0]?.[0] ?? 0) > (out.celsius[0]?.[0] ?? 0), 'emissivity param applies');
});

t.test('amg8833: a 256-byte register block or the 128 pixel bytes', async (t) => {
  const block = Buffer.alloc(256);
  block.writeUInt16LE(0x190, 0x0e); // thermistor 25 °C
  for (let i = 0; i < 64; i++) block.writeUInt16LE(i === 9 ? 0xf9c : 0x064, 0x80 + 2 * i); // 25 °C, one at −25 °C
  const dir = t.testdir({});
  await writeFile(join(dir, 'regs.bin'), block);
  await writeFile(join(dir, 'pixels.bin'), block.subarray(0x80));
  await writeFile(join(dir, 'short.bin'), block.subarray(0, 10));
  const rows = parseCsv(await decode({ ...base, driver: 'amg8833', in: join(dir, 'regs.bin') }));
  t.same([rows.length, rows[1]?.[1], rows[0]?.[0]], [8, -25, 25]);
  const json = JSON.parse(
    await decode({ ...base, driver: 'amg8833', in: join(dir, 'regs.bin'), format: 'json' }),
  );
  t.equal(json.thermistor, 25);
  const pixelsOnly = JSON.parse(
    await decode({ ...base, driver: 'amg8833', in: join(dir, 'pixels.bin'), format: 'json' }),
  );
  t.equal(pixelsOnly.thermistor, undefined);
  t.equal(pixelsOnly.celsius[1][1], -25);
  await t.rejects(decode({ ...base, driver: 'amg8833', in: join(dir, 'short.bin') }), {
    code: 'FILE_INVALID',
    message: /10 bytes/,
  });
});

t.test('bad input: one clear message each', async (t) => {
  await t.rejects(decode({ ...base, driver: 'mlx90641' }), {
    code: 'USAGE',
    message: /decoders exist for: mlx90640, amg8833/,
  });
  await t.rejects(decode({ ...base, driver: 'mlx90640', frame: [F0] }), {
    code: 'USAGE',
    message: /needs --eeprom/,
  });
  await t.rejects(decode({ ...base, driver: 'amg8833', in: F0, eeprom: EE }), {
    code: 'USAGE',
    message: /does not take --eeprom/,
  });
  await t.rejects(
    decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: [F0], format: 'xml' }),
    /--format must be csv or json/,
  );
  await t.rejects(decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: ['/nonexistent.bin'] }), {
    code: 'FIXTURE_MISSING',
  });
  await t.rejects(
    decode({ ...base, driver: 'mlx90640', eeprom: F0, frame: [EE, join(MLX_DIR, 'README.md')] }),
    {
      code: 'FILE_INVALID',
      message: /frame 2 is \d+ bytes; expected 1664/,
    },
  );
  await t.rejects(
    decode({ ...base, driver: 'mlx90640', eeprom: EE, frame: [F0], param: ['emissivity'] }),
    /key=value/,
  );
});

t.test('the CLI: decode prints the image; bad input exits 64 with one line', async (t) => {
  const ok = await runCli(['decode', '--driver', 'mlx90640', '--eeprom', EE, '--frame', F0, '--frame', F1]);
  t.equal(ok.code, 0, ok.stderr);
  t.equal(ok.stdout.trim().split('\n').length, 24);
  const bad = await runCli(['decode', '--driver', 'nope']);
  t.equal(bad.code, 64);
  t.match(bad.stderr, /^bindsight: no decoder for driver "nope"/);
  t.equal(bad.stderr.trim().split('\n').length, 1);
});
