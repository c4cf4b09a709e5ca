/**
 * Structured logs (pino) on stderr, so stdout carries only events. On a terminal the JSON
 * lines are rendered as short readable lines; under systemd/journald (not a TTY) they stay
 * JSON, one line per state change.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const BASE_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name']);

/** Renders one pino JSON line as `HH:MM:SS.mmm LEVEL [name] msg key=value ...`. */
export function renderLogLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof rec.time === 'number' ? new Date(rec.time).toISOString().slice(11, 23) : '';
  const level = LEVEL_NAMES[Number(rec.level)] ?? String(rec.level);
  const name = rec.name ? ` [${String(rec.name)}]` : '';
  const extras = Object.entries(rec)
    .filter(([k]) => !BASE_KEYS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level.padEnd(5)}${name} ${String(rec.msg ?? '')}${extras ? ` ${extras}` : ''}`;
}

export function createLogger(
  opts: { level?: LogLevel; pretty?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const dest = opts.destination ?? process.stderr;
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && dest === process.stderr);
  const stream = pretty
    ? new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (const line of chunk.toString('utf8').split('\n'))
            if (line) dest.write(`${renderLogLine(line)}\n`);
          cb();
        },
      })
    : dest;
  return pino({ level: opts.level ?? 'info', base: undefined, name: 'bindsight' }, stream);
}
