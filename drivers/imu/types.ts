/**
 * The seam between the IMU family driver (drivers/imu/driver.ts) and one chip (style.md §4).
 *
 * The family owns rate bookkeeping, capture timestamps, windowing, health, reconnect and Sample
 * emission; a chip owns its register map or wire protocol, its init sequence and its conversion to
 * SI units. A chip never sees a Window, and the family never sees a register.
 */
import type { Clock } from '../replay/clock.js';

/** Channels of every IMU sample and Window, in this order (drivers/types.ts Window). */
export const IMU_CHANNELS = ['ax', 'ay', 'az', 'gx', 'gy', 'gz'] as const;
export const IMU_CHANNEL_COUNT = IMU_CHANNELS.length;

/** What the family lends a chip while a session is open. */
export interface ChipContext {
  readonly sensor: string;
  readonly clock: Clock;
  /** Aborts when the driver stops: long waits (mode switches, replies) end early. */
  readonly signal: AbortSignal;
  /** Adds to a health counter (e.g. `crc_errors`, `fifo_overflows`). */
  count(name: string, n?: number): void;
  /**
   * A fault the chip recovered from by itself (a bad checksum, a FIFO overflow it reset): counted
   * under `counter`, recorded as the last error, and health turns degraded. Data around it was
   * already dropped by the chip.
   */
  fault(err: unknown, counter: string): void;
}

/** Samples read in one poll, interleaved [ax, ay, az, gx, gy, gz] per sample, m/s² and rad/s. */
export interface ImuBatch {
  /** 6 × count values. */
  readonly data: Float32Array;
  readonly count: number;
  /**
   * Sample indices before which continuity broke (0: before this batch — a FIFO overflow; i > 0:
   * a packet lost between samples i − 1 and i of a serial stream). The family discards its
   * partial window at each, so no Window spans a hole. Ascending; empty when nothing was lost.
   */
  readonly gaps: readonly number[];
}

/** An open device. `read()` rejects when the device is lost; the family then closes and reopens. */
export interface ImuSession {
  /** What was found, for logs and health ("MPU-6050 (WHO_AM_I 0x68) on I2C bus 1 at 0x68"). */
  readonly identity: string;
  /** The real output data rate after the chip rounded the configured one, Hz. */
  readonly rate: number;
  /** How often the family should call read(), ms. */
  readonly pollMs: number;
  /**
   * True for chips that buffer samples themselves (FIFO, serial stream): a late poll loses
   * nothing. False for register polling (one sample per read): the family keeps a fixed schedule.
   */
  readonly buffered: boolean;
  read(): Promise<ImuBatch>;
  /** Idempotent; never rejects. */
  close(): Promise<void>;
}

export interface ImuChip {
  /** Canonical chip name (drivers/imu/chips.ts key). */
  readonly name: string;
  /** Where it is, for messages: "I2C bus 1 address 0x68", "serial /dev/ttyUSB0 at 9600 baud". */
  readonly location: string;
  /** Counters every health snapshot of this chip's driver has from the start. */
  readonly counters: readonly string[];
  open(ctx: ChipContext): Promise<ImuSession>;
}

/** An empty batch (nothing new this poll). */
export const EMPTY_BATCH: ImuBatch = { data: new Float32Array(0), count: 0, gaps: [] };

export function hex(value: number, digits = 2): string {
  return `0x${value.toString(16).padStart(digits, '0').toUpperCase()}`;
}
