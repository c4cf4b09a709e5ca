/**
 * sd_notify through the real systemd-notify to a datagram socket standing in for systemd's:
 * messages arrive whole and in order, identical waiting pings are sent once, a missing binary
 * is reported (once) rather than thrown, nothing happens without NOTIFY_SOCKET; and the
 * watchdog period follows WATCHDOG_USEC / WATCHDOG_PID as sd_watchdog_enabled(3) reads them.
 */
import pino from 'pino';
import t from 'tap';
import { SdNotify, watchdogPeriodMs } from '../../src/observe/sdnotify.js';
import { startNotifySocket } from './notifySocket.js';

function capture() {
  const lines: Array<{ level: number; msg: string; error?: string }> = [];
  return { lines, logger: pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) }) };
}

t.test('sends READY, STATUS and WATCHDOG in order, coalescing identical waiting pings', async (t) => {
  const socket = await startNotifySocket(t);
  const { logger } = capture();
  const notify = new SdNotify({ env: { NOTIFY_SOCKET: socket.path }, logger });
  t.equal(notify.enabled, true);
  t.equal(await notify.notify({ READY: '1', STATUS: 'healthy: 2 sensors\nnew line' }), true);
  const pings = Array.from({ length: 5 }, () => notify.notify({ WATCHDOG: '1' }));
  t.same(await Promise.all(pings), [true, true, true, true, true]);
  await notify.notify({ STOPPING: '1' });
  await notify.flush();
  t.same(
    socket.messages(),
    ['READY=1\nSTATUS=healthy: 2 sensors new line', 'WATCHDOG=1', 'STOPPING=1'],
    'in order; five pings queued together were sent once',
  );
  t.same(notify.stats(), { sent: 3, failed: 0 });
  const slow = notify.notify({ WATCHDOG: '1' });
  await new Promise((r) => setImmediate(r)); // that one is now running
  const more = [notify.notify({ WATCHDOG: '1' }), notify.notify({ WATCHDOG: '1' })];
  await Promise.all([slow, ...more]);
  t.equal(
    socket.messages().filter((m) => m === 'WATCHDOG=1').length,
    3,
    'a running ping does not absorb the next one',
  );
});

t.test('a missing systemd-notify is logged once and counted, never thrown', async (t) => {
  const { lines, logger } = capture();
  const notify = new SdNotify({
    env: { NOTIFY_SOCKET: '/nonexistent/notify.sock' },
    logger,
    binary: '/nonexistent/systemd-notify',
  });
  t.equal(await notify.notify({ READY: '1' }), false);
  t.equal(await notify.notify({ WATCHDOG: '1' }), false);
  t.same(notify.stats(), { sent: 0, failed: 2 });
  const warns = lines.filter((l) => l.msg === 'cannot notify systemd');
  t.equal(warns.length, 1, 'logged once per change, not per message');
  t.match(warns[0]?.error, /not found; it comes with systemd/);
});

t.test('does nothing without NOTIFY_SOCKET', async (t) => {
  let spawned = 0;
  const notify = new SdNotify({
    env: {},
    logger: pino({ level: 'silent' }),
    spawn: () => {
      spawned++;
      throw new Error('must not spawn');
    },
  });
  t.equal(notify.enabled, false);
  t.equal(await notify.notify({ READY: '1' }), false);
  t.equal(spawned, 0);
});

t.test('watchdog period from WATCHDOG_USEC, for this process only', async (t) => {
  t.equal(watchdogPeriodMs({ WATCHDOG_USEC: '90000000' }, 42), 90_000);
  t.equal(watchdogPeriodMs({ WATCHDOG_USEC: '90000000', WATCHDOG_PID: '42' }, 42), 90_000);
  t.equal(
    watchdogPeriodMs({ WATCHDOG_USEC: '90000000', WATCHDOG_PID: '7' }, 42),
    undefined,
    'meant for another pid',
  );
  t.equal(watchdogPeriodMs({}, 42), undefined);
  t.equal(watchdogPeriodMs({ WATCHDOG_USEC: 'x' }, 42), undefined);
});
