/**
 * Deterministic sensor Samples for every modality, run through bindsight's real preprocessing
 * (src/preprocess), so encoder benchmarks see inputs shaped and scaled as in the agent: a camera
 * picture, a 32×24 thermal array with a warm blob, a 640×480 depth map with an object before a wall,
 * 2 s of 16 kHz audio (tone + noise), a 5 s 200 Hz IMU window (walking-like motion).
 */
import type { Frame, Sample, SensorModality, Window } from '../drivers/types.js';
import type { PreprocessParams } from '../models/manifest.js';
import { mulberry32 } from '../models/onnx/random.js';
import { preprocessSample } from '../src/preprocess/index.js';
import { picture } from './packs.js';

const frame = (modality: SensorModality, o: Pick<Frame, 'width' | 'height' | 'format' | 'data'>): Frame => ({
  kind: 'frame',
  sensor: 'bench',
  modality,
  t: 0n,
  ...o,
});

const window = (modality: SensorModality, rate: number, channels: number, data: Float32Array): Window => ({
  kind: 'window',
  sensor: 'bench',
  modality,
  t: 0n,
  rate,
  channels,
  data,
});

/** Sample number `i` of `modality` (different i, different content). */
export function benchSample(modality: SensorModality, i: number): Sample {
  const rnd = mulberry32(1000 + i);
  switch (modality) {
    case 'vision':
      return frame('vision', { width: 320, height: 240, format: 'rgb24', data: picture(320, 240, i + 1) });
    case 'thermal': {
      const [cx, cy] = [4 + ((i * 5) % 24), 4 + ((i * 3) % 16)];
      const data = Float32Array.from({ length: 32 * 24 }, (_, k) => {
        const [x, y] = [k % 32, Math.floor(k / 32)];
        return 21 + 0.3 * rnd() + 14 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 12);
      });
      return frame('thermal', { width: 32, height: 24, format: 'celsius_f32', data });
    }
    case 'depth': {
      const [w, h] = [640, 480];
      const data = Uint16Array.from({ length: w * h }, (_, k) => {
        const [x, y] = [k % w, Math.floor(k / w)];
        const near = Math.abs(x - 160 - 40 * i) < 80 && Math.abs(y - 240) < 120;
        return near ? 600 + 100 * i : 3500;
      });
      return frame('depth', { width: w, height: h, format: 'z16_mm', data });
    }
    case 'audio': {
      const f = 220 * (i + 1);
      const data = Float32Array.from(
        { length: 32000 },
        (_, k) => 0.3 * Math.sin((2 * Math.PI * f * k) / 16000) + 0.05 * (rnd() - 0.5),
      );
      return window('audio', 16000, 1, data);
    }
    case 'imu': {
      const n = 1000;
      const data = new Float32Array(6 * n);
      for (let c = 0; c < 6; c++)
        for (let k = 0; k < n; k++)
          data[c * n + k] =
            (c === 2 ? 9.81 : 0) + (1 + i) * 0.5 * Math.sin((2 * Math.PI * 2 * k) / 200 + c) + 0.05 * rnd();
      return window('imu', 200, 6, data);
    }
  }
}

/** `n` preprocessed inputs of `modality` for an encoder with these preprocess parameters. */
export async function benchInputs(
  modality: SensorModality,
  params: PreprocessParams,
  n: number,
): Promise<Float32Array[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => preprocessSample(benchSample(modality, i), params)));
}
