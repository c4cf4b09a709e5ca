/**
 * The IMU family driver (style.md §4): one chip (drivers/imu/chips.ts) behind it; this file owns
 * the poll schedule, capture timestamps, windowing into Windows, health, and reconnect.
 *
 * Lifecycle and health:
 * - created: `down` ("not started").
 * - start(): makes one attempt to open the chip and resolves either way, so a sensor that is
 *   unplugged at boot does not stop the agent: on failure health is `down` with the reason (and
 *   the fix) in lastError, and the driver keeps retrying with capped exponential backoff + jitter
 *   (counter `reconnect_attempts`).
 * - reading: `ok`. A fault the chip recovered from (bad checksum, FIFO overflow, garbage on the
 *   line) turns it `degraded` and is counted; after DEGRADED_HOLD_MS without a fault it is `ok`
 *   again.
 * - the device is lost (EIO/ENXIO/ENOENT, serial disconnect, wrong identity, no sample for
 *   `stallMs`): `down`; the partial window is discarded (`discarded_samples`) so no Window spans
 *   the hole; the session is closed and reopened with backoff; `reconnects` counts successes.
 * - stop(): aborts waits, closes the session, ends every samples() iteration, leaves no timer;
 *   `down` ("stopped"). Idempotent; start() after stop() starts again.
 * Every state change is logged once at warn (not per sample); a retry that fails with a new
 * reason is logged once more.
 */
import { BindsightError, errorMessage } from '../../src/errors.js';
import { Backoff, type BackoffOptions } from '../backoff.js';
import { HealthTracker } from '../health.js';
import { LifecycleDriver, type RunContext, type StartedRun } from '../lifecycle.js';
import { type Clock, msToNs, systemClock } from '../replay/clock.js';
import type { DriverLogger } from '../replay/player.js';
import type { Driver, Window } from '../types.js';
import { SessionReader } from './sessionReader.js';
import {
  type ChipContext,
  IMU_CHANNEL_COUNT,
  type ImuBatch,
  type ImuChip,
  type ImuSession,
} from './types.js';

export interface ImuDriverOptions {
  id: string;
  chip: ImuChip;
  /** Window length and hop, seconds. */
  window: number;
  hop: number;
}

export interface ImuDriverDeps {
  clock?: Clock;
  logger?: DriverLogger;
  backoff?: BackoffOptions;
  /** Windows held for a slow reader before the oldest is dropped (default 16). */
  queueLength?: number;
}

/** Counters every IMU health snapshot has from the start (chips add their own). */
export const IMU_COUNTERS = [
  'samples',
  'windows',
  'dropped',
  'discarded_samples',
  'gaps',
  'reconnects',
  'reconnect_attempts',
  'stalls',
  'time_resyncs',
  'missed_polls',
  'rate_mismatches',
] as const;

/** How long a degraded driver must run without a fault before it is `ok` again, ms. */
export const DEGRADED_HOLD_MS = 5000;

class ImuDriver extends LifecycleDriver {
  readonly modality = 'imu' as const;
  readonly #opts: ImuDriverOptions;
  readonly #chip: ImuChip;
  readonly #clock: Clock;
  readonly #logger: DriverLogger | undefined;
  readonly #backoff: Backoff;
  readonly #health: HealthTracker;
  #lastLogged: string | undefined;
  #lastFaultMs = Number.NEGATIVE_INFINITY;

