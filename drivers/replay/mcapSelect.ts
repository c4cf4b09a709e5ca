/**
 * Which channels of an MCAP file feed a replay sensor (config `channels`, issue #7).
 *
 * - `channels: [a, b]`: exactly those topics ("cam0" also matches "/cam0"); a topic that is not in
 *   the file, or whose schema bindsight cannot replay, is FILE_INVALID.
 * - default: the topic named like the sensor id; else the one channel that bindsight recorded for
 *   a sensor of the same modality (channel metadata `bindsight.modality`); else, in a file from
 *   another tool, the one channel whose schema fits the modality (images for vision, thermal and
 *   depth; bindsight.Window for audio and IMU). Several candidates are FILE_INVALID naming them,
 *   so the choice is never a guess.
 */
import type { ReplaySensorConfig } from '../../src/config/schema.js';
import { BindsightError } from '../../src/errors.js';
import type { SensorModality } from '../types.js';
import { channelProblem } from './mcapDecode.js';
import type { McapChannelInfo } from './mcapFile.js';
import { CHANNEL_META, SCHEMA } from './mcapSchemas.js';

const FITS: Readonly<Record<SensorModality, readonly string[]>> = {
  vision: [SCHEMA.compressedImage, SCHEMA.rawImage],
  thermal: [SCHEMA.compressedImage, SCHEMA.rawImage],
  depth: [SCHEMA.compressedImage, SCHEMA.rawImage],
  audio: [SCHEMA.window],
  imu: [SCHEMA.window],
};

const bare = (topic: string): string => topic.replace(/^\/+/, '');

function describe(channels: readonly McapChannelInfo[]): string {
  if (channels.length === 0) return '(none)';
  return channels.map((c) => `${c.topic} (${c.schemaName || 'no schema'}, ${c.messageEncoding})`).join(', ');
}

function invalid(cfg: ReplaySensorConfig, file: string, what: string): BindsightError {
  return new BindsightError('FILE_INVALID', `sensor "${cfg.id}": ${file}: ${what}`, { sensor: cfg.id, file });
}

function playable(c: McapChannelInfo): boolean {
  return channelProblem(c.schemaName, c.messageEncoding) === undefined;
}

function explicit(
  cfg: ReplaySensorConfig,
  file: string,
  channels: readonly McapChannelInfo[],
  wanted: readonly string[],
) {
  const chosen: McapChannelInfo[] = [];
  for (const name of wanted) {
    const found = channels.filter((c) => bare(c.topic) === bare(name));
    if (found.length === 0) {
      throw invalid(cfg, file, `channel "${name}" is not in the file; it has: ${describe(channels)}`);
    }
    for (const c of found) {
      const problem = channelProblem(c.schemaName, c.messageEncoding);
      if (problem !== undefined)
        throw invalid(cfg, file, `channel "${c.topic}" cannot be replayed: ${problem}`);
      chosen.push(c);
    }
  }
  return chosen;
}

function byDefault(cfg: ReplaySensorConfig, file: string, channels: readonly McapChannelInfo[]) {
  const candidates = channels.filter(playable);
  const named = candidates.filter((c) => bare(c.topic) === cfg.id);
  if (named.length > 0) return named;
  const own = candidates.filter((c) => c.metadata.get(CHANNEL_META.modality) === cfg.modality);
  const foreign = candidates.filter(
    (c) => !c.metadata.has(CHANNEL_META.modality) && FITS[cfg.modality].includes(c.schemaName),
  );
  const pool = own.length > 0 ? own : foreign;
  const topics = new Set(pool.map((c) => c.topic));
  if (topics.size === 1) return pool;
  const fix = 'choose with `channels: [topic]` in the sensor config';
  if (topics.size > 1) {
    throw invalid(
      cfg,
      file,
      `several channels could feed this ${cfg.modality} sensor: ${describe(pool)}; ${fix}`,
    );
  }
  throw invalid(
    cfg,
    file,
    `no channel for a ${cfg.modality} sensor named "${cfg.id}"; the file has: ${describe(channels)}; ${fix}`,
  );
}

/** The ids of the channels that feed `cfg` (see the file header); FILE_INVALID if there are none. */
export function selectChannels(
  cfg: ReplaySensorConfig,
  file: string,
  channels: readonly McapChannelInfo[],
): Set<number> {
  const chosen =
    cfg.channels === undefined ? byDefault(cfg, file, channels) : explicit(cfg, file, channels, cfg.channels);
  return new Set(chosen.map((c) => c.id));
}
