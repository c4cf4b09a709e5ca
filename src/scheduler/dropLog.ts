/**
 * Drop logging without a line per sample: the first drop of a sensor for a reason is logged at
 * warn (with the error, if any); the sensor's next delivered embedding logs at info how many
 * were dropped meanwhile. Counts are always in Scheduler.stats(); this is for the operator.
 */
import type { Sample } from '../../drivers/types.js';
import type { DropReason } from './stats.js';

export interface DropLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export class DropLog {
  readonly #log: DropLogger;
  /** sensor → reason → drops since the warning. */
  readonly #open = new Map<string, Map<DropReason, number>>();

  constructor(log: DropLogger) {
    this.#log = log;
  }

  dropped(sample: Sample, reason: DropReason, error?: string): void {
    let reasons = this.#open.get(sample.sensor);
    if (!reasons) {
      reasons = new Map();
      this.#open.set(sample.sensor, reasons);
    }
    const n = reasons.get(reason);
    if (n !== undefined) {
      reasons.set(reason, n + 1);
      return;
    }
    reasons.set(reason, 1);
    this.#log.warn(
      { sensor: sample.sensor, modality: sample.modality, reason, error },
      'samples dropped (logged once until the sensor delivers again; counts in scheduler stats)',
    );
  }

  delivered(sample: Sample): void {
    const reasons = this.#open.get(sample.sensor);
    if (!reasons) return;
    this.#open.delete(sample.sensor);
    for (const [reason, dropped] of reasons) {
      this.#log.info({ sensor: sample.sensor, reason, dropped }, 'samples flowing again');
    }
  }
}