  constructor(opts: ImuDriverOptions, deps: ImuDriverDeps) {
    const health = new HealthTracker({ counters: [...IMU_COUNTERS, ...opts.chip.counters] });
    super({ id: opts.id, health, queueLength: deps.queueLength ?? 16 });
    this.#opts = opts;
    this.#chip = opts.chip;
    this.#clock = deps.clock ?? systemClock;
    this.#logger = deps.logger;
    this.#backoff = new Backoff(deps.backoff);
    this.#health = health;
    this.#health.on('change', (c) => {
      this.#lastLogged = c.reason;
      this.#logger?.warn(
        { sensor: this.id, chip: this.#chip.name, from: c.from, to: c.to, reason: c.reason },
        `IMU ${this.id} is ${c.to}`,
      );
    });
  }

  /** Resolves after the first attempt to open the chip, whatever its outcome (see the file header). */
  protected async begin(run: RunContext): Promise<StartedRun> {
    run.openQueue();
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => {
      firstAttempt = resolve;
    });
    this.#health.set('down', `opening ${this.#chip.name} on ${this.#chip.location}`);
    const done = this.#loop(run.signal, firstAttempt).then(
      () => undefined,
      (err: unknown) => this.#health.error(err, { down: true }),
    );
    await attempted;
    return { done };
  }

  async #loop(signal: AbortSignal, firstAttempt: () => void): Promise<void> {
    let opened = false;
    while (!signal.aborted) {
      const session = await this.#open(signal, firstAttempt);
      if (session === undefined) break;
      if (opened) this.#health.count('reconnects');
      opened = true;
      this.#backoff.reset();
      this.#health.set('ok', `reading ${session.identity}`);
      const lost = await this.#read(session, signal);
      await session.close();
      if (signal.aborted) break;
      this.#fail(lost);
      await this.#retryPause(signal);
    }
    firstAttempt();
  }

  /** Opens the chip, retrying with backoff; undefined once stopped. */
  async #open(signal: AbortSignal, firstAttempt: () => void): Promise<ImuSession | undefined> {
    while (!signal.aborted) {
      try {
        const session = await this.#chip.open(this.#context(signal));
        firstAttempt();
        if (!signal.aborted) return session;
        await session.close();
        return undefined;
      } catch (err) {
        if (signal.aborted) break;
        this.#fail(err);
        firstAttempt();
        await this.#retryPause(signal);
      }
    }
    return undefined;
  }

  async #retryPause(signal: AbortSignal): Promise<void> {
    this.#health.count('reconnect_attempts');
    await this.#clock.sleep(this.#backoff.next(), signal);
  }

  #context(signal: AbortSignal): ChipContext {
    return {
      sensor: this.id,
      clock: this.#clock,
      signal,
      count: (name, n = 1) => this.#health.count(name, n),
      fault: (err, counter) => {
        this.#lastFaultMs = this.#clock.now();
        this.#health.error(this.#describe(err), { counter, degrade: true });
      },
    };
  }

  /** The device is lost (or could not be opened): down, with the reason logged once. */
  #fail(err: unknown): void {
    const described = this.#describe(err);
    this.#health.error(described, { down: true });
    if (this.#lastLogged !== described.message) {
      this.#lastLogged = described.message;
      this.#logger?.warn(
        { sensor: this.id, chip: this.#chip.name, error: described.message },
        `IMU ${this.id} is down; retrying`,
      );
    }
  }

  #describe(err: unknown): BindsightError {
    if (err instanceof BindsightError) return err;
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
    return new BindsightError(
      'SENSOR_FAILED',
      `sensor "${this.id}" (${this.#chip.name} on ${this.#chip.location}): ${errorMessage(err)}`,
      { sensor: this.id, chip: this.#chip.name, code },
    );
  }

  /** Reads until the device is lost (returns why) or the driver stops (returns undefined). */
  async #read(session: ImuSession, signal: AbortSignal): Promise<unknown> {
    const reader = new SessionReader(session, this.#opts, this.#clock);
    try {
      while (!signal.aborted) {
        const missed = await reader.wait(signal);
        if (missed > 0) this.#health.count('missed_polls', missed);
        if (signal.aborted) break;
        const batch = await session.read();
        if (signal.aborted) break;
        this.#take(reader, batch);
      }
      return undefined;
    } catch (err) {
      this.#health.count('discarded_samples', reader.windower.reset());
      return err;
    }
  }

  #take(reader: SessionReader, batch: ImuBatch): void {
    const now = this.#clock.now();
    if (batch.gaps[0] === 0) reader.restart(); // lost before this batch: time is anchored afresh
    if (batch.count === 0) {
      if (batch.gaps.length > 0) this.#gap(reader);
      reader.checkStall(now, this.#health);
      return;
    }
    this.#health.count('samples', batch.count);
    const resyncs = reader.clock.resyncs;
    const times = reader.stamp(batch.count, now);
    let from = 0;
    for (const gap of batch.gaps) {
      this.#push(reader, batch, times, from, gap);
      this.#gap(reader);
      from = Math.max(from, gap);
    }
    this.#push(reader, batch, times, from, batch.count);
    this.#health.count('time_resyncs', reader.clock.resyncs - resyncs);
    const measured = reader.rates.observe(batch.count, now);
    if (measured !== undefined) {
      this.#health.count('rate_mismatches');
      this.#lastFaultMs = now;
      this.#health.error(
        new BindsightError(
          'SENSOR_FAILED',
          `sensor "${this.id}" delivers ${measured.toFixed(1)} samples/s but its rate is ${reader.session.rate} Hz: set \`rate: ${Math.round(measured)}\` in the config or change the device's output rate`,
          { sensor: this.id, measured, rate: reader.session.rate },
        ),
        { degrade: true },
      );
    }
    if (this.#health.state === 'degraded' && now - this.#lastFaultMs >= DEGRADED_HOLD_MS) {
      this.#health.set('ok', `reading ${reader.session.identity} (recovered)`);
    }
  }

  /** Windows samples [from, to) of a batch. */
  #push(reader: SessionReader, batch: ImuBatch, times: Float64Array, from: number, to: number): void {
    if (to <= from) return;
    const data = batch.data.subarray(from * IMU_CHANNEL_COUNT, to * IMU_CHANNEL_COUNT);
    reader.windower.push(data, times.subarray(from, to), to - from, (d, t0) =>
      this.#emit(d, t0, reader.session.rate),
    );
  }

  /** Continuity broke: drop the partial window (counted). */
  #gap(reader: SessionReader): void {
    this.#health.count('gaps');
    this.#health.count('discarded_samples', reader.windower.reset());
  }

  #emit(data: Float32Array, firstSampleMs: number, rate: number): void {
    const window: Window = {
      kind: 'window',
      sensor: this.id,
      modality: 'imu',
      t: msToNs(firstSampleMs),
      rate,
      channels: IMU_CHANNEL_COUNT,
      data,
      meta: { chip: this.#chip.name },
    };
    if (this.queue.push(window)) this.#health.count('windows');
  }
}

/** A Driver for one IMU chip (see the file header for its lifecycle and health). */
export function createImuDriver(opts: ImuDriverOptions, deps: ImuDriverDeps = {}): Driver {
  return new ImuDriver(opts, deps);
}
