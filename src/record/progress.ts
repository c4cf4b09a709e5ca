/**
 * Recording progress on stderr (issue #7): on a terminal one line rewritten in place a few times a
 * second; otherwise (a pipe, a log file, journald) one plain line every few seconds.
 */
import type { RecorderStats } from './writer.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** "recording 12.3 s: 340 samples (cam0 25, mic0 11, …), 1.2 MiB written, 0 dropped" */
export function formatProgress(stats: RecorderStats, elapsedMs: number): string {
  const perSensor = Object.entries(stats.sensors)
    .map(([id, s]) => `${id} ${s.messages}`)
    .join(', ');
  const sensors = perSensor === '' ? '' : ` (${perSensor})`;
  return `recording ${(elapsedMs / 1000).toFixed(1)} s: ${stats.messages} samples${sensors}, ${formatBytes(stats.fileBytes)} written, ${stats.dropped} dropped`;
}

export class Progress {
  readonly #stream: ProgressStream;
  readonly #stats: () => RecorderStats;
  readonly #started = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #width = 0;

  /** Starts printing; `intervalMs` defaults to 250 ms on a terminal and 5 s otherwise. */
  constructor(stream: ProgressStream, stats: () => RecorderStats, intervalMs?: number) {
    this.#stream = stream;
    this.#stats = stats;
    const every = intervalMs ?? (stream.isTTY ? 250 : 5000);
    this.#timer = setInterval(() => this.#print(), every);
    this.#timer.unref();
  }

  #print(): void {
    const line = formatProgress(this.#stats(), performance.now() - this.#started);
    if (this.#stream.isTTY) {
      // Pad over the previous, possibly longer, line instead of relying on an erase sequence.
      this.#stream.write(`\r${line.padEnd(this.#width)}`);
      this.#width = line.length;
    } else {
      this.#stream.write(`${line}\n`);
    }
  }

  /** Stops the updates and prints the final state (or `final`) as a last line. Idempotent. */
  stop(final?: string): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    const line = final ?? formatProgress(this.#stats(), performance.now() - this.#started);
    this.#stream.write(this.#stream.isTTY ? `\r${line.padEnd(this.#width)}\n` : `${line}\n`);
  }
}
