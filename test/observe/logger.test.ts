import { PassThrough } from 'node:stream';
import t from 'tap';
import { createLogger, isJournalStream, journalLine, renderLogLine } from '../../src/observe/logger.js';

t.test('renders a pino line as time, level, name, message and fields', async (t) => {
  const line = JSON.stringify({
    level: 40,
    time: Date.UTC(2026, 10, 29, 10, 1, 2, 345),
    name: 'bindsight',
    msg: 'sample dropped',
    sensor: 'cam0',
    n: 3,
  });
  t.equal(renderLogLine(line), '10:01:02.345 WARN  [bindsight] sample dropped sensor=cam0 n=3');
  t.equal(renderLogLine('not json'), 'not json', 'a line that is not JSON passes through');
});

t.test('JSON lines when not pretty, readable lines when pretty; level filters', async (t) => {
  for (const pretty of [false, true]) {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const log = createLogger({ level: 'warn', pretty, destination: out });
    log.info('hidden');
    log.warn({ sensor: 'imu0' }, 'degraded');
    await new Promise((r) => setImmediate(r));
    t.notMatch(text, /hidden/);
    if (pretty) t.match(text, /WARN {2}\[bindsight\] degraded sensor=imu0\n$/);
    else t.match(JSON.parse(text.trim()), { level: 40, msg: 'degraded', sensor: 'imu0' });
  }
});

t.test('journal mode: JSON lines with sd-daemon priority prefixes, never pretty', async (t) => {
  t.equal(journalLine('{"level":40,"msg":"x"}'), '<4>{"level":40,"msg":"x"}');
  t.equal(journalLine('{"level":30}'), '<6>{"level":30}');
  t.equal(journalLine('{"level":60}'), '<2>{"level":60}');
  t.equal(journalLine('{"level":20}'), '<7>{"level":20}');
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const log = createLogger({ level: 'info', pretty: true, destination: out, journal: true });
  log.error({ sensor: 'cam0' }, 'lost');
  await new Promise((r) => setImmediate(r));
  const m = /^<3>(\{.*\})\n$/.exec(text);
  t.ok(m, `one prefixed line: ${text}`);
  t.match(JSON.parse(m?.[1] ?? '{}'), { level: 50, msg: 'lost', sensor: 'cam0' });
});

t.test('isJournalStream: JOURNAL_STREAM names stdout by device and inode', async (t) => {
  const stat = () => ({ dev: 24, ino: 1234 });
  t.equal(isJournalStream({ JOURNAL_STREAM: '24:1234' }, 1, stat), true);
  t.equal(isJournalStream({ JOURNAL_STREAM: '24:999' }, 1, stat), false, 'stdout redirected elsewhere');
  t.equal(isJournalStream({}, 1, stat), false);
  t.equal(isJournalStream({ JOURNAL_STREAM: 'junk' }, 1, stat), false);
  t.equal(
    isJournalStream({ JOURNAL_STREAM: '24:1234' }, 1, () => {
      throw new Error('EBADF');
    }),
    false,
  );
});
