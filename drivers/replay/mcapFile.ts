/**
 * Opens an MCAP file for reading and yields its messages with their channel and schema.
 *
 * - A complete chunked file (footer, summary, chunk indexes) is read with @mcap/core's McapIndexedReader
 *   over a file handle (@mcap/nodejs FileHandleReadable): messages come in log-time order, a seek
 *   skips whole chunks, and the channel list is known before the first message.
 * - A file whose index cannot be read (a recording cut off before its end was written) is read
 *   front to back by mcapSequential.ts, in file order, which replays everything before the
 *   damage. The missing index is reported as a problem; one scan at open gives the summary
 *   (channels, time span) and reports what cannot be read, once.
 * - If a chunk turns out to be damaged while reading through the index, the rest is read front
 *   to back as well, skipping what was already yielded (messages at or before the last yielded
 *   log time).
 * - A complete file written without chunks has a summary but nothing to index messages by: its
 *   summary is used and its messages are read front to back.
 * Every part that could not be read is reported through `onProblem`.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { McapIndexedReader, type McapTypes } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import { BindsightError, errorMessage } from '../../src/errors.js';
import { decompressHandlers } from './mcapCompression.js';
import { checkMagic, readSequential, type SequentialProblem } from './mcapSequential.js';

export interface McapChannelInfo {
  id: number;
  topic: string;
  schemaName: string;
  messageEncoding: string;
  metadata: ReadonlyMap<string, string>;
}

export interface McapRecord {
  channel: McapChannelInfo;
  logTime: bigint;
  publishTime: bigint;
  data: Uint8Array;
}

export interface McapProblem {
  file: string;
  /** no_index: read front to back; record: a chunk/record skipped; tail: the rest is unreadable. */
  kind: 'no_index' | 'record' | 'tail';
  /** Bytes that could not be read (0 when unknown or none). */
  bytes: number;
  reason: string;
}

export interface McapSummary {
  /** The writing library, from the header (indexed files). */
  library?: string;
  channels: McapChannelInfo[];
  messageStartTime?: bigint;
  messageEndTime?: bigint;
  messageCount?: bigint;
  chunkCount: number;
  compression: string[];
}

export interface McapReadOptions {
  /** Only channels for which this returns true (default: all). */
  channels?: (channel: McapChannelInfo) => boolean;
  /** Only messages logged at or after this time, ns. */
  startTime?: bigint;
}

export interface McapReader {
  readonly file: string;
  readonly size: number;
  /** Whether the file's index was readable (false: it is read front to back). */
  readonly indexed: boolean;
  readonly summary: McapSummary;
  messages(options?: McapReadOptions): AsyncGenerator<McapRecord>;
  close(): Promise<void>;
}

function channelInfo(channel: McapTypes.Channel, schema: McapTypes.Schema | undefined): McapChannelInfo {
  return {
    id: channel.id,
    topic: channel.topic,
    schemaName: schema?.name ?? '',
    messageEncoding: channel.messageEncoding,
    metadata: channel.metadata,
  };
}

/** The largest (sign 1) or smallest (sign -1) of `xs`; Math.min/max do not take bigints. */
function extreme(xs: readonly bigint[], sign: 1 | -1): bigint | undefined {
  let best: bigint | undefined;
  for (const x of xs) if (best === undefined || (sign > 0 ? x > best : x < best)) best = x;
  return best;
}

function summarize(reader: McapIndexedReader): McapSummary {
  const channels = [...reader.channelsById.values()].map((c) =>
    channelInfo(c, reader.schemasById.get(c.schemaId)),
  );
  const stats = reader.statistics;
  const chunks = reader.chunkIndexes;
  const starts = chunks.map((c) => c.messageStartTime);
  const ends = chunks.map((c) => c.messageEndTime);
  return {
    library: reader.header.library,
    channels,
    messageStartTime: stats?.messageStartTime ?? extreme(starts, -1),
    messageEndTime: stats?.messageEndTime ?? extreme(ends, 1),
    messageCount: stats?.messageCount,
    chunkCount: stats?.chunkCount ?? chunks.length,
    compression: [...new Set(chunks.map((c) => c.compression || 'none'))],
  };
}

/** The summary of a file without a readable index, from reading it front to back. */
async function scan(
  handle: FileHandle,
  size: number,
  handlers: McapTypes.DecompressHandlers,
  report: (p: SequentialProblem) => void,
): Promise<McapSummary> {
  const channels = new Map<number, McapChannelInfo>();
  let start: bigint | undefined;
  let end: bigint | undefined;
  let count = 0n;
  for await (const { channel, schema, message } of readSequential(handle, size, handlers, report)) {
    if (!channels.has(channel.id)) channels.set(channel.id, channelInfo(channel, schema));
    if (start === undefined || message.logTime < start) start = message.logTime;
    if (end === undefined || message.logTime > end) end = message.logTime;
    count++;
  }
  return {
    channels: [...channels.values()],
    messageStartTime: start,
    messageEndTime: end,
    messageCount: count,
    chunkCount: 0,
    compression: [],
  };
}

