/**
 * Feeds systemd's watchdog only while the pipeline makes progress (issue #11; style.md §15:
 * zigbee2mqtt pings on a timer regardless of health, bindsight does not).
 *
 * Every tick compares the scheduler's counters with the previous tick. Samples submitted and
 * not yet settled (encoded, gated, dropped or rate-limited) are outstanding work:
 * - some settled since the last tick: progress, feed;
 * - nothing outstanding: the pipeline is idle (no sensor is producing), feed — a missing sensor
 *   is a health problem (/healthz), which a restart would not fix;
 * - outstanding work and nothing settled: stalled (a hung encoder, a dead worker), do not feed,
 *   so systemd restarts the agent after WatchdogSec.
 * Ticks run every period/3, so an encoder run may take up to about 2/3 of WatchdogSec before a
 * feed is missed; while ONNX Runtime runs synchronously no tick runs at all (README: the known
 * limit of the scheduler), so WatchdogSec must exceed the longest encoder run.
 */
import type { Logger } from 'pino';
import type { SchedulerStats } from '../scheduler/scheduler.js';
import type { PipelineCondition } from './health.js';

export interface PipelineProgress {
  /** Samples handed to the scheduler. */
  submitted: number;
  /** Of those, encoded, gated, dropped or rate-limited. */
  settled: number;
}

/** Progress counters summed over every sensor of the scheduler's stats. */
export function schedulerProgress(stats: SchedulerStats | undefined): PipelineProgress {
  let submitted = 0;
  let settled = 0;
  for (const s of Object.values(stats?.sensors ?? {})) {
    submitted += s.submitted;
    const dropped = s.dropped.queue_full + s.dropped.preprocess_failed + s.dropped.inference_failed;
    settled += s.encoded + s.gated + s.rateLimited + dropped;
  }
  return { submitted, settled };
}

export interface WatchdogOptions {
  progress: () => PipelineProgress;
  /** Called on each tick with progress (sends WATCHDOG=1). */
  feed: () => void;
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

export class PipelineWatchdog {
  readonly #opts: WatchdogOptions;
  readonly #now: () => number;
  #last: PipelineProgress;
  #lastProgressAt: number;
  #stalled = false;
  #timer: NodeJS.Timeout | undefined;
  #fed = 0;

  constructor(opts: WatchdogOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#last = opts.progress();
    this.#lastProgressAt = this.#now();
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(), this.#opts.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One check; returns whether it fed the watchdog. */
  tick(): boolean {
    const p = this.#opts.progress();
    const outstanding = p.submitted - p.settled;
    const moved = p.settled > this.#last.settled;
    this.#last = p;
    if (moved || outstanding <= 0) {
      this.#lastProgressAt = this.#now();
      if (this.#stalled) this.#opts.logger.info({ outstanding }, 'pipeline progressing again');
      this.#stalled = false;
      this.#fed++;
      this.#opts.feed();
      return true;
    }
    if (!this.#stalled) {
      this.#opts.logger.warn(
        { outstanding, sinceMs: this.#now() - this.#lastProgressAt },
        'pipeline stalled: samples wait and none finished; not feeding the systemd watchdog',
      );
    }
    this.#stalled = true;
    return false;
  }

  condition(): PipelineCondition {
    if (!this.#stalled) return { stalled: false };
    const outstanding = this.#last.submitted - this.#last.settled;
    const s = Math.round((this.#now() - this.#lastProgressAt) / 1000);
    return { stalled: true, detail: `${outstanding} samples waiting, none finished for ${s} s` };
  }

  /** Ticks that fed the watchdog. */
  get fed(): number {
    return this.#fed;
  }
}
