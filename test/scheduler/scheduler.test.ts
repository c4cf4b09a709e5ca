import t from 'tap';
import type { Sample, SensorModality } from '../../drivers/types.js';
import { type DropReason, type EmbedBackend, Scheduler } from '../../src/scheduler/scheduler.js';

function win(sensor: string, i: number, modality: SensorModality = 'imu'): Sample {
  return { kind: 'window', sensor, modality, t: BigInt(i), rate: 1, channels: 1, data: Float32Array.of(i) };
}

/** A fake encoder whose completion the test controls. */
function controlledBackend() {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const backend: EmbedBackend = {
    async preprocess(s) {
      if (Number.isNaN(s.data[0])) throw new Error('NaN sample');
      return Float32Array.from(s.data as Float32Array);
    },
    embed(_m, inputs) {
      batches.push(inputs.map((x) => x[0]));
      return new Promise((resolve) => pending.push(() => resolve(inputs)));
    },
  };
  return {
    backend,
    batches,
    release: () => {
      for (const f of pending.splice(0)) f();
    },
  };
}

function setup(opts: { maxBatch: number; maxWaitMs: number; queueLength: number }) {
  const b = controlledBackend();
  const out: number[] = [];
  const drops: Array<[string, DropReason]> = [];
  const scheduler = new Scheduler({
    ...opts,
    backend: b.backend,
    onEmbedding: (s) => out.push(Number(s.t)),
    onDrop: (s, reason) => drops.push([s.sensor, reason]),
  });
  return { ...b, scheduler, out, drops };
}

t.test('a full batch is flushed at once, in order', async (t) => {
  const s = setup({ maxBatch: 3, maxWaitMs: 60_000, queueLength: 10 });
  for (let i = 0; i < 3; i++) s.scheduler.submit(win('a', i));
  await new Promise((r) => setImmediate(r));
  t.same(s.batches, [[0, 1, 2]]);
  s.release();
  await s.scheduler.idle();
  t.same(s.out, [0, 1, 2]);
});

t.test('a partial batch is flushed at maxWaitMs', async (t) => {
  const s = setup({ maxBatch: 8, maxWaitMs: 5, queueLength: 10 });
  s.scheduler.submit(win('a', 1));
  s.scheduler.submit(win('a', 2));
  t.same(s.batches, []);
  await new Promise((r) => setTimeout(r, 30));
  t.same(s.batches, [[1, 2]]);
  s.release();
  await s.scheduler.idle();
  t.equal(s.scheduler.stats().imu.batches, 1);
});

t.test('while a batch runs the queue is bounded and the oldest samples are dropped', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 0, queueLength: 3 });
  s.scheduler.submit(win('a', 0));
  s.scheduler.submit(win('a', 1));
  await new Promise((r) => setImmediate(r));
  t.same(s.batches, [[0, 1]]);
  for (let i = 2; i < 8; i++) s.scheduler.submit(win(i % 2 ? 'b' : 'a', i));
  t.same(s.drops, [
    ['a', 'queue_full'],
    ['b', 'queue_full'],
    ['a', 'queue_full'],
  ]);
  s.release();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  t.same(s.batches[1], [5, 6], 'the freshest samples are kept');
  s.release();
  await new Promise((r) => setTimeout(r, 5));
  s.release();
  await s.scheduler.idle();
  t.same(s.out, [0, 1, 5, 6, 7]);
  t.equal(s.scheduler.stats().imu.dropped.queue_full, 3);
});

t.test(
  'a sample that fails preprocessing is dropped and counted; the rest of its batch goes on',
  async (t) => {
    const s = setup({ maxBatch: 3, maxWaitMs: 0, queueLength: 10 });
    s.scheduler.submit(win('a', 0));
    s.scheduler.submit({ ...win('bad', 1), data: Float32Array.of(Number.NaN) } as Sample);
    s.scheduler.submit(win('a', 2));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    s.release();
    await s.scheduler.idle();
    t.same(s.drops, [['bad', 'preprocess_failed']]);
    t.same(s.out, [0, 2]);
  },
);

t.test('an encoder failure drops its batch with a count, and later batches still run', async (t) => {
  let fail = true;
  const out: number[] = [];
  const drops: DropReason[] = [];
  const scheduler = new Scheduler({
    maxBatch: 1,
    maxWaitMs: 0,
    queueLength: 4,
    backend: {
      preprocess: async (x) => x.data as Float32Array,
      embed: async (_m, inputs) => {
        if (fail) {
          fail = false;
          throw new Error('session lost');
        }
        return inputs;
      },
    },
    onEmbedding: (x) => out.push(Number(x.t)),
    onDrop: (_x, r) => drops.push(r),
  });
  scheduler.submit(win('a', 0));
  scheduler.submit(win('a', 1));
  await new Promise((r) => setTimeout(r, 10));
  await scheduler.idle();
  t.same(drops, ['inference_failed']);
  t.same(out, [1]);
});

t.test('modalities batch separately', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000, queueLength: 10 });
  s.scheduler.submit(win('a', 0, 'imu'));
  s.scheduler.submit(win('m', 1, 'audio'));
  s.scheduler.submit(win('a', 2, 'imu'));
  await new Promise((r) => setImmediate(r));
  t.same(s.batches, [[0, 2]]);
  s.scheduler.stop();
  s.release();
  await s.scheduler.idle();
});
