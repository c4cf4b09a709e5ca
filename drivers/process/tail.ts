/**
 * The last `limit` bytes of a byte stream (a child's stderr), so an error can show what the tool
 * said just before it failed without keeping its whole output (style.md §8: last 4 kB).
 */

export const STDERR_TAIL_BYTES = 4096;

export class ByteTail {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(limit = STDERR_TAIL_BYTES) {
    this.#limit = limit;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    // Compact only when twice the limit is held, so a chatty tool costs O(1) amortised per byte.
    if (this.#bytes > 2 * this.#limit) this.#compact();
  }

  #compact(): void {
    const all = Buffer.concat(this.#chunks);
    const kept = all.subarray(Math.max(0, all.length - this.#limit));
    this.#chunks = [Buffer.from(kept)];
    this.#bytes = kept.length;
  }

  /** The kept bytes as UTF-8 text (a character cut at the start shows as U+FFFD). */
  text(): string {
    this.#compact();
    return this.#chunks[0]?.toString('utf8') ?? '';
  }
}
