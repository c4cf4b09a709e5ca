/**
 * Recording inside `bindsight run` (issue #7): `run --record FILE.mcap`, or the config's
 * `record: { file, sensors }`. The agent hands every sample to `onSample` (AgentDeps.onSample);
 * samples of the chosen sensors go to an McapRecorder, closed (index written) when the agent stops.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Sample } from '../../drivers/types.js';
import type { Config } from '../config/schema.js';
import { pickSensors, summaryLine } from './session.js';
import { McapRecorder } from './writer.js';

export interface RunRecording {
  readonly file: string;
  onSample(sample: Sample): void;
  /** Finishes the file and returns its one-line summary. */
  close(): Promise<string>;
}

/**
 * The recording `run` should make, or undefined for none. `cliFile` (relative to the working
 * directory) wins over `config.record.file` (relative to the config's folder, `configDir`).
 */
export async function startRunRecording(
  config: Config,
  configDir: string,
  cliFile: string | undefined,
): Promise<RunRecording | undefined> {
  const file =
    cliFile !== undefined
      ? resolve(cliFile)
      : config.record !== undefined
        ? isAbsolute(config.record.file)
          ? config.record.file
          : resolve(configDir, config.record.file)
        : undefined;
  if (file === undefined) return undefined;
  const ids = new Set(pickSensors(config, config.record?.sensors).map((s) => s.id));
  const recorder = await McapRecorder.create({ file, metadata: { source: 'bindsight run' } });
  return {
    file,
    onSample: (sample) => {
      if (ids.has(sample.sensor)) recorder.write(sample);
    },
    close: async () => summaryLine(await recorder.close()),
  };
}
