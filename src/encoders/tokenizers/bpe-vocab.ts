/**
 * The CLIP BPE vocabulary, built from a merges file (`bpe_simple_vocab_16e6.txt.gz`) exactly as
 * ImageBind's SimpleTokenizer.__init__ builds it (multimodal_preprocessors.py at 53680b0):
 * ids 0–255 are the byte symbols of bytes_to_unicode, 256–511 the same with `</w>`, then one id
 * per merge rule (lines 2 … 1 + merges of the file), then `<|startoftext|>` and `<|endoftext|>`.
 * The number of merges is not a constant of the file but of the model: sot − 512 (48,894 for
 * CLIP's 49,408-token vocabulary), so it is taken from pack.json's `sot`.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { BindsightError, errorMessage } from '../../errors.js';

export const SOT_TEXT = '<|startoftext|>';
export const EOT_TEXT = '<|endoftext|>';

/**
 * bytes_to_unicode(): the printable bytes 0x21–0x7E, 0xA1–0xAC, 0xAE–0xFF stand for themselves,
 * the other 68 map in byte order to U+0100 upwards. Index = byte.
 */
export function byteSymbols(): string[] {
  const symbols = new Array<string>(256);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    symbols[b] = String.fromCharCode(printable ? b : 256 + next++);
  }
  return symbols;
}

/** The printable bytes first, then the remapped ones: the order of ids 0–255. */
function symbolOrder(symbols: readonly string[]): string[] {
  const printable = symbols.filter((s, b) => s.charCodeAt(0) === b);
  const remapped = symbols.filter((s, b) => s.charCodeAt(0) !== b);
  return [...printable, ...remapped];
}

export interface BpeVocab {
  /** Token text → id, including the two markers. */
  readonly encoder: ReadonlyMap<string, number>;
  /** "left right" → rank (0 = merged first). */
  readonly ranks: ReadonlyMap<string, number>;
  /** Byte → its symbol. */
  readonly byteSymbol: readonly string[];
  readonly size: number;
}

function invalid(file: string, why: string, cause?: unknown): BindsightError {
  return new BindsightError(
    'PACK_INVALID',
    `${file} is not a usable CLIP BPE merges file: ${why}`,
    { file },
    cause === undefined ? undefined : { cause },
  );
}

/** The merges file's text: gzip (magic 1f 8b) or plain UTF-8. */
async function readMerges(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new BindsightError(
      'PACK_FILE_MISSING',
      `cannot read the CLIP BPE vocabulary ${file}: ${errorMessage(err)}`,
      { file },
      { cause: err },
    );
  }
  try {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (err) {
    throw invalid(file, `not gzip or UTF-8 text (${errorMessage(err)})`, err);
  }
}

/** Loads the vocabulary for a model whose start marker is `sot` (CLIP: 49406) and end marker sot + 1. */
export async function loadBpeVocab(file: string, sot: number, eot: number): Promise<BpeVocab> {
  const merges = sot - 512;
  if (merges < 0 || eot !== sot + 1) {
    throw invalid(
      file,
      `pack.json has sot ${sot}, eot ${eot}; CLIP's layout needs sot = 512 + merges and eot = sot + 1 (CLIP: 49406, 49407)`,
    );
  }
  const lines = (await readMerges(file)).split('\n');
  // Line 1 is a header ("#version: 0.2"); merges are lines 2 … 1 + merges (ImageBind: merges[1:48895]).
  if (lines.length < merges + 1) {
    throw invalid(file, `it has ${lines.length - 1} merge lines but sot ${sot} needs ${merges}`);
  }
  const byteSymbol = byteSymbols();
  const order = symbolOrder(byteSymbol);
  const tokens = [...order, ...order.map((s) => `${s}</w>`)];
  const ranks = new Map<string, number>();
  for (let i = 0; i < merges; i++) {
    const line = lines[i + 1];
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw invalid(file, `line ${i + 2} is ${JSON.stringify(line.slice(0, 40))}, not "left right"`);
    }
    ranks.set(line, i);
    tokens.push(parts[0] + parts[1]);
  }
  tokens.push(SOT_TEXT, EOT_TEXT);
  const encoder = new Map<string, number>();
  tokens.forEach((tok, id) => {
    encoder.set(tok, id);
  });
  return { encoder, ranks, byteSymbol, size: tokens.length };
}
