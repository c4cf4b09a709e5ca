/**
 * An I2C bus emulator behind the same seam as the real bus (drivers/i2c/types.ts), for tests
 * and for `bindsight dump`/`doctor` dry runs (style.md §3: test against emulators that speak
 * the real protocol; the driver code runs unchanged).
 *
 * Devices (drivers/i2c/registerMap.ts, or a chip emulator wrapping one) are attached at 7-bit
 * addresses. Each I2CBus call becomes the transaction the kernel would put on the wire:
 *
 * | call                              | transaction (S = start, Sr = repeated start, P = stop) |
 * | --------------------------------- | ------------------------------------------------------ |
 * | readByte / readWord / readI2cBlock | S w[cmd] Sr r[n] P — SMBus words little-endian         |
 * | writeByte / writeWord / writeI2cBlock | S w[cmd, data…] P                                   |
 * | i2cRead / i2cWrite                | S r[n] P / S w[data…] P                                |
 * | combined.writeRead                | S w[data…] Sr r[n] P (one I2C_RDWR ioctl)              |
 *
 * Faults (drivers/i2c/faults.ts) are scripted on `emulator.faults`. Arguments are checked the
 * way i2c-bus checks them (address 0..0x7f, command 0..0xff, SMBus blocks ≤ 32 bytes).
 */
import { i2cError } from './errors.js';
import { FaultPlan, hex, type Sleeper } from './faults.js';
import type { EmulatedDevice, I2CMessage } from './registerMap.js';
import type { I2CBus, I2CCombined, I2CHandle, I2COpener } from './types.js';

export type { BitFlipOptions, FaultCounts, RepeatedStartFault, Sleeper, StuckOptions } from './faults.js';
export { FaultPlan } from './faults.js';
export type { EmulatedDevice, I2CMessage, RegisterHooks, RegisterMapOptions } from './registerMap.js';
export { RegisterMap } from './registerMap.js';

export interface I2CEmulatorOptions {
  /** Bus number the opener answers to (default 1); other numbers fail ENOENT. */
  bus?: number;
  /** Waits for `slow` and stuck-bus timeouts (default real timers; tests pass a FakeClock). */
  clock?: Sleeper;
  /** Where bit flips land when no byte is given (default Math.random). */
  random?: () => number;
  /** Whether handles offer the combined transfer (default true). */
  combined?: boolean;
  /** Transfers kept in `log` (default 1000; oldest dropped). */
  logLength?: number;
}

/** One transaction as the emulator saw it. */
export interface TransferRecord {
  address: number;
  messages: readonly I2CMessage[];
  /** The error code if it failed. */
  error?: string;
}

export interface EmulatorStats {
  transfers: number;
  failed: number;
  opens: number;
  closes: number;
  /** Handles opened and not yet closed. */
  openHandles: number;
}

const SMBUS_BLOCK_MAX = 32; // SMBus 2.0 §5.5.7; i2c-bus refuses longer I2C blocks

