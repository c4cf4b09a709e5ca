/**
 * The composition root (DESIGN.md, style.md §15): builds every stage from the config and
 * wires them — drivers → scheduler (preprocess + encoders) → rules → publisher. Start runs
 * in order and stops, in reverse, whatever had started; each stop step is isolated so one
 * failure does not leave the others running.
 */
import { createDriver } from '../drivers/registry.js';
import type { Driver, HealthState, Sample, SensorModality } from '../drivers/types.js';
import type { Config, SensorConfig } from './config/schema.js';
import { type LoadedPack, loadPack } from './encoders/pack.js';
import { BindsightError, errorMessage } from './errors.js';
import type { Logger } from './observe/logger.js';
import { preprocessSample } from './preprocess/index.js';
import { startEmbeddedBroker } from './publish/broker.js';
import { type BindsightEvent, createEvent } from './publish/event.js';
import { Publisher } from './publish/publisher.js';
import { compileRules, type TextEmbedder } from './rules/compile.js';
import { type CompiledRule, RuleEngine, type RuleTransition } from './rules/engine.js';
import { Scheduler } from './scheduler/scheduler.js';

export interface AgentDeps {
  config: Config;
  logger: Logger;
  /** Called for every event as it is handed to the publisher (the console printer). */
  onEvent?: (e: BindsightEvent) => void;
}

interface SensorRuntime {
  cfg: SensorConfig;
  driver: Driver;
  pump?: Promise<void>;
  lastEncodeMs: number;
  skipped: number;
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
  #scheduler?: Scheduler;
  #engine?: RuleEngine;
  #healthTimer?: NodeJS.Timeout;
  #stopping?: Promise<void>;
  #compiled: CompiledRule[] = [];

  constructor(deps: AgentDeps) {
    this.#config = deps.config;
    this.#log = deps.logger;
    this.#onEvent = deps.onEvent ?? (() => {});
  }

  async start(): Promise<void> {
    try {
      await this.#startModels();
      await this.#compileRules();
      await this.#startPublisher();
      this.#startPipeline();
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

  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async #startModels(): Promise<void> {
    const { models, sensors } = this.#config;
    const pack = await loadPack(models.pack, { providers: models.providers, logger: this.#log });
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

  async #startPublisher(): Promise<void> {
    const { mqtt, node } = this.#config;
    let url = mqtt.url;
    if (url === 'embedded') {
      const broker = await startEmbeddedBroker(mqtt.embedded);
      this.#stops.push({ name: 'embedded broker', stop: () => broker.close() });
      url = broker.url;
      this.#log.info({ url }, 'embedded MQTT broker listening');
    }
    const publisher = new Publisher({
      url,
      prefix: mqtt.prefix,
      node,
      username: mqtt.username,
      password: mqtt.password,
      clientId: mqtt.clientId,
      scoreIntervalMs: mqtt.scoreIntervalMs,
      logger: this.#log,
    });
    this.#stops.push({ name: 'publisher', stop: () => publisher.close() });
    await publisher.connect();
    this.#publisher = publisher;
    this.#log.info({ url: redactUrl(url), prefix: mqtt.prefix, node }, 'MQTT connected');
  }

  #startPipeline(): void {
    const pack = this.#pack!;
    const model = `${pack.manifest.name}@${pack.manifest.version}`;
    this.#engine = new RuleEngine({
      rules: this.#compiled,
      logitScale: pack.manifest.logitScale,
      logitBias: pack.manifest.logitBias,
      observer: {
        onScore: (rule, score) => this.#publisher?.publishScore(rule, score),
        onTransition: (tr) => this.#emit(tr, model),
      },
    });
    for (const rule of this.#config.rules) void this.#publisher?.publishRuleState(rule.id, false);
    const { scheduler: sc } = this.#config;
    const modalitySpec = (m: SensorModality) => pack.manifest.modalities[m]!.preprocess;
    this.#scheduler = new Scheduler({
      ...sc,
      backend: {
        preprocess: (s: Sample) => preprocessSample(s, modalitySpec(s.modality)),
        embed: (m, inputs) => pack.encoders.get(m)!.embed(inputs),
      },
      onEmbedding: (s, e) => this.#engine!.observe(s.sensor, s.modality, s.t, e),
      onDrop: (s, reason, error) =>
        this.#log.warn({ sensor: s.sensor, modality: s.modality, reason, error }, 'sample dropped'),
    });
    this.#stops.push({ name: 'scheduler', stop: () => this.#scheduler!.stop() });
  }

  async #startSensors(): Promise<void> {
    for (const cfg of this.#config.sensors) {
      const driver = createDriver(cfg, { logger: this.#log.child({ sensor: cfg.id }) });
      this.#sensors.set(cfg.id, { cfg, driver, lastEncodeMs: Number.NEGATIVE_INFINITY, skipped: 0 });
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
    const pack = this.#pack!;
    const tokenizer = pack.tokenizer;
    const embedder: TextEmbedder = {
      packName: pack.manifest.name,
      embedTexts: (texts) => pack.embedTexts(texts),
      unknownWords: (text) => tokenizer?.unknownWords(text) ?? [],
      knownWords: () => tokenizer?.knownWords() ?? null,
    };
    this.#compiled = await compileRules(this.#config.rules, embedder, (w) =>
      this.#log.warn(
        w,
        `prompt has words model pack "${pack.manifest.name}" does not know; they are ignored`,
      ),
    );
  }

  async #pump(s: SensorRuntime): Promise<void> {
    try {
      for await (const sample of s.driver.samples()) {
        const now = Date.now();
        if (s.cfg.everyMs > 0 && now - s.lastEncodeMs < s.cfg.everyMs) {
          s.skipped++;
          continue;
        }
        s.lastEncodeMs = now;
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
    });
    this.#onEvent(event);
    void this.#publisher?.publishEvent(event);
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
