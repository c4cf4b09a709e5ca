/**
 * The scheduler against a fake encoder whose timing the test controls: an encoder run stays
 * pending until the test releases it, so batching, deadlines, drop-oldest, fairness, gating,
 * overlap and concurrency are checked by what the encoder was given, never by timing.
 */
import t from 'tap';
import type { Sample, SensorModality } from '../../drivers/types.js';
import {
  type DropReason,
  type EmbedBackend,
  type EmbeddingInfo,
  Scheduler,
  type SchedulerDeps,
} from '../../src/scheduler/scheduler.js';

/** A one-value window; `v` is its content (what gating compares), `i` its capture time in ms. */
function win(sensor: string, i: number, modality: SensorModality = 'imu', v = i): Sample {
  return {
    kind: 'window',
    sensor,
    modality,
    t: BigInt(i) * 1_000_000n,
    rate: 1000,
    channels: 1,
    data: Float32Array.of(v),
  };
}
const ms = (s: Sample) => Number(s.t / 1_000_000n);
const tick = () => new Promise((r) => setImmediate(r));
async function ticks(n = 4) {
  for (let i = 0; i < n; i++) await tick();
}

/** A fake encoder: runs stay pending until released; embeddings are fresh arrays [value]. */
function controlledBackend() {
  const runs: Array<{ modality: SensorModality; values: number[] }> = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const preprocessed: number[] = [];
  const backend: EmbedBackend = {
    async preprocess(s) {
      const v = (s.data as Float32Array)[0];
      if (Number.isNaN(v)) throw new Error('NaN sample');
      preprocessed.push(ms(s));
      return Float32Array.of(v);
    },
    embed(modality, inputs) {
      runs.push({ modality, values: inputs.map((x) => x[0]) });
      return new Promise((resolve, reject) =>
        pending.push({ resolve: () => resolve(inputs.map((x) => Float32Array.from(x))), reject }),
      );
    },
    inputShape: () => [1],
  };
  return {
    backend,
    runs,
    preprocessed,
    pendingRuns: () => pending.length,
    release: () => {
      for (const p of pending.splice(0)) p.resolve();
    },
    fail: (msg: string) => {
      for (const p of pending.splice(0)) p.reject(new Error(msg));
    },
  };
}

interface Delivered {
  sensor: string;
  t: number;
  embedding: Float32Array;
  info: EmbeddingInfo;
}

function setup(opts: Partial<SchedulerDeps> & Pick<SchedulerDeps, 'maxBatch' | 'maxWaitMs'>) {
  const b = controlledBackend();
  const out: Delivered[] = [];
  const drops: Array<[string, number, DropReason]> = [];
  const scheduler = new Scheduler({
    queueLength: 100,
    backend: b.backend,
    ...opts,
    onEmbedding: (s, embedding, info) => out.push({ sensor: s.sensor, t: ms(s), embedding, info }),
    onDrop: (s, reason) => drops.push([s.sensor, ms(s), reason]),
  });
  return { ...b, scheduler, out, drops, times: () => out.map((d) => d.t) };
}

/** Releases encoder runs until the scheduler is idle. */
async function drain(s: ReturnType<typeof setup>) {
  const idle = s.scheduler.idle();
  let done = false;
  void idle.then(() => {
    done = true;
  });
  while (!done) {
    s.release();
    await new Promise((r) => setTimeout(r, 1));
  }
}

t.test('a full batch runs at once, in order', async (t) => {
  const s = setup({ maxBatch: 3, maxWaitMs: 60_000 });
  for (let i = 0; i < 3; i++) s.scheduler.submit(win('a', i));
  await ticks();
  t.same(s.runs, [{ modality: 'imu', values: [0, 1, 2] }]);
  await drain(s);
  t.same(s.times(), [0, 1, 2]);
  t.equal(s.out[0].info.batchSize, 3);
});

t.test('a partial batch runs once its oldest sample has waited maxWaitMs', async (t) => {
  const s = setup({ maxBatch: 8, maxWaitMs: 5 });
  s.scheduler.submit(win('a', 1));
  s.scheduler.submit(win('a', 2));
  await ticks();
  t.same(s.runs, [], 'nothing runs before the deadline');
  while (s.runs.length === 0) await new Promise((r) => setTimeout(r, 2));
  t.same(s.runs[0].values, [1, 2]);
  await drain(s);
  const st = s.scheduler.stats().modalities.imu;
  t.equal(st.batches, 1);
  t.equal(st.batchSizes[2], 1, 'batch-size histogram');
  t.equal(st.waitMs.count, 2);
  t.equal(st.inferenceMs.count, 1);
});

