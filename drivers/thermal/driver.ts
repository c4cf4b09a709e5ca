/**
 * The thermal family driver (style.md §4): owns rate, capture timestamps, health, reconnect and
 * Sample emission for any ThermalChip (drivers/thermal/chip.ts) on an injected I2C opener.
 *
 * Lifecycle and health (drivers/health.ts):
 * - created: `down` ("not started").
 * - start(): opens the bus and initialises the chip. A set-up error that retrying cannot fix
 *   (no repeated-start transport, EACCES on /dev/i2c-N, adapter without the transfer type)
 *   rejects start() with a BindsightError naming the sensor. A missing, unplugged or wrong
 *   device does not: start() resolves with health `down` and the driver keeps retrying with
 *   capped exponential backoff and jitter (drivers/backoff.ts), so the agent keeps running.
 * - reading: `ok`. A rejected image (FrameRejected: bit errors, implausible values) or an I/O
 *   error (EIO, EAGAIN, EBUSY) is counted and moves ok → degraded; the image is dropped, never
 *   emitted. The next good image moves back to ok.
 * - lost: ENXIO/EREMOTEIO (NACK, unplugged), ENOENT/ENODEV (adapter gone), a timeout (stuck bus),
 *   a wrong device, MAX_IO_RETRIES I/O errors or MAX_REJECTS rejected images in a row: `down`,
 *   the handle is closed, and the driver reopens and re-initialises after a backoff delay.
 *   Coming back counts `reconnects` and returns to `ok`.
 * - stop(): ends readers, cuts any pending I/O short, closes the handle, leaves no timer;
 *   `down` ("stopped"). Idempotent.
 * Every state change is logged once at warn (not per sample); counters count every drop.
 */
import { BindsightError, errorMessage } from '../../src/errors.js';
import { Backoff } from '../backoff.js';
import { Stopped, withDeadline } from '../deadline.js';
import { HealthTracker } from '../health.js';
import { errorCode } from '../i2c/errors.js';
import type { I2CHandle, I2COpener } from '../i2c/types.js';
import { LifecycleDriver, type RunContext, type StartedRun } from '../lifecycle.js';
import { type Clock, msToNs, systemClock } from '../replay/clock.js';
import type { Driver, Frame } from '../types.js';
import { FrameRejected, SetupError, type ThermalChip, type ThermalReading } from './chip.js';

export const THERMAL_COUNTERS = [
  'samples',
  'bytes',
  'dropped',
  'frames_rejected',
  'io_errors',
  'timeouts',
  'reconnects',
  'connect_failures',
  'resyncs',
] as const;

/** I/O errors in a row tolerated before the device is treated as lost. */
export const MAX_IO_RETRIES = 3;
/** Rejected images in a row before the chip is re-initialised. */
export const MAX_REJECTS = 5;
/** Errors that mean "retry the read" rather than "the device is gone". */
const RETRY_CODES = new Set(['EIO', 'EAGAIN', 'EBUSY']);
/** Errors that reject start(): retrying cannot fix them. */
const SETUP_CODES = new Set(['EACCES', 'EPERM', 'EOPNOTSUPP']);

export interface ThermalDriverOptions {
  id: string;
  /** Chip name for messages and Frame.meta ("mlx90640"). */
  chip: string;
  bus: number;
  address: number;
  makeChip: (handle: I2CHandle) => ThermalChip;
  reconnect?: { initialMs: number; maxMs: number };
}

/** The subset of a pino logger the driver uses. */
export interface ThermalLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  info?(obj: Record<string, unknown>, msg: string): void;
}

export interface ThermalDeps {
  opener: I2COpener;
  clock?: Clock;
  logger?: ThermalLogger;
  /** Backoff jitter source (tests pass a constant). */
  random?: () => number;
  /** Images held for a slow reader before the oldest is dropped (default 32). */
  queueLength?: number;
  /** Deadline of one chip operation (open, init, one poll), ms (default 2000). */
  opTimeoutMs?: number;
}

