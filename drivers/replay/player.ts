/**
 * The playback loop: files in order (again and again with `loop`), each file's timeline divided
 * by `speed`, on one continuous schedule so that timing does not drift over a long loop.
 *
 * - A sample's capture time is the clock at its emission, minus its span for a Window (a Window's
 *   `t` is its first sample's capture time, drivers/types.ts).
 * - A corrupt file is counted (`file_errors`), recorded as `lastError`, degrades health and is
 *   skipped; corrupt rows are counted (`corrupt_rows`) and degrade health; playback goes on.
 *   Both are logged at warn level once per file and pass (the rate limit).
 * - If the schedule falls behind by more than MAX_LAG_MS (host suspended, disk stalled), it is
 *   moved forward instead of bursting the backlog out (`resyncs`).
 * - A pass that emits nothing (every file invalid or too short) ends playback: looping it
 *   again would never produce a sample.
 */

import type { ReplaySensorConfig } from '../../src/config/schema.js';
import { BindsightError, errorMessage } from '../../src/errors.js';
import type { HealthTracker } from '../health.js';
import type { Sample } from '../types.js';
import { type Clock, msToNs } from './clock.js';
import type { CorruptRow } from './csv.js';
import type { ReplayFile } from './formats.js';
import { McapTimeShift, playMcapFile } from './mcapPlay.js';
import { Schedule } from './schedule.js';
import { openTimeline } from './sources.js';

export { MAX_LAG_MS } from './schedule.js';

/** The subset of a pino logger a driver uses. */
export interface DriverLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface PlayerDeps {
  cfg: ReplaySensorConfig;
  files: readonly ReplayFile[];
  clock: Clock;
  health: HealthTracker;
  signal: AbortSignal;
  emit(sample: Sample): void;
  logger?: DriverLogger;
  /** With `realtime: false`: resolves when the reader can take another sample (default: at once). */
  room?: () => Promise<void>;
}

/** finished: all files played (no loop). aborted: stop() was called. exhausted: a pass yielded nothing. */
export type PlayResult = 'finished' | 'aborted' | 'exhausted';

function reportCorrupt(deps: PlayerDeps, file: string, corrupt: readonly CorruptRow[]): void {
  const first = corrupt[0];
  if (first === undefined) return;
  deps.health.count('corrupt_rows', corrupt.length);
  const message = `${file}: dropped ${corrupt.length} corrupt row(s); first at line ${first.line}: ${first.reason}`;
  deps.health.error(new BindsightError('FILE_INVALID', message, { file, sensor: deps.cfg.id }), {
    degrade: true,
  });
  deps.logger?.warn(
    { sensor: deps.cfg.id, file, rows: corrupt.length, first },
    'replay: corrupt rows dropped',
  );
}

function reportFileError(deps: PlayerDeps, file: string, err: unknown): void {
  deps.health.error(err, { degrade: true, counter: 'file_errors' });
  deps.logger?.warn({ sensor: deps.cfg.id, file, err: errorMessage(err) }, 'replay: file skipped');
}

/** Plays one file; returns the number of samples emitted, or undefined if aborted. */
async function playFile(
  deps: PlayerDeps,
  schedule: Schedule,
  file: ReplayFile,
  shift: McapTimeShift,
): Promise<number | undefined> {
  const { cfg, clock, health } = deps;
  if (file.kind === 'mcap') {
    try {
      return await playMcapFile(deps, schedule, file.path, shift);
    } catch (err) {
      reportFileError(deps, file.path, err);
      return 0;
    }
  }
  let timeline: Awaited<ReturnType<typeof openTimeline>>;
  try {
    timeline = await openTimeline(file, cfg);
  } catch (err) {
    reportFileError(deps, file.path, err);
    return 0;
  }
  reportCorrupt(deps, file.path, timeline.corrupt);
  for (const timed of timeline.samples) {
    if (!(await schedule.until(timed.atMs / cfg.speed))) return undefined;
    deps.emit(timed.build(msToNs(clock.now() - timed.spanMs / cfg.speed)));
  }
  if (!(await schedule.until(timeline.durationMs / cfg.speed))) return undefined;
  schedule.advance(timeline.durationMs / cfg.speed);
  health.count('files_played');
  return timeline.samples.length;
}

export async function play(deps: PlayerDeps): Promise<PlayResult> {
  const room = deps.cfg.realtime ? undefined : (deps.room ?? (() => Promise.resolve()));
  const schedule = new Schedule(deps.clock, deps.signal, deps.health, room);
  const shift = new McapTimeShift();
  for (;;) {
    let emitted = 0;
    for (const file of deps.files) {
      if (deps.signal.aborted) return 'aborted';
      const n = await playFile(deps, schedule, file, shift);
      if (n === undefined || deps.signal.aborted) return 'aborted';
      emitted += n;
    }
    if (emitted === 0) return 'exhausted';
    if (!deps.cfg.loop) return 'finished';
    deps.health.count('loops');
    shift.nextPass();
  }
}
