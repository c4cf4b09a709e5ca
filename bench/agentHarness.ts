/**
 * The whole agent as the benchmarks run it (issue #12): a YAML config written to a temporary
 * folder and read by the real loader, src/agent.ts's Agent (replay drivers → preprocessing
 * workers → scheduler → encoders → rules → publisher with its durable outbox → the embedded MQTT
 * broker on a loopback port), and an MQTT subscriber on that port counting what arrives, so the
 * broker leg is exercised end to end.
 *
 * Latency split: the agent's tap sees every embedding as it is handed to the rules. All
 * embeddings of one encoder run are handed over in one synchronous loop right after the scheduler
 * has recorded the run (src/scheduler/scheduler.ts #encode → #deliver), so the run's duration is
 * the growth of the modality's inferenceMs sum since the previous run; capture → rules minus that
 * is the part of the latency that is not inference.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import type { SensorModality } from '../drivers/types.js';
import { Agent } from '../src/agent.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/observe/logger.js';

/** A loopback TCP port that was free a moment ago (the embedded broker binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface HarnessOptions {
  /** Folder for the config file and the outbox. */
  dir: string;
  pack: string;
  sensors: readonly object[];
  rules: readonly object[];
  scheduler?: object;
  /** Track per-embedding latency (capture → rules) and its non-inference part. */
  trackLatency?: boolean;
  /** models.inferenceWorker: sensor encoders on a worker thread (the default) or on the event loop. */
  inferenceWorker?: boolean;
}

export interface LatencySample {
  /** Capture (end of the sample's span) → handed to the rules, ms. */
  total: number;
  /** total minus the encoder run the embedding came from, ms. */
  notInference: number;
}

export interface Harness {
  agent: Agent;
  port: number;
  /** MQTT messages the loopback subscriber received so far. */
  received(): number;
  /** Per-embedding latencies since start (empty unless trackLatency). */
  latencies(): readonly LatencySample[];
  /** Every encoder run's hand-over to the rules so far. */
  deliveries(): readonly Delivery[];
  stop(): Promise<void>;
}

/** When each encoder run's embeddings were handed to the rules, and how many there were. */
export interface Delivery {
  at: number;
  modality: SensorModality;
  size: number;
}

function deliveryTracker(getAgent: () => Agent | undefined, trackLatency: boolean) {
  const samples: LatencySample[] = [];
  const deliveries: Delivery[] = [];
  const lastSum = new Map<string, number>();
  let runMs = 0;
  let current: Delivery | null = null;
  const onEmbedding = (_sensor: string, modality: SensorModality, t: bigint) => {
    const now = Date.now();
    if (current === null) {
      // First embedding of this run: note the run, read its duration once; reset after the loop.
      current = { at: performance.now(), modality, size: 0 };
      deliveries.push(current);
      queueMicrotask(() => {
        current = null;
      });
      if (trackLatency) {
        const sum = getAgent()?.schedulerStats()?.modalities[modality]?.inferenceMs.sum ?? 0;
        runMs = sum - (lastSum.get(modality) ?? 0);
        lastSum.set(modality, sum);
      }
    }
    current.size++;
    if (!trackLatency) return;
    const total = now - Number(t / 1_000_000n);
    samples.push({ total, notInference: Math.max(0, total - runMs) });
  };
  return { samples, deliveries, onEmbedding };
}

export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const port = await freePort();
  const config = {
    version: 1,
    node: 'bench',
    // The prompt cache goes into the run's folder, never the user's ~/.cache.
    models: {
      pack: o.pack,
      providers: ['cpu'],
      cacheDir: join(o.dir, 'cache'),
      ...(o.inferenceWorker === undefined ? {} : { inferenceWorker: o.inferenceWorker }),
    },
    sensors: o.sensors,
    rules: o.rules,
    ...(o.scheduler ? { scheduler: o.scheduler } : {}),
    mqtt: {
      url: 'embedded',
      embedded: { host: '127.0.0.1', port },
      outbox: { path: join(o.dir, 'outbox.sqlite') },
    },
  };
  const file = join(o.dir, 'bench.yaml');
  await writeFile(file, stringify(config));
  const loaded = await loadConfig(file);
  let agent: Agent | undefined;
  const tracker = deliveryTracker(() => agent, o.trackLatency === true);
  agent = new Agent({
    config: loaded.config,
    logger: createLogger({ level: 'error' }),
    tap: { onEmbedding: tracker.onEmbedding },
  });
  await agent.start();
  let received = 0;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'bench-subscriber' });
  client.on('message', () => {
    received++;
  });
  await client.subscribeAsync('#');
  const running = agent;
  return {
    agent: running,
    port,
    received: () => received,
    latencies: () => tracker.samples,
    deliveries: () => tracker.deliveries,
    stop: async () => {
      await running.stop();
      await client.endAsync();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Samples of `modality` embedded per second, after `warmMs` of running: from the first to the last
 * encoder run that completes in a window of at least `windowMs` holding at least 3 runs (the window
 * grows up to 4 × windowMs to get them), counting the samples of every run after the first. Timing
 * whole runs rather than counting samples in a fixed window keeps a slow model's few large batches
 * from quantising the rate.
 */
export async function encodedRate(
  h: Harness,
  modality: SensorModality,
  warmMs: number,
  windowMs: number,
): Promise<number> {
  return (await encodedRateAndCpu(h, modality, warmMs, windowMs)).rate;
}

/**
 * encodedRate, and the CPU time of the whole process (every thread: event loop, preprocessing
 * workers, the inference worker and ONNX Runtime's pool, libuv and libvips) per sample embedded
 * over the same window.
 */
export async function encodedRateAndCpu(
  h: Harness,
  modality: SensorModality,
  warmMs: number,
  windowMs: number,
): Promise<{ rate: number; cpuMsPerSample: number }> {
  await sleep(warmMs);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const runs = () => h.deliveries().filter((d) => d.modality === modality && d.at > t0);
  while (performance.now() - t0 < windowMs || (runs().length < 3 && performance.now() - t0 < 4 * windowMs))
    await sleep(20);
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  const rs = runs();
  if (rs.length < 2) return { rate: Number.NaN, cpuMsPerSample: Number.NaN };
  const samples = rs.slice(1).reduce((n, d) => n + d.size, 0);
  const rate = samples / ((rs[rs.length - 1].at - rs[0].at) / 1000);
  return { rate, cpuMsPerSample: (cpu.user + cpu.system) / 1000 / (rate * wallS) };
}

/** Replay sensors for `files`: one camera each, JPEGs played as fast as the pipeline takes them. */
export function replayCameras(
  groups: readonly (readonly string[])[],
  o: { realtime?: boolean; rate?: number } = {},
) {
  return groups.map((files, i) => ({
    id: `cam${i}`,
    driver: 'replay',
    modality: 'vision',
    files: [...files],
    loop: true,
    realtime: o.realtime ?? false,
    ...(o.rate ? { rate: o.rate } : {}),
  }));
}
