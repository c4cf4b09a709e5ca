/**
 * The rule engine: per rule, the latest score of each of its sensors, and an on/off state
 * with hysteresis (on at `enter`, off below `exit`). It sees embeddings and prompt vectors,
 * never sensors or models (DESIGN.md data flow).
 */
import type { SensorModality } from '../../drivers/types.js';
import { scorePrompts } from './score.js';

export interface CompiledRule {
  id: string;
  sensors: readonly string[];
  prompts: readonly string[];
  promptVectors: readonly Float32Array[];
  contrastVectors: readonly Float32Array[];
  enter: number;
  exit: number;
}

export type RuleEventType = 'start' | 'update' | 'end';

export interface RuleTransition {
  rule: string;
  type: RuleEventType;
  score: number;
  prompt: string;
  /** Sensors whose latest score is at or above the rule's exit threshold (or the one that scored). */
  sensors: string[];
  modalities: SensorModality[];
  /** Capture time (ns) of the sample that caused the transition. */
  t: bigint;
}

export interface RuleObserver {
  onScore(rule: string, score: number): void;
  onTransition(transition: RuleTransition): void;
}

interface SensorScore {
  score: number;
  best: number;
  modality: SensorModality;
}

interface RuleState {
  rule: CompiledRule;
  on: boolean;
  latest: Map<string, SensorScore>;
}

export interface RuleSnapshot {
  id: string;
  on: boolean;
  score: number;
  perSensor: Record<string, number>;
}

export class RuleEngine {
  readonly #states: RuleState[];
  readonly #bySensor = new Map<string, RuleState[]>();
  readonly #logitScale: number;
  readonly #logitBias: number;
  readonly #observer: RuleObserver;

  constructor(deps: {
    rules: CompiledRule[];
    logitScale: number;
    logitBias: number;
    observer: RuleObserver;
  }) {
    this.#logitScale = deps.logitScale;
    this.#logitBias = deps.logitBias;
    this.#observer = deps.observer;
    this.#states = deps.rules.map((rule) => ({ rule, on: false, latest: new Map() }));
    for (const state of this.#states) {
      for (const sensor of state.rule.sensors) {
        const list = this.#bySensor.get(sensor) ?? [];
        list.push(state);
        this.#bySensor.set(sensor, list);
      }
    }
  }

  /** Feeds one sensor embedding (L2-normalised) to every rule that watches this sensor. */
  observe(sensor: string, modality: SensorModality, t: bigint, embedding: Float32Array): void {
    for (const state of this.#bySensor.get(sensor) ?? []) {
      const { rule } = state;
      const s = scorePrompts(
        embedding,
        rule.promptVectors,
        rule.contrastVectors,
        this.#logitScale,
        this.#logitBias,
      );
      state.latest.set(sensor, { score: s.score, best: s.best, modality });
      this.#evaluate(state, sensor, t);
    }
  }

  snapshot(): RuleSnapshot[] {
    return this.#states.map((s) => ({
      id: s.rule.id,
      on: s.on,
      score: ruleScore(s).score,
      perSensor: Object.fromEntries([...s.latest].map(([k, v]) => [k, v.score])),
    }));
  }

  #evaluate(state: RuleState, cause: string, t: bigint): void {
    const { rule } = state;
    const { score, top } = ruleScore(state);
    this.#observer.onScore(rule.id, score);
    const turnOn = !state.on && score >= rule.enter;
    const turnOff = state.on && score < rule.exit;
    if (!turnOn && !turnOff) return;
    state.on = turnOn;
    const active = [...state.latest].filter(([, v]) => v.score >= rule.exit).map(([k]) => k);
    const sensors = turnOn ? active : [cause];
    const modalities = [...new Set(sensors.map((s) => state.latest.get(s)!.modality))];
    const best = state.latest.get(top)!.best;
    this.#observer.onTransition({
      rule: rule.id,
      type: turnOn ? 'start' : 'end',
      score,
      prompt: rule.prompts[best],
      sensors,
      modalities,
      t,
    });
  }
}

/** A rule over several sensors is on while any of them scores high: its score is the maximum. */
function ruleScore(state: RuleState): { score: number; top: string } {
  let score = 0;
  let top = '';
  for (const [sensor, s] of state.latest) {
    if (top === '' || s.score > score) {
      score = s.score;
      top = sensor;
    }
  }
  return { score, top };
}
