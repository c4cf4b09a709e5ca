/**
 * The live page's prompt box: a typed prompt scored against every sensor's latest embedding,
 * before it becomes a rule. Each sensor gets the cosine and, when there is something to compare
 * against, the rule engine's softmax score (src/rules/score.ts, the same maths a rule uses):
 * against the contrast prompts typed with it, else against the contrast prompts of the rules
 * that watch the sensor. Prompt embeddings are kept in a small LRU, so polling the same text
 * runs the text encoder once.
 */
import { BindsightError } from '../errors.js';
import type { CompiledRule } from '../rules/engine.js';
import { dot, scorePrompts } from '../rules/score.js';
import type { LiveState } from './live.js';
import type { TextPrompts } from './types.js';

export const MAX_PROMPT_CHARS = 200;
export const MAX_CONTRAST = 8;
const CACHE_SIZE = 64;

export interface PromptRequest {
  text: string;
  contrast?: string[];
}

export interface SensorPromptScore {
  sensor: string;
  modality: string;
  /** Cosine of the prompt and the sensor's latest embedding, −1…1. */
  cosine: number;
  /** Softmax probability of the prompt against `against` (absent when there is nothing to compare with). */
  score?: number;
  /** What the score compares with: the typed contrast, the watching rules' contrast, or nothing. */
  against: { kind: 'contrast' | 'rules' | 'none'; rules?: string[] };
  /** Age of the embedding, ms. */
  ageMs: number;
}

export interface PromptResult {
  text: string;
  contrast: string[];
  /** Words the pack does not know (ignored when embedding). */
  unknownWords: string[];
  model: string;
  sensors: SensorPromptScore[];
}

export interface PromptScorerDeps {
  text: () => TextPrompts | undefined;
  rules: () => readonly CompiledRule[];
  live: LiveState;
  /** Sensor ids in config order. */
  sensors: readonly string[];
  now?: () => number;
}

/** Parses a request body; throws USAGE naming the problem. */
export function parsePromptRequest(body: unknown): PromptRequest {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = typeof o.text === 'string' ? o.text.trim() : '';
  if (!text || text.length > MAX_PROMPT_CHARS)
    throw new BindsightError('USAGE', `"text" must be a prompt of 1 to ${MAX_PROMPT_CHARS} characters`);
  const raw = o.contrast ?? [];
  if (!Array.isArray(raw) || raw.length > MAX_CONTRAST || raw.some((c) => typeof c !== 'string'))
    throw new BindsightError('USAGE', `"contrast" must be a list of at most ${MAX_CONTRAST} texts`);
  const contrast = (raw as string[]).map((c) => c.trim()).filter((c) => c.length > 0);
  if (contrast.some((c) => c.length > MAX_PROMPT_CHARS))
    throw new BindsightError('USAGE', `each contrast text must be at most ${MAX_PROMPT_CHARS} characters`);
  return { text, contrast };
}

export class PromptScorer {
  readonly #deps: PromptScorerDeps;
  readonly #now: () => number;
  readonly #cache = new Map<string, Float32Array>();

  constructor(deps: PromptScorerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async score(req: PromptRequest): Promise<PromptResult> {
    const text = this.#deps.text();
    if (!text)
      throw new BindsightError('PACK_INVALID', 'the model pack has no text encoder (or is not loaded yet)');
    const contrast = req.contrast ?? [];
    const [prompt, ...typed] = await this.#embed(text, [req.text, ...contrast]);
    const unknownWords = [...new Set([req.text, ...contrast].flatMap((s) => text.unknownWords(s)))];
    const sensors: SensorPromptScore[] = [];
    for (const sensor of this.#deps.sensors) {
      const latest = this.#deps.live.latestEmbedding(sensor);
      if (!latest) continue;
      const { vectors, against } = this.#against(sensor, typed);
      const cosine = dot(latest.vector, prompt);
      const entry: SensorPromptScore = {
        sensor,
        modality: latest.modality,
        cosine,
        against,
        ageMs: Math.max(0, this.#now() - latest.at),
      };
      if (vectors.length > 0)
        entry.score = scorePrompts(latest.vector, [prompt], vectors, text.logitScale, text.logitBias).score;
      sensors.push(entry);
    }
    return { text: req.text, contrast, unknownWords, model: text.model, sensors };
  }

  #against(
    sensor: string,
    typed: Float32Array[],
  ): { vectors: readonly Float32Array[]; against: SensorPromptScore['against'] } {
    if (typed.length > 0) return { vectors: typed, against: { kind: 'contrast' } };
    const rules = this.#deps
      .rules()
      .filter((r) => r.sensors.includes(sensor) && r.contrastVectors.length > 0);
    if (rules.length === 0) return { vectors: [], against: { kind: 'none' } };
    const vectors = [...new Set(rules.flatMap((r) => r.contrastVectors))];
    return { vectors, against: { kind: 'rules', rules: rules.map((r) => r.id) } };
  }

  async #embed(text: TextPrompts, texts: string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((s) => !this.#cache.has(s)))];
    if (missing.length > 0) {
      const vectors = await text.embedTexts(missing);
      for (const [i, s] of missing.entries()) this.#cache.set(s, vectors[i]);
    }
    const out = texts.map((s) => {
      const v = this.#cache.get(s)!;
      // Least recently used goes first: re-insert what is used now.
      this.#cache.delete(s);
      this.#cache.set(s, v);
      return v;
    });
    while (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    return out;
  }
}