t.test('while the encoder runs, a due partial batch keeps filling (until maxBatch)', async (t) => {
  const s = setup({ maxBatch: 3, maxWaitMs: 0 });
  s.scheduler.submit(win('a', 0));
  await ticks();
  t.same(s.runs.map((r) => r.values), [[0]]);
  s.scheduler.submit(win('a', 1));
  await new Promise((r) => setTimeout(r, 5));
  s.scheduler.submit(win('a', 2));
  await ticks();
  t.equal(s.runs.length, 1, 'no second run while the first is pending');
  s.release();
  await ticks();
  t.same(s.runs[1].values, [1, 2], 'the waiting samples go together');
  await drain(s);
});

t.test('the next batch is preprocessed while the current one runs', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000 });
  for (let i = 0; i < 4; i++) s.scheduler.submit(win('a', i));
  await ticks();
  t.equal(s.runs.length, 1);
  t.same(s.preprocessed, [0, 1, 2, 3], 'batch 2 prepared during run 1');
  s.scheduler.submit(win('a', 4));
  s.scheduler.submit(win('a', 5));
  await ticks();
  t.same(s.preprocessed, [0, 1, 2, 3], 'at most one batch waits prepared');
  await drain(s);
  t.same(s.times(), [0, 1, 2, 3, 4, 5]);
});

t.test('each sensor keeps at most queueLength waiting: its own oldest go, counted per sensor', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000, queueLength: 2 });
  s.scheduler.submit(win('fast', 0));
  s.scheduler.submit(win('fast', 1));
  await ticks();
  t.same(s.runs[0].values, [0, 1]);
  s.scheduler.submit(win('slow', 100));
  for (let i = 2; i < 8; i++) s.scheduler.submit(win('fast', i));
  await ticks();
  // [slow100, fast2] was taken into the ready batch; fast 3..7 compete for 2 places.
  t.same(s.drops, [
    ['fast', 3, 'queue_full'],
    ['fast', 4, 'queue_full'],
    ['fast', 5, 'queue_full'],
  ]);
  await drain(s);
  t.same(s.times(), [0, 1, 2, 100, 6, 7], 'the slow sensor is never evicted; the freshest fast samples are kept');
  const st = s.scheduler.stats();
  t.equal(st.sensors.fast.dropped.queue_full, 3);
  t.equal(st.sensors.slow.dropped.queue_full, 0);
  t.equal(st.modalities.imu.dropped.queue_full, 3);
});

t.test('sensors take turns in a batch; priority weights the turns', async (t) => {
  // Keep the encoder busy and a batch ready, so both cameras' samples wait together
  // (a full batch is otherwise taken the moment it is full).
  const busy = (s: ReturnType<typeof setup>) => {
    for (let i = 0; i < 8; i++) s.scheduler.submit(win('warm', 1000 + i, 'vision'));
  };
  const even = setup({ maxBatch: 4, maxWaitMs: 60_000 });
  busy(even);
  await ticks();
  for (let i = 0; i < 10; i++) even.scheduler.submit(win('cam0', i, 'vision'));
  even.scheduler.submit(win('cam1', 100, 'vision'));
  even.scheduler.submit(win('cam1', 101, 'vision'));
  await drain(even);
  t.same(even.runs[2].values, [0, 100, 1, 101], 'a fast camera cannot fill the batch');

  const weighted = setup({
    maxBatch: 4,
    maxWaitMs: 60_000,
    sensors: { cam0: { priority: 3 }, cam1: { priority: 1 } },
  });
  busy(weighted);
  await ticks();
  for (let i = 0; i < 8; i++) {
    weighted.scheduler.submit(win('cam0', i, 'vision'));
    weighted.scheduler.submit(win('cam1', 100 + i, 'vision'));
  }
  await drain(weighted);
  const third = weighted.runs[2].values;
  t.equal(third.filter((v) => v < 100).length, 3, `priority 3 : 1 → 3 of 4 places (${third})`);
  t.equal(weighted.scheduler.stats().sensors.cam0.priority, 3);
  t.same(
    weighted.out.filter((d) => d.sensor === 'cam1').map((d) => d.t),
    [100, 101, 102, 103, 104, 105, 106, 107],
    'the low-priority sensor is served in order, not starved',
  );
});

