/**
 * The composition root (DESIGN.md, style.md §15): builds every stage from the config and
 * wires them — drivers → scheduler (preprocess + encoders) → rules → publisher. Start runs
 * in order and stops, in reverse, whatever had started; each stop step is isolated so one
 * failure does not leave the others running.
 */
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { createDriver, type DriverDeps } from '../drivers/registry.js';
import type { Driver, HealthState, Modality, Sample, SensorModality } from '../drivers/types.js';
import type { Config, SensorConfig } from './config/schema.js';
import type { HaDiscovery } from './discovery/discovery.js';
import { type LoadedPack, loadPack } from './encoders/pack.js';
import { defaultCacheDir } from './encoders/prompt-cache.js';
import { BindsightError, errorMessage } from './errors.js';
import type { Logger } from './observe/logger.js';
import type { AgentHealth, AgentStats, AgentTap, TextPrompts, WorkerHealthView } from './observe/types.js';
import { preprocessSample } from './preprocess/index.js';
import { PreprocessPool } from './preprocess/workerPool.js';
import { type BindsightEvent, createEvent } from './publish/event.js';
import type { Publisher } from './publish/publisher.js';
import { startPublishing } from './publish/start.js';
import { rulesCommandTopics } from './rules/command.js';
import { compileRules } from './rules/compile.js';
import type { RuleConfig } from './rules/config.js';
import { packPromptEmbedder } from './rules/embedder.js';
import { type CompiledRule, RuleEngine, type RuleTransition, sampleSpanNs } from './rules/engine.js';
import { RuleUpdates } from './rules/updates.js';
import { DropLog } from './scheduler/dropLog.js';
import { sensorPolicies } from './scheduler/policy.js';
import { Scheduler, type SchedulerStats } from './scheduler/scheduler.js';

export interface AgentDeps {
  config: Config;
  logger: Logger;
  /** Called for every event as it is handed to the publisher (the console printer). */
  onEvent?: (e: BindsightEvent) => void;
  /** The config file: watched for rule changes (issue #9); its folder resolves paths in rule commands. */
  configFile?: string;
  /** Sees every sample a sensor emits, before the scheduler (the MCAP recorder of `run --record`, issue #7). */
  onSample?: (sample: Sample) => void;
  /** Sees embeddings and rule scores as they are made (the live page and metrics, issue #11). */
  tap?: AgentTap;
  /** Bus openers for the drivers (tests pass emulators; style.md §1); default the real devices. */
  drivers?: Omit<DriverDeps, 'logger'>;
}

interface SensorRuntime {
  cfg: SensorConfig;
  driver: Driver;
  pump?: Promise<void>;
  status?: HealthState;
}

export class Agent {
  readonly #config: Config;
  readonly #log: Logger;
  readonly #onEvent: (e: BindsightEvent) => void;
  readonly #stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  readonly #sensors = new Map<string, SensorRuntime>();
  #pack?: LoadedPack;
  #publisher?: Publisher;
  #discovery?: HaDiscovery;
  #scheduler?: Scheduler;
  #engine?: RuleEngine;
  #pool?: PreprocessPool;
  #updates?: RuleUpdates;
  #healthTimer?: NodeJS.Timeout;
  #stopping?: Promise<void>;
  #compiled: CompiledRule[] = [];
  readonly #configFile: string | undefined;
  readonly #onSample: ((sample: Sample) => void) | undefined;
  readonly #tap: AgentTap;
  readonly #driverDeps: Omit<DriverDeps, 'logger'>;

  constructor(deps: AgentDeps) {
    this.#config = deps.config;
    this.#log = deps.logger;
    this.#onEvent = deps.onEvent ?? (() => {});
    this.#configFile = deps.configFile;
    this.#onSample = deps.onSample;
    this.#tap = deps.tap ?? {};
    this.#driverDeps = deps.drivers ?? {};
  }

