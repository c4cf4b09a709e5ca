import t from 'tap';
import { extractParameters, signed } from '../../../../drivers/thermal/mlx90640/eeprom.js';
import { expectedParams, melexisVector } from '../vectors.js';

/** Relative agreement; the spreadsheet prints 4–12 significant digits. */
function close(actual: number, expected: number, rel: number): boolean {
  if (expected === 0) return Math.abs(actual) < 1e-12;
  return Math.abs(actual / expected - 1) <= rel;
}

t.test('signed(): n-bit two’s complement', async (t) => {
  t.same(
    [signed(0x7, 4), signed(0x8, 4), signed(0xf, 4), signed(0x3f, 6), signed(0xffff, 16), signed(0x7fff, 16)],
    [7, -8, -1, -1, -1, 32767],
  );
});

t.test('Melexis example EEPROM: every parameter of sheet "Parameters extract"', async (t) => {
  const p = extractParameters(melexisVector().eeprom);
  const e = expectedParams();
  const scalars = [
    'kVdd',
    'vdd25',
    'vPTAT25',
    'gainEE',
    'resolutionEE',
    'calibrationModeEE',
    'KtPTAT',
    'alphaPTAT',
    'tgc',
    'cpKv',
  ];
  for (const k of scalars) t.equal((p as unknown as Record<string, number>)[k], e[k], k);
  // Printed to 4 significant digits in the sheet.
  for (const k of ['KvPTAT', 'cpKta', 'KsTa']) {
    t.ok(close((p as unknown as Record<string, number>)[k]!, e[k] as number, 5e-4), `${k}`);
  }
  t.ok(
    (p.ksTo as number[]).every((v, i) => close(v, (e.ksTo as number[])[i]!, 2e-3)),
    'ksTo',
  );
  t.same(p.ct, e.ct, 'ct');
  t.same(p.cpOffset, e.cpOffset, 'cpOffset');
  t.same(p.ilChessC, e.ilChessC, 'ilChessC');
  t.ok(
    p.cpAlpha.every((v, i) => close(v, (e.cpAlpha as number[])[i]!, 1e-9)),
    'cpAlpha',
  );
  const tables: [string, ArrayLike<number>, number][] = [
    ['offset', p.offset, 0],
    ['alpha', p.alpha, 1e-9],
    ['kta', p.kta, 1e-5],
    ['kv', p.kv, 0],
  ];
  for (const [name, actual, rel] of tables) {
    const expected = e[name] as number[];
    t.equal(expected.length, 768, `${name}: 768 expected values`);
    const bad = expected.findIndex((x, i) => !close(actual[i]!, x, rel));
    t.equal(
      bad,
      -1,
      `${name}: all 768 pixels${bad >= 0 ? ` (first mismatch at ${bad}: ${actual[bad]} vs ${expected[bad]})` : ''}`,
    );
  }
  t.same(p.brokenPixels, [], 'no broken pixels (the sheet lists 0xFFFF = none)');
  t.same(p.outlierPixels, [], 'no outlier pixels');
});

t.test('broken (word 0) and outlier (bit 0) pixels are listed', async (t) => {
  const ee = [...melexisVector().eeprom];
  ee[0x40 + 5] = 0;
  ee[0x40 + 700] = (ee[0x40 + 700] ?? 0) | 1;
  const p = extractParameters(ee);
  t.same(p.brokenPixels, [5]);
  t.same(p.outlierPixels, [700]);
});
