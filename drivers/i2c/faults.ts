/**
 * Scripted bus faults for the I2C emulator (style.md §3: NACK at an address, stuck bus,
 * bit-flip, slow response — plus EIO bursts, unplug/replug, a missing adapter and a missing
 * repeated start). Every switch is explicit and stays on until cleared, except the counted
 * ones (`eio(n)`, `bitFlip({ count })`), which wear off after n transfers.
 *
 * The error each fault produces is the one Linux i2c-dev returns for it
 * (Documentation/i2c/fault-codes.rst): see drivers/i2c/errors.ts.
 */
import { type I2CErrorCode, i2cError } from './errors.js';

/** How the emulator waits (a `Clock` from drivers/replay/clock.ts fits). */
export interface Sleeper {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface BitFlipOptions {
  /** Read transfers to corrupt (default 1). */
  count?: number;
  /** Only transfers to this address (default any). */
  address?: number;
  /** Index of the corrupted byte in the read data (default: drawn from `random`). */
  byte?: number;
  /** XOR mask applied to that byte (default 0x01). */
  mask?: number;
}

export interface StuckOptions {
  /**
   * Reject each transfer with ETIMEDOUT after this long (as an adapter with a timeout does);
   * without it transfers hang until `unstick()` / `clear()`.
   */
  timeoutMs?: number;
}

interface Counted {
  remaining: number;
  address: number | undefined;
}

interface Flip extends Counted {
  byte: number | undefined;
  mask: number;
}

export type RepeatedStartFault = 'refuse' | 'split';

/** Counters of faults that fired, by kind. */
export type FaultCounts = Record<
  'nack' | 'unplugged' | 'eio' | 'timeout' | 'flip' | 'refused' | 'split',
  number
>;

export class FaultPlan {
  readonly #nacks = new Map<number, I2CErrorCode>();
  readonly #unplugged = new Set<number>();
  readonly #eio: Counted[] = [];
  readonly #flips: Flip[] = [];
  readonly #slow = new Map<number | undefined, number>();
  readonly #stuckWaiters = new Set<() => void>();
  #stuck: StuckOptions | undefined;
  #repeatedStart: RepeatedStartFault | undefined;
  #adapterPresent = true;
  readonly counts: FaultCounts = { nack: 0, unplugged: 0, eio: 0, timeout: 0, flip: 0, refused: 0, split: 0 };

  constructor(
    private readonly clock: Sleeper,
    private readonly random: () => number,
    private readonly onReplug: (address: number) => void,
  ) {}

  /** The address stops acknowledging (ENXIO by default; some adapters report EREMOTEIO). */
  nack(address: number, code: 'ENXIO' | 'EREMOTEIO' = 'ENXIO'): void {
    this.#nacks.set(address, code);
  }

  /** The next `count` transfers (to `address`, or to any) fail with EIO. */
  eio(count: number, address?: number): void {
    if (count > 0) this.#eio.push({ remaining: count, address });
  }

  /** SCL/SDA held low: transfers hang (or time out, see StuckOptions) until `unstick()`. */
  stuck(options: StuckOptions = {}): void {
    this.#stuck = options;
  }

  /** The bus recovers: hung transfers go on and complete. */
  unstick(): void {
    this.#stuck = undefined;
    for (const resume of [...this.#stuckWaiters]) resume();
  }

  /** Corrupts read data (one bit flip per transfer by default). */
  bitFlip(options: BitFlipOptions = {}): void {
    if ((options.count ?? 1) <= 0) return;
    this.#flips.push({
      remaining: options.count ?? 1,
      address: options.address,
      byte: options.byte,
      mask: options.mask ?? 0x01,
    });
  }

  /** Every transfer (to `address`, or to any) first waits `ms` of clock time; 0 turns it off. */
  slow(ms: number, address?: number): void {
    if (ms > 0) this.#slow.set(address, ms);
    else this.#slow.delete(address);
  }

  /** The device at `address` disappears: ENXIO until `replug`. */
  unplug(address: number): void {
    this.#unplugged.add(address);
  }

