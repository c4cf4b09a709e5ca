/**
 * Depth against every golden case (conventions §4): TUM (/5000), UR Fall (6000·v/65535 mm) and
 * NYU raw Kinect disparity PGM; metres → disparity → DepthNorm → bilinear → crop → normalise.
 */
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { resizeBilinear } from '../../src/preprocess/bilinear.js';
import { depthFromMetres, preprocessDepth } from '../../src/preprocess/depth.js';
import { decodeImage16 } from '../../src/preprocess/raster.js';
import { DEPTH_UNITS, readNyuPgm } from './datasets.js';
import { casesOf, diff, readGoldenBytes, readGoldenNpy, readParams, tolerance } from './goldens.js';

const P = IMAGEBIND_PREPROCESS.depth;
const TOL = tolerance('depth');

interface DepthGoldenParams {
  baseline_m: number;
  focal_px: number;
  invalid_fraction: number;
  decode: { units: string };
}

const worst = { meanAbs: 0, maxAbs: 0 };

function frame(over: Partial<Frame>): Frame {
  return {
    kind: 'frame',
    sensor: 'depth0',
    modality: 'depth',
    t: 0n,
    width: 2,
    height: 2,
    format: 'z16_mm',
    data: new Uint16Array(4),
    ...over,
  };
}

t.test('golden cases', async (t) => {
  for (const c of casesOf('depth')) {
    await t.test(`${c.id} [${(c.edge_cases ?? []).join('; ')}]`, async (t) => {
      const p = readParams<DepthGoldenParams>(c);
      const expected = readGoldenNpy(c.expected!);
      t.same(expected.shape, [1, P.size, P.size]);
      const intr = { baselineM: p.baseline_m, focalPx: p.focal_px };
      let y: Float32Array;
      let metres: ArrayLike<number>;
      if (p.decode.units === 'nyu_kinect_disparity_pgm_le') {
        const nyu = readNyuPgm(c.input);
        metres = nyu.metres;
        y = depthFromMetres(nyu.metres, nyu.width, nyu.height, P, intr, c.id);
        t.same(
          depthFromMetres(nyu.metres, nyu.width, nyu.height, P),
          y,
          "the defaults are the goldens' Kinect v1 intrinsics",
        );
      } else {
        // The driver path: 16-bit steps with their unit in frame.meta.
        const unit = DEPTH_UNITS[p.decode.units];
        const img = await decodeImage16(readGoldenBytes(c.input), c.id);
        metres = Float64Array.from(img.data, (v) => v * unit);
        const meta = { depth_unit_m: unit, baseline_m: p.baseline_m, focal_px: p.focal_px };
        y = await preprocessDepth(frame({ width: img.width, height: img.height, data: img.data, meta }), P);
        const png = await preprocessDepth(frame({ format: 'png', data: readGoldenBytes(c.input), meta }), P);
        t.same(png, y, 'a 16-bit PNG frame gives the same tensor');
      }
      const m = readGoldenNpy(c.intermediates!.depth_m.file);
      t.ok(diff(metres, m.data).maxAbs < 1e-5, 'decoded metres match depth_m');
      let invalid = 0;
      for (let i = 0; i < metres.length; i++) if (!(metres[i] > 0)) invalid++;
      t.ok(
        Math.abs(invalid / metres.length - p.invalid_fraction) < 1e-9,
        `invalid fraction ${p.invalid_fraction.toFixed(3)}`,
      );
      const d = diff(y, expected.data);
      worst.meanAbs = Math.max(worst.meanAbs, d.meanAbs);
      worst.maxAbs = Math.max(worst.maxAbs, d.maxAbs);
      t.ok(
        d.meanAbs <= TOL,
        `mean |Δ| ${d.meanAbs.toExponential(2)} ≤ ${TOL} (max ${d.maxAbs.toExponential(2)})`,
      );
    });
  }
  t.comment(
    `depth worst mean |Δ| ${worst.meanAbs.toExponential(3)}, max |Δ| ${worst.maxAbs.toExponential(3)}`,
  );
});

t.test('rule details', async (t) => {
  const far = (0.075 * 518.857901) / 50 / 75;
  const kinect = { baselineM: 0.075, focalPx: 518.857901 };
  const y = depthFromMetres([0, Number.NaN, -1, 50], 2, 2, P, kinect);
  const want = (Math.fround(far) - 0.0418) / 0.0295;
  t.ok(
    y.every((v) => Math.abs(v - want) < 1e-5),
    'invalid (0, NaN, negative) → 50 m, normalised ≈ -1.065',
  );
  t.ok(Math.abs(want - -1.065) < 1e-3);
  const near = depthFromMetres([0.001, 0.001, 0.001, 0.001], 2, 2, P, kinect);
  t.ok(
    near.every((v) => Math.abs(v - (1 - 0.0418) / 0.0295) < 1e-4),
    'depth clipped at 0.01 m, disparity clamped at 75',
  );
  const wide = depthFromMetres(new Float64Array(1280 * 2).fill(2), 1280, 2, P);
  const narrow = depthFromMetres(new Float64Array(640 * 2).fill(2), 640, 2, P);
  t.ok(Math.abs(wide[0] - narrow[0]) > 0.1, 'default focal length scales with W/640');
  const custom = depthFromMetres([2, 2, 2, 2], 2, 2, P, { baselineM: 0.095, focalPx: 600 });
  t.ok(
    Math.abs(custom[0] - (Math.fround((0.095 * 600) / 2 / 75) - 0.0418) / 0.0295) < 1e-4,
    'intrinsics override',
  );
});

t.test('bilinear resize (align_corners = False, no antialias)', async (t) => {
  t.same(
    resizeBilinear(Float32Array.from([1, 2, 3, 4]), 2, 2, 2, 2),
    Float32Array.from([1, 2, 3, 4]),
    'identity',
  );
  // 2 → 4: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (i1 clamped to the edge).
  t.same(Array.from(resizeBilinear(Float32Array.from([0, 4]), 2, 1, 4, 1)), [0, 1, 3, 4]);
  // 4 → 2: sources 0.5 and 2.5, no antialiasing.
  t.same(Array.from(resizeBilinear(Float32Array.from([0, 10, 20, 30]), 4, 1, 2, 1)), [5, 25]);
});

t.test('bad input is refused with a clear error', async (t) => {
  await t.rejects(preprocessDepth(frame({ data: new Uint16Array(3) }), P), {
    code: 'PREPROCESS_INVALID',
    message: /depth0.*expected 4 values, got 3/,
  });
  await t.rejects(preprocessDepth(frame({ data: new Float32Array(4) }), P), {
    message: /z16_mm data must be a Uint16Array/,
  });
  await t.rejects(preprocessDepth(frame({ format: 'rgb24', data: new Uint8Array(12) }), P), {
    message: /format 'rgb24' is not depth/,
  });
  await t.rejects(preprocessDepth(frame({ meta: { depth_unit_m: -1 } }), P), {
    message: /meta.depth_unit_m must be a positive number/,
  });
  await t.rejects(preprocessDepth(frame({ format: 'png', data: new Uint8Array(10) }), P), {
    code: 'FILE_INVALID',
  });
  t.throws(() => depthFromMetres([1, Number.POSITIVE_INFINITY, 1, 1], 2, 2, P), {
    message: /pixel 1 is Infinity/,
  });
});
