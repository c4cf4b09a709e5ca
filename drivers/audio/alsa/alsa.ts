/**
 * audio/alsa: a microphone read by `arecord` as raw S16_LE at the configured rate and channels
 * (drivers.md §6.1: `-t raw`, since arecord's default is a WAV header; `-f S16_LE`, since its
 * default is U8). A device that only offers S24/S32 (I2S MEMS microphones on `hw:`) needs a
 * `plughw:` PCM, which converts. An input that looks like a file is played in real time by
 * ffmpeg to the same S16_LE stream instead (drivers/process/input.ts).
 *
 * stdout is cut into 20 ms blocks (the watchdog's unit). The capture clock counts sample frames
 * (drivers/process/capture-clock.ts: anchored at the first block's arrival minus its duration,
 * never tightened, re-anchored only beyond the tolerance), and the windower (../windower.ts)
 * dates each window from that anchor: first-sample time + sample count / rate.
 */

import { CaptureClock } from '../../process/capture-clock.js';
import { captureTiming } from '../../process/config.js';
import { type CaptureDriver, createCaptureDriver } from '../../process/driver.js';
import { ffmpegAudioArgs } from '../../process/ffmpeg.js';
import { looksLikeFile } from '../../process/input.js';
import { captureEnv } from '../../process/source.js';
import { type CaptureDeps, le16, resyncToleranceMs } from '../../process/stream.js';
import { type CapturePlan, Supervisor } from '../../process/supervisor.js';
import type { Window } from '../../types.js';
import { PcmWindower } from '../windower.js';
import type { AlsaConfig } from './config.js';

/** Block length, s: short enough for the watchdog, long enough to keep per-block work small. */
const BLOCK_S = 0.02;

export function blockFrames(rate: number): number {
  return Math.max(1, Math.round(rate * BLOCK_S));
}

export function alsaPlan(cfg: AlsaConfig): CapturePlan {
  const frames = blockFrames(cfg.rate);
  const common = {
    frameBytes: frames * cfg.channels * 2,
    periodMs: (frames * 1000) / cfg.rate,
    input: cfg.input,
  };
  if (looksLikeFile(cfg.input)) {
    const args = ffmpegAudioArgs({
      input: cfg.input,
      rate: cfg.rate,
      channels: cfg.channels,
      loop: cfg.loop,
    });
    return { tool: 'ffmpeg', args, finite: !cfg.loop, requiredFile: cfg.input, ...common };
  }
  const args = [
    '-q',
    '-D',
    cfg.input,
    '-t',
    'raw',
    '-f',
    'S16_LE',
    '-r',
    String(cfg.rate),
    '-c',
    String(cfg.channels),
  ];
  return { tool: 'arecord', args, finite: false, ...common };
}

export function createAlsaDriver(cfg: AlsaConfig, deps: CaptureDeps = {}): CaptureDriver {
  const plan = alsaPlan(cfg);
  const timing = captureTiming(cfg, plan.periodMs);
  return createCaptureDriver({
    id: cfg.id,
    modality: cfg.modality,
    queueLength: deps.queueLength ?? 8,
    logger: deps.logger,
    source: (ctx) => {
      const windower = new PcmWindower({
        channels: cfg.channels,
        rate: cfg.rate,
        windowFrames: Math.round(cfg.window * cfg.rate),
        hopFrames: Math.max(1, Math.round(cfg.hop * cfg.rate)),
      });
      const clock = new CaptureClock({
        unitMs: 1000 / cfg.rate,
        unitsHaveDuration: true,
        tighten: false,
        toleranceMs: resyncToleranceMs(plan.periodMs),
        onResync: () => ctx.health.count('resyncs'),
      });
      const frames = blockFrames(cfg.rate);
      const onBlock = (bytes: Uint8Array, arrivalMs: number): void => {
        const pcm = le16(bytes);
        const block = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length);
        clock.stamp(arrivalMs, frames);
        for (const w of windower.push(block, clock.anchor!)) {
          const sample: Window = {
            kind: 'window',
            sensor: cfg.id,
            modality: cfg.modality,
            t: w.t,
            rate: cfg.rate,
            channels: cfg.channels,
            data: w.data,
          };
          ctx.emit(sample);
        }
      };
      return new Supervisor({
        sensor: cfg.id,
        plan,
        timing,
        env: captureEnv(deps.env),
        health: ctx.health,
        hooks: {
          onRun: () => {
            windower.reset();
            clock.reset();
          },
          onFrame: onBlock,
        },
      });
    },
  });
}
