/**
 * The combined write-read (repeated start) over i2c-tools' `i2ctransfer`.
 *
 * Why: the MLX90640 needs START, addr+W, register MSB/LSB, REPEATED START, addr+R, data, STOP;
 * with a STOP after the address it "does not fetch the initial read address" (Melexis,
 * mlx90640-library issue #45). `i2c-bus` has no call for that (its maintainer, fivdi/i2c-bus
 * issue #101, suggests i2cWrite + i2cRead, which puts a STOP between them). `i2ctransfer` sends
 * all its messages in one I2C_RDWR ioctl, i.e. with repeated starts (i2ctransfer(8)), which is
 * what Melexis' own Linux driver did (MLX90640_LINUX_I2C_Driver.cpp).
 *
 * Cost: one fork+exec per read, about 2 ms on this build VM (20 runs of `i2ctransfer -V` took
 * 38 ms) and more on a Pi; an MLX90640 subpage costs 3 reads (status, 1664-byte RAM, control),
 * so this is fine up to ~8 Hz refresh. Faster alternatives, not implemented: a small native
 * addon issuing I2C_RDWR directly, or the kernel `video-i2c` driver (`melexis,mlx90640` device
 * tree overlay) exposing the chip as /dev/videoN (Y16_BE 32×26) and its EEPROM as nvmem.
 *
 * Output format (i2ctransfer(8)): "for read messages, the contents of the received buffers are
 * printed to stdout, one line per read message" as space-separated `0x%02x` bytes. Errors go
 * to stderr as "Error: <what>: <strerror>" with exit status 1.
 */
import { execFile } from 'node:child_process';
import { BindsightError } from '../../src/errors.js';
import { type I2CError, type I2CErrorCode, i2cError, STRERROR } from './errors.js';
import type { I2CCombined } from './types.js';

/** The kernel's per-message limit (i2ctransfer(8): 8192 bytes as of v4.10). */
export const I2CTRANSFER_MAX_LENGTH = 8192;

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when killed by a signal. */
  code: number | null;
  /** The process was killed because it ran past the timeout. */
  timedOut: boolean;
}

/** Runs a program without a shell; rejects only if it cannot be started (ENOENT, EACCES). */
export type RunFile = (file: string, args: readonly string[], timeoutMs: number) => Promise<RunResult>;

export interface I2ctransferOptions {
  /** The program (default `i2ctransfer`, from Debian i2c-tools, found on PATH). */
  path?: string;
  /** Kill a transfer that takes longer (default 1000 ms; the adapter's own timeout is ~1 s). */
  timeoutMs?: number;
  /** Pass `-f` (I2C_SLAVE_FORCE): needed when a kernel driver owns the address. */
  force?: boolean;
  /** How to run it (tests inject a fake; default child_process.execFile). */
  run?: RunFile;
}

const hexByte = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** `-y BUS w<N>@0xAA b0 b1 … r<M>`: one write then, after a repeated start, one read. */
export function i2ctransferArgs(
  bus: number,
  address: number,
  write: Uint8Array,
  readLength: number,
  force = false,
): string[] {
  if (!(Number.isInteger(bus) && bus >= 0))
    throw new RangeError(`I2C bus must be an integer >= 0; got ${bus}`);
  if (!(Number.isInteger(address) && address >= 0x03 && address <= 0x77)) {
    throw new RangeError(`I2C address must be 0x03..0x77; got ${address}`);
  }
  for (const n of [write.length, readLength]) {
    if (!(Number.isInteger(n) && n >= 1 && n <= I2CTRANSFER_MAX_LENGTH)) {
      throw new RangeError(`i2ctransfer message length must be 1..${I2CTRANSFER_MAX_LENGTH}; got ${n}`);
    }
  }
  const flags = force ? ['-f', '-y'] : ['-y'];
  return [
    ...flags,
    String(bus),
    `w${write.length}@${hexByte(address)}`,
    ...Array.from(write, hexByte),
    `r${readLength}`,
  ];
}

/** Parses one read message's line of `0xNN` bytes; anything else is an EIO (a short or odd read). */
export function parseI2ctransferOutput(stdout: string, expectedLength: number): Buffer {
  const line = stdout.split('\n')[0]?.trim() ?? '';
  const tokens = line === '' ? [] : line.split(/\s+/);
  if (tokens.length !== expectedLength) {
    throw i2cError('EIO', `i2ctransfer printed ${tokens.length} bytes, expected ${expectedLength}`);
  }
  const out = Buffer.alloc(expectedLength);
  tokens.forEach((token, i) => {
    if (!/^0x[0-9a-fA-F]{2}$/.test(token)) {
      throw i2cError('EIO', `i2ctransfer printed "${token}" at byte ${i}, expected 0xNN`);
    }
    out[i] = Number.parseInt(token.slice(2), 16);
  });
  return out;
}

const BY_TEXT = new Map<string, I2CErrorCode>(
  Object.entries(STRERROR).map(([code, text]) => [text, code as I2CErrorCode]),
);

/** The errno-style error for a failed run, from the strerror text on stderr (EIO if unknown). */
export function i2ctransferError(result: RunResult, bus: number, address: number): I2CError {
  const where = `i2ctransfer on /dev/i2c-${bus} at ${hexByte(address)}`;
  if (result.timedOut) return i2cError('ETIMEDOUT', `${where} did not finish (bus stuck?)`, address);
  const line = result.stderr.trim().split('\n').pop() ?? '';
  const text = line.slice(line.lastIndexOf(': ') + 2);
  const code = BY_TEXT.get(text) ?? 'EIO';
  let hint = '';
  if (code === 'EACCES')
    hint = '; add the user to the i2c group (sudo usermod -aG i2c $USER) and log in again';
  if (code === 'EBUSY') hint = '; a kernel driver owns this address (unbind it, or set transport.force)';
  return i2cError(code, `${where}: ${line || `exit status ${result.code}`}${hint}`, address);
}

const execFileRun: RunFile = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const startFailure = err && typeof err.code === 'string' ? err : undefined;
      if (startFailure) return reject(startFailure);
      const killed = err?.killed === true;
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ stdout, stderr, code, timedOut: killed });
    });
  });

/** I2CCombined over one `i2ctransfer` run per call. */
export class I2ctransferCombined implements I2CCombined {
  readonly #path: string;
  readonly #timeoutMs: number;
  readonly #force: boolean;
  readonly #run: RunFile;

  constructor(
    readonly bus: number,
    options: I2ctransferOptions = {},
  ) {
    this.#path = options.path ?? 'i2ctransfer';
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#force = options.force ?? false;
    this.#run = options.run ?? execFileRun;
  }

  async writeRead(address: number, write: Uint8Array, readLength: number): Promise<Buffer> {
    const args = i2ctransferArgs(this.bus, address, write, readLength, this.#force);
    let result: RunResult;
    try {
      result = await this.#run(this.#path, args, this.#timeoutMs);
    } catch (err) {
      // Not a bus error: retrying will not make the program appear.
      throw new BindsightError(
        'SENSOR_FAILED',
        `cannot run "${this.#path}" (${(err as NodeJS.ErrnoException).code ?? String(err)}); install i2c-tools (apt install i2c-tools) or set transport.i2ctransfer to its path`,
        { path: this.#path },
        { cause: err },
      );
    }
    if (result.code !== 0 || result.timedOut) throw i2ctransferError(result, this.bus, address);
    return parseI2ctransferOutput(result.stdout, readLength);
  }
}
