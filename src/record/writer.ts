/**
 * Writes Samples into one MCAP file (issue #7): one channel per sensor (topic = sensor id, channel
 * metadata `bindsight.sensor` / `bindsight.modality`), the schemas of drivers/replay/mcapSchemas.ts,
 * log and publish time = the sample's capture time. Chunks are zstd-compressed
 * (drivers/replay/mcapCompression.ts) and indexed; `close()` writes the summary, the index and
 * the footer, so a file closed on Ctrl-C is complete. A file cut off by a crash has no index, and
 * bindsight still replays it up to the cut (drivers/replay/mcapSequential.ts).
 *
 * McapWriter must not be called again before its previous call has finished (its own note), so
 * samples go through one queue drained by one loop. The queue is bounded: if the disk cannot keep
 * up, the oldest waiting sample is dropped and counted (`dropped`), never the recorder's memory.
 * A sensor whose samples change schema (e.g. thermal CSV frames then JPEG frames) gets a second
 * channel on the same topic.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { McapWriter } from '@mcap/core';
import { FileHandleWritable } from '@mcap/nodejs';
import { chunkCompressor } from '../../drivers/replay/mcapCompression.js';
import { encodeSample, schemaFor } from '../../drivers/replay/mcapEncode.js';
import {
  CHANNEL_META,
  MESSAGE_ENCODING,
  SCHEMA_ENCODING,
  type SchemaName,
  schemaData,
} from '../../drivers/replay/mcapSchemas.js';
import type { Sample } from '../../drivers/types.js';
import { BindsightError, errorMessage } from '../errors.js';
import { VERSION } from '../version.js';

export interface RecorderOptions {
  file: string;
  /** Samples waiting for the disk before the oldest is dropped (default 512). */
  maxPending?: number;
  /** Uncompressed bytes per chunk (default 1 MiB, McapWriter's). */
  chunkSize?: number;
  /** Extra key/values for the file's `bindsight` metadata record. */
  metadata?: Record<string, string>;
}

export interface SensorRecordStats {
  modality: string;
  messages: number;
  firstT: bigint;
  lastT: bigint;
}

export interface RecorderStats {
  file: string;
  messages: number;
  /** Bytes of message bodies written (before compression). */
  messageBytes: number;
  /** Bytes in the file so far (grows a chunk at a time). */
  fileBytes: number;
  /** Samples dropped because the disk fell behind, or offered after close(). */
  dropped: number;
  pending: number;
  compression: string;
  sensors: Record<string, SensorRecordStats>;
}

export class McapRecorder {
  readonly #file: string;
  readonly #handle: FileHandle;
  readonly #writable: FileHandleWritable;
  readonly #writer: McapWriter;
  readonly #compression: string;
  readonly #maxPending: number;
  readonly #schemas = new Map<SchemaName, number>();
  readonly #channels = new Map<string, { id: number; sequence: number }>();
  readonly #queue: Sample[] = [];
  readonly #sensors: Record<string, SensorRecordStats> = {};
  #draining: Promise<void> | undefined;
  #running = false;
  readonly #roomWaiters: (() => void)[] = [];
  #closing: Promise<RecorderStats> | undefined;
  #error: BindsightError | undefined;
  #messages = 0;
  #messageBytes = 0;
  #dropped = 0;

  private constructor(
    file: string,
    handle: FileHandle,
    writer: { writable: FileHandleWritable; mcap: McapWriter },
    compression: string,
    maxPending: number,
  ) {
    this.#file = file;
    this.#handle = handle;
    this.#writable = writer.writable;
    this.#writer = writer.mcap;
    this.#compression = compression;
    this.#maxPending = maxPending;
  }

  /** Creates (or replaces) `options.file` and writes the header. RECORD_FAILED if it cannot. */
  static async create(options: RecorderOptions): Promise<McapRecorder> {
    const { file } = options;
    let handle: FileHandle;
    try {
      handle = await open(file, 'w');
    } catch (err) {
      throw new BindsightError('RECORD_FAILED', `cannot create the recording ${file}: ${errorMessage(err)}`, {
        file,
      });
    }
    try {
      const compressor = await chunkCompressor();
      const writable = new FileHandleWritable(handle);
      const mcap = new McapWriter({
        writable,
        chunkSize: options.chunkSize,
        compressChunk: compressor.compressChunk,
      });
      await mcap.start({ profile: '', library: `bindsight ${VERSION}` });
      const metadata = new Map(
        Object.entries({ version: VERSION, created: new Date().toISOString(), ...options.metadata }),
      );
      await mcap.addMetadata({ name: 'bindsight', metadata });
      const compression = compressor.compression || `none: ${compressor.reason ?? 'off'}`;
      return new McapRecorder(file, handle, { writable, mcap }, compression, options.maxPending ?? 512);
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw new BindsightError('RECORD_FAILED', `cannot write the recording ${file}: ${errorMessage(err)}`, {
        file,
      });
    }
  }

