/**
 * `bindsight inspect FILE.mcap` without the CLI (issue #7): channels, schemas, message counts,
 * time span and rates, from reading every message (so the numbers hold for a file without an
 * index too), plus whatever could not be read.
 */
import { type McapProblem, openMcap } from '../../drivers/replay/mcapFile.js';
import { CHANNEL_META } from '../../drivers/replay/mcapSchemas.js';
import { formatBytes } from './progress.js';

export interface ChannelReport {
  id: number;
  topic: string;
  schema: string;
  messageEncoding: string;
  modality?: string;
  messages: number;
  bytes: number;
  /** First and last log time, ns (undefined without messages). */
  start?: bigint;
  end?: bigint;
  /** Messages per second between the first and the last (0 with fewer than 2). */
  rate: number;
}

export interface InspectReport {
  file: string;
  size: number;
  indexed: boolean;
  library?: string;
  compression: string[];
  chunks: number;
  messages: number;
  start?: bigint;
  end?: bigint;
  channels: ChannelReport[];
  problems: McapProblem[];
}

function rate(messages: number, start: bigint | undefined, end: bigint | undefined): number {
  if (messages < 2 || start === undefined || end === undefined || end <= start) return 0;
  return ((messages - 1) * 1e9) / Number(end - start);
}

/** Reads `file` through and reports on it. Rejects FILE_INVALID if it is not an MCAP file. */
export async function inspectMcap(file: string): Promise<InspectReport> {
  const problems: McapProblem[] = [];
  const reader = await openMcap(file, (p) => problems.push(p));
  try {
    const { summary } = reader;
    const channels = new Map<number, ChannelReport>();
    for (const c of summary.channels) {
      const modality = c.metadata.get(CHANNEL_META.modality);
      channels.set(c.id, {
        id: c.id,
        topic: c.topic,
        schema: c.schemaName,
        messageEncoding: c.messageEncoding,
        modality,
        messages: 0,
        bytes: 0,
        rate: 0,
      });
    }
    let messages = 0;
    for await (const m of reader.messages()) {
      const ch = channels.get(m.channel.id);
      if (ch === undefined) continue;
      ch.messages++;
      ch.bytes += m.data.length;
      if (ch.start === undefined || m.logTime < ch.start) ch.start = m.logTime;
      if (ch.end === undefined || m.logTime > ch.end) ch.end = m.logTime;
      messages++;
    }
    const list = [...channels.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.id - b.id);
    for (const ch of list) ch.rate = rate(ch.messages, ch.start, ch.end);
    const starts = list.flatMap((c) => (c.start === undefined ? [] : [c.start]));
    const ends = list.flatMap((c) => (c.end === undefined ? [] : [c.end]));
    return {
      file,
      size: reader.size,
      indexed: reader.indexed,
      library: summary.library,
      compression: summary.compression,
      chunks: summary.chunkCount,
      messages,
      start: starts.reduce<bigint | undefined>((a, b) => (a === undefined || b < a ? b : a), undefined),
      end: ends.reduce<bigint | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined),
      channels: list,
      problems,
    };
  } finally {
    await reader.close();
  }
}

function isoTime(t: bigint | undefined): string {
  return t === undefined ? '-' : new Date(Number(t / 1_000_000n)).toISOString();
}

function seconds(start: bigint | undefined, end: bigint | undefined): string {
  return start === undefined || end === undefined ? '-' : `${(Number(end - start) / 1e9).toFixed(3)} s`;
}

/** The report as text: a header, one row per channel, then the problems. */
export function formatReport(r: InspectReport): string {
  const lines = [
    `${r.file}: ${formatBytes(r.size)}, ${r.indexed ? 'indexed' : 'NOT indexed (read front to back)'}${r.library ? `, written by ${r.library}` : ''}`,
    `  ${r.messages} messages in ${r.channels.length} channels, ${r.chunks} chunks (compression: ${r.compression.join(', ') || '-'})`,
    `  time: ${isoTime(r.start)} .. ${isoTime(r.end)} (${seconds(r.start, r.end)})`,
    '',
  ];
  const header = ['topic', 'schema', 'encoding', 'modality', 'messages', 'span', 'rate/s', 'bytes'];
  const rows = r.channels.map((c) => [
    c.topic,
    c.schema || '-',
    c.messageEncoding,
    c.modality ?? '-',
    String(c.messages),
    seconds(c.start, c.end),
    c.rate.toFixed(2),
    formatBytes(c.bytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows])
    lines.push(
      `  ${row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}`,
    );
  if (r.problems.length > 0) {
    lines.push('', `  ${r.problems.length} problem(s):`);
    for (const p of r.problems)
      lines.push(`  - ${p.kind}: ${p.reason}${p.bytes > 0 ? ` (${p.bytes} bytes unreadable)` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The report as JSON-safe data (bigint times as decimal strings of ns). */
export function reportJson(r: InspectReport): string {
  return JSON.stringify(
    r,
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    2,
  );
}
