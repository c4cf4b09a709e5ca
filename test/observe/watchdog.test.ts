/**
 * The pipeline watchdog on the real Scheduler: fed while samples are encoded or nothing waits,
 * not fed while the encoder hangs with samples waiting (the stall systemd must restart), fed
 * again once it moves; the stall is logged once and shows in its health condition.
 */
import pino from 'pino';
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { PipelineWatchdog, schedulerProgress } from '../../src/observe/watchdog.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';

function frame(i: number): Frame {
  return {
    kind: 'frame',
    sensor: 'cam0',
    modality: 'vision',
    t: BigInt(i) * 1_000_000_000n,
    width: 2,
    height: 2,
    format: 'gray8',
    data: new Uint8Array(4),
  };
}

t.test('feeds on progress or idleness, never while the encoder hangs with samples waiting', async (t) => {
  let hang: Promise<void> | undefined;
  let release = (): void => {};
  const scheduler = new Scheduler({
    maxBatch: 2,
    maxWaitMs: 0,
    queueLength: 16,
    backend: {
      preprocess: async () => new Float32Array([1, 0, 0, 0]),
      embed: async (_m, inputs) => {
        if (hang) await hang;
        return inputs.map(() => new Float32Array([1, 0, 0, 0]));
      },
    },
    onEmbedding: () => {},
    onDrop: () => {},
  });
  t.teardown(() => {
    release();
    return scheduler.stop();
  });
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  let feeds = 0;
  const watchdog = new PipelineWatchdog({
    progress: () => schedulerProgress(scheduler.stats()),
    feed: () => feeds++,
    intervalMs: 1000,
    logger,
  });

  t.equal(watchdog.tick(), true, 'idle (no sensor produced anything yet): fed');
  for (let i = 0; i < 4; i++) scheduler.submit(frame(i));
  await scheduler.idle();
  t.equal(watchdog.tick(), true, 'samples encoded since the last tick: fed');
  t.same(schedulerProgress(scheduler.stats()), { submitted: 4, settled: 4 });

  hang = new Promise<void>((resolve) => {
    release = resolve;
  });
  for (let i = 4; i < 8; i++) scheduler.submit(frame(i));
  await new Promise((r) => setTimeout(r, 20)); // let the batch reach the hung encoder
  t.equal(watchdog.tick(), false, 'samples wait, none finished: not fed');
  t.equal(watchdog.tick(), false, 'still stalled: not fed');
  t.match(watchdog.condition(), { stalled: true, detail: /^4 samples waiting, none finished for \d+ s$/ });
  t.equal(lines.filter((l) => /pipeline stalled/.test(l.msg)).length, 1, 'the stall is logged once, at warn');
  t.equal(lines.find((l) => /pipeline stalled/.test(l.msg))?.level, 40);

  release();
  hang = undefined;
  await scheduler.idle();
  t.equal(watchdog.tick(), true, 'the encoder moved again: fed');
  t.same(watchdog.condition(), { stalled: false });
  t.ok(
    lines.some((l) => l.msg === 'pipeline progressing again'),
    'recovery logged',
  );
  t.equal(feeds, 3, 'fed exactly on the three good ticks');
  t.equal(watchdog.fed, 3);
});

t.test('schedulerProgress counts drops and rate limits as settled', async (t) => {
  const zero = { queue_full: 0, preprocess_failed: 0, inference_failed: 0 };
  const sensor = (over: object) => ({
    modality: 'vision',
    priority: 1,
    queued: 0,
    submitted: 10,
    rateLimited: 2,
    encoded: 3,
    gated: 1,
    dropped: { ...zero, queue_full: 1, preprocess_failed: 1 },
    lastChange: -1,
    ...over,
  });
  const stats = {
    modalities: {},
    sensors: {
      a: sensor({}),
      b: sensor({ submitted: 5, rateLimited: 0, encoded: 0, gated: 0, dropped: zero }),
    },
    eventLatencyMs: { count: 0, sum: 0, p50: 0, p90: 0, p99: 0, max: 0 },
  };
  t.same(schedulerProgress(stats), { submitted: 15, settled: 8 });
  t.same(schedulerProgress(undefined), { submitted: 0, settled: 0 });
});