class Reader implements McapReader {
  constructor(
    readonly file: string,
    readonly size: number,
    readonly summary: McapSummary,
    readonly indexed: boolean,
    private readonly handle: FileHandle,
    /** The index to read messages through; undefined without one or for a file without chunks. */
    private readonly index: McapIndexedReader | undefined,
    private readonly handlers: McapTypes.DecompressHandlers,
    private readonly onProblem: (problem: McapProblem) => void,
  ) {}

  async *messages(options: McapReadOptions = {}): AsyncGenerator<McapRecord> {
    let after: bigint | undefined;
    if (this.index !== undefined) {
      try {
        for await (const record of this.#indexed(this.index, options)) {
          after = record.logTime;
          yield record;
        }
        return;
      } catch (err) {
        this.onProblem({
          file: this.file,
          kind: 'record',
          bytes: 0,
          reason: `reading through the index failed (${errorMessage(err)}); reading the rest front to back`,
        });
      }
      yield* this.#sequential(options, after, this.#report);
      return;
    }
    // Without an index, the scan at open has already reported what cannot be read; an unchunked
    // file with a summary has not been scanned, so its problems (if any) are reported now.
    yield* this.#sequential(options, undefined, this.indexed ? this.#report : () => {});
  }

  readonly #report = (p: SequentialProblem): void =>
    this.onProblem({
      file: this.file,
      kind: p.kind,
      bytes: p.bytes,
      reason: `at byte ${p.offset}: ${p.reason}`,
    });

  async *#indexed(reader: McapIndexedReader, options: McapReadOptions): AsyncGenerator<McapRecord> {
    const keep = options.channels ?? (() => true);
    const channels = new Map<number, McapChannelInfo>();
    for (const c of reader.channelsById.values()) {
      const info = channelInfo(c, reader.schemasById.get(c.schemaId));
      if (keep(info)) channels.set(c.id, info);
    }
    if (channels.size === 0) return;
    const topics = [...new Set([...channels.values()].map((c) => c.topic))];
    for await (const m of reader.readMessages({ topics, startTime: options.startTime, validateCrcs: true })) {
      const channel = channels.get(m.channelId);
      if (channel !== undefined)
        yield { channel, logTime: m.logTime, publishTime: m.publishTime, data: m.data };
    }
  }

  /** Front to back; with `after`, skips messages at or before that log time (already yielded). */
  async *#sequential(
    options: McapReadOptions,
    after: bigint | undefined,
    report: (p: SequentialProblem) => void,
  ): AsyncGenerator<McapRecord> {
    const keep = options.channels ?? (() => true);
    const infos = new Map<number, McapChannelInfo>();
    for await (const { channel, schema, message } of readSequential(
      this.handle,
      this.size,
      this.handlers,
      report,
    )) {
      let info = infos.get(channel.id);
      if (info === undefined) {
        info = channelInfo(channel, schema);
        infos.set(channel.id, info);
      }
      if (!keep(info)) continue;
      if (options.startTime !== undefined && message.logTime < options.startTime) continue;
      if (after !== undefined && message.logTime <= after) continue;
      yield { channel: info, logTime: message.logTime, publishTime: message.publishTime, data: message.data };
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * Opens `file`. Rejects FILE_INVALID if it is not an MCAP file; a missing or unreadable index is
 * not an error (it is reported through `onProblem` and the file is read front to back).
 */
export async function openMcap(file: string, onProblem: (problem: McapProblem) => void): Promise<McapReader> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    await checkMagic(handle, file);
    const handlers = await decompressHandlers();
    let indexed: McapIndexedReader | undefined;
    try {
      indexed = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(handle),
        decompressHandlers: handlers,
      });
    } catch (err) {
      onProblem({
        file,
        kind: 'no_index',
        bytes: 0,
        reason: `no readable index (${errorMessage(err)}); reading front to back`,
      });
    }
    const report = (p: SequentialProblem) =>
      onProblem({ file, kind: p.kind, bytes: p.bytes, reason: `at byte ${p.offset}: ${p.reason}` });
    const summary = indexed === undefined ? await scan(handle, size, handlers, report) : summarize(indexed);
    // A file written without chunks has a summary but no chunk index to read messages through.
    const index = indexed !== undefined && indexed.chunkIndexes.length > 0 ? indexed : undefined;
    return new Reader(file, size, summary, indexed !== undefined, handle, index, handlers, onProblem);
  } catch (err) {
    await handle.close();
    if (err instanceof BindsightError) throw err;
    throw new BindsightError(
      'FILE_INVALID',
      `${file}: cannot read the MCAP file: ${errorMessage(err)}`,
      { file },
      { cause: err },
    );
  }
}
