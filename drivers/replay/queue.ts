/**
 * A bounded push queue read as an async iterator: the driver pushes samples on its own schedule
 * (as a sensor would) and a slow reader loses the oldest ones, each reported to `onDrop` so the
 * driver counts it. `close()` ends every reader once the queue is drained; `close(true)` also
 * discards what is queued, so `stop()` ends readers at once.
 * Several iterators may read one queue; each item goes to exactly one of them.
 */

export class SampleQueue<T extends object> {
  readonly #capacity: number;
  readonly #onDrop: (item: T) => void;
  readonly #items: T[] = [];
  readonly #waiters: ((result: IteratorResult<T, undefined>) => void)[] = [];
  readonly #roomWaiters: (() => void)[] = [];
  #closed = false;

  constructor(capacity: number, onDrop: (item: T) => void) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new RangeError(`queue capacity must be a positive integer; got ${capacity}`);
    this.#capacity = capacity;
    this.#onDrop = onDrop;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Queues an item (or hands it to a waiting reader); returns false if the queue is closed. */
  push(item: T): boolean {
    if (this.#closed) return false;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter({ value: item, done: false });
      return true;
    }
    this.#items.push(item);
    if (this.#items.length > this.#capacity) {
      const oldest = this.#items.shift();
      if (oldest !== undefined) this.#onDrop(oldest);
    }
    return true;
  }

  close(discard = false): void {
    this.#closed = true;
    if (discard) this.#items.length = 0;
    for (const waiter of this.#waiters.splice(0)) waiter({ value: undefined, done: true });
    for (const waiter of this.#roomWaiters.splice(0)) waiter();
  }

  /**
   * Resolves once a push would not drop anything (fewer than `capacity` items queued) or the queue
   * is closed: the backpressure of a replay with `realtime: false` (issue #7).
   */
  room(): Promise<void> {
    if (this.#closed || this.#items.length < this.#capacity) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  iterator(): AsyncIterator<T, undefined> {
    return {
      next: () => {
        const item = this.#items.shift();
        if (item !== undefined) {
          if (this.#items.length < this.#capacity) this.#roomWaiters.shift()?.();
          return Promise.resolve({ value: item, done: false });
        }
        if (this.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.#waiters.push(resolve));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }
}
