/**
 * I2C transfer errors, shaped like the ones `i2c-bus` rejects with (a Node `ErrnoException`
 * carrying `code` and `errno`), so a chip driver classifies emulator, i2c-bus and i2ctransfer
 * failures the same way.
 *
 * Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h). What they mean on an
 * I2C adapter (Documentation/i2c/fault-codes.rst): ENXIO / EREMOTEIO = the address was not
 * acknowledged (device absent or unplugged); EIO = a transfer failed mid-way (lost arbitration,
 * NACK on data); ETIMEDOUT = the adapter gave up (SCL held low, stuck bus); EOPNOTSUPP = the
 * adapter cannot do the transfer type (no I2C_FUNC_I2C, so no repeated-start combined transfer).
 */

export const I2C_ERRNO = {
  ENOENT: 2,
  EIO: 5,
  ENXIO: 6,
  EBADF: 9,
  EAGAIN: 11,
  EACCES: 13,
  EBUSY: 16,
  ENODEV: 19,
  EINVAL: 22,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
  EREMOTEIO: 121,
} as const;

export type I2CErrorCode = keyof typeof I2C_ERRNO;

/** The strerror(3) texts glibc prints, as i2ctransfer reports them ("Error: …: Remote I/O error"). */
export const STRERROR: Readonly<Record<I2CErrorCode, string>> = {
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  EOPNOTSUPP: 'Operation not supported',
  ETIMEDOUT: 'Connection timed out',
  EREMOTEIO: 'Remote I/O error',
};

export interface I2CError extends Error {
  code: I2CErrorCode;
  errno: number;
  /** The 7-bit device address, when the failure concerns one device. */
  address?: number;
}

/** A Node-style error: `"EIO, Input/output error: <detail>"`, with `code` and `errno`. */
export function i2cError(code: I2CErrorCode, detail: string, address?: number): I2CError {
  const err = new Error(`${code}, ${STRERROR[code]}: ${detail}`) as I2CError;
  err.code = code;
  err.errno = I2C_ERRNO[code];
  if (address !== undefined) err.address = address;
  return err;
}

/** The `code` of an errno-style error, or undefined. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors after which a driver should close, wait (backoff) and reopen: the device or the
 * adapter may come back (unplugged cable, brown-out, bus held low, /dev/i2c-N not yet created).
 * EACCES and EOPNOTSUPP are not here: retrying cannot fix a permission or a missing capability.
 */
export const TRANSIENT_I2C_CODES: ReadonlySet<string> = new Set([
  'EIO',
  'ENXIO',
  'EREMOTEIO',
  'ETIMEDOUT',
  'ENOENT',
  'ENODEV',
  'EAGAIN',
  'EBUSY',
]);

export function isTransientI2cError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && TRANSIENT_I2C_CODES.has(code);
}
