/**
 * WitMotion device layer, part 1: packets → IMU samples in SI units.
 *
 * - A BLE 5.0 `55 61` packet carries accel and gyro together: one sample.
 * - Classic boards send one packet per quantity in type order each cycle (0x51 accel, 0x52 gyro,
 *   0x53 angle, …) [WT901 datasheet §5.1]: an accel packet followed by a gyro packet is one
 *   sample. An accel without its gyro (or a gyro without its accel) is counted as incomplete and
 *   dropped — it is a hole in the series, so the caller treats it as a gap.
 * - Before the first complete sample (a port opened in the middle of a cycle) nothing is
 *   incomplete yet.
 * - Other packets (angle, magnetometer, time, register replies) are not IMU window channels.
 */
import { dpsToRads, gToMs2 } from '../units.js';
import type { WitPacket } from './frame.js';

export type AssembleResult = { sample: number[] } | { incomplete: string } | undefined;

export class WitSampleAssembler {
  #accel: [number, number, number] | undefined;
  #synced = false;

  push(packet: WitPacket): AssembleResult {
    const result = this.#push(packet);
    if (result !== undefined && 'sample' in result) this.#synced = true;
    else if (result !== undefined && !this.#synced) return undefined;
    return result;
  }

  #push(packet: WitPacket): AssembleResult {
    switch (packet.kind) {
      case 'combined':
        return { sample: toSi(packet.g, packet.dps) };
      case 'accel': {
        const stale = this.#accel !== undefined;
        this.#accel = packet.g;
        return stale
          ? { incomplete: 'an accelerometer packet (0x51) came without its gyroscope packet (0x52)' }
          : undefined;
      }
      case 'gyro': {
        const accel = this.#accel;
        this.#accel = undefined;
        if (accel === undefined)
          return { incomplete: 'a gyroscope packet (0x52) came without its accelerometer packet (0x51)' };
        return { sample: toSi(accel, packet.dps) };
      }
      default:
        return undefined;
    }
  }

  reset(): void {
    this.#accel = undefined;
    this.#synced = false;
  }
}

function toSi(g: readonly number[], dps: readonly number[]): number[] {
  return [gToMs2(g[0]), gToMs2(g[1]), gToMs2(g[2]), dpsToRads(dps[0]), dpsToRads(dps[1]), dpsToRads(dps[2])];
}
