/**
 * Reads an MCAP file front to back, record by record, and keeps going past what it cannot read:
 * the path for a file without a readable index (recording cut off by a power loss or SIGKILL) or
 * with a damaged chunk. MCAP records are framed as opcode (1 byte) + body length (uint64 LE) + body
 * (MCAP specification, "Records"), so a damaged chunk body can be skipped by its length and
 * reading resumes at the next record.
 *
 * Each top-level record is parsed by @mcap/core's McapStreamReader (which decompresses chunks and
 * checks their CRC). After a record it cannot parse, that reader is replaced by a new one primed
 * with the schemas and channels seen so far, because a stream reader is unusable after an error.
 *
 * What cannot be read is reported, never silently dropped:
 * - a chunk or record that fails to parse → `onProblem({ kind: 'record', … })`, skipped;
 * - a record header with an impossible opcode, or a record running past the end of the file
 *   (a truncated file) → `onProblem({ kind: 'tail', bytes })` for the bytes from there to the end,
 *   and reading stops.
 * Reading also stops at the DataEnd or Footer record: messages live only in the data section.
 */
import type { FileHandle } from 'node:fs/promises';
import { MCAP_MAGIC, McapRecordBuilder, McapStreamReader, type McapTypes, Opcode } from '@mcap/core';
import { BindsightError } from '../../src/errors.js';

export interface SequentialProblem {
  /** record: one record skipped; tail: the rest of the file is unreadable. */
  kind: 'record' | 'tail';
  /** File offset of the record. */
  offset: number;
  /** Bytes that could not be read. */
  bytes: number;
  reason: string;
}

export interface SequentialMessage {
  channel: McapTypes.Channel;
  schema: McapTypes.Schema | undefined;
  message: McapTypes.Message;
}

/** A record longer than this is taken as a corrupt length field, not read into memory. */
const MAX_RECORD_BYTES = 1 << 30;
/** Record header: opcode uint8 + length uint64 (MCAP spec, "Records"). */
const RECORD_HEADER = 9;
/** Opcodes 0x80–0xff are reserved for user records; 0 and 0x10–0x7f are never valid. */
const USER_OPCODE_MIN = 0x80;

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
}

/** Checks the leading magic; FILE_INVALID if the file is not MCAP at all. */
export async function checkMagic(handle: FileHandle, file: string): Promise<void> {
  const head = await readAt(handle, 0, MCAP_MAGIC.length);
  if (head.length < MCAP_MAGIC.length || MCAP_MAGIC.some((b, i) => head[i] !== b)) {
    throw new BindsightError(
      'FILE_INVALID',
      `${file}: not an MCAP file (it does not start with the MCAP magic bytes "\\x89MCAP0\\r\\n")`,
      { file },
    );
  }
}

class Parser {
  readonly schemas = new Map<number, McapTypes.Schema>();
  readonly channels = new Map<number, McapTypes.Channel>();
  readonly #handlers: McapTypes.DecompressHandlers;
  #reader: McapStreamReader;

  constructor(handlers: McapTypes.DecompressHandlers) {
    this.#handlers = handlers;
    this.#reader = this.#fresh();
  }

  #fresh(): McapStreamReader {
    return new McapStreamReader({
      noMagicPrefix: true,
      decompressHandlers: this.#handlers,
      validateCrcs: true,
    });
  }

  /** Parses one top-level record; returns its messages. Throws if the record cannot be parsed. */
  parse(record: Uint8Array): McapTypes.TypedMcapRecords['Message'][] {
    const messages: McapTypes.TypedMcapRecords['Message'][] = [];
    try {
      this.#reader.append(record);
      for (let r = this.#reader.nextRecord(); r !== undefined; r = this.#reader.nextRecord()) {
        if (r.type === 'Schema') this.schemas.set(r.id, r);
        else if (r.type === 'Channel') this.channels.set(r.id, r);
        else if (r.type === 'Message') messages.push(r);
      }
      return messages;
    } catch (err) {
      this.#reset();
      throw err;
    }
  }

  /** A new stream reader that already knows the schemas and channels read so far. */
  #reset(): void {
    this.#reader = this.#fresh();
    const builder = new McapRecordBuilder();
    for (const schema of this.schemas.values()) builder.writeSchema(schema);
    for (const channel of this.channels.values()) builder.writeChannel(channel);
    this.#reader.append(builder.buffer);
    while (this.#reader.nextRecord() !== undefined) {
      // Drain the primed records; the maps already hold them.
    }
  }
}

/**
 * Yields every readable message in file order. `size` is the file size in bytes; `onProblem`
 * hears about each part that could not be read.
 */
export async function* readSequential(
  handle: FileHandle,
  size: number,
  handlers: McapTypes.DecompressHandlers,
  onProblem: (problem: SequentialProblem) => void,
): AsyncGenerator<SequentialMessage> {
  const parser = new Parser(handlers);
  let offset = MCAP_MAGIC.length;
  while (offset < size) {
    const tail = (reason: string) => onProblem({ kind: 'tail', offset, bytes: size - offset, reason });
    if (size - offset < RECORD_HEADER) return tail('the file ends inside a record header (truncated)');
    const header = await readAt(handle, offset, RECORD_HEADER);
    const opcode = header[0];
    const length = Number(new DataView(header.buffer).getBigUint64(1, true));
    if (opcode === Opcode.DATA_END || opcode === Opcode.FOOTER) return;
    if (opcode < Opcode.MIN || (opcode > Opcode.MAX && opcode < USER_OPCODE_MIN)) {
      return tail(`invalid record opcode 0x${opcode.toString(16)} (the file is damaged here)`);
    }
    if (length > MAX_RECORD_BYTES || offset + RECORD_HEADER + length > size) {
      return tail(`a record of ${length} bytes runs past the end of the file (truncated)`);
    }
    const record = await readAt(handle, offset, RECORD_HEADER + length);
    let messages: McapTypes.TypedMcapRecords['Message'][] = [];
    try {
      messages = parser.parse(record);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      onProblem({ kind: 'record', offset, bytes: record.length, reason });
    }
    for (const message of messages) {
      const channel = parser.channels.get(message.channelId);
      if (channel === undefined) continue; // the stream reader refuses this case before we get here
      yield { channel, schema: parser.schemas.get(channel.schemaId), message };
    }
    offset += record.length;
  }
}
