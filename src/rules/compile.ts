/**
 * Turns configured rules into prompt vectors at start (and on every rule reload), embedding each
 * distinct text and example file once. A prompt is one class: a text, a prompt ensemble (several
 * phrasings whose unit embeddings are averaged and re-normalised, as CLIP's zero-shot practice
 * does), or example files of any modality embedded by the pack's encoder for it (ImageBind's
 * cross-modal alignment makes them comparable with any sensor's embedding).
 *
 * A prompt the pack cannot represent is refused here, before anything runs: with a closed
 * vocabulary (the demo pack) unknown words would otherwise be silently ignored.
 */
import { basename, extname } from 'node:path';
import type { SensorModality } from '../../drivers/types.js';
import { BindsightError, errorMessage, isBindsightError } from '../errors.js';
import type { PromptConfig, RuleConfig } from './config.js';
import type { CompiledRule } from './engine.js';
import { normalize } from './fusion.js';

export interface TextEmbedder {
  /** Pack name, for messages. */
  readonly packName: string;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  /** Words of a text the pack's tokenizer cannot represent (empty for byte-level BPE). */
  unknownWords(text: string): string[];
  /** The closed vocabulary, or null. */
  knownWords(): readonly string[] | null;
}

export interface PromptEmbedder extends TextEmbedder {
  /** Unit-norm embedding of an example file read as `modality` (absent: example files are refused). */
  embedFile?(modality: SensorModality, path: string): Promise<Float32Array>;
}

export interface PromptWarning {
  rule: string;
  prompt: string;
  unknown: string[];
}

/** One prompt class before embedding. */
export interface PromptPlan {
  name: string;
  texts: string[];
  files: Array<{ modality: SensorModality; path: string }>;
}

/** File extensions an example file's modality is taken from when `modality` is not given. */
export const EXAMPLE_MODALITIES: Readonly<Record<string, SensorModality>> = {
  '.jpg': 'vision',
  '.jpeg': 'vision',
  '.png': 'vision',
  '.wav': 'audio',
};

export function planPrompt(rule: string, p: PromptConfig): PromptPlan {
  if (typeof p === 'string') return { name: p, texts: [p], files: [] };
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());
  const texts = list(p.text);
  const paths = list(p.file);
  const files = paths.map((path) => ({ modality: exampleModality(rule, path, p.modality), path }));
  return { name: p.name ?? texts[0] ?? basename(paths[0]), texts, files };
}

function exampleModality(rule: string, path: string, given: SensorModality | undefined): SensorModality {
  if (given) return given;
  const m = EXAMPLE_MODALITIES[extname(path).toLowerCase()];
  if (m) return m;
  throw new BindsightError(
    'PROMPT_INVALID',
    `rule "${rule}": cannot tell the modality of example file ${path} from its extension; add modality: vision | audio | depth | thermal | imu`,
    { rule, file: path },
  );
}

export async function compileRules(
  rules: readonly RuleConfig[],
  embedder: PromptEmbedder,
  warn: (w: PromptWarning) => void = () => {},
): Promise<CompiledRule[]> {
  const plans = rules.map((r) => ({
    rule: r,
    prompts: r.prompts.map((p) => planPrompt(r.id, p)),
    contrast: r.contrast.map((p) => planPrompt(r.id, p)),
  }));
  const all = plans.flatMap((p) => [...p.prompts, ...p.contrast].map((plan) => ({ rule: p.rule.id, plan })));
  const texts = await embedTexts(all, embedder, warn);
  const files = await embedFiles(all, embedder);
  const vector = (plan: PromptPlan): Float32Array =>
    classVector([...plan.texts.map((t) => texts.get(t)!), ...plan.files.map((f) => files.get(fileKey(f))!)]);
  return plans.map(({ rule, prompts, contrast }) => ({
    id: rule.id,
    sensors: rule.sensors,
    prompts: prompts.map((p) => p.name),
    promptVectors: prompts.map(vector),
    contrastVectors: contrast.map(vector),
    enter: rule.enter,
    exit: rule.exit,
    score: rule.score,
    for: rule.for,
    cooldown: rule.cooldown,
    updateEvery: rule.updateEvery,
    when: rule.when,
    fusion: rule.fusion,
    weights: rule.weights,
    align: rule.align,
    baseline: rule.baseline,
    key: JSON.stringify(rule),
  }));
}

async function embedTexts(
  all: ReadonlyArray<{ rule: string; plan: PromptPlan }>,
  embedder: PromptEmbedder,
  warn: (w: PromptWarning) => void,
): Promise<Map<string, Float32Array>> {
  const texts = [...new Set(all.flatMap((a) => a.plan.texts))];
  const embedded = texts.length > 0 ? await embedder.embedTexts(texts) : [];
  const vectors = new Map(texts.map((text, i) => [text, embedded[i]]));
  for (const { rule, plan } of all) {
    for (const prompt of plan.texts) {
      const unknown = embedder.unknownWords(prompt);
      if (norm(vectors.get(prompt)!) < 1e-6) {
        const known = embedder.knownWords();
        const hint = known ? `; words it knows: ${known.join(', ')}` : '';
        const what = unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : '';
        throw new BindsightError(
          'PROMPT_INVALID',
          `rule "${rule}": prompt "${prompt}" means nothing to model pack "${embedder.packName}"${what}${hint}`,
          { rule, prompt, unknown },
        );
      }
      if (unknown.length > 0) warn({ rule, prompt, unknown });
    }
  }
  return vectors;
}

const fileKey = (f: { modality: string; path: string }): string => `${f.modality}\0${f.path}`;

async function embedFiles(
  all: ReadonlyArray<{ rule: string; plan: PromptPlan }>,
  embedder: PromptEmbedder,
): Promise<Map<string, Float32Array>> {
  const vectors = new Map<string, Float32Array>();
  for (const { rule, plan } of all) {
    for (const file of plan.files) {
      const key = fileKey(file);
      if (vectors.has(key)) continue;
      if (!embedder.embedFile) {
        throw new BindsightError(
          'PROMPT_INVALID',
          `rule "${rule}": example-file prompts are not available here`,
          {
            rule,
            file: file.path,
          },
        );
      }
      try {
        vectors.set(key, await embedder.embedFile(file.modality, file.path));
      } catch (err) {
        const code = isBindsightError(err) ? err.code : undefined;
        throw new BindsightError(
          'PROMPT_INVALID',
          `rule "${rule}": example file ${file.path} (${file.modality}): ${errorMessage(err)}`,
          { rule, file: file.path, modality: file.modality, cause: code },
          { cause: err },
        );
      }
    }
  }
  return vectors;
}

/** The mean of unit vectors, re-normalised: one prompt class from its phrasings or examples. */
export function classVector(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0].length);
  for (const v of vectors) {
    const n = Math.max(norm(v), 1e-12);
    for (let i = 0; i < out.length; i++) out[i] += v[i] / n;
  }
  return normalize(out);
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}
