/**
 * The rule engine (issue #9): per rule, a score for each sensor sample, fusion across the rule's
 * sensors on capture time (fusion.ts), an optional z-score against a running background
 * (baseline.ts), `when` conditions, and the episode state machine (episode.ts: hysteresis,
 * `for`, `cooldown`, updates). It sees embeddings and prompt vectors, never sensors or models
 * (DESIGN.md data flow); all timing is capture time, so replays at any speed behave the same.
 */
import { randomUUID } from 'node:crypto';
import type { Sample, SensorModality } from '../../drivers/types.js';
import { Baseline, type BaselineOptions, DEFAULT_BASELINE } from './baseline.js';
import type { FusionMode, ScoreMode } from './config.js';
import { Episode, type EpisodeStep, type Reading } from './episode.js';
import { alignReadings, fuseEmbeddings, fuseValues, SensorHistory, type SensorReading } from './fusion.js';
import { normalCdf, promptMargin, scorePrompts } from './score.js';
import { inWindow, localMinutes, parseClock } from './timeofday.js';

export interface CompiledRule {
  id: string;
  sensors: readonly string[];
  /** Prompt names (events' `prompt`), one per prompt vector. */
  prompts: readonly string[];
  promptVectors: readonly Float32Array[];
  contrastVectors: readonly Float32Array[];
  enter: number;
  exit: number;
  /** Default: softmax with contrast prompts, cosine without. */
  score?: ScoreMode;
  /** Seconds. */
  for?: number;
  cooldown?: number;
  updateEvery?: number;
  when?: { between?: readonly [string, string]; on?: readonly string[]; off?: readonly string[] };
  fusion?: FusionMode;
  weights?: Readonly<Record<string, number>>;
  /** Seconds (default 2). */
  align?: number;
  baseline?: BaselineOptions;
  /** Identity of the rule's config: on replaceRules, a rule with the same id and key keeps its state. */
  key?: string;
}

export type RuleEventType = 'start' | 'update' | 'end';

export interface RuleTransition {
  rule: string;
  type: RuleEventType;
  /** Shared by one episode's start, updates and end. */
  episode: string;
  /** 0–1 (a z-score is shown as Φ(z)). */
  score: number;
  /** The z-score, for score: zscore rules. */
  z?: number;
  prompt: string;
  /** start/update: the sensors that see it; end: the sensor whose sample ended it. */
  sensors: string[];
  modalities: SensorModality[];
  /** Capture time (ns) of the sample that caused the transition. */
  t: bigint;
  /** end only: the highest score of the episode and its length in seconds (capture time). */
  peak?: number;
  durationS?: number;
}

export interface RuleObserver {
  /** Every fused score: 0–1 for the wire, `value` in threshold units, at capture time t. */
  onScore(rule: string, score: number, value: number, t: bigint): void;
  onTransition(transition: RuleTransition): void;
}

export interface RuleSnapshot {
  id: string;
  on: boolean;
  score: number;
  perSensor: Record<string, number>;
}

interface Info {
  sensors: string[];
  modalities: SensorModality[];
  prompt: string;
  t: bigint;
}

interface RuleState {
  rule: CompiledRule;
  mode: ScoreMode;
  alignNs: bigint;
  episode: Episode<Info>;
  episodeId: string | undefined;
  histories: Map<string, SensorHistory>;
  baselines: Map<string, Baseline>;
  /** The rule's clock: the latest sample end seen, ns (monotonic). */
  now: bigint;
  last: Reading<Info> | undefined;
}

export interface RuleEngineDeps {
  rules: CompiledRule[];
  logitScale: number;
  logitBias: number;
  observer: RuleObserver;
  /** Episode ids (default crypto.randomUUID). */
  uuid?: () => string;
  /** Minutes since local midnight of a capture time, for `when.between` (default: host time zone). */
  localMinutes?: (tNs: bigint) => number;
}

const NS_PER_S = 1e9;
const toNs = (seconds: number | undefined): bigint => BigInt(Math.round((seconds ?? 0) * NS_PER_S));

/** How much of the timeline a Sample covers, ns: a Window's length, 0 for a Frame. */
export function sampleSpanNs(s: Sample): bigint {
  if (s.kind !== 'window' || s.rate <= 0 || s.channels <= 0) return 0n;
  return toNs(s.data.length / s.channels / s.rate);
}

