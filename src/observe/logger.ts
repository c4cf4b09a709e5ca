/**
 * Structured logs (pino) on stderr, so stdout carries only events. On a terminal the JSON
 * lines are rendered as short readable lines; under systemd/journald (not a TTY) they stay
 * JSON, one line per state change.
 *
 * Journal mode (issue #11; `run` picks it when stdout is systemd's journal stream, or with
 * --log-stdout): JSON lines on stdout, each prefixed with its sd-daemon(3) priority "<N>", which
 * journald strips and files the line under (SyslogLevelPrefix=, on by default: systemd.exec(5)),
 * so `journalctl -p warning` works on structured logs.
 */
import { fstatSync } from 'node:fs';
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

/** pino level → sd-daemon(3) priority: trace/debug 7, info 6, warn 4, error 3, fatal 2. */
const JOURNAL_PRIORITY: Record<number, number> = { 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 };

/** Prefixes one pino JSON line with its sd-daemon priority, e.g. `<4>{"level":40,…}`. */
export function journalLine(json: string): string {
  const level = /^\{"level":(\d+)/.exec(json)?.[1];
  return `<${JOURNAL_PRIORITY[Number(level)] ?? 6}>${json}`;
}

/**
 * True when file descriptor `fd` is the stream systemd connected to the journal: JOURNAL_STREAM
 * holds its "device:inode" (systemd.exec(5), "Environment variables in spawned processes").
 */
export function isJournalStream(
  env: Readonly<Record<string, string | undefined>> = process.env,
  fd = 1,
  stat: (fd: number) => { dev: number; ino: number } = fstatSync,
): boolean {
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!m) return false;
  try {
    const st = stat(fd);
    return st.dev === Number(m[1]) && st.ino === Number(m[2]);
  } catch {
    return false;
  }
}

/** A stream that passes each complete line of `chunk` through `map` to `dest`. */
function lineMapper(dest: NodeJS.WritableStream, map: (line: string) => string): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) dest.write(`${map(line)}\n`);
      cb();
    },
  });
}

export function createLogger(
  opts: {
    level?: LogLevel;
    pretty?: boolean;
    destination?: NodeJS.WritableStream;
    /** JSON lines with sd-daemon priority prefixes, for journald (never pretty). */
    journal?: boolean;
  } = {},
): Logger {
  const dest = opts.destination ?? process.stderr;
  const pretty = !opts.journal && (opts.pretty ?? (process.stderr.isTTY === true && dest === process.stderr));
  const stream = opts.journal
    ? lineMapper(dest, journalLine)
    : pretty
      ? lineMapper(dest, renderLogLine)
      : dest;
  return pino({ level: opts.level ?? 'info', base: undefined, name: 'bindsight' }, stream);
}
