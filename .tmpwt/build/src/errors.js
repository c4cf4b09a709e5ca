export class BindsightError extends Error {
    code;
    context;
    constructor(code, message, context = {}, options) {
        super(message, options);
        this.name = 'BindsightError';
        this.code = code;
        this.context = context;
    }
}
/** Exit codes follow sysexits.h where one fits, so systemd and shells can tell causes apart. */
export const EXIT_CODES = {
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
    SENSOR_FAILED: 74, // EX_IOERR
    SENSOR_STALLED: 74,
    TOOL_MISSING: 69, // EX_UNAVAILABLE: a capture tool (ffmpeg, arecord, …) is not installed
    RECORD_FAILED: 74, // EX_IOERR: the MCAP recording cannot be written
    USAGE: 64, // EX_USAGE
};
export function isBindsightError(e) {
    return e instanceof BindsightError;
}
export function errorMessage(e) {
    return e instanceof Error ? e.message : String(e);
}
