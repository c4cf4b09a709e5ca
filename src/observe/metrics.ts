/**
 * /metrics (issue #11): one prom-client Registry per agent (never the global default, so two
 * agents in one process or a test never share series), whose collectors read the agent's
 * stats at scrape time: nothing is counted twice and nothing runs between scrapes.
 *
 * Families: per sensor health, driver counters, sample rate, scheduler counters and drops; per
 * modality queue depth, batch sizes (histogram) and preprocess/inference/latency (summaries);
 * per rule score and state; event counts; the MQTT link and the outbox; overall health.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ModalityStats, SensorStats, SummarySnapshot } from '../scheduler/stats.js';
import type { HealthReport } from './health.js';
import type { LiveState } from './live.js';
import { type SummarySource, snapshotHistogram, snapshotSummary } from './promSnapshot.js';
import type { AgentView } from './types.js';

export interface MetricsDeps {
  agent: AgentView;
  live: LiveState;
  health: () => HealthReport;
  /** Constant labels of bindsight_info. */
  info: { node: string; version: string };
  /** Also export Node's process metrics (CPU, memory, event-loop lag). Default true. */
  processMetrics?: boolean;
}

type Labels = Record<string, string | number>;
type Read = () => Array<[Labels, number]>;

const HEALTH_STATES = ['ok', 'degraded', 'down'] as const;
const QUANTILES = [0.5, 0.9, 0.99] as const;

function gauge(registry: Registry, name: string, help: string, labelNames: string[], read: Read): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      // No data yet (e.g. a latency quantile before the first event) is left out rather than
      // written as NaN, which prom-client spells "Nan".
      for (const [labels, v] of read()) if (!Number.isNaN(v)) this.set(labels, v);
    },
  });
}

function counter(registry: Registry, name: string, help: string, labelNames: string[], read: Read): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, v] of read()) this.inc(labels, Math.max(0, v));
    },
  });
}

/** A scheduler summary in ms as a Prometheus summary in seconds. */
function seconds(labels: Labels, s: SummarySnapshot): SummarySource {
  const q = [s.p50, s.p90, s.p99];
  return {
    labels,
    count: s.count,
    sum: s.sum / 1000,
    quantiles: QUANTILES.map((quantile, i) => [quantile, q[i] / 1000] as const),
  };
}

export function createMetrics(deps: MetricsDeps): Registry {
  const registry = new Registry();
  if (deps.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'bindsight_' });
  gauge(registry, 'bindsight_info', 'the agent: node id and version', ['node', 'version'], () => [
    [deps.info, 1],
  ]);
  gauge(registry, 'bindsight_healthy', '1 when /healthz answers 200', [], () => [
    [{}, deps.health().status === 'healthy' ? 1 : 0],
  ]);
  sensorMetrics(registry, deps);
  modalityMetrics(registry, deps.agent);
  ruleMetrics(registry, deps);
  mqttMetrics(registry, deps.agent);
  workerMetrics(registry, deps.agent);
  return registry;
}

function workerMetrics(registry: Registry, agent: AgentView): void {
  const w = () => agent.health().workers;
  counter(
    registry,
    'bindsight_worker_restarts_total',
    'worker threads started again after dying or hanging (inference, preprocess)',
    ['worker'],
    () => {
      const x = w();
      const out: Array<[Labels, number]> = [];
      if (x?.inference) out.push([{ worker: 'inference' }, x.inference.restarts]);
      if (x?.preprocess) out.push([{ worker: 'preprocess' }, x.preprocess.restarts]);
      return out;
    },
  );
  counter(
    registry,
    'bindsight_inference_run_timeouts_total',
    'encoder runs not finished within models.runTimeoutMs (the batch fails, the worker restarts)',
    [],
    () => {
      const x = w()?.inference;
      return x ? [[{}, x.timeouts]] : [];
    },
  );
  gauge(
    registry,
    'bindsight_preprocess_fallback',
    '1 when preprocessing worker threads could not start and preprocessing runs on the event loop',
    [],
    () => {
      const x = w()?.preprocess;
      return x ? [[{}, x.fallback ? 1 : 0]] : [];
    },
  );
}