t.test('everyMs rate-limits a sensor on capture time', async (t) => {
  const s = setup({ maxBatch: 8, maxWaitMs: 0, sensors: { a: { everyMs: 100 } } });
  for (const i of [0, 40, 99, 100, 150, 230, 250]) s.scheduler.submit(win('a', i));
  s.scheduler.submit(win('b', 0));
  s.scheduler.submit(win('b', 1));
  await drain(s);
  t.same(s.out.filter((d) => d.sensor === 'a').map((d) => d.t), [0, 100, 230]);
  t.same(s.out.filter((d) => d.sensor === 'b').map((d) => d.t), [0, 1], 'other sensors are not limited');
  const a = s.scheduler.stats().sensors.a;
  t.equal(a.submitted, 7);
  t.equal(a.rateLimited, 4);
});

t.test('gating: a sample that barely changed reuses the last embedding; a change is encoded', async (t) => {
  const s = setup({ maxBatch: 1, maxWaitMs: 0, gate: { imu: 0.5 } });
  const values = [1, 1.25, 1.375, 1.625, 5, 5.125, 1];
  for (const [i, v] of values.entries()) {
    s.scheduler.submit(win('a', i, 'imu', v));
    await ticks();
    s.release();
    await ticks();
  }
  await drain(s);
  t.same(s.runs.map((r) => r.values[0]), [1, 1.625, 5, 1], 'compared with the last encoded, not the previous');
  t.same(s.out.map((d) => d.info.gated), [false, true, true, false, false, true, false]);
  t.equal(s.out[1].embedding, s.out[0].embedding, 'the very embedding is reused');
  t.same(s.times(), [0, 1, 2, 3, 4, 5, 6], 'every sample still reaches the rules, in order');
  const st = s.scheduler.stats();
  t.equal(st.modalities.imu.gated, 3);
  t.equal(st.modalities.imu.encoded, 4);
  t.equal(st.sensors.a.gated, 3);
  t.equal(st.sensors.a.lastChange, 4, 'last change measured against 5');
});

t.test('gating inside one batch, per sensor; threshold 0 and other modalities are not gated', async (t) => {
  const s = setup({ maxBatch: 8, maxWaitMs: 60_000, gate: { imu: 0.5, audio: 0 } });
  for (let i = 0; i < 4; i++) s.scheduler.submit(win('a', i, 'imu', 7));
  for (let i = 0; i < 4; i++) s.scheduler.submit(win('b', 10 + i, 'imu', 7));
  await ticks();
  t.same(s.runs[0].values, [7, 7], 'one input per sensor; the rest reuse it');
  for (let i = 0; i < 8; i++) s.scheduler.submit(win('m', 20 + i, 'audio', 3));
  await drain(s);
  t.same(s.out.filter((d) => d.sensor === 'a').map((d) => d.info.gated), [false, true, true, true]);
  t.equal(s.runs.find((r) => r.modality === 'audio')?.values.length, 8, 'gate 0 = off');
});

t.test('a gated sample whose reference failed to encode is dropped in that batch, encoded in the next', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000, gate: { imu: 0.5 } });
  s.scheduler.submit(win('a', 0, 'imu', 1));
  s.scheduler.submit(win('a', 1, 'imu', 1));
  s.scheduler.submit(win('a', 2, 'imu', 1));
  s.scheduler.submit(win('a', 3, 'imu', 1));
  await ticks();
  t.same(s.runs[0].values, [1], 'sample 1 gated on sample 0; batch 2 (2, 3) gated on 0 too');
  s.fail('device lost');
  await ticks();
  t.same(s.drops, [
    ['a', 0, 'inference_failed'],
    ['a', 1, 'inference_failed'],
  ]);
  await drain(s);
  t.same(s.runs[1].values, [1], 'batch 2 is encoded after all (one input, the other reuses it)');
  t.same(s.times(), [2, 3]);
});

t.test('a sample that fails preprocessing is dropped and counted; its batch goes on', async (t) => {
  const s = setup({ maxBatch: 3, maxWaitMs: 0 });
  s.scheduler.submit(win('a', 0));
  s.scheduler.submit({ ...win('bad', 1), data: Float32Array.of(Number.NaN) } as Sample);
  s.scheduler.submit(win('a', 2));
  await drain(s);
  t.same(s.drops, [['bad', 1, 'preprocess_failed']]);
  t.same(s.times(), [0, 2]);
  t.equal(s.scheduler.stats().sensors.bad.dropped.preprocess_failed, 1);
});

t.test('an encoder failure drops its batch with a count, and later batches still run', async (t) => {
  const s = setup({ maxBatch: 1, maxWaitMs: 0 });
  s.scheduler.submit(win('a', 0));
  s.scheduler.submit(win('a', 1));
  await ticks();
  s.fail('session lost');
  await drain(s);
  t.same(s.drops, [['a', 0, 'inference_failed']]);
  t.same(s.times(), [1]);
  t.equal(s.scheduler.stats().modalities.imu.dropped.inference_failed, 1);
});

