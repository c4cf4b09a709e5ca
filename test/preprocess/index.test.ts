import t from 'tap';
import type { Frame, Window } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS, type PreprocessParams } from '../../models/manifest.js';
import { preprocessedShape, preprocessSample } from '../../src/preprocess/index.js';

const frame = (over: Partial<Frame>): Frame => ({
  kind: 'frame',
  sensor: 's',
  modality: 'vision',
  t: 0n,
  width: 8,
  height: 6,
  format: 'rgb24',
  data: new Uint8Array(8 * 6 * 3).fill(90),
  ...over,
});
const window = (over: Partial<Window>): Window => ({
  kind: 'window',
  sensor: 's',
  modality: 'audio',
  t: 0n,
  rate: 16000,
  channels: 1,
  data: new Float32Array(16000),
  ...over,
});

t.test('dispatch by params.kind', async (t) => {
  const I = IMAGEBIND_PREPROCESS;
  const cases: Array<[PreprocessParams, Frame | Window]> = [
    [I.vision, frame({})],
    [
      I.thermal,
      frame({ modality: 'thermal', format: 'celsius_f32', data: new Float32Array(48).map((_, i) => 20 + i) }),
    ],
    [I.depth, frame({ modality: 'depth', format: 'z16_mm', data: new Uint16Array(48).fill(1500) })],
    [I.audio, window({})],
    [I.imu, window({ modality: 'imu', rate: 100, channels: 6, data: new Float32Array(600) })],
  ];
  for (const [p, s] of cases) {
    const y = await preprocessSample(s, p);
    const shape = preprocessedShape(p);
    t.equal(
      y.length,
      shape.reduce((a, b) => a * b, 1),
      `${p.kind} → [${shape.join(',')}]`,
    );
  }
  t.same(preprocessedShape(I.vision), [3, 224, 224]);
  t.same(preprocessedShape(I.audio), [3, 1, 128, 204]);
  t.same(preprocessedShape(I.imu), [6, 2000]);
});

t.test('wrong sample kind, text and unknown kinds are refused', async (t) => {
  await t.rejects(preprocessSample(window({}), IMAGEBIND_PREPROCESS.vision), {
    code: 'PREPROCESS_INVALID',
    message: /vision preprocessing needs a frame, got a window from 's'/,
  });
  await t.rejects(preprocessSample(frame({}), IMAGEBIND_PREPROCESS.audio), { message: /needs a window/ });
  const text: PreprocessParams = {
    kind: 'text',
    tokenizer: 'clip-bpe',
    vocab: 'v',
    contextLength: 77,
    sot: 1,
    eot: 2,
    pad: 0,
  };
  await t.rejects(preprocessSample(frame({}), text), { message: /text is not a sensor modality/ });
  await t.rejects(preprocessSample(frame({}), { kind: 'smell' } as unknown as PreprocessParams), {
    message: /unknown preprocess kind 'smell'/,
  });
});
