/**
 * Turns configured rules into prompt vectors, embedding each distinct prompt text once at start.
 * A prompt the pack cannot represent is refused here, before anything runs: with a closed
 * vocabulary (the demo pack) unknown words would otherwise be silently ignored.
 */
import type { RuleConfig } from '../config/schema.js';
import { BindsightError } from '../errors.js';
import type { CompiledRule } from './engine.js';

export interface TextEmbedder {
  /** Pack name, for messages. */
  readonly packName: string;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  /** Words of a text the pack's tokenizer cannot represent (empty for byte-level BPE). */
  unknownWords(text: string): string[];
  /** The closed vocabulary, or null. */
  knownWords(): readonly string[] | null;
}

export interface PromptWarning {
  rule: string;
  prompt: string;
  unknown: string[];
}

export async function compileRules(
  rules: readonly RuleConfig[],
  embedder: TextEmbedder,
  warn: (w: PromptWarning) => void = () => {},
): Promise<CompiledRule[]> {
  const texts = [...new Set(rules.flatMap((r) => [...r.prompts, ...r.contrast]))];
  const vectors = new Map<string, Float32Array>();
  const embedded = texts.length > 0 ? await embedder.embedTexts(texts) : [];
  for (const [i, text] of texts.entries()) vectors.set(text, embedded[i]);

  for (const rule of rules) {
    for (const prompt of [...rule.prompts, ...rule.contrast]) {
      const unknown = embedder.unknownWords(prompt);
      const v = vectors.get(prompt)!;
      if (norm(v) < 1e-6) {
        const known = embedder.knownWords();
        const hint = known ? `; words it knows: ${known.join(', ')}` : '';
        const what = unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : '';
        throw new BindsightError(
          'PROMPT_INVALID',
          `rule "${rule.id}": prompt "${prompt}" means nothing to model pack "${embedder.packName}"${what}${hint}`,
          { rule: rule.id, prompt, unknown },
        );
      }
      if (unknown.length > 0) warn({ rule: rule.id, prompt, unknown });
    }
  }

  return rules.map((r) => ({
    id: r.id,
    sensors: r.sensors,
    prompts: r.prompts,
    promptVectors: r.prompts.map((p) => vectors.get(p)!),
    contrastVectors: r.contrast.map((p) => vectors.get(p)!),
    enter: r.enter,
    exit: r.exit,
  }));
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}