t.test('modalities batch separately and take turns on one encoder slot', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000 });
  s.scheduler.submit(win('a', 0, 'imu'));
  s.scheduler.submit(win('a', 1, 'imu'));
  s.scheduler.submit(win('m', 10, 'audio'));
  s.scheduler.submit(win('m', 11, 'audio'));
  s.scheduler.submit(win('a', 2, 'imu'));
  s.scheduler.submit(win('a', 3, 'imu'));
  await ticks();
  t.same(s.runs, [{ modality: 'imu', values: [0, 1] }], 'concurrency 1: one run at a time');
  s.release();
  await ticks();
  t.same(s.runs[1], { modality: 'audio', values: [10, 11] }, 'audio before the next imu batch');
  await drain(s);

  const two = setup({ maxBatch: 2, maxWaitMs: 60_000, concurrency: 2 });
  two.scheduler.submit(win('a', 0, 'imu'));
  two.scheduler.submit(win('a', 1, 'imu'));
  two.scheduler.submit(win('m', 10, 'audio'));
  two.scheduler.submit(win('m', 11, 'audio'));
  await ticks();
  t.equal(two.pendingRuns(), 2, 'concurrency 2: both run at once');
  await drain(two);
});

t.test('every sample is delivered whole and in capture order per sensor, or counted as dropped', async (t) => {
  const s = setup({ maxBatch: 3, maxWaitMs: 1, queueLength: 4, gate: { imu: 0.3 } });
  const submitted = new Map<string, Sample>();
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const next = new Map<string, number>();
  for (let step = 0; step < 120; step++) {
    const sensor = ['a', 'b', 'c'][Math.floor(rand() * 3)];
    const i = (next.get(sensor) ?? 0) + 1;
    next.set(sensor, i);
    const sample = win(sensor, i, 'imu', Math.floor(rand() * 4) * 0.2);
    submitted.set(`${sensor}:${i}`, sample);
    s.scheduler.submit(sample);
    if (rand() < 0.3) s.release();
    if (rand() < 0.3) await tick();
  }
  await drain(s);
  for (const sensor of ['a', 'b', 'c']) {
    const got = s.out.filter((d) => d.sensor === sensor).map((d) => d.t);
    t.same(
      got,
      [...got].sort((x, y) => x - y),
      `${sensor}: in order`,
    );
    const dropped = s.drops.filter((d) => d[0] === sensor).length;
    t.equal(got.length + dropped, next.get(sensor), `${sensor}: delivered + dropped = submitted`);
  }
});

t.test('stats: per sensor and per modality; event latency; stop discards and waits for the run', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000 });
  s.scheduler.submit(win('a', 0));
  s.scheduler.submit(win('a', 1));
  s.scheduler.submit(win('a', 2));
  await ticks();
  const before = s.scheduler.stats();
  t.equal(before.modalities.imu.queued, 1);
  t.equal(before.sensors.a.queued, 1);
  t.equal(before.sensors.a.submitted, 3);
  let stopped = false;
  const stopping = s.scheduler.stop().then(() => {
    stopped = true;
  });
  await ticks();
  t.notOk(stopped, 'stop waits for the running batch');
  s.release();
  await stopping;
  t.same(s.times(), [0, 1], 'the running batch is delivered, the waiting sample discarded');
  t.same(s.drops, [], 'shutdown discards are not drops');
  s.scheduler.submit(win('a', 3));
  t.equal(s.scheduler.stats().sensors.a.submitted, 3, 'nothing is taken after stop');
  // a window of 1 ms: the latency counts from its end
  s.scheduler.observeEvent(BigInt(Date.now() - 40) * 1_000_000n, 'a');
  const ev = s.scheduler.stats().eventLatencyMs;
  t.equal(ev.count, 1);
  t.ok(ev.p50 >= 39, `event latency ${ev.p50} ms counts from capture`);
  t.ok(s.scheduler.stats().modalities.imu.latencyMs.count === 2);
});

t.test('bad settings are refused', async (t) => {
  const b = controlledBackend();
  t.throws(
    () =>
      new Scheduler({
        maxBatch: 0,
        maxWaitMs: 1,
        queueLength: 1,
        backend: b.backend,
        onEmbedding: () => {},
        onDrop: () => {},
      }),
    { code: 'CONFIG_INVALID' },
  );
});
