/**
 * The demo pack's word tokenizer: lower-case, split on anything that is not a letter, look
 * each word up in vocab.json ({word: id}). Unknown words are skipped by encode() and listed
 * by unknownWords(), so the agent can refuse a prompt that has no known word at all.
 * Layout follows ImageBind's SimpleTokenizer.__call__ after the truncation fix (commit
 * 1125e1e, imagebind-contract.md §1.3): [sot] + ids[:contextLength − 2] + [eot], zero-padded.
 */
import { readFile } from 'node:fs/promises';
import type { TextParams } from '../../../models/manifest.js';
import { BindsightError, errorMessage } from '../../errors.js';
import type { Tokenizer } from './types.js';

/** Lower-cased words of `text`: runs of Unicode letters. */
export function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length > 0);
}

export class WordsTokenizer implements Tokenizer {
  readonly kind = 'words';
  readonly contextLength: number;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly params: TextParams;

  constructor(vocab: ReadonlyMap<string, number>, params: TextParams) {
    this.vocab = vocab;
    this.params = params;
    this.contextLength = params.contextLength;
  }

  /** Reads and checks a vocab.json: a JSON object of word → non-negative integer id, none equal to pad/sot/eot. */
  static async load(file: string, params: TextParams): Promise<WordsTokenizer> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new BindsightError(
        'PACK_INVALID',
        `${file} is not valid JSON: ${errorMessage(err)}`,
        { file },
        { cause: err },
      );
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new BindsightError('PACK_INVALID', `${file} must be a JSON object of word → id`, { file });
    }
    const specials = new Set([params.pad, params.sot, params.eot]);
    const vocab = new Map<string, number>();
    for (const [word, id] of Object.entries(raw)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || specials.has(id)) {
        throw new BindsightError(
          'PACK_INVALID',
          `${file}: word '${word}' has id ${JSON.stringify(id)}; ids must be non-negative integers other than pad ${params.pad}, sot ${params.sot}, eot ${params.eot}`,
          { file, word, id },
        );
      }
      if (splitWords(word).join(' ') !== word) {
        throw new BindsightError(
          'PACK_INVALID',
          `${file}: '${word}' is not a lower-case word of letters, so no text could reach it`,
          {
            file,
            word,
          },
        );
      }
      vocab.set(word, id);
    }
    return new WordsTokenizer(vocab, params);
  }

  /** Ids of the known words of `text`, in order, unknown words skipped. */
  private ids(text: string): number[] {
    return splitWords(text)
      .map((w) => this.vocab.get(w))
      .filter((id): id is number => id !== undefined);
  }

  tokenCount(text: string): number {
    return this.ids(text).length;
  }

  encode(text: string): BigInt64Array {
    const { sot, eot, pad } = this.params;
    const ids = this.ids(text).slice(0, this.contextLength - 2);
    const out = new BigInt64Array(this.contextLength).fill(BigInt(pad));
    out[0] = BigInt(sot);
    ids.forEach((id, i) => {
      out[i + 1] = BigInt(id);
    });
    out[ids.length + 1] = BigInt(eot);
    return out;
  }

  unknownWords(text: string): string[] {
    return [...new Set(splitWords(text).filter((w) => !this.vocab.has(w)))];
  }

  knownWords(): readonly string[] {
    return [...this.vocab.keys()];
  }
}
