/**
 * One error class with stable codes (style.md §11). The CLI maps codes to exit codes;
 * messages name the offending thing, the value, and what would be valid.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'DRIVER_UNKNOWN'
  | 'FIXTURE_MISSING'
  | 'FILE_INVALID'
  | 'PACK_NOT_FOUND'
  | 'PACK_INVALID'
  | 'PACK_FILE_MISSING'
  | 'PACK_HASH_MISMATCH'
  | 'PACK_IO_MISMATCH'
  | 'PROMPT_INVALID'
  | 'PREPROCESS_INVALID'
  | 'INFERENCE_FAILED'
  | 'BROKER_UNREACHABLE'
  | 'BROKER_REFUSED'
  | 'BROKER_TLS'
  | 'OUTBOX_FAILED'
  | 'SENSOR_FAILED'
  | 'SENSOR_STALLED'
  | 'TOOL_MISSING'
  | 'RECORD_FAILED'
  | 'USAGE';

export class BindsightError extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BindsightError';
    this.code = code;
    this.context = context;
  }
}

/** Exit codes follow sysexits.h where one fits, so systemd and shells can tell causes apart. */
export const EXIT_CODES: Record<ErrorCode, number> = {
  CONFIG_INVALID: 78, // EX_CONFIG
  CONFIG_NOT_FOUND: 78,
  DRIVER_UNKNOWN: 78,
  PROMPT_INVALID: 78,
  FIXTURE_MISSING: 66, // EX_NOINPUT
  FILE_INVALID: 65, // EX_DATAERR
  PACK_NOT_FOUND: 66,
  PACK_FILE_MISSING: 66,
  PACK_INVALID: 65,
  PACK_HASH_MISMATCH: 65,
  PACK_IO_MISMATCH: 65,
  PREPROCESS_INVALID: 65,
  INFERENCE_FAILED: 70, // EX_SOFTWARE
  BROKER_UNREACHABLE: 69, // EX_UNAVAILABLE
  BROKER_REFUSED: 77, // EX_NOPERM
  BROKER_TLS: 77, // EX_NOPERM: the TLS handshake failed (untrusted or rejected certificate)
  OUTBOX_FAILED: 74, // EX_IOERR: the MQTT outbox file cannot be opened or written
  SENSOR_FAILED: 74, // EX_IOERR
  SENSOR_STALLED: 74,
  TOOL_MISSING: 69, // EX_UNAVAILABLE: a capture tool (ffmpeg, arecord, …) is not installed
  RECORD_FAILED: 74, // EX_IOERR: the MCAP recording cannot be written
  USAGE: 64, // EX_USAGE
};

export function isBindsightError(e: unknown): e is BindsightError {
  return e instanceof BindsightError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
