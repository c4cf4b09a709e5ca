import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { GraphBuilder } from '../../models/onnx/graph.js';
import { Ops } from '../../models/onnx/ops.js';
import { describeFeeds, OnnxSession } from '../../src/encoders/session.js';

/** y = x + 1 on float32 [batch, 3]; written to `dir`/add.onnx. */
async function addOne(dir: string): Promise<{ file: string; bytes: Uint8Array }> {
  const g = new GraphBuilder({ name: 'add' });
  const op = new Ops(g);
  const x = g.input('x', 'float32', ['batch', 3]);
  g.output(op.add(x, 1), 'y', 'float32', ['batch', 3]);
  const file = join(dir, 'add.onnx');
  const bytes = g.toBytes();
  await writeFile(file, bytes);
  return { file, bytes };
}

t.test('exposes the real input/output names, types and shapes', async (t) => {
  const { file } = await addOne(t.testdir());
  const s = await OnnxSession.open(file, ['cpu']);
  t.teardown(() => s.close());
  t.equal(s.provider, 'cpu');
  t.same(s.failures, []);
  t.same(s.inputNames, ['x']);
  t.same(s.outputNames, ['y']);
  t.same(s.inputs, [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }]);
  t.same(s.outputs, [{ name: 'y', dtype: 'float32', shape: ['batch', 3] }]);
  const out = await s.run({
    x: { dtype: 'float32', data: Float32Array.of(1, 2, 3, -1, -2, -3), dims: [2, 3] },
  });
  t.same(out.y.dims, [2, 3]);
  t.same([...out.y.data], [2, 3, 4, 0, -1, -2]);
});

t.test('falls back to the next provider and records why the earlier ones failed', async (t) => {
  const { file } = await addOne(t.testdir());
  // This onnxruntime-node build is CPU-only on the test machines (no CUDA/TensorRT libraries).
  const s = await OnnxSession.open(file, ['tensorrt', 'cuda', 'cpu']);
  t.teardown(() => s.close());
  t.equal(s.provider, 'cpu');
  t.same(
    s.failures.map((f) => f.provider),
    ['tensorrt', 'cuda'],
  );
  t.ok(s.failures.every((f) => f.error.length > 0));
});

t.test('no usable provider is CONFIG_INVALID; an unreadable model is PACK_INVALID', async (t) => {
  const dir = t.testdir();
  const { file, bytes } = await addOne(dir);
  await t.rejects(OnnxSession.open(file, ['cuda']), {
    code: 'CONFIG_INVALID',
    message: /add 'cpu' to models.providers/,
  });
  await t.rejects(OnnxSession.open(file, []), { code: 'CONFIG_INVALID', message: /provider list is empty/ });
  const broken = join(dir, 'broken.onnx');
  await writeFile(broken, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await t.rejects(OnnxSession.open(broken, ['cuda', 'cpu']), {
    code: 'PACK_INVALID',
    message: /broken\.onnx.*cuda: .*cpu: /s,
  });
});

t.test('a failing run names the file, the provider and every feed with dtype and dims', async (t) => {
  const { file } = await addOne(t.testdir());
  const s = await OnnxSession.open(file, ['cpu']);
  t.teardown(() => s.close());
  await t.rejects(s.run({ x: { dtype: 'float32', data: new Float32Array(8), dims: [2, 4] } }), {
    code: 'INFERENCE_FAILED',
    message: /add\.onnx failed to run on cpu with feeds x float32 \[2,4\]/,
  });
  t.equal(
    describeFeeds({
      a: { dtype: 'int64', data: new BigInt64Array(2), dims: [1, 2] },
      b: { dtype: 'float32', data: new Float32Array(1), dims: [1] },
    }),
    'a int64 [1,2], b float32 [1]',
  );
});

t.test('thread counts and a GPU id are accepted; each attempt hands ORT the rest of the list', async (t) => {
  const { file } = await addOne(t.testdir());
  const s = await OnnxSession.open(file, ['cuda', 'cpu'], {
    intraOpThreads: 1,
    interOpThreads: 1,
    deviceId: 0,
  });
  t.teardown(() => s.close());
  t.equal(s.provider, 'cpu');
  t.equal(s.failures.length, 1);
  t.match(
    s.failures[0].error,
    /cuda|CUDA|Cuda/,
    'the CUDA attempt failed on this CPU-only build, and says why',
  );
  const out = await s.run({ x: { dtype: 'float32', data: Float32Array.of(1, 2, 3), dims: [1, 3] } });
  t.same([...out.y.data], [2, 3, 4]);
});
