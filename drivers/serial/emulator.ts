/**
 * A serial byte-stream emulator with fault injection (style.md §3), for tests and the doctor's
 * demos: `@serialport/binding-mock` underneath, wrapped so that a device can be unplugged and
 * plugged back. The real `SerialPortStream` runs on top unchanged.
 *
 * - `createPort(path, device)`: a port a device model sits behind; `device.onWrite` sees what the
 *   host sends (a request/response device such as the BNO055 answers with `send`).
 * - `send(path, bytes)`: device → host; bytes sent while the port is closed are lost, and counted.
 * - `unplug(path)`: the open port's pending read fails with EIO (serialport then closes it as
 *   disconnected), writes fail, and opening fails with ENOENT until `replug(path)`.
 *
 * MockBinding keeps its ports in one process-wide table: give every test its own paths.
 */
import { SerialPortMock } from 'serialport';
import { serialError } from './errors.js';
import type { SerialBinding, SerialBindingOpenOptions, SerialPortBinding, SerialPortInfo } from './link.js';

/** `@serialport/binding-mock`'s MockBinding, as serialport re-exports it (typed). */
const MockBinding = SerialPortMock.binding;
type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;

export interface EmulatedSerialDevice {
  /** Bytes the host wrote. */
  onWrite?(bytes: Uint8Array, port: EmulatedPortHandle): void;
  /** The host opened the port (at `baudRate`). */
  onOpen?(baudRate: number, port: EmulatedPortHandle): void;
}

/** What a device model may do with its port. */
export interface EmulatedPortHandle {
  readonly path: string;
  send(bytes: Uint8Array): void;
}

interface PortState {
  path: string;
  device: EmulatedSerialDevice;
  plugged: boolean;
  open: EmulatedPortBinding | undefined;
  opens: number;
  baudRate: number | undefined;
  lost: number;
  written: number[];
}

/** Rejects pending and future reads once its port is unplugged. */
class EmulatedPortBinding implements SerialPortBinding {
  #unplug!: (err: Error) => void;
  readonly #unplugged: Promise<never>;
  #lostError: Error | undefined;

  constructor(
    readonly inner: MockPortBinding,
    readonly state: PortState,
  ) {
    this.#unplugged = new Promise<never>((_, reject) => {
      this.#unplug = reject;
    });
    this.#unplugged.catch(() => {});
  }

  get openOptions(): SerialPortBinding['openOptions'] {
    return this.inner.openOptions;
  }

  get isOpen(): boolean {
    return this.inner.isOpen || this.#lostError !== undefined;
  }

  set isOpen(_value: boolean) {
    // BindingPortInterface declares isOpen writable; the state lives in the inner binding.
  }

  unplug(): void {
    this.#lostError = serialError('EIO', `Input/output error, read ${this.state.path} (device unplugged)`);
    this.#unplug(this.#lostError);
    if (this.inner.isOpen) void this.inner.close().catch(() => {});
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.#lostError) throw this.#lostError;
    return Promise.race([this.inner.read(buffer, offset, length), this.#unplugged]);
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.#lostError) throw this.#lostError;
    await this.inner.write(buffer);
    this.state.written.push(...buffer);
    this.state.device.onWrite?.(Uint8Array.from(buffer), handleOf(this.state, this));
  }

  async close(): Promise<void> {
    if (this.state.open === this) this.state.open = undefined;
    if (this.inner.isOpen) await this.inner.close();
    this.#lostError = undefined;
  }

  update(options: { baudRate: number }): Promise<void> {
    return this.inner.update(options);
  }

  set(options: Parameters<MockPortBinding['set']>[0]): Promise<void> {
    return this.inner.set(options);
  }

  get(): ReturnType<MockPortBinding['get']> {
    return this.inner.get();
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  drain(): Promise<void> {
    return this.inner.drain();
  }
}

function handleOf(state: PortState, binding: EmulatedPortBinding): EmulatedPortHandle {
  return {
    path: state.path,
    send: (bytes) => {
      if (state.open === binding && binding.inner.isOpen) binding.inner.emitData(Buffer.from(bytes));
      else state.lost += bytes.length;
    },
  };
}

export class SerialEmulator {
  readonly #ports = new Map<string, PortState>();
  readonly binding: SerialBinding;

  constructor() {
    this.binding = {
      list: async (): Promise<SerialPortInfo[]> => {
        const all = await MockBinding.list();
        return all.filter((p) => this.#ports.get(p.path)?.plugged === true);
      },
      open: (options: SerialBindingOpenOptions) => this.#open(options),
    };
  }

  createPort(
    path: string,
    device: EmulatedSerialDevice = {},
    info: { vendorId?: string; productId?: string } = {},
  ): void {
    MockBinding.createPort(path, { ...info, manufacturer: 'bindsight emulator' });
    this.#ports.set(path, {
      path,
      device,
      plugged: true,
      open: undefined,
      opens: 0,
      baudRate: undefined,
      lost: 0,
      written: [],
    });
  }

  async #open(options: SerialBindingOpenOptions): Promise<SerialPortBinding> {
    const state = this.#ports.get(options.path);
    if (state === undefined || !state.plugged) {
      throw serialError('ENOENT', `No such file or directory, cannot open ${options.path}`);
    }
    const inner = await MockBinding.open(options);
    const port = new EmulatedPortBinding(inner, state);
    state.open = port;
    state.opens++;
    state.baudRate = options.baudRate;
    state.device.onOpen?.(options.baudRate, handleOf(state, port));
    return port;
  }

  #state(path: string): PortState {
    const state = this.#ports.get(path);
    if (state === undefined) throw new Error(`no emulated serial port ${path}; call createPort first`);
    return state;
  }

  /** Device → host. Returns false (and counts the bytes as lost) when the port is not open. */
  send(path: string, bytes: Uint8Array): boolean {
    const state = this.#state(path);
    const open = state.open;
    if (open === undefined || !open.inner.isOpen) {
      state.lost += bytes.length;
      return false;
    }
    open.inner.emitData(Buffer.from(bytes));
    return true;
  }

  unplug(path: string): void {
    const state = this.#state(path);
    state.plugged = false;
    const open = state.open;
    state.open = undefined;
    open?.unplug();
  }

  replug(path: string): void {
    this.#state(path).plugged = true;
  }

  isOpen(path: string): boolean {
    return this.#state(path).open?.inner.isOpen === true;
  }

  /** Facts about a port for assertions: how often it was opened, at which baud rate, bytes lost. */
  stats(path: string): { opens: number; baudRate: number | undefined; lost: number; written: Uint8Array } {
    const s = this.#state(path);
    return { opens: s.opens, baudRate: s.baudRate, lost: s.lost, written: Uint8Array.from(s.written) };
  }
}
