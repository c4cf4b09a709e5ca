/**
 * camera/webcam: JPEG snapshots from a simple USB webcam at low rates, one `fswebcam` run per
 * picture. node-webcam does exactly this on Linux (drivers.md §6.4: one exec of fswebcam per
 * capture()); spawning fswebcam directly gives the same pictures through the same supervised
 * child layer as the other drivers, without a shell string, a temporary file or another package.
 *
 *   fswebcam -q --no-banner -d <input> -r <W>x<H> --skip <skip> --jpeg <quality> -
 *
 * writes the JPEG to stdout (fswebcam(1): filename "-"). A picture is one whole JPEG, from its
 * FFD8 start marker to its FFD9 end marker (./jpeg.ts); its width and height come from its frame
 * header (the camera may pick a size other than the one asked for).
 * Capture time: when the first byte of the picture arrives (the capture happened before, by the
 * JPEG encode time, typically tens of ms).
 *
 * Faults: fswebcam missing (TOOL_MISSING, package fswebcam), a non-zero exit (SENSOR_FAILED, with
 * stderr), a picture cut short (counted in partial_frames, dropped), a run taking longer than
 * startTimeout (killed, counted in stalls). The first picture failing fails start(); later
 * failures retry with capped backoff (`down` until a picture arrives).
 */
import { BindsightError } from '../../src/errors.js';
import { Backoff } from '../backoff.js';
import type { HealthTracker } from '../health.js';
import { ChildRun } from '../process/child.js';
import { type DeathWrapper, deathWrapper } from '../process/deathsig.js';
import { type CaptureDriver, createCaptureDriver, type SourceContext } from '../process/driver.js';
import {
  type CaptureEnv,
  type CaptureRun,
  type CaptureSource,
  captureEnv,
  pause,
  startLoop,
} from '../process/source.js';
import type { CaptureDeps } from '../process/stream.js';
import { STDERR_TAIL_BYTES } from '../process/tail.js';
import { requireTool } from '../process/tools.js';
import { msToNs } from '../replay/clock.js';
import type { Frame } from '../types.js';
import type { WebcamConfig } from './config.js';
import { checkJpeg } from './jpeg.js';

export function fswebcamArgs(cfg: WebcamConfig): string[] {
  return [
    '-q',
    '--no-banner',
    '-d',
    cfg.input,
    '-r',
    `${cfg.width}x${cfg.height}`,
    '--skip',
    String(cfg.skip),
    '--jpeg',
    String(cfg.quality),
    '-',
  ];
}

type Shot = { ok: true; frame: Frame } | { ok: false; error: BindsightError };

class SnapshotSource implements CaptureSource {
  readonly #cfg: WebcamConfig;
  readonly #env: CaptureEnv;
  readonly #ctx: SourceContext;
  #child: ChildRun | undefined;
  #lastStderr = '';

  constructor(cfg: WebcamConfig, env: CaptureEnv, ctx: SourceContext) {
    this.#cfg = cfg;
    this.#env = env;
    this.#ctx = ctx;
  }

  stderr(): string {
    return this.#child ? this.#child.stderr() : this.#lastStderr;
  }

  pid(): number | undefined {
    return this.#child && !this.#child.exited ? this.#child.pid : undefined;
  }

  run(signal: AbortSignal): CaptureRun {
    return startLoop((markStarted) => this.#loop(signal, markStarted));
  }

  get #health(): HealthTracker {
    return this.#ctx.health;
  }

