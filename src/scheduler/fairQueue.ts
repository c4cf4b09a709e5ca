/**
 * One modality's waiting room: a bounded FIFO lane per sensor, served by smooth weighted
 * round-robin (the nginx upstream algorithm, ngx_http_upstream_round_robin.c
 * `ngx_http_upstream_get_peer`: every non-empty lane gains its weight, the richest is served and
 * pays the total). A fast camera therefore cannot fill a batch while a slow sensor waits, and
 * its overflow evicts only its own oldest samples (freshness over completeness), never another
 * sensor's. Within a lane order is kept, so windows of one sensor are never reordered.
 */

export interface Queued<T> {
  readonly value: T;
  /** performance.now() when it entered the queue. */
  readonly enqueuedMs: number;
}

interface Lane<T> {
  weight: number;
  items: Queued<T>[];
  /** Smooth-WRR credit; reset when the lane empties so an idle sensor banks no burst. */
  credit: number;
}

export class FairQueue<T> {
  readonly #lanes = new Map<string, Lane<T>>();
  readonly #limit: number;
  #size = 0;

  /** `limit`: samples a lane holds before its oldest is evicted (≥ 1). */
  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  get size(): number {
    return this.#size;
  }

  /** Samples waiting in one lane. */
  sizeOf(lane: string): number {
    return this.#lanes.get(lane)?.items.length ?? 0;
  }

  /** Sets a lane's round-robin weight (created empty if new); weights below 1 count as 1. */
  setWeight(lane: string, weight: number): void {
    this.#lane(lane).weight = Math.max(1, weight);
  }

  /** Appends to a lane; returns the samples evicted to keep the lane within its limit, oldest first. */
  push(lane: string, value: T, enqueuedMs: number): Queued<T>[] {
    const l = this.#lane(lane);
    l.items.push({ value, enqueuedMs });
    this.#size++;
    const evicted = l.items.length > this.#limit ? l.items.splice(0, l.items.length - this.#limit) : [];
    this.#size -= evicted.length;
    if (l.items.length === 0) l.credit = 0;
    return evicted;
  }

  /** When the longest-waiting sample entered, or undefined when empty. */
  oldestMs(): number | undefined {
    let oldest: number | undefined;
    for (const l of this.#lanes.values()) {
      const head = l.items[0];
      if (head && (oldest === undefined || head.enqueuedMs < oldest)) oldest = head.enqueuedMs;
    }
    return oldest;
  }

  /** Takes up to `n` samples, lanes interleaved by weight, each lane in its own order. */
  take(n: number): Queued<T>[] {
    const out: Queued<T>[] = [];
    while (out.length < n && this.#size > 0) {
      let best: Lane<T> | undefined;
      let total = 0;
      for (const l of this.#lanes.values()) {
        if (l.items.length === 0) continue;
        l.credit += l.weight;
        total += l.weight;
        if (!best || l.credit > best.credit) best = l;
      }
      if (!best) break;
      best.credit -= total;
      out.push(best.items.shift()!);
      this.#size--;
      if (best.items.length === 0) best.credit = 0;
    }
    return out;
  }

  /** Empties every lane and returns what was waiting. */
  clear(): Queued<T>[] {
    const out: Queued<T>[] = [];
    for (const l of this.#lanes.values()) {
      out.push(...l.items.splice(0));
      l.credit = 0;
    }
    this.#size = 0;
    return out;
  }

  #lane(name: string): Lane<T> {
    let l = this.#lanes.get(name);
    if (!l) {
      l = { weight: 1, items: [], credit: 0 };
      this.#lanes.set(name, l);
    }
    return l;
  }
}
