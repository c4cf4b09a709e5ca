/**
 * Batches Samples into the encoders (DESIGN.md "src/scheduler"); the encoders are the scarce
 * resource and the scheduler decides what they spend it on.
 *
 * Per modality, Samples wait in a FairQueue (one bounded lane per sensor, weighted round-robin,
 * drop-oldest per lane). A batch is taken when `maxBatch` samples wait, or when the oldest has
 * waited `maxWaitMs` and the modality's encoder is free (as Triton's dynamic batcher: while it
 * is busy a partial batch keeps filling). A taken batch is preprocessed (worker threads via the
 * backend) and gated, then waits — at most one per modality — for the encoder: so batch N+1 is
 * prepared while batch N runs. At most `concurrency` encoder runs are in flight across
 * modalities; ready modalities take turns. Embeddings are handed on in capture order per sensor.
 * Rate limits (`everyMs`, on capture time) apply at submit().
 */
import type { Sample, SensorModality } from '../../drivers/types.js';
import { BindsightError, errorMessage } from '../errors.js';
import {
  decideGates,
  type Item,
  newSensorState,
  type SensorState,
  sensorSnapshot,
  spanMs,
  ungateFailed,
} from './batch.js';
import { FairQueue } from './fairQueue.js';
import { type DropReason, ModalityCounters, type SchedulerStats, Summary } from './stats.js';
import type { SchedulerDeps } from './types.js';

export type { DropReason, ModalityStats, SchedulerStats, SensorStats, SummarySnapshot } from './stats.js';
export type { EmbedBackend, EmbeddingInfo, SchedulerDeps, SensorPolicy } from './types.js';

interface ModalityState {
  readonly modality: SensorModality;
  readonly queue: FairQueue<Item>;
  readonly counters: ModalityCounters;
  readonly shape: readonly number[] | null;
  preparing: boolean;
  ready: Item[] | null;
  running: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** One encoder run, for the hand-over: its timing, and why its samples have no embedding if it failed. */
interface RunOutcome {
  inferenceMs: number;
  batchSize: number;
  started: number;
  failure: string;
}

const nsToMs = (t: bigint): number => Number(t) / 1e6;

export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #concurrency: number;
  readonly #modalities = new Map<SensorModality, ModalityState>();
  readonly #sensors = new Map<string, SensorState>();
  readonly #eventLatency = new Summary();
  readonly #idleWaiters: Array<() => void> = [];
  readonly #roomWaiters = new Map<string, Array<() => void>>();
  #inFlight = 0;
  #turn = 0;
  #stopped = false;

  constructor(deps: SchedulerDeps) {
    if (!(deps.maxBatch >= 1) || !(deps.queueLength >= 1) || !(deps.maxWaitMs >= 0)) {
      throw new BindsightError(
        'CONFIG_INVALID',
        `scheduler: maxBatch ${deps.maxBatch} and queueLength ${deps.queueLength} must be ≥ 1 and maxWaitMs ${deps.maxWaitMs} ≥ 0`,
        { maxBatch: deps.maxBatch, queueLength: deps.queueLength, maxWaitMs: deps.maxWaitMs },
      );
    }
    this.#deps = deps;
    this.#concurrency = Math.max(1, deps.concurrency ?? 1);
  }

  /** Queues a sample, unless its sensor's everyMs says it comes too soon after the last one taken. */
  submit(sample: Sample): void {
    if (this.#stopped) return;
    const sensor = this.#sensor(sample);
    sensor.submitted++;
    if (this.#rateLimited(sensor, sample.t)) {
      sensor.rateLimited++;
      return;
    }
    sensor.lastTakenT = sample.t;
    const m = this.#modality(sample.modality);
    const item: Item = {
      sample,
      sensor,
      enqueuedMs: performance.now(),
      tensor: null,
      signature: null,
      own: null,
      reuse: null,
      change: -1,
    };
    for (const old of m.queue.push(sensor.id, item, item.enqueuedMs)) this.#drop(m, old.value, 'queue_full');
    this.#advance(m);
  }

  /**
   * Resolves when `sensor` can take one more sample without losing its oldest (at once when it
   * can, or when it is unknown or the scheduler stopped): backpressure for a source that should
   * wait rather than drop, such as a replay with `realtime: false`.
   */
  room(sensor: string): Promise<void> {
    const s = this.#sensors.get(sensor);
    if (this.#stopped || s === undefined || !this.#full(s)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.#roomWaiters.get(sensor) ?? [];
      list.push(resolve);
      this.#roomWaiters.set(sensor, list);
    });
  }

