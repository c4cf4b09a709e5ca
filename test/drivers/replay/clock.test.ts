import t from 'tap';
import { msToNs, systemClock } from '../../../drivers/replay/clock.js';

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

t.test('msToNs is exact for epoch-sized values', async (t) => {
  t.equal(msToNs(1_700_000_000_123), 1_700_000_000_123_000_000n);
  t.equal(msToNs(1_700_000_000_123.5), 1_700_000_000_123_500_000n);
  t.equal(msToNs(0.000001), 1n);
});

t.test('systemClock.now is wall-clock milliseconds', async (t) => {
  t.ok(Math.abs(systemClock.now() - Date.now()) < 60_000);
});

t.test('an aborted sleep resolves and leaves no timer', async (t) => {
  const before = timers();
  const abort = new AbortController();
  const sleeping = systemClock.sleep(60_000, abort.signal);
  t.equal(timers(), before + 1, 'the sleep holds one timer');
  abort.abort();
  await sleeping;
  t.equal(timers(), before, 'the timer is cleared');
  await systemClock.sleep(60_000, abort.signal); // already aborted: returns at once
});

t.test('a zero sleep yields and resolves', async (t) => {
  let resolved = false;
  const p = systemClock.sleep(0).then(() => {
    resolved = true;
  });
  t.notOk(resolved, 'not synchronous');
  await p;
  t.ok(resolved);
});
