/**
 * A WitMotion board behind the serial emulator (drivers/serial/emulator.ts): streams packets at its
 * output rate as emulated time passes, in the classic (0x51 + 0x52 + 0x53 per cycle, checksummed)
 * or BLE 5.0 (`55 61`) format, with faults to inject: garbage bytes, a corrupted checksum, a cut
 * packet, an unplug.
 *
 * Sample k carries a recognisable pattern so tests can check continuity: ax = (k mod 1024) raw
 * counts (k mod 1024 / 2048 g), az = +1 g, gx = −(k mod 1024) counts, the rest 0.
 */
import type { SerialEmulator } from '../../serial/emulator.js';
import { BLE_LENGTH, CLASSIC_TYPES, encodeBle, encodeClassic } from './frame.js';

export interface WitmotionEmulatorOptions {
  path: string;
  rate: number;
  format: 'classic' | 'ble';
  /** Emulated time at creation, ms. */
  startMs: number;
}

export class WitmotionEmulator {
  readonly #serial: SerialEmulator;
  readonly #o: WitmotionEmulatorOptions;
  #sent = 0;
  #lastMs: number;
  #corruptNext = false;
  #cutNext = false;

  constructor(serial: SerialEmulator, options: WitmotionEmulatorOptions) {
    this.#serial = serial;
    this.#o = options;
    this.#lastMs = options.startMs;
    serial.createPort(options.path, {}, { vendorId: '1a86', productId: '7523' });
  }

  /** Samples generated so far (sent or lost while the port was closed). */
  get generated(): number {
    return this.#sent;
  }

  /** The raw ax count of sample k (see the file header). */
  static pattern(k: number): number {
    return k % 1024;
  }

  /** Emits every sample due up to `nowMs`. */
  advanceTo(nowMs: number): void {
    const period = 1000 / this.#o.rate;
    while (this.#lastMs + period <= nowMs) {
      this.#lastMs += period;
      this.#serial.send(this.#o.path, this.#packets(this.#sent));
      this.#sent++;
    }
  }

  #packets(k: number): Uint8Array {
    const p = WitmotionEmulator.pattern(k);
    let bytes: Uint8Array;
    if (this.#o.format === 'ble') bytes = encodeBle([p, 0, 2048, -p, 0, 0, 0, 0, 0]);
    else {
      const parts = [
        encodeClassic(CLASSIC_TYPES.accel, [p, 0, 2048, 2500]),
        encodeClassic(CLASSIC_TYPES.gyro, [-p, 0, 0, 0]),
        encodeClassic(CLASSIC_TYPES.angle, [0, 0, 0, 0]),
      ];
      bytes = Uint8Array.from(parts.flatMap((x) => [...x]));
    }
    if (this.#corruptNext) {
      this.#corruptNext = false;
      bytes[3] ^= 0x40; // payload changed, checksum not
    }
    if (this.#cutNext) {
      this.#cutNext = false;
      bytes = bytes.subarray(0, this.#o.format === 'ble' ? BLE_LENGTH - 8 : 6);
    }
    return bytes;
  }

  /** Sends bytes that are no packet. */
  garbage(bytes: Uint8Array): void {
    this.#serial.send(this.#o.path, bytes);
  }

  /** The next sample's first packet arrives with a wrong checksum (classic) or altered data (BLE). */
  corruptNext(): void {
    this.#corruptNext = true;
  }

  /** The next sample's packet is cut short (bytes lost on the line). */
  cutNext(): void {
    this.#cutNext = true;
  }

  unplug(): void {
    this.#serial.unplug(this.#o.path);
  }

  /** Plugs back in; samples due while unplugged were never produced (time moves on). */
  replug(nowMs: number): void {
    this.#lastMs = nowMs;
    this.#serial.replug(this.#o.path);
  }
}