function sensorMetrics(registry: Registry, { agent, live }: MetricsDeps): void {
  const sensors = () => Object.entries(agent.health().sensors);
  const sched = () => Object.entries(agent.stats().scheduler?.sensors ?? {});
  gauge(
    registry,
    'bindsight_sensor_state',
    'driver health: 1 for the current state',
    ['sensor', 'state'],
    () =>
      sensors().flatMap(([sensor, h]) =>
        HEALTH_STATES.map((state): [Labels, number] => [{ sensor, state }, h.state === state ? 1 : 0]),
      ),
  );
  counter(
    registry,
    'bindsight_sensor_driver_events_total',
    "the driver's own counters (samples, errors, reconnects, …)",
    ['sensor', 'counter'],
    () =>
      sensors().flatMap(([sensor, h]) =>
        Object.entries(h.counters).map(([name, v]): [Labels, number] => [{ sensor, counter: name }, v]),
      ),
  );
  gauge(
    registry,
    'bindsight_sensor_samples_per_second',
    'samples the sensor delivered per second, over the last 10 s',
    ['sensor'],
    () => sensors().map(([sensor]) => [{ sensor }, live.sampleRate(sensor)]),
  );
  const schedCounter = (name: string, help: string, pick: (s: SensorStats) => number) =>
    counter(registry, name, help, ['sensor'], () => sched().map(([sensor, s]) => [{ sensor }, pick(s)]));
  schedCounter('bindsight_sensor_samples_total', 'samples handed to the scheduler', (s) => s.submitted);
  schedCounter('bindsight_sensor_encoded_total', 'samples run through the encoder', (s) => s.encoded);
  schedCounter(
    'bindsight_sensor_gated_total',
    'samples that reused the last embedding (barely changed)',
    (s) => s.gated,
  );
  schedCounter(
    'bindsight_sensor_rate_limited_total',
    "samples skipped by the sensor's everyMs",
    (s) => s.rateLimited,
  );
  counter(
    registry,
    'bindsight_sensor_dropped_total',
    'samples dropped, by reason',
    ['sensor', 'reason'],
    () =>
      sched().flatMap(([sensor, s]) =>
        Object.entries(s.dropped).map(([reason, v]): [Labels, number] => [{ sensor, reason }, v]),
      ),
  );
  gauge(
    registry,
    'bindsight_sensor_queue_depth',
    'samples of the sensor waiting for the encoder',
    ['sensor'],
    () => sched().map(([sensor, s]) => [{ sensor }, s.queued]),
  );
}

function modalityMetrics(registry: Registry, agent: AgentView): void {
  const mods = () => Object.entries(agent.stats().scheduler?.modalities ?? {});
  gauge(
    registry,
    'bindsight_modality_queue_depth',
    'samples of the modality waiting for the encoder',
    ['modality'],
    () => mods().map(([modality, m]) => [{ modality }, m.queued]),
  );
  counter(registry, 'bindsight_encoder_runs_total', 'encoder runs (batches)', ['modality'], () =>
    mods().map(([modality, m]) => [{ modality }, m.batches]),
  );
  registry.registerMetric(
    snapshotHistogram({ name: 'bindsight_encoder_batch_size', help: 'inputs per encoder run' }, () =>
      mods().map(([modality, m]) => ({
        labels: { modality },
        buckets: m.batchSizes.slice(1).map((n, i) => [i + 1, n] as const),
        sum: m.batchSizes.reduce((a, n, size) => a + n * size, 0),
      })),
    ),
  );
  const summary = (name: string, help: string, pick: (m: ModalityStats) => SummarySnapshot) =>
    registry.registerMetric(
      snapshotSummary({ name, help }, () => mods().map(([modality, m]) => seconds({ modality }, pick(m)))),
    );
  summary(
    'bindsight_encoder_inference_seconds',
    'one encoder run (quantiles over the recent 1024)',
    (m) => m.inferenceMs,
  );
  summary('bindsight_preprocess_seconds', 'preprocessing one sample', (m) => m.preprocessMs);
  summary('bindsight_queue_wait_seconds', 'queue entry to the start of the encoder run', (m) => m.waitMs);
  summary(
    'bindsight_embedding_latency_seconds',
    'capture to embedding handed to the rules',
    (m) => m.latencyMs,
  );
  registry.registerMetric(
    snapshotSummary(
      {
        name: 'bindsight_event_latency_seconds',
        help: 'capture of the causing sample to the event handed to the publisher',
      },
      () => {
        const s = agent.stats().scheduler?.eventLatencyMs;
        return s ? [seconds({}, s)] : [];
      },
    ),
  );
}

