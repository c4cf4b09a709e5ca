/**
 * Replays recordings through the real pipeline for `bindsight calibrate` (issue #9): replay
 * drivers → preprocessing → the pack's encoders → the rule engine, recording each rule's score
 * trace. Playback runs as fast as the encoders take it but on a virtual clock per sensor
 * (PacedClock), so capture times keep the recording's own timing (what `for`, `cooldown` and
 * false alarms per day are measured on), and nothing is dropped: each driver may run at most one
 * sample ahead of the reader. Several sensors play side by side from the same start time and are
 * merged in capture-time order, as the live agent would see them.
 */
import { createReplayDriver, type DriverLogger } from '../../drivers/replay/replay.js';
import type { Driver, Sample, SensorModality } from '../../drivers/types.js';
import { type ReplaySensorConfig, replaySensorSchema, type SensorConfig } from '../config/schema.js';
import type { LoadedPack } from '../encoders/pack.js';
import { errorMessage } from '../errors.js';
import { preprocessSample } from '../preprocess/index.js';
import type { Trace } from '../rules/calibrate.js';
import { type CompiledRule, RuleEngine, sampleSpanNs } from '../rules/engine.js';

/** Samples embedded per encoder run. */
const BATCH = 16;

/** Replay options carried over from the config's sensor (rates, window sizes, MCAP channels). */
const CARRIED = ['rate', 'width', 'height', 'window', 'hop', 'baseline_m', 'focal_px', 'channels'] as const;

/** A replay config that plays `files` as the config's sensor `sensor` would be read. */
export function replayConfigFor(sensor: SensorConfig, files: readonly string[]): ReplaySensorConfig {
  const source = sensor as unknown as Record<string, unknown>;
  const carried = Object.fromEntries(
    CARRIED.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]),
  );
  return replaySensorSchema.parse({
    ...(sensor.driver === 'replay' ? carried : {}),
    id: sensor.id,
    driver: 'replay',
    modality: sensor.modality,
    files: [...files],
  });
}

/** Wall-clock-free time for one replay driver: sleeping advances it, once the reader has caught up. */
class PacedClock {
  #now: number;
  #wake: (() => void) | undefined;

  constructor(
    startMs: number,
    private readonly caughtUp: () => boolean,
  ) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    while (!this.caughtUp() && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    this.#now += Math.max(0, ms);
  }

  /** The reader took a sample. */
  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

interface Stream {
  sensor: string;
  driver: Driver;
  clock: PacedClock;
  it: AsyncIterator<Sample>;
  head: Sample | undefined;
  pulled: number;
}

export interface TraceRun {
  /** Rule id → its values (threshold units) at capture times. */
  traces: Map<string, Trace>;
  /** Sensor id → samples embedded. */
  samples: Map<string, number>;
  /** Files skipped, samples that failed preprocessing, … */
  problems: string[];
}

/**
 * Plays `sensors` (each a replay config) side by side and returns every rule's trace. The rules
 * are scored but never turn on, so z-score baselines learn from the whole recording.
 */
export async function traceRecordings(
  pack: LoadedPack,
  rules: readonly CompiledRule[],
  sensors: readonly ReplaySensorConfig[],
): Promise<TraceRun> {
  const run: TraceRun = { traces: new Map(), samples: new Map(), problems: [] };
  const values = new Map<string, { t: bigint[]; values: number[] }>();
  for (const r of rules) values.set(r.id, { t: [], values: [] });
  const engine = new RuleEngine({
    rules: rules.map((r) => ({ ...r, enter: Infinity, exit: Infinity, when: undefined, key: undefined })),
    logitScale: pack.manifest.logitScale,
    logitBias: pack.manifest.logitBias,
    observer: {
      onScore: (rule, _score, value, t) => {
        const trace = values.get(rule)!;
        trace.t.push(t);
        trace.values.push(value);
      },
      onTransition: () => {},
    },
  });
  const startMs = Date.now();
  const logger: DriverLogger = { warn: (obj, msg) => run.problems.push(`${msg}: ${JSON.stringify(obj)}`) };
  const streams = sensors.map((cfg) => openStream(cfg, startMs, logger));
  try {
    for (const s of streams) await s.driver.start();
    for (const s of streams) await pull(s);
    for (;;) {
      const batch = await take(streams);
      if (batch.length === 0) break;
      await embedBatch(pack, batch, engine, run);
    }
  } finally {
    await Promise.all(streams.map((s) => s.driver.stop()));
  }
  const durations = new Map(streams.map((s) => [s.sensor, (s.clock.now() - startMs) / 1000]));
  for (const r of rules) {
    const durationS = Math.max(0, ...r.sensors.map((id) => durations.get(id) ?? 0));
    run.traces.set(r.id, { ...values.get(r.id)!, durationS });
  }
  return run;
}

function openStream(cfg: ReplaySensorConfig, startMs: number, logger: DriverLogger): Stream {
  let stream: Stream | undefined;
  const clock = new PacedClock(startMs, () => {
    if (!stream) return true;
    return stream.pulled >= (stream.driver.health().counters.samples ?? 0);
  });
  const driver = createReplayDriver(cfg, { clock, logger });
  stream = {
    sensor: cfg.id,
    driver,
    clock,
    it: driver.samples()[Symbol.asyncIterator](),
    head: undefined,
    pulled: 0,
  };
  return stream;
}

async function pull(s: Stream): Promise<void> {
  const r = await s.it.next();
  s.head = r.done ? undefined : r.value;
  if (!r.done) s.pulled++;
  s.clock.wake();
}

/** Up to BATCH samples, earliest capture time first across the streams. */
async function take(streams: readonly Stream[]): Promise<Sample[]> {
  const out: Sample[] = [];
  while (out.length < BATCH) {
    let next: Stream | undefined;
    for (const s of streams) if (s.head && (!next || s.head.t < next.head!.t)) next = s;
    if (!next?.head) break;
    out.push(next.head);
    await pull(next);
  }
  return out;
}

async function embedBatch(
  pack: LoadedPack,
  batch: Sample[],
  engine: RuleEngine,
  run: TraceRun,
): Promise<void> {
  const inputs = await Promise.all(
    batch.map((s) =>
      preprocessSample(s, pack.manifest.modalities[s.modality]!.preprocess).catch((err: unknown) => {
        run.problems.push(`sensor "${s.sensor}": sample dropped: ${errorMessage(err)}`);
        return undefined;
      }),
    ),
  );
  const embeddings = new Map<Sample, Float32Array>();
  const modalities = new Set<SensorModality>(batch.map((s) => s.modality));
  for (const m of modalities) {
    const picked = batch.flatMap((s, i) => (s.modality === m && inputs[i] ? [{ s, x: inputs[i] }] : []));
    if (picked.length === 0) continue;
    const out = await pack.encoders.get(m)!.embed(picked.map((p) => p.x));
    picked.forEach((p, i) => {
      embeddings.set(p.s, out[i]);
    });
  }
  for (const s of batch) {
    const e = embeddings.get(s);
    if (!e) continue;
    engine.observe(s.sensor, s.modality, s.t, e, sampleSpanNs(s));
    run.samples.set(s.sensor, (run.samples.get(s.sensor) ?? 0) + 1);
  }
}
