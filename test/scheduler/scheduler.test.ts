/**
 * The scheduler against a fake encoder whose timing the test controls (fakeEncoder.ts): batching,
 * deadlines, overlap, drop-oldest, fairness, rate limits, failures, concurrency and stop are
 * checked by what the encoder was given, never by timing.
 */
import t from 'tap';
import type { Sample } from '../../drivers/types.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { controlledBackend, drain, setup, ticks, win } from './fakeEncoder.js';

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
  // A batch that is taken is preprocessed at once (synchronously); before the deadline, nothing is.
  t.same(s.preprocessed, [], 'not taken before the deadline');
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
  t.same(
    s.runs.map((r) => r.values),
    [[0]],
  );
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

t.test('the next ready batch goes to the encoder before the last one is handed to the rules', async (t) => {
  const b = controlledBackend();
  // What had been delivered when each encoder run started.
  const deliveredAtRun: number[] = [];
  const embed = b.backend.embed;
  let delivered = 0;
  const scheduler = new Scheduler({
    maxBatch: 2,
    maxWaitMs: 60_000,
    queueLength: 100,
    backend: {
      ...b.backend,
      embed: (m, xs) => {
        deliveredAtRun.push(delivered);
        return embed(m, xs);
      },
    },
    onEmbedding: () => {
      delivered++;
    },
    onDrop: () => {},
  });
  for (let i = 0; i < 4; i++) scheduler.submit(win('a', i));
  await ticks();
  t.same(deliveredAtRun, [0], 'run 1 started, batch 2 prepared');
  b.release();
  await ticks();
  t.same(deliveredAtRun, [0, 0], 'run 2 started before run 1 was delivered');
  t.equal(delivered, 2, 'then run 1 was delivered');
  b.release();
  await scheduler.idle();
  t.equal(delivered, 4);
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
  t.same(
    s.times(),
    [0, 1, 2, 100, 6, 7],
    'the slow sensor is never evicted; the freshest fast samples are kept',
  );
  const st = s.scheduler.stats();
  t.equal(st.sensors.fast.dropped.queue_full, 3);
  t.equal(st.sensors.slow.dropped.queue_full, 0);
  t.equal(st.modalities.imu.dropped.queue_full, 3);
});

t.test('room(): a source that must not lose samples waits until its sensor has room', async (t) => {
  const s = setup({ maxBatch: 2, maxWaitMs: 60_000, queueLength: 2 });
  s.scheduler.submit(win('a', 0));
  s.scheduler.submit(win('a', 1)); // taken as batch 1
  s.scheduler.submit(win('a', 2));
  s.scheduler.submit(win('a', 3)); // batch 2, prepared while 1 runs
  await ticks();
  s.scheduler.submit(win('a', 4));
  s.scheduler.submit(win('a', 5));
  let roomy = false;
  const room = s.scheduler.room('a').then(() => {
    roomy = true;
  });
  await ticks();
  t.notOk(roomy, 'lane full: wait');
  await s.scheduler.room('b'); // unknown sensor: at once
  s.release();
  await room;
  t.ok(roomy, 'room once a batch was taken');
  s.scheduler.submit(win('a', 6));
  s.scheduler.submit(win('a', 7));
  await drain(s);
  t.same(s.drops, [], 'nothing lost');
  t.same(s.times(), [0, 1, 2, 3, 4, 5, 6, 7]);
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
  t.same(
    s.out.filter((d) => d.sensor === 'a').map((d) => d.t),
    [0, 100, 230],
  );
  t.same(
    s.out.filter((d) => d.sensor === 'b').map((d) => d.t),
    [0, 1],
    'other sensors are not limited',
  );
  const a = s.scheduler.stats().sensors.a;
  t.equal(a.submitted, 7);
  t.equal(a.rateLimited, 4);
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

t.test(
  'stats: per sensor and per modality; event latency; stop discards and waits for the run',
  async (t) => {
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
    // a window of 1 ms: the latency counts from its end (40 ms, less the summary's rounding)
    s.scheduler.observeEvent(BigInt(Date.now() - 41) * 1_000_000n, 'a');
    const ev = s.scheduler.stats().eventLatencyMs;
    t.equal(ev.count, 1);
    t.ok(ev.p50 >= 39, `event latency ${ev.p50} ms counts from capture`);
    t.ok(s.scheduler.stats().modalities.imu.latencyMs.count === 2);
  },
);

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
