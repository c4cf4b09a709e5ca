/**
 * Serial errors, classified. `@serialport/bindings-cpp` rejects with plain Errors whose message
 * carries the strerror(3) text ("Error: No such file or directory, cannot open /dev/ttyUSB9",
 * checked on this project's machines), so the errno is recovered from the text; errors that carry
 * a `code` (the emulator's, Node's) are taken as they are.
 */

const STRERROR_TO_CODE: readonly [RegExp, string][] = [
  [/No such file or directory|ENOENT/i, 'ENOENT'],
  [/Permission denied|EACCES/i, 'EACCES'],
  [/Input\/output error|\bEIO\b/i, 'EIO'],
  [/No such device|ENXIO|ENODEV/i, 'ENODEV'],
  [/Device or resource busy|Port is locked|EBUSY/i, 'EBUSY'],
  [/Inappropriate ioctl|ENOTTY/i, 'ENOTTY'],
];

/** The errno name of a serial failure, or undefined. */
export function serialErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  const message = err instanceof Error ? err.message : String(err);
  return STRERROR_TO_CODE.find(([re]) => re.test(message))?.[1];
}

/** What to do about a serial failure on `path`, in one sentence. */
export function serialFix(path: string, err: unknown): string {
  switch (serialErrorCode(err)) {
    case 'ENOENT':
    case 'ENODEV':
      return `${path} is not there (adapter unplugged, or a different name: run \`bindsight doctor\` to list the serial ports)`;
    case 'EACCES':
      return `the service user may not open ${path}: sudo usermod -aG dialout bindsight, then restart the service`;
    case 'EBUSY':
      return `${path} is in use by another program (a serial console, ModemManager, a second bindsight)`;
    case 'ENOTTY':
      return `${path} is not a serial port`;
    default:
      return 'it is retried with backoff';
  }
}

/** An errno-style error, shaped like Node's (`code` set), for emulators and timeouts. */
export function serialError(code: string, message: string): Error & { code: string } {
  const err = new Error(`${code}: ${message}`) as Error & { code: string };
  err.code = code;
  return err;
}