export class RuleEngine {
  #states: RuleState[] = [];
  #byId = new Map<string, RuleState>();
  #bySensor = new Map<string, RuleState[]>();
  readonly #deps: RuleEngineDeps;
  readonly #uuid: () => string;
  readonly #minutes: (tNs: bigint) => number;

  constructor(deps: RuleEngineDeps) {
    this.#deps = deps;
    this.#uuid = deps.uuid ?? randomUUID;
    this.#minutes = deps.localMinutes ?? localMinutes;
    this.#install(deps.rules.map((rule) => newState(rule)));
  }

  /** Feeds one sensor embedding (L2-normalised) to every rule that watches this sensor. */
  observe(sensor: string, modality: SensorModality, t: bigint, embedding: Float32Array, spanNs = 0n): void {
    for (const state of this.#bySensor.get(sensor) ?? []) {
      const reading = this.#read(state, { sensor, modality, t, end: t + spanNs, embedding });
      const history = state.histories.get(sensor) ?? new SensorHistory();
      state.histories.set(sensor, history);
      history.push(reading);
      const fused = this.#fuse(state, reading);
      state.now = laterOf(reading.end, state.now);
      if (fused.value !== undefined) {
        state.last = fused;
        this.#deps.observer.onScore(state.rule.id, fused.score, fused.value, t);
      }
      const step = state.episode.step(state.now, fused, this.#allowed(state));
      if (step) this.#transition(state, step);
    }
  }

  /**
   * Replaces the rule set (hot reload, rules command). A rule whose id and key are unchanged keeps
   * its state, baseline and open episode; a changed or removed rule that is on ends now.
   */
  replaceRules(rules: readonly CompiledRule[]): void {
    const next = rules.map((rule) => {
      const old = this.#byId.get(rule.id);
      return old && old.rule.key !== undefined && old.rule.key === rule.key ? old : newState(rule);
    });
    const kept = new Set(next);
    for (const old of this.#states) if (!kept.has(old)) this.#close(old);
    this.#install(next);
  }

  /** Ends every open episode (at the rule's latest capture time), e.g. when the agent stops. */
  endAll(): void {
    for (const state of this.#states) this.#close(state);
  }

  snapshot(): RuleSnapshot[] {
    return this.#states.map((s) => ({
      id: s.rule.id,
      on: s.episode.on,
      score: s.last?.score ?? 0,
      perSensor: Object.fromEntries(
        [...s.histories].flatMap(([k, h]) => {
          const r = h.latest();
          return r ? [[k, r.score]] : [];
        }),
      ),
    }));
  }

