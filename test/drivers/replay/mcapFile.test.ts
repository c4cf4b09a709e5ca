/**
 * Reading MCAP files: through the index when there is one (log-time order, filters); front to back
 * when the file was cut off (everything before the cut, the rest reported in bytes); past a
 * damaged chunk (skipped and reported, the rest read); and not at all when it is not MCAP.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import t from 'tap';
import { decompressHandlers } from '../../../drivers/replay/mcapCompression.js';
import { type McapProblem, type McapReader, openMcap } from '../../../drivers/replay/mcapFile.js';
import type { Frame } from '../../../drivers/types.js';
import { T0, writeForeign, writeOwn } from './mcapFixtures.js';

/** 60 thermal frames of 16×12 noise (so chunks do not compress to nothing), 250 ms apart. */
function frames(sensor = 'th0', count = 60, offset = 0n): Frame[] {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: count }, (_, i) => ({
    kind: 'frame',
    sensor,
    modality: 'thermal',
    t: T0 + offset + BigInt(i) * 250_000_000n,
    width: 16,
    height: 12,
    format: 'celsius_f32',
    data: Float32Array.from({ length: 192 }, () => 20 + noise()),
    meta: { i },
  }));
}

async function readAll(reader: McapReader, options?: Parameters<McapReader['messages']>[0]) {
  const out: { topic: string; logTime: bigint }[] = [];
  for await (const m of reader.messages(options)) out.push({ topic: m.channel.topic, logTime: m.logTime });
  await reader.close();
  return out;
}

async function chunkOffsets(file: string): Promise<bigint[]> {
  const handle = await open(file, 'r');
  try {
    const reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(handle),
      decompressHandlers: await decompressHandlers(),
    });
    return reader.chunkIndexes.map((c) => c.chunkStartOffset);
  } finally {
    await handle.close();
  }
}

t.test('an indexed file: summary first, messages in log-time order, filters', async (t) => {
  const file = join(t.testdir({}), 'a.mcap');
  // Written sensor by sensor, so file order is not time order.
  await writeOwn(file, [...frames('th0', 20), ...frames('th1', 20, 100_000_000n)], 8192);
  const problems: McapProblem[] = [];
  const reader = await openMcap(file, (p) => problems.push(p));
  t.equal(reader.indexed, true);
  t.same(
    reader.summary.channels.map((c) => [c.topic, c.schemaName, c.messageEncoding]),
    [
      ['th0', 'foxglove.RawImage', 'json'],
      ['th1', 'foxglove.RawImage', 'json'],
    ],
  );
  t.match(reader.summary, {
    messageStartTime: T0,
    messageCount: 40n,
    compression: ['zstd'],
    library: /^bindsight /,
  });
  const all = await readAll(reader);
  t.equal(all.length, 40);
  t.ok(
    all.every((m, i) => i === 0 || all[i - 1].logTime <= m.logTime),
    'log-time order across channels',
  );
  const some = await readAll(await openMcap(file, () => {}), {
    channels: (c) => c.topic === 'th1',
    startTime: T0 + 2_000_000_000n,
  });
  t.equal(some.length, 12);
  t.ok(some.every((m) => m.topic === 'th1' && m.logTime >= T0 + 2_000_000_000n));
  t.same(problems, []);
});

t.test('a file cut off mid-recording: the complete part is read, the rest reported', async (t) => {
  const dir = t.testdir({});
  const full = join(dir, 'full.mcap');
  await writeOwn(full, frames(), 4096);
  const offsets = await chunkOffsets(full);
  t.ok(offsets.length > 5, 'several chunks');
  const bytes = readFileSync(full);
  const cut = Number(offsets[4]) + 100; // inside the fifth chunk
  const file = join(dir, 'cut.mcap');
  writeFileSync(file, bytes.subarray(0, cut));
  const problems: McapProblem[] = [];
  const reader = await openMcap(file, (p) => problems.push(p));
  t.equal(reader.indexed, false);
  const read = await readAll(reader);
  const expected = frames().filter((_, i) => i < read.length);
  t.ok(read.length > 0 && read.length < 60, `read ${read.length} of 60`);
  t.same(
    read.map((m) => m.logTime),
    expected.map((f) => f.t),
    'the readable messages are the first ones, in order',
  );
  t.match(problems, [
    { kind: 'no_index', reason: /no readable index/ },
    { kind: 'tail', bytes: cut - Number(offsets[4]), reason: /runs past the end of the file \(truncated\)/ },
  ]);
});

