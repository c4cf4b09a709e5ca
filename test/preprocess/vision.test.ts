/**
 * Vision against every golden case of ../shared/test-vectors/imagebind-preprocess (ImageBind
 * data.py:82-106 computed with Pillow 9.4 / torchvision 0.14), plus raw frames and bad input.
 */
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { BindsightError } from '../../src/errors.js';
import { centerCropOffset, shortSideSize } from '../../src/preprocess/geometry.js';
import { decodeImage8 } from '../../src/preprocess/raster.js';
import { normalizeRgb, preprocessVision, resizeAndCrop } from '../../src/preprocess/vision.js';
import { casesOf, diff, readGoldenBytes, readGoldenNpy, readParams, tolerance } from './goldens.js';

const P = IMAGEBIND_PREPROCESS.vision;
const TOL = tolerance('vision');

interface VisionGoldenParams {
  source_size_wh: [number, number];
  resized_size_wh: [number, number];
  crop_top_left: [number, number];
}

function encoded(id: string, bytes: Uint8Array, format: 'jpeg' | 'png'): Frame {
  return { kind: 'frame', sensor: id, modality: 'vision', t: 0n, width: 0, height: 0, format, data: bytes };
}

const worst = { meanAbs: 0, maxAbs: 0 };

t.test('golden cases', async (t) => {
  for (const c of casesOf('vision')) {
    await t.test(`${c.id} [${(c.edge_cases ?? []).join('; ')}]`, async (t) => {
      const p = readParams<VisionGoldenParams>(c);
      const [w, h] = p.source_size_wh;
      const size = shortSideSize(w, h, P.size);
      t.same([size.width, size.height], p.resized_size_wh, 'resized size (int(224·long/short))');
      const off = centerCropOffset(size.width, size.height, P.size);
      t.same([off.top, off.left], p.crop_top_left, 'crop offset (half to even)');

      const bytes = readGoldenBytes(c.input);
      const y = await preprocessVision(encoded(c.id, bytes, c.input.endsWith('.png') ? 'png' : 'jpeg'), P);
      const expected = readGoldenNpy(c.expected!);
      t.same(expected.shape, [3, P.size, P.size]);
      const d = diff(y, expected.data);
      worst.meanAbs = Math.max(worst.meanAbs, d.meanAbs);
      worst.maxAbs = Math.max(worst.maxAbs, d.maxAbs);
      t.ok(
        d.meanAbs <= TOL,
        `mean |Δ| ${d.meanAbs.toExponential(2)} ≤ ${TOL} (max ${d.maxAbs.toExponential(2)})`,
      );

      // The Pillow-resized, cropped uint8 image is reproduced bit for bit.
      const decoded = await decodeImage8(bytes, c.id);
      const rgb = { width: decoded.width, height: decoded.height, bands: 3 as const, data: toRgb(decoded) };
      const crop = resizeAndCrop(rgb, P.size);
      const want = readGoldenNpy(c.intermediates!.crop_u8.file);
      t.equal(diff(crop, want.data).maxAbs, 0, 'crop_u8 identical to Pillow');
    });
  }
  t.comment(
    `vision worst mean |Δ| ${worst.meanAbs.toExponential(3)}, max |Δ| ${worst.maxAbs.toExponential(3)}`,
  );
});

function toRgb(d: { width: number; height: number; channels: number; data: Uint8Array }): Uint8Array {
  const n = d.width * d.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) out[i * 3 + k] = d.data[i * d.channels + (d.channels >= 3 ? k : 0)];
  }
  return out;
}

t.test('raw rgb24 and gray8 frames give the same tensor as the encoded file', async (t) => {
  const c = casesOf('vision').find((x) => x.id === 'img_synth_gray_480x640')!;
  const bytes = readGoldenBytes(c.input);
  const d = await decodeImage8(bytes, c.id);
  const rgb = toRgb(d);
  const gray = new Uint8Array(d.width * d.height);
  for (let i = 0; i < gray.length; i++) gray[i] = rgb[i * 3];
  const frame = (format: 'rgb24' | 'gray8', data: Uint8Array): Frame => ({
    kind: 'frame',
    sensor: 'cam',
    modality: 'vision',
    t: 0n,
    width: d.width,
    height: d.height,
    format,
    data,
  });
  const want = readGoldenNpy(c.expected!).data;
  t.equal(diff(await preprocessVision(frame('rgb24', rgb), P), want).maxAbs, 0, 'rgb24');
  t.equal(diff(await preprocessVision(frame('gray8', gray), P), want).maxAbs, 0, 'gray8 replicated to RGB');
});

t.test('normalisation constants', async (t) => {
  const hwc = new Uint8Array([0, 128, 255]);
  const x = normalizeRgb(hwc, 1, P.mean, P.std);
  t.ok(Math.abs(x[0] - (0 - P.mean[0]) / P.std[0]) < 1e-6, 'R of 0');
  t.ok(Math.abs(x[2] - (1 - P.mean[2]) / P.std[2]) < 1e-6, 'B of 255');
});

t.test('bad input is refused with a clear error', async (t) => {
  const jpeg = readGoldenBytes(casesOf('vision')[0].input);
  const frame = (over: Partial<Frame>): Frame => ({
    kind: 'frame',
    sensor: 'cam0',
    modality: 'vision',
    t: 0n,
    width: 4,
    height: 4,
    format: 'rgb24',
    data: new Uint8Array(48),
    ...over,
  });
  await t.rejects(
    preprocessVision(frame({ format: 'jpeg', data: jpeg.subarray(0, jpeg.length >> 1) }), P),
    {
      code: 'FILE_INVALID',
      message: /cam0.*cannot decode/,
    },
    'truncated JPEG',
  );
  await t.rejects(
    preprocessVision(frame({ format: 'png', data: new Uint8Array(64).fill(7) }), P),
    {
      code: 'FILE_INVALID',
    },
    'garbage bytes',
  );
  await t.rejects(preprocessVision(frame({ format: 'jpeg', data: new Uint8Array(0) }), P), {
    code: 'PREPROCESS_INVALID',
    message: /no encoded bytes/,
  });
  await t.rejects(
    preprocessVision(frame({ data: new Uint8Array(47) }), P),
    {
      code: 'PREPROCESS_INVALID',
      message: /expected 48 values, got 47/,
    },
    'wrong data length',
  );
  await t.rejects(preprocessVision(frame({ width: 0 }), P), {
    code: 'PREPROCESS_INVALID',
    message: /width and height/,
  });
  await t.rejects(
    preprocessVision(frame({ format: 'z16_mm', data: new Uint16Array(16) }), P),
    {
      code: 'PREPROCESS_INVALID',
      message: /format 'z16_mm' is not an 8-bit image/,
    },
    'unknown format',
  );
  await t.rejects(
    preprocessVision(frame({ data: new Uint16Array(48) }), P),
    BindsightError,
    'wrong array type',
  );
});