  async #loop(signal: AbortSignal, markStarted: () => void): Promise<'aborted'> {
    const { clock } = this.#env;
    let tool: string;
    try {
      tool = await requireTool('fswebcam', this.#cfg.id, this.#env.searchPath);
    } catch (err) {
      this.#health.error(err, { down: true });
      throw err;
    }
    const wrapper = this.#env.deathSignal === 'auto' ? await deathWrapper() : undefined;
    const backoff = new Backoff(this.#env.backoff);
    const periodMs = 1000 / this.#cfg.fps;
    let started = false;
    while (!signal.aborted) {
      const began = clock.now();
      const shot = await this.#snapshot(tool, wrapper, signal);
      if (signal.aborted) break;
      if (shot.ok) {
        this.#health.count('frames');
        this.#health.count('bytes', shot.frame.data.byteLength);
        this.#ctx.emit(shot.frame);
        started = true;
        backoff.reset();
        this.#health.set('ok', 'capturing');
        markStarted();
        await pause(clock, began + periodMs - clock.now(), signal);
        continue;
      }
      this.#health.error(shot.error, { down: true });
      if (!started) throw shot.error;
      const delay = Math.max(backoff.next(), began + periodMs - clock.now());
      const firstLine = shot.error.message.split('\n')[0];
      this.#health.set('down', `${firstLine}; retry ${backoff.attempt} in ${(delay / 1000).toFixed(1)} s`);
      await pause(clock, delay, signal);
      if (!signal.aborted) this.#health.count('restarts');
    }
    return 'aborted';
  }

  /** One fswebcam run → one picture, or the reason there is none. */
  async #snapshot(command: string, wrapper: DeathWrapper | undefined, signal: AbortSignal): Promise<Shot> {
    const { clock } = this.#env;
    const chunks: Buffer[] = [];
    let firstByteAt: number | undefined;
    const child = new ChildRun({
      spawn: this.#env.spawn,
      command,
      args: fswebcamArgs(this.#cfg),
      wrapper,
      onStdout: (chunk) => {
        firstByteAt ??= clock.now();
        chunks.push(chunk);
      },
    });
    this.#child = child;
    this.#health.count('spawns');
    const timer = new AbortController();
    const timedOut = pause(
      clock,
      this.#cfg.startTimeout * 1000,
      AbortSignal.any([signal, timer.signal]),
    ).then(() => 'timeout' as const);
    const ended = await Promise.race([child.closed, timedOut]);
    timer.abort();
    if (ended === 'timeout') await child.terminate(this.#env.termGraceMs);
    this.#lastStderr = child.stderr();
    this.#child = undefined;
    if (signal.aborted) return { ok: false, error: this.#error('SENSOR_FAILED', 'stopped') };
    if (ended === 'timeout') {
      this.#health.count('stalls');
      const what = `took more than ${this.#cfg.startTimeout} s for one picture; killed it`;
      return { ok: false, error: this.#error('SENSOR_STALLED', what) };
    }
    if (ended.error !== undefined)
      return { ok: false, error: this.#error('SENSOR_FAILED', ended.error.message) };
    if (ended.code !== 0) {
      this.#health.count('exits');
      const how = ended.code !== null ? `code ${ended.code}` : `signal ${ended.signal}`;
      return { ok: false, error: this.#error('SENSOR_FAILED', `exited with ${how}`) };
    }
    return this.#picture(new Uint8Array(Buffer.concat(chunks)), firstByteAt ?? clock.now());
  }

  #picture(bytes: Uint8Array, arrivalMs: number): Shot {
    const jpeg = checkJpeg(bytes);
    if (!jpeg.ok) {
      this.#health.count('partial_frames');
      return {
        ok: false,
        error: this.#error('SENSOR_FAILED', `wrote a picture that ${jpeg.problem}; dropped`),
      };
    }
    const { id, modality } = this.#cfg;
    const frame: Frame = {
      kind: 'frame',
      sensor: id,
      modality,
      t: msToNs(arrivalMs),
      width: jpeg.width,
      height: jpeg.height,
      format: 'jpeg',
      data: bytes,
    };
    return { ok: true, frame };
  }

  #error(code: 'SENSOR_FAILED' | 'SENSOR_STALLED', what: string): BindsightError {
    const { id, input } = this.#cfg;
    const tail = this.#lastStderr.trim();
    const stderr =
      tail === ''
        ? '; it wrote nothing to stderr'
        : `; fswebcam stderr (last ${STDERR_TAIL_BYTES / 1024} kB):\n${tail}`;
    return new BindsightError(code, `fswebcam for sensor "${id}" (reading ${input}) ${what}${stderr}`, {
      sensor: id,
      tool: 'fswebcam',
      input,
    });
  }
}

export function createWebcamDriver(cfg: WebcamConfig, deps: CaptureDeps = {}): CaptureDriver {
  const env = captureEnv(deps.env);
  return createCaptureDriver({
    id: cfg.id,
    modality: cfg.modality,
    queueLength: deps.queueLength ?? 4,
    logger: deps.logger,
    source: (ctx) => new SnapshotSource(cfg, env, ctx),
  });
}
