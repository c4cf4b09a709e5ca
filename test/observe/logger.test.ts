import { PassThrough } from 'node:stream';
import t from 'tap';
import { createLogger, renderLogLine } from '../../src/observe/logger.js';

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
