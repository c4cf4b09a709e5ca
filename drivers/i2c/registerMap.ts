/**
 * An emulated I2C target with a register pointer: the behaviour of nearly every sensor chip.
 *
 * The emulator hands a target one whole transaction (START … STOP) as a list of messages, the
 * way the Linux I2C_RDWR ioctl does. In each write message the first `addressBytes` bytes set
 * the register pointer (MSB first); further bytes are data, `wordBytes` per register, stored at
 * the pointer, which then advances. A read message returns registers from the pointer on,
 * `wordBytes` per register in `byteOrder`, advancing the pointer (auto-increment).
 *
 * - 8-bit maps (AMG8833, MPU-6050, BNO055): `addressBytes: 1, wordBytes: 1`. SMBus words are
 *   then little-endian because the low register comes first.
 * - MLX90640: `addressBytes: 2, wordBytes: 2, byteOrder: 'big', repeatedStart: 'required'`
 *   (16-bit addresses, 16-bit big-endian words; a STOP after the address makes the chip drop it,
 *   Melexis in mlx90640-library issue #45).
 *
 * Hooks let a chip emulator give registers behaviour: computed reads (status bits, FIFO count),
 * side effects on write (clear-on-write, reset, start conversion), and registers that do not
 * auto-increment (a FIFO data port).
 */

/** One message of a transaction: bytes written, or a number of bytes to read. */
export type I2CMessage =
  | { readonly kind: 'write'; readonly data: Uint8Array }
  | { readonly kind: 'read'; readonly length: number };

/** What the emulator needs from a device at an address. */
export interface EmulatedDevice {
  /** Runs one transaction and returns the bytes of each read message, in order. */
  transfer(messages: readonly I2CMessage[]): Uint8Array[];
  /** Power-on reset, called when an unplugged device is plugged back in. */
  reset?(): void;
}

export interface RegisterHooks {
  /** Value returned when the register is read (replaces the stored value). */
  read?(register: number): number;
  /** Called instead of storing a written value; call `map.set` to store it. */
  write?(value: number, register: number): void;
  /** false: the pointer stays on this register while reading or writing (a FIFO port). */
  increment?: boolean;
}

export interface RegisterMapOptions {
  /** Register address width on the wire: 1 (8-bit) or 2 (16-bit, MSB first). */
  addressBytes: 1 | 2;
  /** Bytes per register: 1, or 2 for word-addressed memories. Default 1. */
  wordBytes?: 1 | 2;
  /** Byte order of a 2-byte register on the wire. Default 'big'. */
  byteOrder?: 'big' | 'little';
  /**
   * 'required': an address-only write that ends with STOP is ignored, so a separate read returns
   * registers from the stale pointer (garbage to the caller). Default 'optional': the pointer
   * set by any write survives a STOP, as on most chips.
   */
  repeatedStart?: 'required' | 'optional';
  /** Called by reset() after the registers are cleared: set the power-on values here. */
  powerOn?(map: RegisterMap): void;
}

export class RegisterMap implements EmulatedDevice {
  readonly addressBytes: 1 | 2;
  readonly wordBytes: 1 | 2;
  readonly #bigEndian: boolean;
  readonly #strictRestart: boolean;
  readonly #powerOn: ((map: RegisterMap) => void) | undefined;
  readonly #mem: Uint8Array | Uint16Array;
  readonly #hooks = new Map<number, RegisterHooks>();
  #pointer = 0;

  constructor(options: RegisterMapOptions) {
    this.addressBytes = options.addressBytes;
    this.wordBytes = options.wordBytes ?? 1;
    this.#bigEndian = (options.byteOrder ?? 'big') === 'big';
    this.#strictRestart = options.repeatedStart === 'required';
    this.#powerOn = options.powerOn;
    const size = this.addressBytes === 1 ? 0x100 : 0x10000;
    this.#mem = this.wordBytes === 1 ? new Uint8Array(size) : new Uint16Array(size);
    this.#powerOn?.(this);
  }

  get size(): number {
    return this.#mem.length;
  }

  /** The stored value (hooks are not consulted). */
  get(register: number): number {
    return this.#mem[this.#index(register)] ?? 0;
  }

  /** Stores a value (hooks are not consulted). */
  set(register: number, value: number): void {
    this.#mem[this.#index(register)] = value;
  }

  /** Stores `values` at consecutive registers from `start`. */
  load(start: number, values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.set(start + i, values[i] ?? 0);
  }

  /** Reads `count` stored registers from `start`. */
  dump(start: number, count: number): number[] {
    return Array.from({ length: count }, (_, i) => this.get(start + i));
  }

  /** Gives registers `from`..`to` (inclusive; `to` defaults to `from`) behaviour. */
  hook(from: number, hooks: RegisterHooks, to = from): void {
    for (let r = from; r <= to; r++) this.#hooks.set(this.#index(r), hooks);
  }

  /** Power-on: zero everything, then `powerOn`. Hooks stay. */
  reset(): void {
    this.#mem.fill(0);
    this.#pointer = 0;
    this.#powerOn?.(this);
  }

  transfer(messages: readonly I2CMessage[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    messages.forEach((message, i) => {
      if (message.kind === 'read') {
        out.push(this.#read(message.length));
        return;
      }
      // An address followed by STOP: a chip that needs a repeated start never fetches it, so
      // the next read comes from the stale pointer (Melexis, mlx90640-library issue #45).
      const addressOnly = message.data.length <= this.addressBytes;
      if (this.#strictRestart && addressOnly && i === messages.length - 1) return;
      this.#write(message.data);
    });
    return out;
  }

  #index(register: number): number {
    return register & (this.#mem.length - 1);
  }

  #write(data: Uint8Array): void {
    if (data.length < this.addressBytes) return; // an incomplete address sets nothing
    let pointer = 0;
    for (let i = 0; i < this.addressBytes; i++) pointer = (pointer << 8) | (data[i] ?? 0);
    this.#pointer = pointer;
    for (let i = this.addressBytes; i + this.wordBytes <= data.length; i += this.wordBytes) {
      const value = this.wordBytes === 1 ? (data[i] ?? 0) : this.#word(data[i] ?? 0, data[i + 1] ?? 0);
      const hooks = this.#hooks.get(this.#index(this.#pointer));
      if (hooks?.write) hooks.write(value, this.#pointer);
      else this.set(this.#pointer, value);
      if (hooks?.increment !== false) this.#pointer = this.#index(this.#pointer + 1);
    }
  }

  #read(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i += this.wordBytes) {
      const hooks = this.#hooks.get(this.#index(this.#pointer));
      const value = hooks?.read ? hooks.read(this.#pointer) : this.get(this.#pointer);
      if (this.wordBytes === 1) bytes[i] = value & 0xff;
      else {
        const [first, second] = this.#bigEndian ? [value >> 8, value] : [value, value >> 8];
        bytes[i] = first & 0xff;
        if (i + 1 < length) bytes[i + 1] = second & 0xff;
      }
      if (hooks?.increment !== false) this.#pointer = this.#index(this.#pointer + 1);
    }
    return bytes;
  }

  #word(first: number, second: number): number {
    return this.#bigEndian ? (first << 8) | second : (second << 8) | first;
  }
}
