/**
 * Thermal against every golden case (conventions §3): LLVIP and Seek 8-bit images via
 * Pillow convert("L"), MLX90640 and Omron °C frames and a 16-bit centikelvin PNG via per-frame
 * min–max; plus the 8-bit intermediates and bad input.
 */
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { decodeImage16 } from '../../src/preprocess/raster.js';
import {
  centikelvinToCelsius,
  minMaxToU8,
  preprocessThermal,
  thermalFromValues,
  widenFloat32,
} from '../../src/preprocess/thermal.js';
import { readMlx90640, readOmronRow } from './datasets.js';
import {
  casesOf,
  diff,
  type GoldenCase,
  readGoldenBytes,
  readGoldenNpy,
  readParams,
  tolerance,
} from './goldens.js';

const P = IMAGEBIND_PREPROCESS.thermal;
const TOL = tolerance('thermal');

interface ThermalGoldenParams {
  frame_shape_hw?: [number, number];
  u8_frame?: number[][] | null;
  row_index?: number;
  resized_size_wh: [number, number];
}

function frame(over: Partial<Frame>): Frame {
  return {
    kind: 'frame',
    sensor: 'thermal0',
    modality: 'thermal',
    t: 0n,
    width: 0,
    height: 0,
    format: 'gray8',
    data: new Uint8Array(0),
    ...over,
  };
}

/** The golden input as the Frame a driver would produce, plus the float64 values for min–max cases. */
async function load(
  c: GoldenCase,
  p: ThermalGoldenParams,
): Promise<{ frame: Frame; values?: number[] | Float64Array; w: number; h: number }> {
  if (c.input.endsWith('.jpg'))
    return { frame: frame({ format: 'jpeg', data: readGoldenBytes(c.input) }), w: 0, h: 0 };
  if (c.input.endsWith('.png')) {
    const img = await decodeImage16(readGoldenBytes(c.input), c.id);
    const f = frame({ format: 'y16_ck', width: img.width, height: img.height, data: img.data });
    return { frame: f, values: centikelvinToCelsius(img.data), w: img.width, h: img.height };
  }
  const grid = c.input.includes('omron') ? readOmronRow(c.input, p.row_index!) : readMlx90640(c.input);
  const f = frame({
    format: 'celsius_f32',
    width: grid.width,
    height: grid.height,
    data: Float32Array.from(grid.values),
  });
  return { frame: f, values: grid.values, w: grid.width, h: grid.height };
}

const worst = { meanAbs: 0, maxAbs: 0 };

t.test('golden cases', async (t) => {
  for (const c of casesOf('thermal')) {
    await t.test(`${c.id} [${(c.edge_cases ?? []).join('; ')}]`, async (t) => {
      const p = readParams<ThermalGoldenParams>(c);
      const input = await load(c, p);
      const expected = readGoldenNpy(c.expected!);
      t.same(expected.shape, [1, P.size, P.size]);
      const y = await preprocessThermal(input.frame, P);
      const d = diff(y, expected.data);
      worst.meanAbs = Math.max(worst.meanAbs, d.meanAbs);
      worst.maxAbs = Math.max(worst.maxAbs, d.maxAbs);
      t.ok(
        d.meanAbs <= TOL,
        `mean |Δ| ${d.meanAbs.toExponential(2)} ≤ ${TOL} (max ${d.maxAbs.toExponential(2)})`,
      );
      if (input.values) {
        // The float64 path (as the goldens: °C parsed as doubles) is exact, 8-bit frame included.
        const u8 = minMaxToU8(input.values);
        if (p.u8_frame) t.same(Array.from(u8), p.u8_frame.flat(), 'u8 frame (params)');
        const fu8 = c.intermediates?.frame_u8;
        if (fu8) t.equal(diff(u8, readGoldenNpy(fu8.file).data).maxAbs, 0, 'u8 frame identical (frame_u8)');
        const exact = thermalFromValues(input.values, input.w, input.h, P);
        t.equal(diff(exact, expected.data).maxAbs, 0, 'float64 path: identical tensor');
      } else {
        t.equal(d.maxAbs, 0, 'identical tensor (Pillow convert("L") + bicubic port)');
      }
    });
  }
  t.comment(
    `thermal worst mean |Δ| ${worst.meanAbs.toExponential(3)}, max |Δ| ${worst.maxAbs.toExponential(3)}`,
  );
});

t.test('float32 °C are read as the decimals they came from', async (t) => {
  t.same(
    Array.from(widenFloat32(Float32Array.from([22.4, 25.70306, 0.1, 1e-30]))),
    [22.4, 25.70306, 0.1, 1e-30],
  );
  const x = Math.fround(1 / 3);
  t.equal(widenFloat32(Float32Array.from([x]))[0], x, 'no 7-digit decimal: unchanged');
});

t.test('min–max rule', async (t) => {
  t.same(Array.from(minMaxToU8([20, 20, 20])), [0, 0, 0], 'flat frame → all 0');
  t.same(Array.from(minMaxToU8([0, 0.5, 1, 1 / 510])), [0, 128, 255, 1], 'floor(x·255 + 0.5), half up');
  const y = thermalFromValues([10, 20, 30, 40], 2, 2, P);
  t.equal(y.length, P.size * P.size);
  t.ok(
    y.every((v) => v >= 0 && v <= 1),
    'values in [0, 1]',
  );
  const g16 = await preprocessThermal(
    frame({ format: 'gray16', width: 2, height: 2, data: new Uint16Array([1000, 2000, 3000, 4000]) }),
    P,
  );
  t.same(g16, y, 'gray16 counts use the same rule');
});

t.test('bad input is refused with a clear error', async (t) => {
  await t.rejects(
    preprocessThermal(
      frame({ format: 'celsius_f32', width: 2, height: 2, data: new Float32Array([1, Number.NaN, 3, 4]) }),
      P,
    ),
    {
      code: 'PREPROCESS_INVALID',
      message: /thermal0.*sample 1 is NaN/,
    },
  );
  await t.rejects(
    preprocessThermal(frame({ format: 'celsius_f32', width: 2, height: 2, data: new Float32Array(3) }), P),
    {
      message: /expected 4 values, got 3/,
    },
  );
  await t.rejects(
    preprocessThermal(frame({ format: 'y16_ck', width: 2, height: 2, data: new Float32Array(4) }), P),
    {
      message: /y16_ck data must be a Uint16Array/,
    },
  );
  await t.rejects(
    preprocessThermal(frame({ format: 'z16_mm', width: 2, height: 2, data: new Uint16Array(4) }), P),
    {
      message: /depth format/,
    },
  );
  await t.rejects(
    preprocessThermal(frame({ format: 'jpeg', data: new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]) }), P),
    {
      code: 'FILE_INVALID',
    },
  );
  await t.rejects(
    preprocessThermal(frame({ format: 'celsius_f32', width: 0, height: 0, data: new Float32Array(0) }), P),
    {
      message: /width and height/,
    },
  );
});
