/** inspect: per-channel counts, spans and rates of an indexed file; a cut-off file's problems; text and JSON. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Frame } from '../../drivers/types.js';
import { formatReport, inspectMcap, reportJson } from '../../src/record/inspect.js';
import { T0, writeOwn } from '../drivers/replay/mcapFixtures.js';

const MS = 1_000_000n;
function frame(sensor: string, i: number, periodMs: bigint): Frame {
  return {
    kind: 'frame',
    sensor,
    modality: 'thermal',
    t: T0 + BigInt(i) * periodMs * MS,
    width: 8,
    height: 8,
    format: 'celsius_f32',
    data: Float32Array.from({ length: 64 }, (_, k) => Math.cos(i + k)),
  };
}

t.test('channels, counts, spans and rates', async (t) => {
  const file = join(t.testdir({}), 's.mcap');
  await writeOwn(file, [
    ...Array.from({ length: 9 }, (_, i) => frame('th0', i, 250n)),
    ...Array.from({ length: 3 }, (_, i) => frame('th1', i, 1000n)),
  ]);
  const r = await inspectMcap(file);
  t.match(r, {
    indexed: true,
    messages: 12,
    start: T0,
    end: T0 + 2000n * MS,
    compression: ['zstd'],
    problems: [],
    library: /^bindsight/,
  });
  t.match(r.channels, [
    {
      topic: 'th0',
      schema: 'foxglove.RawImage',
      messageEncoding: 'json',
      modality: 'thermal',
      messages: 9,
      start: T0,
      end: T0 + 2000n * MS,
      rate: 4,
    },
    { topic: 'th1', messages: 3, rate: 1 },
  ]);
  const text = formatReport(r);
  t.match(text, /s\.mcap: .* indexed, written by bindsight/);
  t.match(text, /12 messages in 2 channels/);
  t.match(text, /time: 2023-11-14T22:13:20\.123Z \.\. 2023-11-14T22:13:22\.123Z \(2\.000 s\)/);
  t.match(text, /\n {2}th0 +foxglove\.RawImage +json +thermal +9 +2\.000 s +4\.00 /);
  const json = JSON.parse(reportJson(r));
  t.equal(json.start, String(T0));
  t.equal(json.channels[0].messages, 9);
});

t.test('a cut-off file: NOT indexed, what was readable, and the problems', async (t) => {
  const dir = t.testdir({});
  const full = join(dir, 'full.mcap');
  await writeOwn(
    full,
    Array.from({ length: 60 }, (_, i) => frame('th0', i, 100n)),
    2048,
  );
  const cut = join(dir, 'cut.mcap');
  const bytes = readFileSync(full);
  writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
  const r = await inspectMcap(cut);
  t.equal(r.indexed, false);
  t.ok(r.messages > 0 && r.messages < 60, `${r.messages} readable`);
  t.match(
    r.problems.map((p) => p.kind),
    ['no_index', 'tail'],
  );
  const text = formatReport(r);
  t.match(text, /NOT indexed \(read front to back\)/);
  t.match(
    text,
    /2 problem\(s\):\n {2}- no_index: no readable index .*\n {2}- tail: at byte \d+: .*truncated.* \(\d+ bytes unreadable\)/,
  );
});