t.test('a damaged chunk is skipped and reported; the chunks after it are read', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'bad.mcap');
  await writeOwn(file, frames(), 4096);
  const offsets = await chunkOffsets(file);
  const bytes = readFileSync(file);
  // Overwrite compressed bytes in the middle of the third chunk (opcode, length and chunk header stay).
  const at = Number(offsets[2]) + 80;
  bytes.fill(0x5a, at, at + 64);
  writeFileSync(file, bytes);
  const problems: McapProblem[] = [];
  const read = await readAll(await openMcap(file, (p) => problems.push(p)));
  t.ok(read.length < 60 && read.length > 40, `read ${read.length} of 60`);
  t.equal(read.at(-1)?.logTime, frames().at(-1)?.t, 'the last message is read');
  t.ok(
    read.every((m, i) => i === 0 || read[i - 1].logTime < m.logTime),
    'nothing twice',
  );
  t.ok(
    problems.some((p) => p.kind === 'record'),
    'the damaged chunk is reported',
  );
});

t.test('an unindexed file with a damaged chunk: skipped by its length, reading goes on', async (t) => {
  const dir = t.testdir({});
  const full = join(dir, 'full.mcap');
  await writeOwn(full, frames(), 4096);
  const offsets = await chunkOffsets(full);
  const bytes = Buffer.from(readFileSync(full).subarray(0, Number(offsets.at(-1)) + 10));
  const at = Number(offsets[1]) + 80;
  bytes.fill(0x00, at, at + 32);
  const file = join(dir, 'worse.mcap');
  writeFileSync(file, bytes);
  const problems: McapProblem[] = [];
  const read = await readAll(await openMcap(file, (p) => problems.push(p)));
  t.ok(read.length > 30, `read ${read.length}`);
  t.match(
    problems.map((p) => p.kind),
    ['no_index', 'record', 'tail'],
  );
  t.match(problems[1], { reason: /at byte \d+: / });
});

t.test('not an MCAP file, or garbage where a record should start', async (t) => {
  const dir = t.testdir({ 'x.mcap': 'hello, I am text' });
  await t.rejects(
    openMcap(join(dir, 'x.mcap'), () => {}),
    { code: 'FILE_INVALID', message: /not an MCAP file/ },
  );
  const full = join(dir, 'full.mcap');
  await writeOwn(full, frames('th0', 10), 4096);
  const offsets = await chunkOffsets(full);
  const bytes = Buffer.from(readFileSync(full).subarray(0, Number(offsets[1]) + 20));
  bytes[Number(offsets[1])] = 0x42; // not an MCAP opcode
  const file = join(dir, 'garbage.mcap');
  writeFileSync(file, bytes);
  const problems: McapProblem[] = [];
  const read = await readAll(await openMcap(file, (p) => problems.push(p)));
  t.ok(read.length > 0);
  t.match(problems.at(-1), { kind: 'tail', bytes: 20, reason: /invalid record opcode 0x42/ });
});

t.test(
  'a complete file written without chunks: summary from the index, messages front to back',
  async (t) => {
    const file = join(t.testdir({}), 'flat.mcap');
    const body = { width: 1, height: 1, encoding: 'mono8', data: 'AA==' };
    await writeForeign(
      file,
      [0n, 1n, 2n].map((d) => ({ topic: '/cam', schema: 'foxglove.RawImage', logTime: T0 + d, body })),
      false,
    );
    const problems: McapProblem[] = [];
    const reader = await openMcap(file, (p) => problems.push(p));
    t.equal(reader.indexed, true);
    t.match(reader.summary, { messageCount: 3n, chunkCount: 0 });
    t.same(
      (await readAll(reader)).map((m) => m.logTime),
      [T0, T0 + 1n, T0 + 2n],
    );
    t.same(problems, []);
  },
);
