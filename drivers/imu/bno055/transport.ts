/**
 * The BNO055 reached over I2C or over its UART, behind one register interface so the chip logic
 * (chip.ts) is the same for both. UART is there because the BNO055 stretches the I2C clock
 * [BNO-DS §4.6], which the Raspberry Pi's I2C controller handles badly (raspberrypi/linux#254;
 * fivdi/i2c-bus#46): wire PS1 high and use `port:` instead of `bus:`.
 */
import type { I2COpener } from '../../i2c/types.js';
import type { Clock } from '../../replay/clock.js';
import { serialFix } from '../../serial/errors.js';
import { openSerial, type SerialBinding, type SerialLink } from '../../serial/link.js';
import { ChipRegisters } from '../registers.js';
import { hex } from '../types.js';
import {
  BnoUartParser,
  encodeRead,
  encodeWrite,
  RETRY_STATUSES,
  statusName,
  type UartResponse,
  WRITE_SUCCESS,
} from './uart.js';

export interface Bno055Io {
  readonly where: string;
  read(register: number, length: number): Promise<Uint8Array>;
  write(register: number, value: number): Promise<void>;
  pause(ms: number): Promise<void>;
  close(): Promise<void>;
}

export type Bno055Transport =
  | { kind: 'i2c'; bus: number; address: number; i2c: I2COpener }
  | { kind: 'uart'; port: string; baudRate: number; binding: SerialBinding };

export function transportWhere(t: Bno055Transport): string {
  return t.kind === 'i2c'
    ? `I2C bus ${t.bus} address ${hex(t.address)}`
    : `UART ${t.port} at ${t.baudRate} baud`;
}

class I2cIo implements Bno055Io {
  constructor(readonly regs: ChipRegisters) {}
  get where(): string {
    return this.regs.where;
  }
  read(register: number, length: number): Promise<Uint8Array> {
    return this.regs.read(register, length);
  }
  write(register: number, value: number): Promise<void> {
    return this.regs.writeByte(register, value);
  }
  pause(ms: number): Promise<void> {
    return this.regs.pause(ms);
  }
  close(): Promise<void> {
    return this.regs.close();
  }
}

/** Longest wait for a reply, ms (a 128-byte reply takes 11 ms at 115200 baud). */
const REPLY_TIMEOUT_MS = 100;
/** Attempts per request when the device answers "over-run" or does not answer. */
const ATTEMPTS = 3;
/**
 * The request goes out in 2-byte pieces with a short gap: sent at once the BNO055 overflows its
 * receive buffer; a gap over 30 ms resets its receive state machine [BNO-LNX header comment].
 */
const CHUNK_BYTES = 2;
const CHUNK_GAP_MS = 2;

class UartIo implements Bno055Io {
  readonly where: string;
  readonly #link: SerialLink;
  readonly #clock: Clock;
  readonly #signal: AbortSignal;
  readonly #parser = new BnoUartParser();
  readonly #replies: UartResponse[] = [];
  #wake: (() => void) | undefined;
  #lost: Error | undefined;

  constructor(link: SerialLink, where: string, clock: Clock, signal: AbortSignal) {
    this.#link = link;
    this.where = where;
    this.#clock = clock;
    this.#signal = signal;
    link.readable.on('data', (chunk: Buffer) => this.#parser.write(chunk));
    this.#parser.on('data', (r: UartResponse) => {
      this.#replies.push(r);
      this.#wake?.();
    });
    void link.closed.then((cause) => {
      this.#lost = new Error(`${cause?.message ?? 'the port closed'}; ${serialFix(link.path, cause)}`);
      this.#wake?.();
    });
  }

  async read(register: number, length: number): Promise<Uint8Array> {
    const reply = await this.#request(
      encodeRead(register, length),
      `read of ${length} byte(s) at ${hex(register)}`,
    );
    if (reply.kind === 'read' && reply.data.length === length) return reply.data;
    throw new Error(
      `BNO055 on ${this.where} answered a read of ${length} byte(s) at ${hex(register)} with ${describe(reply)}`,
    );
  }

  async write(register: number, value: number): Promise<void> {
    const what = `write of ${hex(value)} to ${hex(register)}`;
    const reply = await this.#request(encodeWrite(register, Uint8Array.of(value)), what);
    if (reply.kind === 'status' && reply.status === WRITE_SUCCESS) return;
    throw new Error(`BNO055 on ${this.where} answered the ${what} with ${describe(reply)}`);
  }

  async #request(frame: Uint8Array, what: string): Promise<UartResponse> {
    for (let attempt = 1; ; attempt++) {
      this.#replies.length = 0;
      for (let i = 0; i < frame.length; i += CHUNK_BYTES) {
        if (i > 0) await this.#clock.sleep(CHUNK_GAP_MS, this.#signal);
        await this.#link.write(frame.subarray(i, i + CHUNK_BYTES));
      }
      const reply = await this.#reply();
      const retry = reply === undefined || (reply.kind === 'status' && RETRY_STATUSES.has(reply.status));
      if (!retry) return reply;
      if (attempt >= ATTEMPTS) {
        const err = new Error(
          reply === undefined
            ? `ETIMEDOUT: no reply from the BNO055 on ${this.where} to a ${what} (${ATTEMPTS} tries): check TX/RX are crossed, PS1 is high (UART mode) and the baud rate is 115200`
            : `BNO055 on ${this.where} kept answering ${statusName((reply as { status: number }).status)} to a ${what}`,
        );
        throw Object.assign(err, { code: 'ETIMEDOUT' });
      }
    }
  }

  /** The next reply, or undefined after REPLY_TIMEOUT_MS; rejects if the port was lost. */
  async #reply(): Promise<UartResponse | undefined> {
    const deadline = new AbortController();
    const onStop = (): void => deadline.abort();
    this.#signal.addEventListener('abort', onStop, { once: true });
    const arrived = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    try {
      if (this.#replies.length === 0 && !this.#lost) {
        await Promise.race([arrived, this.#clock.sleep(REPLY_TIMEOUT_MS, deadline.signal)]);
      }
    } finally {
      this.#wake = undefined;
      deadline.abort();
      this.#signal.removeEventListener('abort', onStop);
    }
    if (this.#lost) throw this.#lost;
    return this.#replies.shift();
  }

  pause(ms: number): Promise<void> {
    return this.#clock.sleep(ms, this.#signal);
  }

  async close(): Promise<void> {
    this.#parser.destroy();
    await this.#link.close();
  }
}

function describe(reply: UartResponse): string {
  return reply.kind === 'status' ? `status ${statusName(reply.status)}` : `${reply.data.length} data byte(s)`;
}

/** Opens the transport; rejects with an errno-style error (code set) the driver retries on. */
export async function openBno055Io(t: Bno055Transport, clock: Clock, signal: AbortSignal): Promise<Bno055Io> {
  const where = transportWhere(t);
  if (t.kind === 'i2c') {
    const handle = await t.i2c(t.bus);
    return new I2cIo(new ChipRegisters(handle, t.address, where, clock, signal));
  }
  let link: SerialLink;
  try {
    link = await openSerial({ path: t.port, baudRate: t.baudRate, binding: t.binding });
  } catch (err) {
    const wrapped = new Error(`cannot open ${t.port}: ${(err as Error).message}; ${serialFix(t.port, err)}`);
    throw Object.assign(wrapped, { code: (err as { code?: unknown }).code });
  }
  return new UartIo(link, where, clock, signal);
}
