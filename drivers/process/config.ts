/**
 * Config keys shared by the capture drivers (issue #6: `input`, `width`, `height`, `fps` — or
 * `rate` and `channels` for audio — and `format` where a device offers several), as zod fields
 * each driver's schema spreads in. src/config/schema.ts imports the driver schemas, so this file
 * must not import it (the id rule comes from drivers/sensorId.ts).
 */
import { z } from 'zod';
import { sensorId } from '../sensorId.js';
import type { CaptureTiming } from './supervisor.js';

export const everyMsKey = z
  .number()
  .nonnegative()
  .default(0)
  .describe('encode at most one sample per this many ms (0 = all)');

export const startTimeoutKey = z
  .number()
  .positive()
  .default(10)
  .describe('seconds the capture tool gets to deliver its first frame before it is killed');

/** id, timeouts and everyMs: every streaming capture driver has them. */
export const captureKeys = {
  id: sensorId,
  startTimeout: startTimeoutKey,
  stallTimeout: z
    .number()
    .positive()
    .optional()
    .describe(
      'seconds without a frame before the capture tool is killed and restarted (default: 10 frame periods, at least 2 s)',
    ),
  everyMs: everyMsKey,
};

export const loopKey = z
  .boolean()
  .default(false)
  .describe('when input is a file: play it again from the start at its end (otherwise the stream ends)');

/** width, height and fps with per-driver defaults. */
export function videoKeys(defaults: { width: number; height: number; fps: number }) {
  return {
    width: z
      .number()
      .int()
      .positive()
      .max(8192)
      .default(defaults.width)
      .describe('frame width in pixels (asked of the device; files are scaled to it)'),
    height: z
      .number()
      .int()
      .positive()
      .max(8192)
      .default(defaults.height)
      .describe('frame height in pixels (asked of the device; files are scaled to it)'),
    fps: z.number().positive().max(240).default(defaults.fps).describe('frames per second'),
  };
}

/** Start and stall timeouts in ms from the config keys and the frame period. */
export function captureTiming(
  cfg: { startTimeout: number; stallTimeout?: number | undefined },
  periodMs: number,
): CaptureTiming {
  return {
    startTimeoutMs: cfg.startTimeout * 1000,
    stallTimeoutMs: cfg.stallTimeout !== undefined ? cfg.stallTimeout * 1000 : Math.max(10 * periodMs, 2000),
  };
}
