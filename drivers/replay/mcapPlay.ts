/**
 * Plays one MCAP file into a replay sensor (issue #7), on the run's shared schedule.
 *
 * - Samples keep their recorded capture time `t` (the message's `timestamp`, else its log time),
 *   so a recording replays into identical Samples. Plain files are stamped with the replay clock
 *   instead (player.ts).
 * - Timing: a message is emitted at its log time relative to the start of the recording (all
 *   channels, so several sensors replaying one file stay aligned), a Window `span` later — when
 *   its last sample had been captured, as a live driver emits it — divided by `speed`; with
 *   `realtime: false` as fast as the reader takes them.
 * - `seek` skips the first seconds of the recording; `channels` picks the topics (mcapSelect.ts).
 * - With `loop`, pass k shifts every `t` by k × the length of a pass, so time keeps moving forward
 *   (McapTimeShift); the first pass is exact.
 * - A message that cannot be decoded is counted (`corrupt_messages`) and skipped; a damaged chunk
 *   (`corrupt_chunks`), a cut-off end (`unreadable_bytes`) and a missing index (`unindexed_files`)
 *   are counted too. Each degrades health and is logged at warn level once per file and pass.
 */
import { basename } from 'node:path';
import type { ReplaySensorConfig } from '../../src/config/schema.js';
import { BindsightError, errorMessage } from '../../src/errors.js';
import type { HealthTracker } from '../health.js';
import type { Sample } from '../types.js';
import { msToNs } from './clock.js';
import { type DecodeTarget, decodeMessage } from './mcapDecode.js';
import { type McapProblem, type McapRecord, openMcap } from './mcapFile.js';
import { selectChannels } from './mcapSelect.js';
import type { Schedule } from './schedule.js';

export interface McapPlayDeps {
  cfg: ReplaySensorConfig;
  health: HealthTracker;
  signal: AbortSignal;
  emit(sample: Sample): void;
  logger?: { warn(obj: Record<string, unknown>, msg: string): void };
}

/** The shift of recorded times for loop pass k: the sum of the lengths of the passes before it. */
export class McapTimeShift {
  #ns = 0n;
  #first: bigint | undefined;
  #end: bigint | undefined;

  get ns(): bigint {
    return this.#ns;
  }