  async start(): Promise<void> {
    try {
      await this.#startModels();
      await this.#compileRules();
      await this.#startPublisher();
      this.#startPipeline();
      this.#startRuleUpdates();
      await this.#startSensors();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.#log.info(
      { node: this.#config.node, sensors: this.#sensors.size, rules: this.#config.rules.length },
      'agent started',
    );
  }

  /** Resolves when every sensor stream has ended (recordings played out) and the pipeline is idle. */
  async finished(): Promise<void> {
    await Promise.all([...this.#sensors.values()].map((s) => s.pump));
    await this.#scheduler?.idle();
  }

  /** The scheduler's counters and timings (queues, drops, batches, latency), for metrics. */
  schedulerStats(): SchedulerStats | undefined {
    return this.#scheduler?.stats();
  }

  /** Sensor and broker-link health, read-only (src/observe: /healthz, metrics, the live page). */
  health(): AgentHealth {
    const sensors: AgentHealth['sensors'] = {};
    for (const [id, s] of this.#sensors)
      sensors[id] = { ...s.driver.health(), modality: s.cfg.modality, driver: s.cfg.driver };
    const p = this.#publisher?.stats();
    const broker = { connected: p?.connected ?? false, failedAttempts: p?.failedAttempts ?? 0 };
    const models: AgentHealth['models'] = {};
    for (const [m, h] of Object.entries(this.#pack?.health() ?? {}))
      if (h) models[m] = { state: h.state, reason: h.reason };
    const workers: WorkerHealthView = {};
    const inference = this.#pack?.inferenceWorkerStats();
    if (inference) workers.inference = inference;
    const pool = this.#pool?.stats();
    if (pool) {
      const { size, restarts, failed, fallback } = pool;
      workers.preprocess = { size, restarts, failed, fallback };
    }
    return {
      sensors,
      broker: { ...broker, reconnects: p?.reconnects ?? 0 },
      models,
      workers,
      ...(this.#updates ? { ruleUpdates: this.#updates.stats() } : {}),
    };
  }

  /** Counters of the scheduler, the publisher and the rules, read at scrape time (/metrics). */
  stats(): AgentStats {
    const rules = this.#engine?.snapshot() ?? [];
    return { scheduler: this.#scheduler?.stats(), publisher: this.#publisher?.stats(), rules };
  }

  /** The rules as they run now, hot reloads included (the live page's thresholds). */
  rules(): readonly CompiledRule[] {
    return this.#compiled;
  }

  /** The pack's text encoder, for the live page's prompt box; undefined before start or without one. */
  textPrompts(): TextPrompts | undefined {
    const pack = this.#pack;
    if (!pack?.encoders.has('text')) return undefined;
    return {
      embedTexts: (texts) => pack.embedTexts(texts),
      unknownWords: (text) => pack.tokenizer?.unknownWords(text) ?? [],
      logitScale: pack.manifest.logitScale,
      logitBias: pack.manifest.logitBias,
      model: `${pack.manifest.name}@${pack.manifest.version}`,
    };
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async #startModels(): Promise<void> {
    const { models, sensors } = this.#config;
    const pack = await loadPack(models.pack, {
      providers: models.providers,
      intraOpThreads: models.threads.intraOp,
      interOpThreads: models.threads.interOp,
      deviceId: models.deviceId,
      verifyHashes: models.verifyHashes,
      // Sensor encoders on a worker thread: ORT's session.run blocks its thread (issue #8).
      inferenceWorker: models.inferenceWorker,
      runTimeoutMs: models.runTimeoutMs,
      // Only the encoders the sensors and text prompts need (an ImageBind pack is gigabytes); an
      // example-file prompt of another modality opens its encoder when it is compiled.
      modalities: [...new Set<Modality>([...sensors.map((s) => s.modality), 'text'])],
      promptCacheDir: models.promptCache ? (models.cacheDir ?? defaultCacheDir()) : undefined,
      logger: this.#log,
    });
    this.#pack = pack;
    this.#stops.push({ name: 'model pack', stop: () => pack.close() });
    const missing = sensors.filter((s) => !pack.encoders.has(s.modality));
    if (missing.length > 0) {
      const have = [...pack.encoders.keys()].join(', ');
      throw new BindsightError(
        'PACK_INVALID',
        `model pack "${pack.manifest.name}" (${models.pack}) has no ${missing[0].modality} encoder for sensor "${missing[0].id}"; it has: ${have}`,
        { sensors: missing.map((s) => s.id) },
      );
    }
    if (this.#config.rules.length > 0 && !pack.encoders.has('text')) {
      throw new BindsightError(
        'PACK_INVALID',
        `model pack "${pack.manifest.name}" has no text encoder, so rules cannot use text prompts`,
      );
    }
  }

  /** Embedded broker, outbox, credentials, publisher and discovery: src/publish/start.ts (issue #10). */
  async #startPublisher(): Promise<void> {
    const { mqtt, node, rules, sensors } = this.#config;
    const publishing = await startPublishing({ node, mqtt, rules, sensors }, this.#log);
    this.#stops.push({ name: 'publisher', stop: () => publishing.stop() });
    this.#publisher = publishing.publisher;
    this.#discovery = publishing.discovery;
    this.#log.info({ url: publishing.url, prefix: mqtt.prefix, node }, 'MQTT publisher started');
  }

  #startPipeline(): void {
    const pack = this.#pack!;
    const model = `${pack.manifest.name}@${pack.manifest.version}`;
    this.#engine = new RuleEngine({
      rules: this.#compiled,
      logitScale: pack.manifest.logitScale,
      logitBias: pack.manifest.logitBias,
      observer: {
        onScore: (rule, score, value, t) => {
          this.#publisher?.publishScore(rule, score);
          this.#tap.onScore?.(rule, score, value, t);
        },
        onTransition: (tr) => this.#emit(tr, model),
      },
    });
    for (const rule of this.#config.rules) void this.#publisher?.publishRuleState(rule.id, false);
    // Stops run in reverse: this one after the drivers and the scheduler (no more readings) and
    // before the publisher, so an episode still on at shutdown gets its end event and state OFF.
    const engine = this.#engine;
    this.#stops.push({ name: 'open episodes', stop: () => engine.endAll() });
    const { scheduler: sc, sensors, rules } = this.#config;
    const modalitySpec = (m: SensorModality) => pack.manifest.modalities[m]!.preprocess;
    // Heavy preprocessing (decode, resize, fbank) runs on worker threads, off the event loop.
    const workers = sc.workers ?? Math.min(2, availableParallelism());
    const pool =
      workers > 0 ? new PreprocessPool({ size: workers, onWarn: (f, m) => this.#log.warn(f, m) }) : null;
    if (pool) this.#stops.push({ name: 'preprocess workers', stop: () => pool.close() });
    this.#pool = pool ?? undefined;
    const drops = new DropLog(this.#log);
    this.#scheduler = new Scheduler({
      ...sc,
      sensors: sensorPolicies(sensors, rules),
      backend: {
        preprocess: (s: Sample) =>
          pool ? pool.run(s, modalitySpec(s.modality)) : preprocessSample(s, modalitySpec(s.modality)),
        embed: (m, inputs) => pack.encoders.get(m)!.embed(inputs),
        inputShape: (m) => pack.encoders.get(m)?.sampleShape ?? null,
      },
      onEmbedding: (s, e) => {
        drops.delivered(s);
        this.#tap.onEmbedding?.(s.sensor, s.modality, s.t, e);
        this.#engine!.observe(s.sensor, s.modality, s.t, e, sampleSpanNs(s));
      },
      onDrop: (s, reason, error) => drops.dropped(s, reason, error),
    });
    this.#stops.push({ name: 'scheduler', stop: () => this.#scheduler!.stop() });
  }

  async #startSensors(): Promise<void> {
    for (const cfg of this.#config.sensors) {
      const driver = createDriver(cfg, { ...this.#driverDeps, logger: this.#log.child({ sensor: cfg.id }) });
      this.#sensors.set(cfg.id, { cfg, driver });
    }
    this.#stops.push({
      name: 'sensors',
      stop: async () => {
        await Promise.all([...this.#sensors.values()].map((s) => s.driver.stop()));
        await Promise.all([...this.#sensors.values()].map((s) => s.pump));
      },
    });
    for (const s of this.#sensors.values()) await s.driver.start();
    for (const s of this.#sensors.values()) s.pump = this.#pump(s);
    this.#publishHealth();
    this.#healthTimer = setInterval(() => this.#publishHealth(), 1000);
    this.#stops.push({ name: 'health', stop: () => clearInterval(this.#healthTimer) });
  }

  async #compileRules(): Promise<void> {
    this.#compiled = await this.#compile(this.#config.rules);
  }

  #compile(rules: readonly RuleConfig[]): Promise<CompiledRule[]> {
    const pack = this.#pack!;
    return compileRules(rules, packPromptEmbedder(pack), (w) =>
      this.#log.warn(
        w,
        `prompt has words model pack "${pack.manifest.name}" does not know; they are ignored`,
      ),
    );
  }

  /** Hot reload of rules from the watched config file and the retained rules command topic (issue #9). */
  #startRuleUpdates(): void {
    const config = this.#config;
    const known = new Set(config.rules.map((r) => r.id));
    const updates = new RuleUpdates({
      config,
      configDir: this.#configFile ? dirname(this.#configFile) : process.cwd(),
      compile: (rules) => this.#compile(rules),
      apply: (rules, compiled) => {
        this.#engine?.replaceRules(compiled);
        this.#compiled = compiled;
        for (const r of rules) if (!known.has(r.id)) void this.#publisher?.publishRuleState(r.id, false);
        for (const r of rules) known.add(r.id);
        this.#discovery?.update(rules, config.sensors);
      },
      logger: this.#log,
    });
    this.#stops.push({ name: 'rule updates', stop: () => updates.close() });
    this.#updates = updates;
    if (this.#configFile) updates.watch(this.#configFile);
    const publisher = this.#publisher;
    if (!publisher) return;
    const topics = rulesCommandTopics(publisher.topics.status);
    const sensors = config.sensors.map((s) => s.id);
    publisher.subscribe(topics.set, (payload) => {
      void updates.command(payload, sensors).then((result) => {
        if (result) void publisher.publishReply(topics.result, JSON.stringify(result));
      });
    });
  }

  async #pump(s: SensorRuntime): Promise<void> {
    try {
      // Rate limits (everyMs), fairness and drops are the scheduler's. A replay with
      // `realtime: false` waits for room instead, so it loses nothing.
      const wait = 'realtime' in s.cfg && s.cfg.realtime === false;
      for await (const sample of s.driver.samples()) {
        if (wait) await this.#scheduler?.room(sample.sensor);
        this.#onSample?.(sample);
        this.#scheduler?.submit(sample);
      }
    } catch (err) {
      this.#log.error({ sensor: s.cfg.id, error: errorMessage(err) }, 'sensor stream failed');
    }
  }

  #publishHealth(): void {
    for (const [id, s] of this.#sensors) {
      const { state, lastError } = s.driver.health();
      if (state === s.status) continue;
      s.status = state;
      const level = state === 'ok' ? 'info' : 'warn';
      this.#log[level]({ sensor: id, state, lastError }, 'sensor status');
      void this.#publisher?.publishSensorStatus(id, state);
    }
  }

  #emit(tr: RuleTransition, model: string): void {
    const event = createEvent({
      node: this.#config.node,
      rule: tr.rule,
      prompt: tr.prompt,
      type: tr.type,
      score: tr.score,
      sensors: tr.sensors,
      modality: tr.modalities,
      t: tr.t,
      model,
      episode: tr.episode,
      z: tr.z,
      durationS: tr.durationS,
      peak: tr.peak,
    });
    this.#scheduler?.observeEvent(tr.t, tr.sensors[0]);
    // Into the outbox first (synchronously, durably), then printed: a printed event is never lost.
    void this.#publisher?.publishEvent(event);
    this.#onEvent(event);
    void this.#publisher?.publishRuleState(tr.rule, tr.type !== 'end');
  }

  async #stopAll(): Promise<void> {
    for (const { name, stop } of this.#stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        this.#log.error({ stage: name, error: errorMessage(err) }, 'stop failed');
      }
    }
  }
}

/** Never log credentials embedded in a broker URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