  /** Queues a sample (returns at once). After close() or a write error the sample is counted as dropped. */
  write(sample: Sample): void {
    if (this.#closing !== undefined || this.#error !== undefined) {
      this.#dropped++;
      return;
    }
    this.#queue.push(sample);
    if (this.#queue.length > this.#maxPending) {
      this.#queue.shift();
      this.#dropped++;
    }
    if (!this.#running) {
      this.#running = true;
      this.#draining = this.#drain();
    }
  }

  /**
   * Resolves once a write() would not drop anything (fewer than maxPending samples wait) or the
   * recorder is closing or failed: backpressure for sources that can wait (import, paced replay).
   */
  room(): Promise<void> {
    if (this.#queue.length < this.#maxPending || this.#closing !== undefined || this.#error !== undefined) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  #wakeRoom(): void {
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
  }

  /** The first write error, if any (recording stopped there; close() still writes the index). */
  get error(): BindsightError | undefined {
    return this.#error;
  }

  /** Writes queued samples until the queue is empty; `#running` is cleared in the same tick. */
  async #drain(): Promise<void> {
    try {
      for (let sample = this.#queue.shift(); sample !== undefined; sample = this.#queue.shift()) {
        if (this.#queue.length < this.#maxPending) this.#wakeRoom();
        await this.#append(sample);
      }
    } catch (err) {
      this.#error = new BindsightError(
        'RECORD_FAILED',
        `writing ${this.#file} failed: ${errorMessage(err)}`,
        {
          file: this.#file,
        },
      );
      this.#dropped += this.#queue.length + 1;
      this.#queue.length = 0;
    } finally {
      this.#running = false;
      this.#wakeRoom();
    }
  }

  async #channel(sample: Sample): Promise<{ id: number; sequence: number }> {
    const schema = schemaFor(sample);
    const key = `${sample.sensor}\u0000${schema}`;
    let channel = this.#channels.get(key);
    if (channel !== undefined) return channel;
    let schemaId = this.#schemas.get(schema);
    if (schemaId === undefined) {
      schemaId = await this.#writer.registerSchema({
        name: schema,
        encoding: SCHEMA_ENCODING,
        data: schemaData(schema),
      });
      this.#schemas.set(schema, schemaId);
    }
    const id = await this.#writer.registerChannel({
      schemaId,
      topic: sample.sensor,
      messageEncoding: MESSAGE_ENCODING,
      metadata: new Map([
        [CHANNEL_META.sensor, sample.sensor],
        [CHANNEL_META.modality, sample.modality],
      ]),
    });
    channel = { id, sequence: 0 };
    this.#channels.set(key, channel);
    return channel;
  }

  async #append(sample: Sample): Promise<void> {
    const channel = await this.#channel(sample);
    const { data } = encodeSample(sample);
    await this.#writer.addMessage({
      channelId: channel.id,
      sequence: channel.sequence++,
      logTime: sample.t,
      publishTime: sample.t,
      data,
    });
    this.#messages++;
    this.#messageBytes += data.length;
    const s = this.#sensors[sample.sensor];
    if (s === undefined) {
      this.#sensors[sample.sensor] = {
        modality: sample.modality,
        messages: 1,
        firstT: sample.t,
        lastT: sample.t,
      };
    } else {
      s.messages++;
      if (sample.t < s.firstT) s.firstT = sample.t;
      if (sample.t > s.lastT) s.lastT = sample.t;
    }
  }

  stats(): RecorderStats {
    const sensors: Record<string, SensorRecordStats> = {};
    for (const [id, s] of Object.entries(this.#sensors)) sensors[id] = { ...s };
    return {
      file: this.#file,
      messages: this.#messages,
      messageBytes: this.#messageBytes,
      fileBytes: Number(this.#writable.position()),
      dropped: this.#dropped,
      pending: this.#queue.length,
      compression: this.#compression,
      sensors,
    };
  }

  /**
   * Writes what is queued, then the summary, index and footer, and closes the file. Idempotent.
   * Rejects RECORD_FAILED if the file could not be written or finished.
   */
  close(): Promise<RecorderStats> {
    this.#closing ??= this.#close();
    this.#wakeRoom();
    return this.#closing;
  }

  async #close(): Promise<RecorderStats> {
    await this.#draining;
    let failure = this.#error;
    try {
      await this.#writer.end();
    } catch (err) {
      failure ??= new BindsightError(
        'RECORD_FAILED',
        `finishing ${this.#file} failed: ${errorMessage(err)}`,
        {
          file: this.#file,
        },
      );
    }
    await this.#handle.close().catch(() => undefined);
    if (failure !== undefined) throw failure;
    return this.stats();
  }
}