  #install(states: RuleState[]): void {
    this.#states = states;
    this.#byId = new Map(states.map((s) => [s.rule.id, s]));
    this.#bySensor = new Map();
    for (const state of states) {
      for (const sensor of state.rule.sensors) {
        const list = this.#bySensor.get(sensor) ?? [];
        list.push(state);
        this.#bySensor.set(sensor, list);
      }
    }
  }

  #close(state: RuleState): void {
    const last = state.last ?? { value: undefined, score: 0, info: emptyInfo(state) };
    const step = state.episode.end(state.now, last);
    if (step) this.#transition(state, step);
  }

  /** One sensor sample scored against the rule's prompts. */
  #read(state: RuleState, s: Omit<SensorReading, 'value' | 'score' | 'best'>): SensorReading {
    const { rule, mode } = state;
    const ps = this.#score(state, s.embedding);
    if (mode !== 'zscore') return { ...s, value: ps.score, score: ps.score, best: ps.best };
    if (rule.fusion === 'embedding') return { ...s, value: undefined, score: 0.5, best: ps.best };
    const z = this.#zscore(state, s.sensor, promptMargin(ps, rule.promptVectors.length), s.t);
    return { ...s, value: z, score: z === undefined ? 0.5 : normalCdf(z), best: ps.best };
  }

  #score(state: RuleState, embedding: Float32Array) {
    // Cosine mode scores the best cosine; contrast prompts are used by softmax and zscore only.
    const contrast = state.mode === 'cosine' ? [] : state.rule.contrastVectors;
    const { logitScale, logitBias } = this.#deps;
    return scorePrompts(embedding, state.rule.promptVectors, contrast, logitScale, logitBias);
  }

  /** z of `raw` against the baseline keyed `key`, then (unless the rule is active) the baseline learns it. */
  #zscore(state: RuleState, key: string, raw: number, t: bigint): number | undefined {
    const baseline = state.baselines.get(key) ?? new Baseline(state.rule.baseline ?? DEFAULT_BASELINE);
    state.baselines.set(key, baseline);
    const z = baseline.z(raw);
    if (!state.episode.active) baseline.update(raw, t);
    return z;
  }

  #fuse(state: RuleState, cause: SensorReading): Reading<Info> {
    const { rule } = state;
    const fusion = rule.fusion ?? 'any';
    const readings = alignReadings(rule.sensors, state.histories, cause, state.alignNs);
    if (fusion === 'embedding') return this.#fuseEmbedding(state, cause, readings);
    const { value, top } = fuseValues(fusion, readings, rule.sensors, rule.weights);
    const seeing =
      fusion === 'any' ? readings.filter((r) => r.value !== undefined && r.value >= rule.exit) : readings;
    const sensors = seeing.length > 0 ? seeing : [cause];
    const score = value === undefined ? (state.last?.score ?? 0) : wireScore(state.mode, value);
    return { value, score, info: info(rule, sensors, top.best, cause.t) };
  }

  #fuseEmbedding(state: RuleState, cause: SensorReading, readings: SensorReading[]): Reading<Info> {
    const { rule } = state;
    const fused = fuseEmbeddings(readings, rule.sensors, rule.weights);
    if (!fused)
      return {
        value: undefined,
        score: state.last?.score ?? 0,
        info: info(rule, [cause], cause.best, cause.t),
      };
    const ps = this.#score(state, fused);
    let value: number | undefined = ps.score;
    let score = ps.score;
    if (state.mode === 'zscore') {
      value = this.#zscore(state, '*', promptMargin(ps, rule.promptVectors.length), cause.t);
      score = value === undefined ? 0.5 : normalCdf(value);
    }
    return { value, score, info: info(rule, readings, ps.best, cause.t) };
  }

  #allowed(state: RuleState): boolean {
    const when = state.rule.when;
    if (!when) return true;
    if (when.between) {
      const [from, to] = when.between.map(parseClock);
      if (!inWindow(this.#minutes(state.now), from, to)) return false;
    }
    const isOn = (id: string) => this.#byId.get(id)?.episode.on ?? false;
    return (when.on ?? []).every(isOn) && !(when.off ?? []).some(isOn);
  }

  #transition(state: RuleState, step: EpisodeStep<Info>): void {
    if (step.type === 'start') state.episodeId = this.#uuid();
    const { reading } = step;
    const tr: RuleTransition = {
      rule: state.rule.id,
      type: step.type,
      episode: state.episodeId ?? this.#uuid(),
      score: reading.score,
      prompt: reading.info.prompt,
      sensors: reading.info.sensors,
      modalities: reading.info.modalities,
      t: reading.info.t,
    };
    if (state.mode === 'zscore' && reading.value !== undefined) tr.z = reading.value;
    if (step.type === 'end') {
      tr.peak = step.peak;
      tr.durationS = Number(step.durationNs) / NS_PER_S;
      state.episodeId = undefined;
    }
    this.#deps.observer.onTransition(tr);
  }
}

/** max() for capture times (Math.max does not take bigint). */
function laterOf(a: bigint, b: bigint): bigint {
  if (a > b) return a;
  return b;
}

function newState(rule: CompiledRule): RuleState {
  const mode = rule.score ?? (rule.contrastVectors.length > 0 ? 'softmax' : 'cosine');
  return {
    rule,
    mode,
    alignNs: toNs(rule.align ?? 2),
    episode: new Episode<Info>({
      enter: rule.enter,
      exit: rule.exit,
      forNs: toNs(rule.for),
      cooldownNs: toNs(rule.cooldown),
      updateNs: toNs(rule.updateEvery),
    }),
    episodeId: undefined,
    histories: new Map(),
    baselines: new Map(),
    now: 0n,
    last: undefined,
  };
}

/** The 0–1 score on the wire: a probability or clipped cosine as is, a z-score as Φ(z). */
function wireScore(mode: ScoreMode, value: number): number {
  return mode === 'zscore' ? normalCdf(value) : Math.min(1, Math.max(0, value));
}

function info(rule: CompiledRule, readings: readonly SensorReading[], best: number, t: bigint): Info {
  return {
    sensors: readings.map((r) => r.sensor),
    modalities: [...new Set(readings.map((r) => r.modality))],
    prompt: rule.prompts[best] ?? rule.prompts[0],
    t,
  };
}

function emptyInfo(state: RuleState): Info {
  return { sensors: [state.rule.sensors[0]], modalities: [], prompt: state.rule.prompts[0], t: state.now };
}
