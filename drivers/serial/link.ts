/**
 * A serial port for drivers: the real serialport stack (`SerialPortStream`) on an injected
 * binding (style.md §1). Production passes the platform binding (`defaultSerialBinding()`, from
 * `serialport`); tests pass `SerialEmulator.binding` (drivers/serial/emulator.ts, on
 * `@serialport/binding-mock`), so the same stream, read loop and disconnect handling run in both.
 *
 * Nothing outside drivers/ imports serialport (DESIGN.md "Core types").
 */
import type { Readable } from 'node:stream';
import { type OpenOptions, SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';

/**
 * What a serial driver is given: how to open and list ports (serialport's BindingInterface;
 * named through @serialport/stream because @serialport/bindings-interface's export map carries no
 * types for NodeNext resolution).
 */
export type SerialBinding = OpenOptions['binding'];
/** An open port as the binding sees it. */
export type SerialPortBinding = Awaited<ReturnType<SerialBinding['open']>>;
export type SerialBindingOpenOptions = Parameters<SerialBinding['open']>[0];
export type SerialPortInfo = Awaited<ReturnType<SerialBinding['list']>>[number];

/** The binding for this platform (bindings-cpp: termios on Linux). */
export function defaultSerialBinding(): SerialBinding {
  return SerialPort.binding;
}

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
  binding: SerialBinding;
}

export interface SerialLink {
  readonly path: string;
  readonly baudRate: number;
  /** The received bytes; pipe them into a parser. */
  readonly readable: Readable;
  write(bytes: Uint8Array): Promise<void>;
  /** Settles once the port has closed: with the cause if it was lost (unplug, I/O error). */
  readonly closed: Promise<Error | undefined>;
  /** Closes the port; idempotent, never rejects. */
  close(): Promise<void>;
}

class PortLink implements SerialLink {
  readonly closed: Promise<Error | undefined>;
  #isClosed = false;
  #closing: Promise<void> | undefined;

  constructor(
    readonly port: SerialPortStream,
    readonly path: string,
    readonly baudRate: number,
  ) {
    // 'error' must always have a listener: an unhandled one would crash the agent.
    port.on('error', () => {});
    this.closed = new Promise((resolve) => {
      port.once('close', (err?: Error | null) => {
        this.#isClosed = true;
        resolve(err ?? undefined);
      });
    });
  }

  get readable(): Readable {
    return this.port;
  }

  /**
   * Rejects once the port has closed: SerialPortStream would otherwise hold the write until the
   * port opens again, which never happens to this link.
   */
  write(bytes: Uint8Array): Promise<void> {
    if (this.#isClosed) return Promise.reject(new Error(`${this.path} is closed`));
    return new Promise((resolve, reject) => {
      const onClose = (): void => reject(new Error(`${this.path} closed during a write`));
      this.port.once('close', onClose);
      this.port.write(Buffer.from(bytes), (err) => {
        this.port.off('close', onClose);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (!this.port.isOpen) {
        resolve();
        return;
      }
      this.port.close(() => resolve());
    });
    return this.#closing;
  }
}

/** Opens `path`; rejects with the binding's error (classify it with serialErrorCode). */
export function openSerial(options: SerialOpenOptions): Promise<SerialLink> {
  const port = new SerialPortStream({
    binding: options.binding,
    path: options.path,
    baudRate: options.baudRate,
    autoOpen: false,
  });
  return new Promise((resolve, reject) => {
    port.open((err) => {
      if (err) reject(err);
      else resolve(new PortLink(port, options.path, options.baudRate));
    });
  });
}
