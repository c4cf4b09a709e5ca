/**
 * The live page's views of samples: inferno's ends as matplotlib has them, thermal frames in
 * °C whatever their format, depth with invalid pixels black and near bright, camera frames as
 * they are, and windows as min/max envelopes.
 */
import sharp from 'sharp';
import t from 'tap';
import type { Frame, Window } from '../../drivers/types.js';
import { colourise, INFERNO, valueRange } from '../../src/observe/colormap.js';
import { renderFrame, windowPlot } from '../../src/observe/frames.js';

const rgb = (i: number) => [...INFERNO.subarray(i * 3, i * 3 + 3)];

function frame(over: Partial<Frame>): Frame {
  return {
    kind: 'frame',
    sensor: 's',
    modality: 'thermal',
    t: 0n,
    width: 2,
    height: 1,
    format: 'celsius_f32',
    data: new Float32Array(2),
    ...over,
  };
}

async function pixels(body: Buffer): Promise<number[][]> {
  const { data, info } = await sharp(body).raw().toBuffer({ resolveWithObject: true });
  return Array.from({ length: info.width * info.height }, (_, i) => [
    ...data.subarray(i * info.channels, i * info.channels + 3),
  ]);
}

t.test('inferno: matplotlib _inferno_data rows 0, 128 and 255, scaled to 0–255', async (t) => {
  t.same(rgb(0), [0, 0, 4]);
  t.same(rgb(128), [188, 55, 84]);
  t.same(rgb(255), [252, 255, 164]);
  t.equal(INFERNO.length, 768);
  t.same(
    valueRange([3, Number.NaN, -1, 0], (v) => v === 0),
    { min: -1, max: 3 },
  );
  t.equal(
    valueRange([0, 0], (v) => v === 0),
    undefined,
  );
  t.same([...colourise([Number.NaN], { min: 0, max: 1 })], [0, 0, 0], 'non-finite values are black');
});

t.test('thermal frames: colour-mapped over their range in °C', async (t) => {
  const c = await renderFrame(frame({ data: new Float32Array([20, 30]) }));
  t.match(c, { contentType: 'image/png', range: { min: 20, max: 30, unit: '°C' } });
  t.same(await pixels(c.body), [rgb(0), rgb(255)], 'coldest darkest, hottest brightest');
  const ck = await renderFrame(frame({ format: 'y16_ck', data: new Uint16Array([29315, 30315]) }));
  t.match(ck.range, { unit: '°C' });
  t.ok(Math.abs(ck.range!.min - 20) < 1e-3 && Math.abs(ck.range!.max - 30) < 1e-3, 'centikelvin → °C');
});

t.test('depth frames: 0 is black, near is bright', async (t) => {
  const d = await renderFrame(
    frame({ modality: 'depth', width: 3, format: 'z16_mm', data: new Uint16Array([0, 500, 1500]) }),
  );
  t.match(d.range, { min: 500, max: 1500, unit: 'mm' });
  t.same(await pixels(d.body), [[0, 0, 0], rgb(255), rgb(0)]);
});

t.test('camera frames: encoded bytes as they are, raw RGB as PNG; a short buffer is refused', async (t) => {
  const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  const passed = await renderFrame(frame({ modality: 'vision', format: 'png', data: new Uint8Array(png) }));
  t.equal(passed.contentType, 'image/png');
  t.ok(passed.body.equals(png), 'the same bytes');
  const raw = await renderFrame(
    frame({ modality: 'vision', format: 'rgb24', data: new Uint8Array([255, 0, 0, 0, 0, 255]) }),
  );
  t.same(await pixels(raw.body), [
    [255, 0, 0],
    [0, 0, 255],
  ]);
  await t.rejects(renderFrame(frame({ format: 'celsius_f32', data: new Float32Array(1) })), {
    code: 'FILE_INVALID',
    message: /2×1 has 1 values, expected 2/,
  });
});

t.test('windows: a min/max envelope per channel, IMU channels named', async (t) => {
  const data = new Float32Array(6 * 4);
  for (let c = 0; c < 6; c++) for (let i = 0; i < 4; i++) data[c * 4 + i] = c * 10 + i;
  const w: Window = { kind: 'window', sensor: 'imu0', modality: 'imu', t: 0n, rate: 2, channels: 6, data };
  const p = windowPlot(w, 2);
  t.same(p.labels, ['ax', 'ay', 'az', 'gx', 'gy', 'gz']);
  t.same(p.min[1], [10, 12]);
  t.same(p.max[1], [11, 13]);
  t.equal(p.seconds, 2);
  const audio = windowPlot(
    { ...w, modality: 'audio', channels: 1, data: new Float32Array([0.5, -0.5, 0.25]) },
    10,
  );
  t.same(audio.labels, ['ch0']);
  t.same(audio.min[0], [0.5, -0.5, 0.25], 'never more buckets than samples');
});
