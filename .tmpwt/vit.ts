import { writeFileSync } from 'node:fs';
import { buildVitEncoder } from '../bench/vitEncoder.js';
import { OnnxSession } from '../src/encoders/session.js';
for (const [dim, depth, heads] of [[192, 4, 3], [384, 6, 6]]) {
  const t0 = performance.now();
  const bytes = buildVitEncoder({ size: 224, patch: 16, dim, depth, heads, embeddingDim: 1024 });
  writeFileSync('.tmpwt/vit.onnx', bytes);
  const s = await OnnxSession.open('.tmpwt/vit.onnx', ['cpu']);
  console.log('build+load', dim, depth, (performance.now() - t0).toFixed(0), 'ms', bytes.length);
  for (const b of [1, 8]) {
    const feed = { input: { dtype: 'float32' as const, data: new Float32Array(b * 3 * 224 * 224).map(() => Math.random()), dims: [b, 3, 224, 224] } };
    await s.run(feed);
    const t1 = performance.now();
    for (let i = 0; i < 5; i++) await s.run(feed);
    const per = (performance.now() - t1) / 5;
    const out = await s.run(feed);
    console.log(' batch', b, per.toFixed(1), 'ms/run', (per / b).toFixed(1), 'ms/sample', out.output.dims);
  }
  await s.close();
}
