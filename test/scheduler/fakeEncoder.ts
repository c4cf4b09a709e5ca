/**
 * A fake encoder for scheduler tests: an encoder run stays pending until the test releases (or
 * fails) it, and the samples are one-value windows whose value is what gating compares.
 */
import type { Sample, SensorModality } from '../../drivers/types.js';
import {
  type DropReason,
  type EmbedBackend,
  type EmbeddingInfo,
  Scheduler,
  type SchedulerDeps,
} from '../../src/scheduler/scheduler.js';

/** A one-value window; `v` is its content (what gating compares), `i` its capture time in ms. */
export function win(sensor: string, i: number, modality: SensorModality = 'imu', v = i): Sample {
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
export const ms = (s: Sample) => Number(s.t / 1_000_000n);
export const tick = () => new Promise((r) => setImmediate(r));
export async function ticks(n = 4) {
  for (let i = 0; i < n; i++) await tick();
}

/** A fake encoder: runs stay pending until released; embeddings are fresh arrays [value]. */
export function controlledBackend() {
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

export interface Delivered {
  sensor: string;
  t: number;
  embedding: Float32Array;
  info: EmbeddingInfo;
}

export function setup(opts: Partial<SchedulerDeps> & Pick<SchedulerDeps, 'maxBatch' | 'maxWaitMs'>) {
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
export async function drain(s: ReturnType<typeof setup>) {
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