function ruleMetrics(registry: Registry, { agent, live }: MetricsDeps): void {
  gauge(registry, 'bindsight_rule_score', "the rule's latest fused score, 0–1", ['rule'], () =>
    agent.stats().rules.map((r) => [{ rule: r.id }, r.score]),
  );
  gauge(registry, 'bindsight_rule_active', '1 while the rule is on', ['rule'], () =>
    agent.stats().rules.map((r) => [{ rule: r.id }, r.on ? 1 : 0]),
  );
  counter(
    registry,
    'bindsight_rule_reloads_total',
    'rule reloads (config file, rules command): applied, or refused with the running rules kept',
    ['result'],
    () => {
      const u = agent.health().ruleUpdates;
      return u
        ? [
            [{ result: 'applied' }, u.applied],
            [{ result: 'refused' }, u.refused],
          ]
        : [];
    },
  );
  counter(
    registry,
    'bindsight_events_total',
    'events published, by rule and type (start, update, end)',
    ['rule', 'type'],
    () =>
      [...live.eventCounts()].flatMap(([rule, types]) =>
        [...types].map(([type, n]): [Labels, number] => [{ rule, type }, n]),
      ),
  );
}

function mqttMetrics(registry: Registry, agent: AgentView): void {
  const p = () => agent.stats().publisher;
  const one = (v: number | undefined): Array<[Labels, number]> => (v === undefined ? [] : [[{}, v]]);
  gauge(registry, 'bindsight_mqtt_connected', '1 while the broker link is up', [], () =>
    one(p() ? (p()!.connected ? 1 : 0) : undefined),
  );
  counter(registry, 'bindsight_mqtt_published_total', 'messages written to the broker', [], () =>
    one(p()?.published),
  );
  counter(registry, 'bindsight_mqtt_acked_total', 'QoS-1 messages acknowledged', [], () => one(p()?.acked));
  counter(
    registry,
    'bindsight_mqtt_dropped_total',
    'QoS-1 messages given up (outbox bounds, write failure)',
    [],
    () => one(p()?.dropped),
  );
  counter(registry, 'bindsight_mqtt_resent_total', 'messages written again after a reconnect', [], () =>
    one(p()?.resent),
  );
  counter(registry, 'bindsight_mqtt_reconnects_total', 'broker connections re-established', [], () =>
    one(p()?.reconnects),
  );
  gauge(registry, 'bindsight_mqtt_in_flight', 'QoS-1 messages written, awaiting PUBACK', [], () =>
    one(p()?.inFlight),
  );
  gauge(registry, 'bindsight_outbox_messages', 'messages in the outbox (waiting or in flight)', [], () =>
    one(p()?.outbox.messages),
  );
  gauge(registry, 'bindsight_outbox_bytes', 'bytes (topics + payloads) in the outbox', [], () =>
    one(p()?.outbox.bytes),
  );
}
