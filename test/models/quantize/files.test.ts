/** `models quantize` on a pack folder: every model int8, pack.json rewritten, and the result verifies. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildRandomPack } from '../../../models/bench/pack.js';
import { quantizePack } from '../../../models/quantize/files.js';
import { verifyPack } from '../../../src/encoders/verify.js';

t.test('an fp32 pack becomes an int8 pack that loads and verifies', async (t) => {
  const root = t.testdir();
  const fp32 = join(root, 'fp32');
  const int8 = join(root, 'int8');
  await buildRandomPack(fp32, {
    modalities: ['vision', 'audio', 'imu'],
    size: { width: 128, depth: 2, heads: 4 },
  });
  const results = await quantizePack(fp32, int8, { perChannel: true });
  t.equal(results.length, 3);
  for (const r of results) {
    const stem = r.output.endsWith('imu.onnx') ? 1 : 0; // the IMU stem is a Linear, the others a Conv
    t.equal(
      r.report.quantized.length,
      9 + stem,
      `${r.output}: 4 per block × 2, the head (and a Linear stem)`,
    );
    t.ok(r.bytesOut * 2 < r.bytesIn, `${r.output}: ${r.bytesIn} → ${r.bytesOut} bytes`);
  }
  const manifest = JSON.parse(await readFile(join(int8, 'pack.json'), 'utf8'));
  t.equal(manifest.version, '1.0.0+int8');
  t.same(
    Object.values(manifest.modalities).map((m) => (m as { precision: string }).precision),
    ['int8', 'int8', 'int8'],
  );
  const r = await verifyPack(int8);
  t.same(r.problems, []);
  t.same(
    r.rows.map((row) => row.precision),
    ['int8', 'int8', 'int8'],
  );
  await t.rejects(quantizePack(fp32, fp32), { code: 'USAGE' });
  await t.rejects(quantizePack(join(root, 'none'), join(root, 'x')), { code: 'PACK_NOT_FOUND' });
});
