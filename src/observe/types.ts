/**
 * What src/observe (health, metrics, the live page, the systemd watchdog; issue #11) reads from
 * the agent: read-only views, never the stages themselves (style.md "Reaching into private
 * state": expose stats()/health() instead). src/agent.ts implements AgentView; nothing here
 * imports the agent, so observe and agent cannot form an import cycle.
 */
import type { DriverHealth, SensorModality } from '../../drivers/types.js';
import type { PreprocessPoolStats } from '../preprocess/workerPool.js';
import type { PublisherStats } from '../publish/publisher.js';
import type { CompiledRule, RuleSnapshot } from '../rules/engine.js';
import type { RuleUpdateStats } from '../rules/updates.js';
import type { SchedulerStats } from '../scheduler/scheduler.js';

export interface SensorHealthView extends DriverHealth {
  modality: SensorModality;
  /** The config's driver name (replay, mlx90640, ffmpeg, …). */
  driver: string;
}

export interface BrokerHealthView {
  /** The MQTT link has its CONNACK now. */
  connected: boolean;
  /** Failed connection attempts since the last success. */
  failedAttempts: number;
  reconnects: number;
}

export interface ModelHealthView {
  state: 'ok' | 'degraded';
  /** What was seen (NaN/Inf outputs, norms out of range, collapsed embeddings), empty when ok. */
  reason: string;
}

export interface AgentHealth {
  /** Every configured sensor, by id (empty before the sensors are started). */
  sensors: Record<string, SensorHealthView>;
  broker: BrokerHealthView;
  /** Embedding health of each loaded encoder, by modality (src/encoders/health.ts). */
  models: Record<string, ModelHealthView>;
  /** Worker threads started again after dying or hanging; absent before they start. */
  workers?: WorkerHealthView;
  /** Rule reloads applied and refused (a refusal keeps the running rules: not unhealthy). */
  ruleUpdates?: RuleUpdateStats;
}

export interface WorkerHealthView {
  /** The inference worker (models.inferenceWorker); absent when encoders run on the event loop. */
  inference?: { restarts: number; timeouts: number };
  /** The preprocessing pool (scheduler.workers); absent with 0 workers. */
  preprocess?: Pick<PreprocessPoolStats, 'size' | 'restarts' | 'failed' | 'fallback'>;
}

export interface AgentStats {
  scheduler: SchedulerStats | undefined;
  publisher: PublisherStats | undefined;
  rules: RuleSnapshot[];
}

/** The pack's text side, for the live page's prompt box. */
export interface TextPrompts {
  /** Unit-norm embeddings, in order (the pack's text encoder and prompt cache). */
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  /** Words of `text` the pack's tokenizer does not know; they are ignored when embedding. */
  unknownWords(text: string): string[];
  logitScale: number;
  logitBias: number;
  /** The pack's name@version. */
  model: string;
}

export interface AgentView {
  health(): AgentHealth;
  stats(): AgentStats;
  /** The rules as they run now (after hot reloads): prompts, thresholds, contrast vectors. */
  rules(): readonly CompiledRule[];
  /** Undefined before the model pack is loaded or when it has no text encoder. */
  textPrompts(): TextPrompts | undefined;
}

/** Hooks the agent calls as it works, for the live page and metrics. */
export interface AgentTap {
  /** A sensor's embedding, as it is handed to the rules. */
  onEmbedding?(sensor: string, modality: SensorModality, t: bigint, embedding: Float32Array): void;
  /** Every fused rule score: 0–1 on the wire, `value` in threshold units, at capture time t (ns). */
  onScore?(rule: string, score: number, value: number, t: bigint): void;
}
