/**
 * The I2C seam (style.md §1): drivers receive a bus, never open one. The methods are the
 * subset of `i2c-bus`'s PromisifiedBus that our chips use, with the same semantics (SMBus
 * words are little-endian on the wire), plus a combined write-then-read with a repeated start
 * (one I2C_RDWR ioctl) that `i2c-bus` cannot issue and the MLX90640 requires
 * (MLX90640 datasheet §8.1: "the master must use repeated start").
 * Real implementations live in drivers/i2c/; tests pass the register-map emulator.
 */
export interface I2CBus {
  readByte(address: number, command: number): Promise<number>;
  writeByte(address: number, command: number, byte: number): Promise<void>;
  readWord(address: number, command: number): Promise<number>;
  writeWord(address: number, command: number, word: number): Promise<void>;
  readI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesRead: number; buffer: Buffer }>;
  writeI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesWritten: number; buffer: Buffer }>;
  i2cRead(address: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  i2cWrite(
    address: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesWritten: number; buffer: Buffer }>;
  /** Addresses that acknowledge (like `i2cdetect`), for `bindsight doctor`. */
  scan(): Promise<number[]>;
  close(): Promise<void>;
}

/** A combined transfer: write `write` then, after a repeated start, read `readLength` bytes. */
export interface I2CCombined {
  writeRead(address: number, write: Uint8Array, readLength: number): Promise<Buffer>;
}

/** What a driver gets: a bus, and the combined transfer where the platform offers one. */
export interface I2CHandle {
  bus: I2CBus;
  combined?: I2CCombined;
}

/** Opens /dev/i2c-N; injected into drivers by the agent so tests can pass an emulator. */
export type I2COpener = (busNumber: number) => Promise<I2CHandle>;
