import t from 'tap';
import { type HealthChange, HealthTracker } from '../../drivers/health.js';
import { BindsightError } from '../../src/errors.js';

t.test('starts down ("not started") with declared counters at 0', async (t) => {
  const h = new HealthTracker({ counters: ['samples', 'crc_errors'] });
  t.equal(h.state, 'down');
  t.equal(h.reason, 'not started');
  t.same(h.snapshot(), { state: 'down', counters: { errors: 0, samples: 0, crc_errors: 0 } });
  t.notOk('lastError' in h.snapshot(), 'no lastError key before any error');
  t.equal(new HealthTracker({ initial: 'ok' }).state, 'ok');
});

t.test('explicit transitions notify once per change, with from/to/reason', async (t) => {
  const h = new HealthTracker();
  const seen: HealthChange[] = [];
  const off = h.on('change', (c) => seen.push(c));
  h.set('ok', 'opened');
  h.set('ok', 'still open');
  h.set('degraded', 'crc errors');
  h.set('down', 'unplugged');
  h.set('ok', 'reconnected');
  t.same(seen, [
    { from: 'down', to: 'ok', reason: 'opened' },
    { from: 'ok', to: 'degraded', reason: 'crc errors' },
    { from: 'degraded', to: 'down', reason: 'unplugged' },
    { from: 'down', to: 'ok', reason: 'reconnected' },
  ]);
  t.equal(h.reason, 'reconnected');
  off();
  h.set('down');
  t.equal(seen.length, 4, 'no notification after unsubscribe');
  t.equal(h.reason, 'down', 'reason defaults to the state name');
});

t.test('error(): counts, records lastError, and moves only as asked', async (t) => {
  const h = new HealthTracker({ initial: 'ok' });
  h.error(new Error('timeout on read'));
  t.equal(h.state, 'ok', 'a plain error does not move the state');
  t.equal(h.snapshot().lastError, 'timeout on read');
  t.equal(h.counter('errors'), 1);

  h.error(new BindsightError('FILE_INVALID', 'bad row'), { degrade: true, counter: 'corrupt_rows' });
  t.equal(h.state, 'degraded');
  t.equal(h.reason, 'bad row');
  t.equal(h.counter('corrupt_rows'), 1);

  h.error('string thrown', { down: true });
  t.equal(h.state, 'down');
  t.equal(h.snapshot().lastError, 'string thrown');

  h.error(new Error('another bad row'), { degrade: true });
  t.equal(h.state, 'down', 'degrade never lifts a down tracker to degraded');
  t.equal(h.counter('errors'), 4);
});

t.test('counters are monotonic', async (t) => {
  const h = new HealthTracker();
  h.count('bytes', 10);
  h.count('bytes');
  h.count('bytes', 0);
  t.equal(h.counter('bytes'), 11);
  t.throws(() => h.count('bytes', -1), RangeError);
  t.throws(() => h.count('bytes', Number.NaN), RangeError);
  t.equal(h.counter('bytes'), 11, 'a refused decrement changes nothing');
  t.equal(h.counter('never'), 0);
});

t.test('a snapshot is a copy', async (t) => {
  const h = new HealthTracker({ counters: ['samples'] });
  const before = h.snapshot();
  h.count('samples', 3);
  h.set('ok');
  t.same(before, { state: 'down', counters: { errors: 0, samples: 0 } });
  before.counters.samples = 99;
  t.equal(h.counter('samples'), 3);
});

t.test('a throwing listener is counted and does not stop the others or the transition', async (t) => {
  const h = new HealthTracker();
  const seen: string[] = [];
  h.on('change', () => {
    throw new Error('listener bug');
  });
  h.on('change', (c) => seen.push(c.to));
  h.set('ok');
  t.equal(h.state, 'ok');
  t.same(seen, ['ok']);
  t.equal(h.counter('listener_errors'), 1);
});
