/**
 * Types for the parts of `i2c-bus` 5.x (fivdi/i2c-bus, MIT) that drivers/i2c/bus.ts uses; the
 * package ships no declarations and @types/i2c-bus is not installed. Signatures follow its
 * README ("Class PromisifiedBus").
 */
declare module 'i2c-bus' {
  export interface OpenOptions {
    /** I2C_SLAVE_FORCE: talk to an address even if a kernel driver has claimed it. */
    forceAccess?: boolean;
  }

  export interface PromisifiedBus {
    close(): Promise<void>;
    scan(startAddr?: number, endAddr?: number): Promise<number[]>;
    i2cRead(address: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
    i2cWrite(
      address: number,
      length: number,
      buffer: Buffer,
    ): Promise<{ bytesWritten: number; buffer: Buffer }>;
    readByte(address: number, command: number): Promise<number>;
    readWord(address: number, command: number): Promise<number>;
    readI2cBlock(
      address: number,
      command: number,
      length: number,
      buffer: Buffer,
    ): Promise<{ bytesRead: number; buffer: Buffer }>;
    writeByte(address: number, command: number, byte: number): Promise<void>;
    writeWord(address: number, command: number, word: number): Promise<void>;
    writeI2cBlock(
      address: number,
      command: number,
      length: number,
      buffer: Buffer,
    ): Promise<{ bytesWritten: number; buffer: Buffer }>;
  }

  export function openPromisified(busNumber: number, options?: OpenOptions): Promise<PromisifiedBus>;
}
