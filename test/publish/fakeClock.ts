/** A manual Clock for the throttle and backoff tests: time moves only when advance() is called. */
import type { Clock } from '../../src/publish/timers.js';

export class FakeClock implements Clock {
  #now = 0;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #ids = 0;

  now(): number {
    return this.#now;
  }

  schedule(fn: () => void, ms: number): () => void {
    const id = ++this.#ids;
    this.#timers.push({ at: this.#now + ms, fn, id });
    return () => {
      this.#timers = this.#timers.filter((x) => x.id !== id);
    };
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward, running due timers in time order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((x) => x !== due);
      this.#now = due.at;
      due.fn();
    }
    this.#now = end;
  }
}
