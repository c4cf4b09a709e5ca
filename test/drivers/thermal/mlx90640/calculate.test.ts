import { join } from 'node:path';
import t from 'tap';
import {
  ambientTemperature,
  calculateTo,
  inSubpage,
  supplyVoltage,
} from '../../../../drivers/thermal/mlx90640/calculate.js';
import { extractParameters, signed } from '../../../../drivers/thermal/mlx90640/eeprom.js';
import { MLX_DIR, melexisVector, readCsvNumbers, signaloidCapture } from '../vectors.js';

const TOLERANCE_C = 0.01;

/** Largest |a − e| over the pixels where `e` is computed (non-zero), and how many were compared. */
function maxDiff(
  actual: ArrayLike<number>,
  expected: readonly number[],
): { max: number; n: number; at: number } {
  let max = 0;
  let n = 0;
  let at = -1;
  expected.forEach((e, i) => {
    if (e === 0) return;
    n++;
    const d = Math.abs((actual[i] ?? Number.NaN) - e);
    if (!(d <= max)) {
      max = d;
      at = i;
    }
  });
  return { max, n, at };
}

t.test('Melexis example: all 768 temperatures within 0.01 °C after frame 0 then frame 1', async (t) => {
  const v = melexisVector();
  const params = extractParameters(v.eeprom);
  const image = new Float32Array(768).fill(Number.NaN);
  const csv = ['expected_To_after_frame0.csv', 'expected_To_after_frame1.csv'].map((f) =>
    readCsvNumbers(join(MLX_DIR, f)).flat(),
  );
  for (const [k, frame] of v.frames.entries()) {
    const r = calculateTo(frame, params, { emissivity: v.emissivity }, image);
    t.equal(r.subpage, k, `frame ${k} is subpage ${k}`);
    t.same(csv[k], v.expected[k], `the CSV and the JSON hold the same expected values after frame ${k}`);
    const d = maxDiff(image, v.expected[k] ?? []);
    t.equal(d.n, k === 0 ? 384 : 768, `${d.n} pixels compared after frame ${k}`);
    t.ok(d.max <= TOLERANCE_C, `max |error| ${d.max.toFixed(5)} °C (pixel ${d.at}) after frame ${k}`);
  }
  // Plausibility numbers from the vector README (not authoritative): Vdd 3.3044/3.2925 V, Ta 33.882/33.990 °C.
  t.ok(Math.abs(supplyVoltage(v.frames[0]!, params) - 3.3044) < 0.0005);
  t.ok(Math.abs(ambientTemperature(v.frames[1]!, params) - 33.99) < 0.0005);
});

t.test('a subpage only writes its own pixels: chess and interleaved patterns', async (t) => {
  const chess = Array.from({ length: 768 }, (_, i) => inSubpage(i, 0, true));
  t.same(
    [chess[0], chess[1], chess[32], chess[33]],
    [true, false, false, true],
    'chess: (row+col) even is subpage 0',
  );
  const il = Array.from({ length: 768 }, (_, i) => inSubpage(i, 1, false));
  t.same(
    [il[0], il[31], il[32], il[63], il[64]],
    [false, false, true, true, false],
    'interleaved: odd rows are subpage 1',
  );
  const v = melexisVector();
  const params = extractParameters(v.eeprom);
  const frame = [...(v.frames[1] ?? [])];
  frame[832] = 0x0901; // interleaved, same rate and resolution
  const out = new Float64Array(768).fill(Number.NaN);
  calculateTo(frame, params, { emissivity: 1 }, out);
  const written = out.map((x) => (Number.isNaN(x) ? 0 : 1));
  t.equal(
    written.reduce((a, b) => a + b, 0),
    384,
    'half the pixels',
  );
  t.ok(
    written.every((w, i) => w === (Math.floor(i / 32) % 2 === 1 ? 1 : 0)),
    'exactly the odd rows',
  );
  // Interleaved data on a chess-calibrated chip uses the ilChessC corrections: still near the chess result.
  const d = maxDiff(
    out,
    (v.expected[1] ?? []).map((e, i) => (Math.floor(i / 32) % 2 === 1 ? e : 0)),
  );
  t.ok(d.max < 1.5, `interleaved read of the same data stays within 1.5 °C (${d.max.toFixed(2)})`);
});

t.test('emissivity and reflected temperature change the result the way the physics says', async (t) => {
  const v = melexisVector();
  const params = extractParameters(v.eeprom);
  const frame = v.frames[1]!;
  const at = (o: { emissivity: number; reflected?: number }): number => {
    const out = new Float64Array(768);
    calculateTo(frame, params, o, out);
    return out[401]!; // row 12, column 17: chess subpage 1, the frame's subpage
  };
  const base = at({ emissivity: 1 });
  t.ok(
    Math.abs(at({ emissivity: 1, reflected: 0 }) - base) < 1e-9,
    'with e = 1 the reflected temperature has no effect',
  );
  t.ok(
    at({ emissivity: 0.95 }) > base,
    'a lower emissivity means a hotter object for the same radiance (scene above Tr)',
  );
  t.ok(
    at({ emissivity: 0.9, reflected: 60 }) < at({ emissivity: 0.9, reflected: 0 }),
    'a hotter background reflects more',
  );
});