interface Session {
  handle: I2CHandle;
  chip: ThermalChip;
}

class ThermalDriver extends LifecycleDriver {
  readonly modality = 'thermal' as const;
  readonly #o: ThermalDriverOptions;
  readonly #deps: ThermalDeps;
  readonly #clock: Clock;
  readonly #health: HealthTracker;
  readonly #backoff: Backoff;
  #session: Session | undefined;
  #nextAt = 0;
  /** The fixed schedule of a chip without a data-ready flag (retries do not move it). */
  #gridAt = 0;
  #ioErrors = 0;
  #rejects = 0;
  #everConnected = false;
  /** The current `down` spell has been logged (the first failure after start is not a state change). */
  #downLogged = false;

  constructor(o: ThermalDriverOptions, deps: ThermalDeps) {
    const health = new HealthTracker({ counters: THERMAL_COUNTERS });
    super({ id: o.id, health, queueLength: deps.queueLength ?? 32 });
    this.#o = o;
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#health = health;
    this.#backoff = new Backoff({
      initialMs: o.reconnect?.initialMs ?? 500,
      maxMs: Math.max(o.reconnect?.maxMs ?? 30_000, o.reconnect?.initialMs ?? 500),
      random: deps.random,
    });
    this.#health.on('change', (c) => {
      this.#downLogged = c.to === 'down';
      if (c.reason !== 'stopped') this.#log(c.from, c.to, c.reason);
    });
  }

  #log(from: string, to: string, reason: string): void {
    const logger = this.#deps.logger;
    if (!logger) return;
    const o = this.#o;
    const fields = { sensor: o.id, chip: o.chip, bus: o.bus, address: o.address, from, to, reason };
    if (to === 'ok' && logger.info) logger.info(fields, 'thermal sensor ok');
    else logger.warn(fields, `thermal sensor ${to}`);
  }

  get #where(): string {
    return `${this.#o.chip} "${this.id}" on /dev/i2c-${this.#o.bus} at 0x${this.#o.address.toString(16)}`;
  }

  /** One attempt to connect: rejects on a set-up error, else the loop reads or retries (file header). */
  protected async begin(run: RunContext): Promise<StartedRun> {
    run.openQueue();
    const connected = await this.#connect(run.signal);
    if (connected instanceof Error) {
      this.#health.error(connected, { down: true });
      throw connected;
    }
    const done = this.#loop(run.signal).catch((err: unknown) => {
      this.#health.error(err, { down: true });
    });
    return { done };
  }

  /** Opens and initialises; true on success, false on a retryable failure, the error if fatal. */
  async #connect(signal: AbortSignal): Promise<boolean | BindsightError> {
    let handle: I2CHandle | undefined;
    try {
      handle = await this.#bounded(this.#deps.opener(this.#o.bus), signal, 'open');
      const chip = this.#o.makeChip(handle);
      const { settleMs } = await this.#bounded(chip.init(), signal, 'init');
      this.#session = { handle, chip };
      this.#nextAt = this.#clock.now() + settleMs;
      this.#gridAt = this.#nextAt;
      this.#ioErrors = 0;
      this.#rejects = 0;
      this.#backoff.reset();
      if (this.#everConnected) this.#health.count('reconnects');
      this.#everConnected = true;
      this.#health.set('ok', 'reading');
      return true;
    } catch (err) {
      if (handle) await closeQuietly(handle);
      if (err instanceof Stopped) return false;
      this.#health.count('connect_failures');
      const code = errorCode(err);
      if (err instanceof SetupError || (code !== undefined && SETUP_CODES.has(code))) {
        return new BindsightError('SENSOR_FAILED', `${this.#where}: ${errorMessage(err)}`, {
          sensor: this.id,
          code,
        });
      }
      this.#health.error(new Error(`${this.#where}: ${errorMessage(err)}`), { down: true });
      if (!this.#downLogged) {
        // Down since start (no state change to log it): log this spell once.
        this.#downLogged = true;
        this.#log('down', 'down', this.#health.reason);
      }
      return false;
    }
  }

  #bounded<T>(op: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
    const ms = this.#deps.opTimeoutMs ?? 2000;
    return withDeadline(op, ms, this.#clock, signal, `${this.#where} ${what}`);
  }

  async #loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!this.#session) {
        await this.#sleep(this.#backoff.next(), signal);
        if (signal.aborted) break;
        const result = await this.#connect(signal);
        if (result instanceof Error) this.#health.error(result, { down: true });
        continue;
      }
      await this.#step(this.#session, signal);
    }
    await this.#disconnect();
  }

  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.#clock.sleep(Math.max(0, ms), signal);
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  }

  async #disconnect(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session) await closeQuietly(session.handle);
  }

  /** One poll at its scheduled time: emit, wait, retry, or give the device up. */
  async #step(session: Session, signal: AbortSignal): Promise<void> {
    await this.#sleep(this.#nextAt - this.#clock.now(), signal);
    if (signal.aborted) return;
    const t = this.#clock.now();
    const { chip } = session;
    try {
      const reading = await this.#bounded(chip.poll(), signal, 'read');
      if (reading === undefined) {
        this.#nextAt = t + chip.periodMs / 16;
        return;
      }
      this.#emit(chip, reading, t);
      this.#schedule(chip, t);
    } catch (err) {
      if (err instanceof Stopped) return;
      await this.#failed(chip, err, t);
    }
  }

  #schedule(chip: ThermalChip, t: number): void {
    if (chip.hasDataReady) {
      this.#nextAt = t + chip.periodMs * 0.85; // poll a little before the next image is due
      return;
    }
    this.#gridAt += chip.periodMs;
    if (this.#gridAt < t - chip.periodMs) {
      this.#gridAt = t + chip.periodMs; // far behind (host suspended): move the schedule
      this.#health.count('resyncs');
    }
    this.#nextAt = this.#gridAt;
  }

  #emit(chip: ThermalChip, reading: ThermalReading, t: number): void {
    this.#ioErrors = 0;
    this.#rejects = 0;
    const frame: Frame = {
      kind: 'frame',
      sensor: this.id,
      modality: 'thermal',
      t: msToNs(t),
      width: chip.width,
      height: chip.height,
      format: 'celsius_f32',
      data: reading.celsius,
      meta: { chip: this.#o.chip, ...reading.meta },
    };
    if (this.#health.state !== 'ok') this.#health.set('ok', 'reading');
    if (!this.queue.push(frame)) return;
    this.#health.count('samples');
    this.#health.count('bytes', frame.data.byteLength);
  }

  async #failed(chip: ThermalChip, err: unknown, t: number): Promise<void> {
    const code = errorCode(err);
    const message = new Error(`${this.#where}: ${errorMessage(err)}`);
    if (err instanceof FrameRejected && ++this.#rejects < MAX_REJECTS) {
      this.#health.error(message, { degrade: true, counter: 'frames_rejected' });
      this.#nextAt = t + chip.periodMs / 16;
      return;
    }
    if (code !== undefined && RETRY_CODES.has(code) && ++this.#ioErrors < MAX_IO_RETRIES) {
      this.#health.error(message, { degrade: true, counter: 'io_errors' });
      this.#nextAt = t + chip.periodMs / 16;
      return;
    }
    let counter = 'io_errors';
    if (err instanceof FrameRejected) counter = 'frames_rejected';
    else if (code === 'ETIMEDOUT') counter = 'timeouts';
    this.#health.error(message, { down: true, counter });
    await this.#disconnect();
  }
}

async function closeQuietly(handle: I2CHandle): Promise<void> {
  try {
    await handle.bus.close();
  } catch {
    // closing a handle to a vanished device may fail; there is nothing left to release
  }
}

/** A Driver for one I2C thermal chip (see the file header for its lifecycle and health). */
export function createThermalFamilyDriver(o: ThermalDriverOptions, deps: ThermalDeps): Driver {
  return new ThermalDriver(o, deps);
}
