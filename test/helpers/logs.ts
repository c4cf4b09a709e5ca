import { Writable } from 'node:stream';
import pino from 'pino';

/** A pino logger at info whose records the test reads back as parsed objects. */
export function captureLogs(): { lines: Record<string, unknown>[]; logger: pino.Logger } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(JSON.parse(chunk.toString()));
        cb();
      },
    }),
  );
  return { lines, logger };
}