t.test('datasheet worked example (§11.2): Vdd, Ta, Kgain, pix_os; To within ±0.5 °C', async (t) => {
  const ds = (await import(join(MLX_DIR, 'datasheet_worked_example.json'), { with: { type: 'json' } }))
    .default as {
    eeprom: { words_0x2410_to_0x243F_hex: string[] };
    expected_extracted_parameters: Record<string, number | number[]>;
    expected_intermediate_values: Record<string, number | string>;
  };
  const ee = new Array<number>(832).fill(0x08a0);
  for (let i = 0; i < 16; i++) ee[i] = 0;
  ds.eeprom.words_0x2410_to_0x243F_hex.forEach((h, i) => {
    ee[0x10 + i] = Number.parseInt(h, 16);
  });
  const p = extractParameters(ee);
  const x = ds.expected_extracted_parameters;
  for (const k of [
    'resolutionEE',
    'kVdd',
    'vdd25',
    'KtPTAT',
    'vPTAT25',
    'alphaPTAT',
    'gainEE',
    'cpKta',
    'cpKv',
    'KsTa',
    'tgc',
  ]) {
    t.ok(Math.abs((p as unknown as Record<string, number>)[k]! - (x[k] as number)) < 1e-6, `${k}`);
  }
  t.ok(Math.abs(p.KvPTAT - (x.KvPTAT as number)) < 1e-8, 'KvPTAT');
  t.same(p.cpOffset, x.cpOffset, 'cpOffset');
  t.ok(
    Math.abs(p.cpAlpha[0] / (x.cpAlpha as number[])[0]! - 1) < 1e-9 &&
      Math.abs(p.cpAlpha[1] / (x.cpAlpha as number[])[1]! - 1) < 1e-9,
    'cpAlpha',
  );
  const pixel = 11 * 32 + 15; // row 12, column 16 (1-based)
  t.equal(p.kta[pixel], x.pixel_12_16_kta, 'pixel kta');
  t.equal(p.kv[pixel], x.pixel_12_16_kv, 'pixel kv');
  const frame = new Array<number>(834).fill(0x0261);
  const aux: Record<number, number> = {
    0: 0x4bf2,
    8: 0xffca,
    10: 0x1881,
    32: 0x06af,
    40: 0xffc8,
    42: 0xccc5,
  };
  for (let a = 0; a < 64; a++) frame[768 + a] = aux[a] ?? 0;
  frame[832] = 0x1901;
  frame[833] = 0; // the pixel (row 11 + col 15 even) is in chess subpage 0
  const iv = ds.expected_intermediate_values;
  const vdd = supplyVoltage(frame, p);
  t.ok(Math.abs(vdd - (iv.Vdd_V as number)) < 0.0005, `Vdd ${vdd}`);
  // The datasheet's own figures are rounded along the way: agreement to 1e-4 °C and 5e-4 counts.
  const ta = ambientTemperature(frame, p, vdd);
  t.ok(Math.abs(ta - (iv.Ta_C as number)) < 1e-4, `Ta ${ta}`);
  const kgain = p.gainEE / signed(frame[778]!, 16);
  t.ok(Math.abs(kgain - (iv.Kgain as number)) < 1e-12, `Kgain ${kgain}`);
  const pixOs =
    609 * kgain - p.offset[pixel]! * (1 + p.kta[pixel]! * (ta - 25)) * (1 + p.kv[pixel]! * (vdd - 3.3));
  t.ok(Math.abs(pixOs - (iv.pix_os_datasheet as number)) < 5e-4, `pix_os ${pixOs}`);
  const out = new Float64Array(768);
  calculateTo(frame, p, { emissivity: 1, reflected: iv.Tr_C_used_in_example as number }, out);
  t.ok(
    Math.abs(out[pixel]! - (iv.To_C as number)) < 0.5,
    `To ${out[pixel]!.toFixed(3)} within ±0.5 °C of ${iv.To_C} (README §2 caveat)`,
  );
});

t.test(
  'Signaloid real capture (16-bit ADC, resolution correction ×4): README cross-check values',
  async (t) => {
    const cap = signaloidCapture();
    t.equal(cap.eeprom.length, 832);
    t.same(
      cap.frames.map((f) => f.length),
      [834, 834],
    );
    const p = extractParameters(cap.eeprom);
    t.same(
      [p.kVdd, p.vdd25, p.KtPTAT, p.vPTAT25, p.gainEE, p.tgc, p.resolutionEE],
      [-2880, -11968, 42.75, 12196, 6010, 0, 2],
    );
    t.same(p.ct, [-40, 0, 120, 240]);
    t.same(p.cpOffset, [-67, -62]);
    t.same(p.ilChessC, [1.0625, 3.5, -0.125]);
    const image = new Float64Array(768).fill(Number.NaN);
    const results = [...cap.frames].reverse().map((f) => calculateTo(f, p, { emissivity: 1 }, image));
    for (const r of results) {
      t.ok(Math.abs(r.vdd - 3.3167) < 0.001, `Vdd ${r.vdd.toFixed(4)}`);
      t.ok(Math.abs(r.ta - 25.75) < 0.01, `Ta ${r.ta.toFixed(3)}`);
    }
    const values = Array.from(image);
    const close = (a: number, b: number): boolean => Math.abs(a - b) < 0.01;
    t.ok(close(Math.min(...values), 20.85), `min ${Math.min(...values).toFixed(3)}`);
    t.ok(close(Math.max(...values), 48.24), `max ${Math.max(...values).toFixed(3)}`);
    t.equal(values.indexOf(Math.max(...values)), 100, 'hottest pixel');
    t.ok(close(values.reduce((a, b) => a + b, 0) / 768, 26.54), 'mean');
    t.ok(
      close(image[0]!, 22.99) && close(image[400]!, 27.8) && close(image[767]!, 21.74),
      'pixels 0, 400, 767',
    );
  },
);
