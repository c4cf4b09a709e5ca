/**
 * Sensor encoders on the inference worker thread (remote.ts): the same embeddings as in this
 * thread, the event loop keeps turning while a large model runs there, a dying worker fails
 * only the batch in flight, and pack refusals are the same as in-process.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { buildVitEncoder } from '../../models/onnx/vit.js';
import { loadPack } from '../../src/encoders/pack.js';
import { InferenceWorker } from '../../src/encoders/remote.js';
import { type HostTensor, OnnxSession } from '../../src/encoders/session.js';
import { BindsightError } from '../../src/errors.js';
import type { WorkerEntry } from '../../src/preprocess/workerPool.js';

/** Deterministic pseudo-random floats in [-1, 1). */
function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Counts setImmediate turns of the event loop until `work` settles. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; result: T }> {
  let ticks = 0;
  let running = true;
  const spin = (): void => {
    if (!running) return;
    ticks++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const promise = work();
  try {
    const result = await promise;
    return { ticks, result };
  } finally {
    running = false;
  }
}

/**
 * A worker entry running the real inference worker (src/encoders/worker.ts) behind `intercept`,
 * JavaScript source of a function `(m, listener, runs)` that sees each request first (`runs`
 * counts run requests, this one included) and decides whether and when the worker gets it. The
 * bootstrap wraps the listener worker.ts registers: a port's first listener starts delivery, so
 * a listener of our own added earlier would swallow the first messages.
 */
function interceptingWorker(intercept: string): () => WorkerEntry {
  const entry = new URL('../../src/encoders/worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const script = `import(${JSON.stringify(tsx)}).then(async (api) => {
    api.register();
    const { parentPort } = await import('node:worker_threads');
    globalThis.fs = await import('node:fs');
    const intercept = ${intercept};
    const on = parentPort.on.bind(parentPort);
    let runs = 0;
    parentPort.on = (event, listener) =>
      on(event, (m) => intercept(m, listener, m.kind === 'run' ? ++runs : runs));
    return import(${JSON.stringify(entry)});
  });`;
  return () => ({ script, options: { eval: true } });
}

t.test(
  'sensor encoders on the worker embed exactly as in-process; text stays here; health works',
  async (t) => {
    const dir = t.testdir();
    await buildDemoPack(dir);
    const local = await loadPack(dir);
    const remote = await loadPack(dir, { inferenceWorker: true });
    t.teardown(() => Promise.all([local.close(), remote.close()]));
    t.same([...remote.encoders.keys()], [...local.encoders.keys()], 'same modalities');
    for (const [m, enc] of local.encoders) {
      if (m === 'text') continue;
      const inputs = [0, 1, 2].map((k) => noise(enc.sampleSize, 17 + k));
      const want = await enc.embed(inputs.map((x) => x.slice()));
      const got = await remote.encoders.get(m)!.embed(inputs);
      t.equal(got.length, 3, `${m}: one row per input`);
      t.ok(
        got.every((row, i) => maxDiff(row, want[i]) <= 1e-6),
        `${m}: embeddings within 1e-6 of in-process`,
      );
      t.equal(remote.encoders.get(m)!.provider, 'cpu');
      t.equal(remote.health()[m]?.counters.rows, 3, `${m}: health saw the rows`);
    }
    t.same(await remote.embedTexts(['a person']), await local.embedTexts(['a person']), 'text in-process');
  },
);

t.test('modalities option loads only the listed modalities', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const pack = await loadPack(dir, { modalities: ['vision', 'text'], inferenceWorker: true });
  t.teardown(() => pack.close());
  t.same([...pack.encoders.keys()].sort(), ['text', 'vision']);
});

t.test('I/O mismatches are refused at load with the in-process message', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const file = join(dir, 'pack.json');
  const m = JSON.parse(await readFile(file, 'utf8'));
  m.modalities.vision.input.name = 'pixels';
  await writeFile(file, JSON.stringify(m));
  const local = await loadPack(dir).then(
    () => null,
    (e: unknown) => e,
  );
  const remote = await loadPack(dir, { inferenceWorker: true }).then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(local instanceof BindsightError && local.code === 'PACK_IO_MISMATCH', 'in-process refuses');
  t.ok(remote instanceof BindsightError && remote.code === 'PACK_IO_MISMATCH', 'worker refuses');
  t.equal((remote as Error).message, (local as Error).message, 'same message');
});

t.test('the event loop turns while a large model runs on the worker', async (t) => {
  const file = join(t.testdir(), 'big.onnx');
  const E = 256;
  await writeFile(
    file,
    buildVitEncoder({
      inputShape: [3, 224, 224],
      patch: 16,
      width: 384,
      depth: 6,
      heads: 6,
      embeddingDim: E,
    }),
  );
  const feeds = (): Record<string, HostTensor> => ({
    input: { dtype: 'float32', data: noise(4 * 3 * 224 * 224, 5), dims: [4, 3, 224, 224] },
  });
  const host = new InferenceWorker();
  t.teardown(() => host.close());
  const session = await host.open(file, ['cpu']);
  const name = session.inputs[0].name;
  const run = (): Record<string, HostTensor> => ({ [name]: feeds().input });
  const onWorker = await ticksDuring(() => session.run(run()));
  t.ok(onWorker.ticks > 0, `setImmediate ran ${onWorker.ticks} times during the worker run`);
  const out = Object.values(onWorker.result)[0];
  t.same(out.dims, [4, E]);
  const here = await OnnxSession.open(file, ['cpu']);
  t.teardown(() => here.close());
  const inProcess = await ticksDuring(() => here.run(run()));
  // In-process the loop turns at most once (before ORT starts its synchronous run).
  t.ok(inProcess.ticks <= 1, `in-process, setImmediate ran ${inProcess.ticks} times`);
  t.ok(onWorker.ticks > inProcess.ticks, 'the worker run lets the loop turn');
  t.ok(maxDiff(out.data as Float32Array, Object.values(inProcess.result)[0].data as Float32Array) <= 1e-6);
});

t.test('a worker that dies fails the batch in flight; the next batch runs on a new worker', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const marker = join(dir, 'crashed');
  // Dies on its first run, once (the marker file), before the real worker sees the request.
  const markerPath = JSON.stringify(marker);
  const entry = interceptingWorker(`(m, listener) => {
    if (m.kind === 'run' && !fs.existsSync(${markerPath})) {
      fs.writeFileSync(${markerPath}, '');
      process.exit(7);
    }
    listener(m);
  }`);
  const warnings: string[] = [];
  const host = new InferenceWorker({
    entry,
    onWarn: (_f, msg) => warnings.push(msg),
  });
  t.teardown(() => host.close());
  const session = await host.open(join(dir, 'vision.onnx'), ['cpu']);
  const local = await OnnxSession.open(join(dir, 'vision.onnx'), ['cpu']);
  t.teardown(() => local.close());
  const name = session.inputs[0].name;
  const dims = [1, ...(session.inputs[0].shape ?? []).slice(1).map(Number)];
  const n = dims.reduce((a, b) => a * b, 1);
  const feeds = (): Record<string, HostTensor> => ({ [name]: { dtype: 'float32', data: noise(n, 9), dims } });
  await t.rejects(session.run(feeds()), {
    code: 'INFERENCE_FAILED',
    message: /inference worker died \(exit code 7\)/,
  });
  t.ok(existsSync(marker), 'the worker crashed');
  t.equal(host.restarts, 1);
  t.match(warnings, ['inference worker died; it is started again for the next batch']);
  const again = Object.values(await session.run(feeds()))[0];
  const want = Object.values(await local.run(feeds()))[0];
  t.ok(
    maxDiff(again.data as Float32Array, want.data as Float32Array) <= 1e-6,
    'next batch runs on the new worker',
  );
  await host.close();
  await t.rejects(session.run(feeds()), { code: 'INFERENCE_FAILED', message: /closed/ });
});

t.test(
  'a run that does not answer within runTimeoutMs fails its batch; the next runs on a new worker',
  async (t) => {
    const dir = t.testdir();
    await buildDemoPack(dir);
    const marker = join(dir, 'hung');
    // Swallows its second run, once (the marker file): the request is never answered, as when a
    // provider hangs. (The first run at a shape is never timed: it warms up.)
    const markerPath = JSON.stringify(marker);
    const entry = interceptingWorker(`(m, listener, runs) => {
      if (m.kind === 'run' && runs === 2 && !fs.existsSync(${markerPath})) {
        fs.writeFileSync(${markerPath}, '');
        return;
      }
      listener(m);
    }`);
    const warnings: Array<{ fields: Record<string, unknown>; msg: string }> = [];
    const host = new InferenceWorker({
      entry,
      onWarn: (fields, msg) => warnings.push({ fields, msg }),
      // Long enough for the restarted worker to load tsx, ONNX Runtime and the model on a busy machine.
      runTimeoutMs: 3000,
    });
    t.teardown(() => host.close());
    const session = await host.open(join(dir, 'vision.onnx'), ['cpu']);
    const local = await OnnxSession.open(join(dir, 'vision.onnx'), ['cpu']);
    t.teardown(() => local.close());
    const name = session.inputs[0].name;
    const dims = [1, ...(session.inputs[0].shape ?? []).slice(1).map(Number)];
    const n = dims.reduce((a, b) => a * b, 1);
    const feeds = (): Record<string, HostTensor> => ({
      [name]: { dtype: 'float32', data: noise(n, 3), dims },
    });
    await session.run(feeds());
    await t.rejects(session.run(feeds()), {
      code: 'INFERENCE_FAILED',
      message: /did not answer within 3000 ms \(models\.runTimeoutMs\) while running .*vision\.onnx/,
    });
    t.ok(existsSync(marker), 'the second run was swallowed');
    t.equal(host.timeouts, 1);
    t.equal(host.restarts, 1);
    t.equal(warnings.length, 1);
    t.match(warnings[0], {
      fields: { timeoutMs: 3000 },
      msg: /did not answer a run in time; it is stopped and started again/,
    });
    const again = Object.values(await session.run(feeds()))[0];
    const want = Object.values(await local.run(feeds()))[0];
    t.ok(
      maxDiff(again.data as Float32Array, want.data as Float32Array) <= 1e-6,
      'next batch runs on a new worker',
    );
    t.equal(host.timeouts, 1, 'an answered run is not a timeout');
  },
);

t.test('the first run of a session at an input shape is not timed (engine builds, tuning)', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  // Answers its first run late, as TensorRT does while it builds an engine for a new shape.
  const entry = interceptingWorker(`(m, listener, runs) => {
    if (m.kind === 'run' && runs === 1) setTimeout(() => listener(m), 2500);
    else listener(m);
  }`);
  const host = new InferenceWorker({
    entry,
    runTimeoutMs: 1500,
  });
  t.teardown(() => host.close());
  const session = await host.open(join(dir, 'vision.onnx'), ['cpu']);
  const name = session.inputs[0].name;
  const dims = [1, ...(session.inputs[0].shape ?? []).slice(1).map(Number)];
  const n = dims.reduce((a, b) => a * b, 1);
  const feeds = (): Record<string, HostTensor> => ({ [name]: { dtype: 'float32', data: noise(n, 5), dims } });
  await session.run(feeds());
  t.equal(host.timeouts, 0, 'a slow first run is not a timeout');
  await session.run(feeds());
  t.equal(host.timeouts, 0);
  t.equal(host.restarts, 0);
});
