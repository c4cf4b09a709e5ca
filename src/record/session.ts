/**
 * `bindsight record` without the CLI (issue #7): starts the configured sensors (no models, no
 * MQTT), writes every Sample they emit into one MCAP file, shows progress, and stops on the first
 * of: the stop signal (SIGINT/SIGTERM in the CLI), `durationS`, or every sensor's stream ending
 * (replayed recordings played out). Stopping always closes the recorder, so the file gets its
 * summary and index.
 */
import { createDriver, type DriverDeps } from '../../drivers/registry.js';
import type { Driver } from '../../drivers/types.js';
import type { Config, SensorConfig } from '../config/schema.js';
import { BindsightError, errorMessage } from '../errors.js';
import { formatBytes, Progress, type ProgressStream } from './progress.js';
import { McapRecorder, type RecorderStats } from './writer.js';

export type StopReason = 'signal' | 'duration' | 'ended';

export interface RecordSessionOptions {
  config: Config;
  out: string;
  /** Sensor ids to record (default: all configured sensors). */
  sensors?: readonly string[];
  /** Stop after this many seconds. */
  durationS?: number;
  /** Aborting it stops the recording cleanly. */
  signal?: AbortSignal;
  logger?: DriverDeps['logger'];
  /** Where progress goes (stderr in the CLI); none when absent. */
  progress?: ProgressStream;
  progressIntervalMs?: number;
  /** Extra metadata for the file (e.g. the config path). */
  metadata?: Record<string, string>;
}

export interface RecordResult {
  stats: RecorderStats;
  reason: StopReason;
}

/** The configured sensors named by `ids` (all when undefined); CONFIG_INVALID naming unknown ids. */
export function pickSensors(config: Config, ids: readonly string[] | undefined): SensorConfig[] {
  if (ids === undefined) return config.sensors;
  const known = config.sensors.map((s) => s.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new BindsightError(
      'CONFIG_INVALID',
      `unknown sensor${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')} to record; configured sensors: ${known.join(', ')}`,
      { unknown },
    );
  }
  return config.sensors.filter((s) => ids.includes(s.id));
}

/** One line for the end of a recording: what went into the file. */
export function summaryLine(stats: RecorderStats): string {
  const sensors = Object.entries(stats.sensors)
    .map(([id, s]) => `${id} ${s.messages}`)
    .join(', ');
  return `${stats.file}: ${stats.messages} samples${sensors ? ` (${sensors})` : ''}, ${formatBytes(stats.fileBytes)}, chunks ${stats.compression}, ${stats.dropped} dropped`;
}

async function pump(
  driver: Driver,
  recorder: McapRecorder,
  log: RecordSessionOptions['logger'],
): Promise<void> {
  try {
    for await (const sample of driver.samples()) {
      await recorder.room();
      recorder.write(sample);
    }
  } catch (err) {
    log?.warn({ sensor: driver.id, err: errorMessage(err) }, 'record: sensor stream failed');
  }
}

async function stopAll(drivers: readonly Driver[], log: RecordSessionOptions['logger']): Promise<void> {
  await Promise.all(
    drivers.map((d) =>
      d
        .stop()
        .catch((err: unknown) => log?.warn({ sensor: d.id, err: errorMessage(err) }, 'record: stop failed')),
    ),
  );
}

/** Waits for the first stop condition and says which it was. */
function firstStop(
  pumps: Promise<void>[],
  options: RecordSessionOptions,
): { done: Promise<StopReason>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const reasons: Promise<StopReason>[] = [Promise.all(pumps).then(() => 'ended' as const)];
  if (options.durationS !== undefined) {
    const ms = options.durationS * 1000;
    reasons.push(new Promise((resolve) => (timer = setTimeout(() => resolve('duration'), ms))));
  }
  const { signal } = options;
  if (signal !== undefined) {
    reasons.push(
      new Promise((resolve) => {
        onAbort = () => resolve('signal');
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    );
  }
  const cancel = () => {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  };
  return { done: Promise.race(reasons), cancel };
}

/** Records the sensors into `options.out` (see the file header). */
export async function recordSession(options: RecordSessionOptions): Promise<RecordResult> {
  const chosen = pickSensors(options.config, options.sensors);
  const log = options.logger;
  const recorder = await McapRecorder.create({ file: options.out, metadata: options.metadata });
  const drivers = chosen.map((cfg) => createDriver(cfg, { logger: log }));
  try {
    for (const driver of drivers) await driver.start();
  } catch (err) {
    await stopAll(drivers, log);
    await recorder.close().catch(() => undefined);
    throw err;
  }
  const pumps = drivers.map((d) => pump(d, recorder, log));
  const progress =
    options.progress && new Progress(options.progress, () => recorder.stats(), options.progressIntervalMs);
  const stop = firstStop(pumps, options);
  const reason = await stop.done;
  stop.cancel();
  await stopAll(drivers, log);
  await Promise.all(pumps);
  try {
    const stats = await recorder.close();
    progress?.stop();
    return { stats, reason };
  } catch (err) {
    progress?.stop(`${options.out}: recording failed`);
    throw err;
  }
}
