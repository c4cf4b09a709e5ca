/**
 * The offline decoder contract behind `bindsight decode` (src/commands/decode.ts): raw bytes as
 * read from a device in, physical values out, using the same maths the driver runs. Each chip
 * exports one beside its register map; the command keeps a table of them keyed by driver name.
 */

/** The input kinds a decoder can take (each maps to a command-line option). */
export type DecoderInputKind = 'eeprom' | 'frame' | 'in';

export interface DecoderInputs {
  /** `--eeprom FILE`: calibration memory as read from the device. */
  eeprom?: Buffer;
  /** `--frame FILE`, repeatable: frame memory dumps in the order they were read. */
  frames: readonly Buffer[];
  /** `--in FILE`: a register block or a byte stream. */
  in?: Buffer;
  /** `--param k=v`, repeatable: decoder-specific settings (emissivity, model, …). */
  params: Readonly<Record<string, string>>;
}

export interface Decoded {
  /** CSV lines, no trailing newline (e.g. one line per image row). */
  csv: string[];
  /** The same result as JSON-serialisable data, at full precision. */
  json: unknown;
}

export interface Decoder {
  /** The inputs it requires; the command refuses missing and unexpected ones. */
  inputs: readonly DecoderInputKind[];
  /** One help line: the options and params it takes. */
  usage: string;
  /** Throws BindsightError('FILE_INVALID', …) for bytes it cannot decode. */
  decode(inputs: DecoderInputs): Decoded;
}