  /** Records an event caused by a sample of `sensor` captured at `t` (ns), as it is published. */
  observeEvent(t: bigint, sensor?: string): void {
    const span = sensor === undefined ? 0 : (this.#sensors.get(sensor)?.spanMs ?? 0);
    this.#eventLatency.observe(Date.now() - nsToMs(t) - span);
  }

  /** Resolves once nothing waits, is being prepared, or runs. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): SchedulerStats {
    const modalities: SchedulerStats['modalities'] = {};
    for (const [name, m] of this.#modalities) modalities[name] = m.counters.snapshot(m.queue.size);
    const sensors: SchedulerStats['sensors'] = {};
    for (const [id, s] of this.#sensors) {
      sensors[id] = sensorSnapshot(s, this.#modalities.get(s.modality)?.queue.sizeOf(id) ?? 0);
    }
    return { modalities, sensors, eventLatencyMs: this.#eventLatency.snapshot() };
  }

  /**
   * Stops taking samples and discards those waiting (shutdown, not counted as drops); a batch
   * already being prepared is discarded, a running encoder run finishes and is delivered.
   * Resolves when nothing is in flight any more.
   */
  stop(): Promise<void> {
    this.#stopped = true;
    for (const m of this.#modalities.values()) {
      clearTimeout(m.timer);
      m.timer = undefined;
      m.queue.clear();
      m.ready = null;
    }
    this.#notifyIdle();
    this.#notifyRoom();
    return this.idle();
  }

  #sensor(sample: Sample): SensorState {
    let s = this.#sensors.get(sample.sensor);
    if (!s) {
      const policy = this.#deps.sensors?.[sample.sensor] ?? {};
      s = newSensorState(sample.sensor, sample.modality, policy.priority ?? 1, policy.everyMs ?? 0);
      this.#sensors.set(s.id, s);
      this.#modality(sample.modality).queue.setWeight(s.id, s.weight);
    }
    return s;
  }

  #full(s: SensorState): boolean {
    return (this.#modalities.get(s.modality)?.queue.sizeOf(s.id) ?? 0) >= this.#deps.queueLength;
  }

  #notifyRoom(): void {
    for (const [sensor, waiters] of this.#roomWaiters) {
      const s = this.#sensors.get(sensor);
      if (!this.#stopped && s !== undefined && this.#full(s)) continue;
      this.#roomWaiters.delete(sensor);
      for (const resolve of waiters) resolve();
    }
  }