  /** This pass covers recorded times [first, end). */
  observe(first: bigint, end: bigint): void {
    if (this.#first === undefined || first < this.#first) this.#first = first;
    if (this.#end === undefined || end > this.#end) this.#end = end;
  }

  nextPass(): void {
    if (this.#first !== undefined && this.#end !== undefined) this.#ns += this.#end - this.#first;
    this.#first = undefined;
    this.#end = undefined;
  }
}

const NS_PER_MS = 1_000_000;

/** Time from a sample's first capture to its last, ms: a Window's span, 0 for a Frame. */
function spanMs(sample: Sample): number {
  if (sample.kind === 'frame') return 0;
  const n = sample.data.length / sample.channels;
  return n > 1 ? ((n - 1) * 1000) / sample.rate : 0;
}

/** The counter of each problem besides `unreadable_bytes` (a cut-off tail is counted in bytes only). */
const PROBLEM_COUNTERS: Readonly<Record<McapProblem['kind'], string | undefined>> = {
  no_index: 'unindexed_files',
  record: 'corrupt_chunks',
  tail: undefined,
};

function reportProblem(deps: McapPlayDeps, problem: McapProblem): void {
  const { health, cfg } = deps;
  const counter = PROBLEM_COUNTERS[problem.kind];
  if (counter !== undefined) health.count(counter);
  health.count('unreadable_bytes', problem.bytes);
  const message = `${problem.file}: ${problem.reason}${problem.bytes > 0 ? ` (${problem.bytes} bytes unreadable)` : ''}`;
  health.error(new BindsightError('FILE_INVALID', message, { file: problem.file, sensor: cfg.id }), {
    degrade: true,
  });
  deps.logger?.warn(
    {
      sensor: cfg.id,
      file: problem.file,
      problem: problem.kind,
      bytes: problem.bytes,
      reason: problem.reason,
    },
    'replay: part of an MCAP file cannot be read',
  );
}

/** Decodes one record, or counts and reports it (first of the file only) and returns undefined. */
async function decode(
  deps: McapPlayDeps,
  target: DecodeTarget,
  record: McapRecord,
  first: boolean,
): Promise<Sample | undefined> {
  const { channel } = record;
  try {
    return await decodeMessage(
      {
        schemaName: channel.schemaName,
        messageEncoding: channel.messageEncoding,
        topic: channel.topic,
        logTime: record.logTime,
        data: record.data,
      },
      target,
    );
  } catch (err) {
    deps.health.count('corrupt_messages');
    if (first) {
      deps.health.error(err, { degrade: true });
      deps.logger?.warn(
        { sensor: deps.cfg.id, topic: channel.topic, err: errorMessage(err) },
        'replay: MCAP message skipped',
      );
    }
    return undefined;
  }
}

function decodeTarget(cfg: ReplaySensorConfig, file: string): DecodeTarget {
  const foreignMeta: Record<string, number | string> = { file: basename(file) };
  if (cfg.baseline_m !== undefined) foreignMeta.baseline_m = cfg.baseline_m;
  if (cfg.focal_px !== undefined) foreignMeta.focal_px = cfg.focal_px;
  return { sensor: cfg.id, modality: cfg.modality, foreignMeta };
}

/**
 * Plays `file`; returns the number of samples emitted, or undefined if aborted. Rejects
 * FILE_INVALID when the file is not MCAP, has no channel for the sensor, or `seek` is past its end.
 */
export async function playMcapFile(
  deps: McapPlayDeps,
  schedule: Schedule,
  file: string,
  shift: McapTimeShift,
): Promise<number | undefined> {
  const { cfg, health } = deps;
  const reader = await openMcap(file, (problem) => reportProblem(deps, problem));
  try {
    const { summary } = reader;
    const keep = selectChannels(cfg, file, summary.channels);
    const start = summary.messageStartTime;
    const end = summary.messageEndTime;
    if (start === undefined || end === undefined) return 0;
    const from = start + msToNs(cfg.seek * 1000);
    if (from > end) {
      const length = Number(end - start) / 1e9;
      throw new BindsightError(
        'FILE_INVALID',
        `sensor "${cfg.id}": seek ${cfg.seek} s is past the end of ${file} (${length.toFixed(3)} s long)`,
        { sensor: cfg.id, file },
      );
    }
    const count = summary.messageCount ?? 0n;
    const gap = count > 1n ? (end - start) / (count - 1n) : 1_000_000_000n;
    const target = decodeTarget(cfg, file);
    let emitted = 0;
    let failures = 0;
    let lastMs = 0;
    for await (const record of reader.messages({ channels: (c) => keep.has(c.id), startTime: from })) {
      const sample = await decode(deps, target, record, failures === 0);
      if (sample === undefined) {
        failures++;
        continue;
      }
      const offsetMs = (Number(record.logTime - from) / NS_PER_MS + spanMs(sample)) / cfg.speed;
      lastMs = Math.max(lastMs, offsetMs);
      if (!(await schedule.until(offsetMs))) return undefined;
      sample.t += shift.ns;
      deps.emit(sample);
      emitted++;
    }
    shift.observe(from, end + gap);
    // The file lasts its span plus one mean interval, or until its last (window) sample was due.
    const durationMs = Math.max(lastMs, Number(end + gap - from) / NS_PER_MS / cfg.speed);
    if (!(await schedule.until(durationMs))) return undefined;
    schedule.advance(durationMs);
    health.count('files_played');
    return emitted;
  } finally {
    await reader.close();
  }
}
