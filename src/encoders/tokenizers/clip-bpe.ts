/**
 * CLIP's byte-level BPE tokenizer exactly as ImageBind uses it (SimpleTokenizer in
 * imagebind/models/multimodal_preprocessors.py at 53680b0; imagebind-contract.md §1.3), which is
 * also OpenAI CLIP's and OpenCLIP's:
 * 1. clean: ftfy, HTML unescape ×2, whitespace collapse, lower-case (clip-clean.ts);
 * 2. split with `<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
 *    (Python `regex`, IGNORECASE): every digit is a word of its own;
 * 3. each word: UTF-8 bytes → byte symbols, `</w>` on the last, then merge the lowest-ranked
 *    adjacent pair until none is in the merge list;
 * 4. the model row: `([sot] + ids)[:contextLength − 1] + [eot]`, then `pad` up to contextLength
 *    (the truncation keeps the end marker: commit 1125e1e, PR #142).
 */
import type { TextParams } from '../../../models/manifest.js';
import { BindsightError } from '../../errors.js';
import { type BpeVocab, loadBpeVocab } from './bpe-vocab.js';
import { clipClean } from './clip-clean.js';
import type { Tokenizer } from './types.js';

/** The pre-tokenizer pattern; `regex`'s Unicode \s is White_Space (mrab-regex issue #113). */
const PATTERN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu;

const UTF8 = new TextEncoder();

export class ClipBpeTokenizer implements Tokenizer {
  readonly kind = 'clip-bpe';
  readonly contextLength: number;
  private readonly vocab: BpeVocab;
  private readonly params: TextParams;
  /** word symbols → BPE pieces, as SimpleTokenizer.cache (the markers map to themselves). */
  private readonly cache = new Map<string, readonly string[]>();

  constructor(vocab: BpeVocab, params: TextParams) {
    this.vocab = vocab;
    this.params = params;
    this.contextLength = params.contextLength;
  }

  /** Loads the merges file (gzip or text) for the pack's sot/eot ids. */
  static async load(file: string, params: TextParams): Promise<ClipBpeTokenizer> {
    return new ClipBpeTokenizer(await loadBpeVocab(file, params.sot, params.eot), params);
  }

  /** The vocabulary size (49,408 for CLIP). */
  get vocabSize(): number {
    return this.vocab.size;
  }

  /** SimpleTokenizer.bpe: the pieces of one word (already in byte symbols). */
  private bpe(token: string): readonly string[] {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    if (token === '<|startoftext|>' || token === '<|endoftext|>') return [token];
    let word = [...token];
    word[word.length - 1] += '</w>';
    while (word.length > 1) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.vocab.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const first = word[best];
      const second = word[best + 1];
      // Merge every non-overlapping occurrence of the pair, left to right.
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (word[i] === first && i < word.length - 1 && word[i + 1] === second) {
          merged.push(first + second);
          i++;
        } else merged.push(word[i]);
      }
      word = merged;
    }
    this.cache.set(token, word);
    return word;
  }

  /** SimpleTokenizer.encode: the BPE ids of `text`, without markers or padding. */
  encodeIds(text: string): number[] {
    const ids: number[] = [];
    for (const match of clipClean(text).matchAll(PATTERN)) {
      let symbols = '';
      for (const byte of UTF8.encode(match[0])) symbols += this.vocab.byteSymbol[byte];
      for (const piece of this.bpe(symbols)) {
        const id = this.vocab.encoder.get(piece);
        // Every merge result is in the vocabulary by construction; a miss means a corrupt file.
        if (id === undefined) {
          throw new BindsightError(
            'PACK_INVALID',
            `CLIP BPE piece ${JSON.stringify(piece)} of ${JSON.stringify(text)} has no id: the merges file is inconsistent`,
            { piece },
          );
        }
        ids.push(id);
      }
    }
    return ids;
  }

  tokenCount(text: string): number {
    return this.encodeIds(text).length;
  }

  encode(text: string): BigInt64Array {
    const { sot, eot, pad } = this.params;
    const row = [sot, ...this.encodeIds(text)].slice(0, this.contextLength - 1);
    row.push(eot);
    const out = new BigInt64Array(this.contextLength).fill(BigInt(pad));
    row.forEach((id, i) => {
      out[i] = BigInt(id);
    });
    return out;
  }

  /** Byte-level BPE represents every text. */
  unknownWords(): string[] {
    return [];
  }

  knownWords(): null {
    return null;
  }
}