  #rateLimited(s: SensorState, t: bigint): boolean {
    if (s.everyMs <= 0 || s.lastTakenT === undefined || t < s.lastTakenT) return false;
    return nsToMs(t - s.lastTakenT) < s.everyMs;
  }

  #modality(modality: SensorModality): ModalityState {
    let m = this.#modalities.get(modality);
    if (!m) {
      m = {
        modality,
        queue: new FairQueue<Item>(this.#deps.queueLength),
        counters: new ModalityCounters(this.#deps.maxBatch),
        shape: this.#deps.backend.inputShape?.(modality) ?? null,
        preparing: false,
        ready: null,
        running: false,
        timer: undefined,
      };
      this.#modalities.set(modality, m);
    }
    return m;
  }

  /** Takes a batch when one is due (full, or the oldest sample's deadline passed with the encoder free). */
  #advance(m: ModalityState): void {
    if (this.#stopped || m.preparing || m.ready !== null || m.queue.size === 0) return;
    const oldest = m.queue.oldestMs() ?? performance.now();
    const dueIn = oldest + this.#deps.maxWaitMs - performance.now();
    if (m.queue.size >= this.#deps.maxBatch || (dueIn <= 0 && !m.running)) {
      clearTimeout(m.timer);
      m.timer = undefined;
      void this.#prepare(m);
    } else if (dueIn > 0 && m.timer === undefined) {
      m.timer = setTimeout(() => {
        m.timer = undefined;
        this.#advance(m);
      }, dueIn);
    }
    // Due while the encoder runs: the run's end calls #advance again.
  }

  /** Preprocesses a taken batch (in parallel; failures dropped), gates it, and parks it as ready. */
  async #prepare(m: ModalityState): Promise<void> {
    m.preparing = true;
    const items = m.queue.take(this.#deps.maxBatch).map((q) => q.value);
    this.#notifyRoom();
    const { backend } = this.#deps;
    const prepared = await Promise.all(
      items.map(async (it) => {
        const started = performance.now();
        try {
          it.tensor = await backend.preprocess(it.sample);
          m.counters.preprocessMs.observe(performance.now() - started);
          return it;
        } catch (err) {
          this.#drop(m, it, 'preprocess_failed', errorMessage(err));
          return null;
        }
      }),
    );
    m.preparing = false;
    const ok = prepared.filter((it): it is Item => it !== null);
    if (!this.#stopped && ok.length > 0) {
      decideGates(ok, this.#deps.gate?.[m.modality] ?? 0, m.shape);
      m.ready = ok;
    }
    this.#dispatch();
    this.#advance(m);
    this.#notifyIdle();
  }

  /** Starts encoder runs for ready batches, modalities taking turns, within `concurrency`. */
  #dispatch(): void {
    const ms = [...this.#modalities.values()];
    for (let tried = 0; tried < ms.length; tried++) {
      const m = ms[(this.#turn + tried) % ms.length];
      if (m.ready === null || m.running) continue;
      // A batch with nothing to encode needs no encoder slot, only its turn after the last run.
      const needsSlot = m.ready.some((it) => it.own !== null || it.reuse?.failed);
      if (needsSlot && this.#inFlight >= this.#concurrency) continue;
      if (needsSlot) this.#turn = (this.#turn + tried + 1) % ms.length;
      void this.#run(m, needsSlot);
      tried = -1; // state changed: look again from the current turn
    }
  }

  async #run(m: ModalityState, slot: boolean): Promise<void> {
    const batch = m.ready ?? [];
    m.ready = null;
    m.running = true;
    if (slot) this.#inFlight++;
    this.#advance(m); // the ready slot is free: a full batch can be prepared meanwhile
    let run: RunOutcome;
    try {
      run = await this.#encode(m, batch);
    } finally {
      m.running = false;
      if (slot) this.#inFlight--;
      // The next ready batch goes to the encoder before this one is handed to the rules: an
      // encoder on the inference worker starts at once and the rules run meanwhile (a session on
      // this thread starts on setImmediate, after the hand-over, as before).
      this.#dispatch();
      this.#advance(m);
    }
    this.#deliver(m, batch, run);
    this.#notifyIdle();
  }

  async #encode(m: ModalityState, batch: Item[]): Promise<RunOutcome> {
    ungateFailed(batch, this.#deps.gate?.[m.modality] ?? 0);
    const encode = batch.filter((it) => it.own !== null);
    const started = performance.now();
    for (const it of batch) m.counters.waitMs.observe(started - it.enqueuedMs);
    let failure = 'the sample whose embedding it would reuse failed to encode';
    let inferenceMs = 0;
    if (encode.length > 0) {
      try {
        const out = await this.#deps.backend.embed(
          m.modality,
          encode.map((it) => it.tensor!),
        );
        if (out.length !== encode.length) {
          throw new BindsightError(
            'INFERENCE_FAILED',
            `${m.modality} encoder returned ${out.length} embeddings for ${encode.length} inputs`,
            { modality: m.modality },
          );
        }
        inferenceMs = performance.now() - started;
        encode.forEach((it, i) => {
          it.own!.embedding = out[i];
        });
        m.counters.recordBatch(encode.length, inferenceMs);
      } catch (err) {
        failure = errorMessage(err);
        for (const it of encode) {
          it.own!.failed = true;
          if (it.sensor.ref === it.own) it.sensor.ref = null;
        }
      }
    }
    return { inferenceMs, batchSize: encode.length, started, failure };
  }

  #deliver(m: ModalityState, batch: readonly Item[], run: RunOutcome): void {
    const { failure } = run;
    const now = Date.now();
    for (const it of batch) {
      const gated = it.own === null;
      const embedding = (it.own ?? it.reuse)?.embedding;
      it.tensor = null;
      if (embedding === undefined) {
        this.#drop(m, it, 'inference_failed', failure);
        continue;
      }
      const s = it.sensor;
      s.spanMs = spanMs(it.sample);
      if (gated) {
        s.gated++;
        m.counters.gated++;
      } else s.encoded++;
      m.counters.latencyMs.observe(now - nsToMs(it.sample.t) - s.spanMs);
      this.#deps.onEmbedding(it.sample, embedding, {
        gated,
        change: it.change,
        waitMs: run.started - it.enqueuedMs,
        inferenceMs: run.inferenceMs,
        batchSize: run.batchSize,
      });
    }
  }

  #drop(m: ModalityState, it: Item, reason: DropReason, error?: string): void {
    it.tensor = null;
    it.sensor.dropped[reason]++;
    m.counters.dropped[reason]++;
    this.#deps.onDrop(it.sample, reason, error);
  }

  #isIdle(): boolean {
    for (const m of this.#modalities.values())
      if (m.preparing || m.running || m.ready !== null || m.queue.size > 0) return false;
    return true;
  }

  #notifyIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
