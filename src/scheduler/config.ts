/**
 * The `scheduler:` section of the config (embedded by src/config/schema.ts). Gate thresholds are
 * in each encoder's own input units (gate.ts) and were chosen on the demo recordings
 * (config/demo/): above the change between two frames or windows of the same static scene, far
 * below the change of every event there (test/scheduler/demo.test.ts checks both).
 */
import { z } from 'zod';

const threshold = (text: string, dflt: number) =>
  z.number().nonnegative().default(dflt).describe(`${text} (0 = never gate)`);

/**
 * Defaults, as the largest change of one signature cell (gate.ts) between a sample and the last
 * encoded one of its sensor, measured on config/demo/ with the demo pack's preprocessing:
 * - vision 0.05 (CLIP-normalised units, ≈ 3.5 grey levels over a 1/256 cell): a repeated frame
 *   is 0, dark → bright 2.5;
 * - thermal 0.3 (min–max-scaled [0, 1]): sensor noise in an empty room ≤ 0.23, a person
 *   entering or leaving ≥ 0.7;
 * - depth 0.1 (normalised disparity): a repeated frame is 0, an object at 0.6 m in front of a
 *   wall at 3.5 m ≥ 1.8;
 * - audio 0.1 (normalised log-mel): quiet room ≤ 0.02, a steady siren ≤ 0.015 (one hop apart),
 *   quiet ↔ siren ≥ 0.7;
 * - imu 0.1 (m/s² and rad/s): walking ≤ 0.015, lying still ≤ 0.015, walking → falling ≥ 1.4.
 */
export const GATE_DEFAULTS = { vision: 0.05, thermal: 0.3, depth: 0.1, audio: 0.1, imu: 0.1 } as const;

export const schedulerSchema = z
  .strictObject({
    maxBatch: z.number().int().positive().default(8).describe('samples per encoder run, at most'),
    maxWaitMs: z
      .number()
      .nonnegative()
      .default(50)
      .describe('a partial batch runs once its oldest sample has waited this long (and the encoder is free)'),
    queueLength: z
      .number()
      .int()
      .positive()
      .default(32)
      .describe("samples each sensor may have waiting; beyond it the sensor's oldest is dropped and counted"),
    concurrency: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('encoder runs in flight at once across modalities; ready modalities take turns'),
    workers: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'preprocessing worker threads (default: min(2, CPU cores)); 0 = preprocess on the event loop',
      ),
    gate: z
      .strictObject({
        vision: threshold('camera frames', GATE_DEFAULTS.vision),
        thermal: threshold('thermal frames', GATE_DEFAULTS.thermal),
        depth: threshold('depth frames', GATE_DEFAULTS.depth),
        audio: threshold('audio windows', GATE_DEFAULTS.audio),
        imu: threshold('IMU windows', GATE_DEFAULTS.imu),
      })
      .prefault({})
      .describe(
        "a sample that changed less than this from its sensor's last encoded one reuses that embedding instead of running the encoder",
      ),
  })
  .describe('how samples are batched into the encoders');

export type SchedulerConfig = z.output<typeof schedulerSchema>;