  /** The device comes back after a power cycle (its `reset()` runs). */
  replug(address: number): void {
    if (this.#unplugged.delete(address)) this.onReplug(address);
  }

  /**
   * The adapter cannot do a repeated start: 'refuse' fails combined transfers with EOPNOTSUPP;
   * 'split' sends the write and the read as two transactions with a STOP between them.
   */
  noRepeatedStart(mode: RepeatedStartFault = 'refuse'): void {
    this.#repeatedStart = mode;
  }

  /** /dev/i2c-N missing (adapter driver not loaded, USB adapter unplugged): opening fails ENOENT. */
  adapter(present: boolean): void {
    this.#adapterPresent = present;
  }

  get adapterPresent(): boolean {
    return this.#adapterPresent;
  }

  get repeatedStart(): RepeatedStartFault | undefined {
    return this.#repeatedStart;
  }

  /** Turns every fault off; unplugged devices come back, hung transfers resume. */
  clear(): void {
    this.#nacks.clear();
    this.#eio.length = 0;
    this.#flips.length = 0;
    this.#slow.clear();
    this.#repeatedStart = undefined;
    this.#adapterPresent = true;
    for (const address of [...this.#unplugged]) this.replug(address);
    this.unstick();
  }

  /** True when the address answers a scan (attached, not unplugged, not NACKing). */
  acknowledges(address: number): boolean {
    return !this.#unplugged.has(address) && !this.#nacks.has(address);
  }

  /** Applies slow / stuck / unplug / NACK / EIO before a transfer; throws the fault's error. */
  async before(address: number, what: string): Promise<void> {
    const delay = this.#slow.get(address) ?? this.#slow.get(undefined) ?? 0;
    if (delay > 0) await this.clock.sleep(delay);
    if (this.#stuck) await this.#hang(this.#stuck, address, what);
    if (this.#unplugged.has(address)) {
      this.counts.unplugged++;
      throw i2cError('ENXIO', `no device at 0x${hex(address)} (unplugged) during ${what}`, address);
    }
    const nack = this.#nacks.get(address);
    if (nack) {
      this.counts.nack++;
      throw i2cError(nack, `address 0x${hex(address)} not acknowledged during ${what}`, address);
    }
    if (take(this.#eio, address)) {
      this.counts.eio++;
      throw i2cError('EIO', `transfer to 0x${hex(address)} failed during ${what}`, address);
    }
  }

  /** Applies a pending bit flip to the bytes a transfer read (a transfer too short for it is skipped). */
  after(address: number, reads: Uint8Array[]): void {
    const total = reads.reduce((n, r) => n + r.length, 0);
    if (total === 0) return;
    const flip = take(this.#flips, address, (f) => (f.byte ?? 0) < total);
    if (!flip) return;
    let index = flip.byte ?? Math.floor(this.random() * total);
    for (const r of reads) {
      if (index < r.length) {
        r[index] = (r[index] ?? 0) ^ flip.mask;
        this.counts.flip++;
        return;
      }
      index -= r.length;
    }
  }

  async #hang(options: StuckOptions, address: number, what: string): Promise<void> {
    let resume: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      resume = () => {
        this.#stuckWaiters.delete(resume);
        resolve();
      };
      this.#stuckWaiters.add(resume);
    });
    if (options.timeoutMs === undefined) return released;
    const abort = new AbortController();
    const timedOut = this.clock.sleep(options.timeoutMs, abort.signal).then(() => true);
    const expired = await Promise.race([released.then(() => false), timedOut]);
    abort.abort();
    if (!expired) return;
    this.#stuckWaiters.delete(resume);
    this.counts.timeout++;
    throw i2cError('ETIMEDOUT', `bus stuck (SCL/SDA low) during ${what} to 0x${hex(address)}`, address);
  }
}

export function hex(n: number, digits = 2): string {
  return n.toString(16).padStart(digits, '0');
}

/** Takes one use from the first counted entry matching `address` (and `fits`); drops spent entries. */
function take<T extends Counted>(
  list: T[],
  address: number,
  fits: (c: T) => boolean = () => true,
): T | undefined {
  const i = list.findIndex((c) => (c.address === undefined || c.address === address) && fits(c));
  if (i < 0) return undefined;
  const entry = list[i] as T;
  entry.remaining--;
  if (entry.remaining <= 0) list.splice(i, 1);
  return entry;
}
