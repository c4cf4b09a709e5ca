/**
 * A video capture driver in one call: every fixed-size frame of the plan becomes a Frame of the
 * sensor's width × height, stamped and supervised by ./stream.ts, with start and stall timeouts
 * from the config keys (./config.ts captureTiming). Used by camera/ffmpeg, camera/gstreamer and
 * depth/uvc; they differ only in their plan and in how the bytes become Frame data.
 */
import type { HealthTracker } from '../health.js';
import type { Frame, FrameFormat, SensorModality } from '../types.js';
import { captureTiming } from './config.js';
import type { CaptureDriver } from './driver.js';
import { type CaptureDeps, createStreamDriver } from './stream.js';
import type { CapturePlan } from './supervisor.js';

/** The config keys a video driver reads (./config.ts captureKeys and videoKeys). */
export interface VideoSensorConfig {
  id: string;
  modality: SensorModality;
  width: number;
  height: number;
  startTimeout: number;
  stallTimeout?: number | undefined;
}

/** What the driver's Frames carry. */
export interface VideoFrames {
  format: FrameFormat;
  /** Frame.data from one frame's bytes (default: the bytes as they are); `health` counts faults. */
  data?: (bytes: Uint8Array, health: HealthTracker) => Frame['data'];
  /** The same meta object on every Frame (none by default). */
  meta?: Frame['meta'];
  /** Counters beyond the common ones, present in every health snapshot. */
  counters?: readonly string[];
}

export function createVideoDriver(
  cfg: VideoSensorConfig,
  plan: CapturePlan,
  deps: CaptureDeps,
  frames: VideoFrames,
): CaptureDriver {
  return createStreamDriver({
    id: cfg.id,
    modality: cfg.modality,
    plan,
    timing: captureTiming(cfg, plan.periodMs),
    deps,
    counters: frames.counters,
    toSample: (bytes, t, health) => toFrame(cfg, frames, bytes, t, health),
  });
}

function toFrame(
  cfg: VideoSensorConfig,
  frames: VideoFrames,
  bytes: Uint8Array,
  t: bigint,
  health: HealthTracker,
): Frame {
  const frame: Frame = {
    kind: 'frame',
    sensor: cfg.id,
    modality: cfg.modality,
    t,
    width: cfg.width,
    height: cfg.height,
    format: frames.format,
    data: frames.data ? frames.data(bytes, health) : bytes,
  };
  if (frames.meta !== undefined) frame.meta = frames.meta;
  return frame;
}
