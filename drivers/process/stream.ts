/**
 * A streaming capture driver in one call: a Supervisor (one long-lived child) whose fixed-size
 * frames become Samples stamped by a CaptureClock, inside the common CaptureDriver. The video
 * families (ffmpeg, gstreamer, uvc-y16, uvc-z16) use it as is; audio adds its windower.
 */
import type { HealthTracker } from '../health.js';
import type { DriverLogger } from '../replay/player.js';
import type { Sample, SensorModality } from '../types.js';
import { CaptureClock } from './capture-clock.js';
import { type CaptureDriver, createCaptureDriver, type SourceContext } from './driver.js';
import { type CaptureEnv, captureEnv } from './source.js';
import { type CapturePlan, type CaptureTiming, Supervisor } from './supervisor.js';

/** What a capture driver factory takes besides its config (style.md §1: injected). */
export interface CaptureDeps {
  logger?: DriverLogger;
  /** Process, clock and restart settings; defaults are the real ones. */
  env?: Partial<CaptureEnv>;
  /** Samples held for a slow reader before the oldest is dropped (default 4 frames / 8 windows). */
  queueLength?: number;
}

export interface StreamDriverOptions {
  id: string;
  modality: SensorModality;
  plan: CapturePlan;
  timing: CaptureTiming;
  deps: CaptureDeps;
  /** Builds the Sample for one frame's bytes captured at `t` (ns); `health` counts conversion faults. */
  toSample(frame: Uint8Array, t: bigint, health: HealthTracker): Sample;
  counters?: readonly string[];
}

/** Late arrival (against the frame timeline) that counts as lost frames, ms. */
export function resyncToleranceMs(periodMs: number): number {
  return Math.max(1000, 3 * periodMs);
}

export function videoSource(o: StreamDriverOptions, ctx: SourceContext): Supervisor {
  const clock = new CaptureClock({
    unitMs: o.plan.periodMs,
    unitsHaveDuration: false,
    tighten: true,
    toleranceMs: resyncToleranceMs(o.plan.periodMs),
    onResync: () => ctx.health.count('resyncs'),
  });
  return new Supervisor({
    sensor: o.id,
    plan: o.plan,
    timing: o.timing,
    env: captureEnv(o.deps.env),
    health: ctx.health,
    hooks: {
      onRun: () => clock.reset(),
      onFrame: (frame, arrivalMs) => ctx.emit(o.toSample(frame, clock.stamp(arrivalMs), ctx.health)),
    },
  });
}

export function createStreamDriver(o: StreamDriverOptions): CaptureDriver {
  return createCaptureDriver({
    id: o.id,
    modality: o.modality,
    queueLength: o.deps.queueLength ?? 4,
    logger: o.deps.logger,
    counters: o.counters,
    source: (ctx) => videoSource(o, ctx),
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * 16-bit little-endian samples (Y16, Z16, gray16le, S16_LE) as a Uint16Array. The framer gives
 * each frame its own buffer at offset 0, so on a little-endian host (x86, Jetson and Raspberry Pi
 * ARM) this is a view, not a copy.
 */
export function le16(bytes: Uint8Array): Uint16Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
    return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  }
  const out = new Uint16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(2 * i, true);
  return out;
}