const realSleeper: Sleeper = {
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

function check(ok: boolean, what: string, value: number): void {
  if (!ok) throw new Error(`Invalid ${what} ${value}`);
}

function checkAddress(address: number): void {
  check(Number.isInteger(address) && address >= 0 && address <= 0x7f, 'I2C address', address);
}

function checkCommand(command: number): void {
  check(Number.isInteger(command) && command >= 0 && command <= 0xff, 'I2C command', command);
}

function checkLength(length: number, buffer: Buffer, max?: number): void {
  const ok = Number.isInteger(length) && length >= 0 && (max === undefined || length <= max);
  check(ok && length <= buffer.length, 'buffer length', length);
}

/**
 * The emulated bus. It is itself an I2CBus + I2CCombined (an always-open handle, for tests that
 * talk to it directly); drivers get handles from `opener()`, each closed on its own.
 */
export class I2CEmulator implements I2CBus, I2CCombined {
  readonly busNumber: number;
  readonly faults: FaultPlan;
  /** The most recent transactions, oldest first (see `logLength`). */
  readonly log: TransferRecord[] = [];
  readonly #devices = new Map<number, EmulatedDevice>();
  readonly #combined: boolean;
  readonly #logLength: number;
  readonly #stats: EmulatorStats = { transfers: 0, failed: 0, opens: 0, closes: 0, openHandles: 0 };
  readonly #direct: EmulatorHandle;

  constructor(options: I2CEmulatorOptions = {}) {
    this.busNumber = options.bus ?? 1;
    this.#direct = new EmulatorHandle(this, true);
    this.#combined = options.combined ?? true;
    this.#logLength = options.logLength ?? 1000;
    this.faults = new FaultPlan(options.clock ?? realSleeper, options.random ?? Math.random, (address) =>
      this.#devices.get(address)?.reset?.(),
    );
  }

  /** Puts a device on the bus at a 7-bit address. */
  attach<D extends EmulatedDevice>(address: number, device: D): D {
    checkAddress(address);
    if (this.#devices.has(address))
      throw new Error(`I2C emulator: address 0x${hex(address)} is already taken`);
    this.#devices.set(address, device);
    return device;
  }

  detach(address: number): void {
    this.#devices.delete(address);
  }

  device(address: number): EmulatedDevice | undefined {
    return this.#devices.get(address);
  }

  stats(): EmulatorStats {
    return { ...this.#stats };
  }

  /** An opener to inject where the agent would pass `openI2C`. */
  opener(): I2COpener {
    return (busNumber) => this.open(busNumber);
  }

  /** Opens a handle, as `openI2C(busNumber)` would; fails ENOENT for another bus or no adapter. */
  async open(busNumber = this.busNumber): Promise<I2CHandle> {
    if (busNumber !== this.busNumber || !this.faults.adapterPresent) {
      throw i2cError('ENOENT', `/dev/i2c-${busNumber} does not exist`);
    }
    this.#stats.opens++;
    this.#stats.openHandles++;
    return new EmulatorHandle(this, this.#combined).handle();
  }

  /** @internal Called by a handle's close(). */
  closed(): void {
    this.#stats.closes++;
    this.#stats.openHandles--;
  }

  /** Addresses that acknowledge, in the i2cdetect range 0x03..0x77. */
  async scan(): Promise<number[]> {
    await Promise.resolve();
    if (!this.faults.adapterPresent) throw i2cError('ENODEV', `adapter i2c-${this.busNumber} is gone`);
    return [...this.#devices.keys()]
      .filter((a) => a >= 0x03 && a <= 0x77 && this.faults.acknowledges(a))
      .sort((a, b) => a - b);
  }

  readByte(address: number, command: number): Promise<number> {
    return this.#direct.readByte(address, command);
  }
  writeByte(address: number, command: number, byte: number): Promise<void> {
    return this.#direct.writeByte(address, command, byte);
  }
  readWord(address: number, command: number): Promise<number> {
    return this.#direct.readWord(address, command);
  }
  writeWord(address: number, command: number, word: number): Promise<void> {
    return this.#direct.writeWord(address, command, word);
  }
  readI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    return this.#direct.readI2cBlock(address, command, length, buffer);
  }
  writeI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    return this.#direct.writeI2cBlock(address, command, length, buffer);
  }
  i2cRead(address: number, length: number, buffer: Buffer) {
    return this.#direct.i2cRead(address, length, buffer);
  }
  i2cWrite(address: number, length: number, buffer: Buffer) {
    return this.#direct.i2cWrite(address, length, buffer);
  }
  writeRead(address: number, write: Uint8Array, readLength: number): Promise<Buffer> {
    return this.#direct.writeRead(address, write, readLength);
  }
  /** The emulator's own handle never closes (tests reuse it); handles from `open()` do. */
  async close(): Promise<void> {}

  /** Runs one transaction through the faults and the device; returns the read messages' bytes. */
  async transact(address: number, messages: readonly I2CMessage[], what: string): Promise<Uint8Array[]> {
    const record: TransferRecord = { address, messages };
    this.log.push(record);
    if (this.log.length > this.#logLength) this.log.shift();
    this.#stats.transfers++;
    try {
      if (!this.faults.adapterPresent) throw i2cError('ENODEV', `adapter i2c-${this.busNumber} is gone`);
      await this.faults.before(address, what);
      const device = this.#devices.get(address);
      if (!device) throw i2cError('ENXIO', `no device at 0x${hex(address)} during ${what}`, address);
      const reads = device.transfer(messages);
      this.faults.after(address, reads);
      return reads;
    } catch (err) {
      this.#stats.failed++;
      record.error = (err as { code?: string }).code ?? 'Error';
      throw err;
    }
  }
}

/** One open handle: the I2CBus and I2CCombined views of the emulator, until close(). */
class EmulatorHandle implements I2CBus, I2CCombined {
  #open = true;

  constructor(
    private readonly emulator: I2CEmulator,
    private readonly withCombined: boolean,
  ) {}

  handle(): I2CHandle {
    return this.withCombined ? { bus: this, combined: this } : { bus: this };
  }

  async #run(address: number, messages: I2CMessage[], what: string): Promise<Uint8Array[]> {
    if (!this.#open) throw i2cError('EBADF', `${what} on a closed I2C handle`, address);
    checkAddress(address);
    return this.emulator.transact(address, messages, what);
  }

  async #readAfter(address: number, command: number, length: number, what: string): Promise<Uint8Array> {
    checkCommand(command);
    const write: I2CMessage = { kind: 'write', data: Uint8Array.of(command) };
    const [data] = await this.#run(address, [write, { kind: 'read', length }], what);
    return data ?? new Uint8Array(length);
  }

  async readByte(address: number, command: number): Promise<number> {
    return (await this.#readAfter(address, command, 1, 'readByte'))[0] ?? 0;
  }

  async readWord(address: number, command: number): Promise<number> {
    const d = await this.#readAfter(address, command, 2, 'readWord');
    return (d[0] ?? 0) | ((d[1] ?? 0) << 8); // SMBus words are little-endian (SMBus 2.0 §5.5.5)
  }

  async readI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    checkLength(length, buffer, SMBUS_BLOCK_MAX);
    const d = await this.#readAfter(address, command, length, 'readI2cBlock');
    buffer.set(d);
    return { bytesRead: length, buffer };
  }

  async writeByte(address: number, command: number, byte: number): Promise<void> {
    checkCommand(command);
    check(Number.isInteger(byte) && byte >= 0 && byte <= 0xff, 'byte', byte);
    await this.#run(address, [{ kind: 'write', data: Uint8Array.of(command, byte) }], 'writeByte');
  }

  async writeWord(address: number, command: number, word: number): Promise<void> {
    checkCommand(command);
    check(Number.isInteger(word) && word >= 0 && word <= 0xffff, 'word', word);
    const data = Uint8Array.of(command, word & 0xff, word >> 8);
    await this.#run(address, [{ kind: 'write', data }], 'writeWord');
  }

  async writeI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    checkCommand(command);
    checkLength(length, buffer, SMBUS_BLOCK_MAX);
    const data = Uint8Array.of(command, ...buffer.subarray(0, length));
    await this.#run(address, [{ kind: 'write', data }], 'writeI2cBlock');
    return { bytesWritten: length, buffer };
  }

  async i2cRead(address: number, length: number, buffer: Buffer) {
    checkLength(length, buffer);
    const [d] = await this.#run(address, [{ kind: 'read', length }], 'i2cRead');
    if (d) buffer.set(d);
    return { bytesRead: length, buffer };
  }

  async i2cWrite(address: number, length: number, buffer: Buffer) {
    checkLength(length, buffer);
    const data = Uint8Array.from(buffer.subarray(0, length));
    await this.#run(address, [{ kind: 'write', data }], 'i2cWrite');
    return { bytesWritten: length, buffer };
  }

  async writeRead(address: number, write: Uint8Array, readLength: number): Promise<Buffer> {
    const mode = this.emulator.faults.repeatedStart;
    const writeMsg: I2CMessage = { kind: 'write', data: Uint8Array.from(write) };
    const readMsg: I2CMessage = { kind: 'read', length: readLength };
    if (mode === 'refuse') {
      this.emulator.faults.counts.refused++;
      throw i2cError('EOPNOTSUPP', 'adapter cannot do a combined write-read (no repeated start)', address);
    }
    if (mode === 'split') {
      this.emulator.faults.counts.split++;
      await this.#run(address, [writeMsg], 'writeRead (split: write)');
      const [d] = await this.#run(address, [readMsg], 'writeRead (split: read)');
      return Buffer.from(d ?? []);
    }
    const [d] = await this.#run(address, [writeMsg, readMsg], 'writeRead');
    return Buffer.from(d ?? []);
  }

  async scan(): Promise<number[]> {
    if (!this.#open) throw i2cError('EBADF', 'scan on a closed I2C handle');
    return this.emulator.scan();
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.emulator.closed();
  }
}
