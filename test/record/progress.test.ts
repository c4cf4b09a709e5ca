/** Recording progress: sizes, the line, one rewritten line on a terminal, plain lines elsewhere. */
import t from 'tap';
import { formatBytes, formatProgress, Progress } from '../../src/record/progress.js';
import type { RecorderStats } from '../../src/record/writer.js';

const stats = (messages: number): RecorderStats => ({
  file: 'x.mcap',
  messages,
  messageBytes: 0,
  fileBytes: 1536 * messages,
  dropped: 1,
  pending: 0,
  compression: 'zstd',
  sensors: { cam0: { modality: 'vision', messages, firstT: 0n, lastT: 0n } },
});

t.test('formatBytes and formatProgress', async (t) => {
  t.equal(formatBytes(0), '0 B');
  t.equal(formatBytes(1023), '1023 B');
  t.equal(formatBytes(1536), '1.5 KiB');
  t.equal(formatBytes(5 * 1024 ** 3), '5.0 GiB');
  t.equal(
    formatProgress(stats(2), 12_345),
    'recording 12.3 s: 2 samples (cam0 2), 3.0 KiB written, 1 dropped',
  );
});

async function lines(isTTY: boolean): Promise<string[]> {
  const out: string[] = [];
  let n = 0;
  const progress = new Progress({ isTTY, write: (s: string) => out.push(s) }, () => stats(++n), 5);
  while (out.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  progress.stop();
  progress.stop();
  return out;
}

t.test('on a terminal: one line rewritten in place, a newline at the end', async (t) => {
  const out = await lines(true);
  t.ok(out.slice(0, -1).every((s) => s.startsWith('\rrecording') && !s.includes('\n')));
  t.match(out.at(-1), /^\rrecording .*\n$/);
});

t.test('elsewhere: one plain line per update', async (t) => {
  const out = await lines(false);
  t.ok(out.length >= 3, 'two updates and the final line, once');
  t.ok(out.every((s) => /^recording [^\r]*\n$/.test(s)));
});
