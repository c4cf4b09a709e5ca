/** Where the outbox lives by default, and what the agent opens from `mqtt.outbox`. */
import { join } from 'node:path';
import t from 'tap';
import { defaultOutboxPath, openOutbox, outboxBounds } from '../../src/outbox/open.js';

t.test('default path: systemd StateDirectory, then XDG_STATE_HOME, then ~/.local/state', async (t) => {
  const home = '/home/ada';
  t.equal(
    defaultOutboxPath('kitchen', { STATE_DIRECTORY: '/var/lib/bindsight' }, home),
    '/var/lib/bindsight/kitchen/outbox.sqlite',
  );
  t.equal(
    defaultOutboxPath('kitchen', { STATE_DIRECTORY: '/var/lib/bindsight:/var/lib/other' }, home),
    '/var/lib/bindsight/kitchen/outbox.sqlite',
    'several StateDirectory= entries: the first',
  );
  t.equal(
    defaultOutboxPath('kitchen', { XDG_STATE_HOME: '/srv/state' }, home),
    '/srv/state/bindsight/kitchen/outbox.sqlite',
  );
  t.equal(
    defaultOutboxPath('kitchen', { XDG_STATE_HOME: 'relative/state' }, home),
    '/home/ada/.local/state/bindsight/kitchen/outbox.sqlite',
    'a relative XDG_STATE_HOME is ignored (XDG spec)',
  );
  t.equal(defaultOutboxPath('kitchen', {}, home), '/home/ada/.local/state/bindsight/kitchen/outbox.sqlite');
});

const cfg = { durable: true, maxMessages: 10, maxBytes: 1000, maxAgeHours: 2 };

t.test('bounds: hours become milliseconds', async (t) => {
  t.same(outboxBounds(cfg), { maxMessages: 10, maxBytes: 1000, maxAgeMs: 7_200_000 });
});

t.test('durable: a SQLite file at the configured path or the default one', async (t) => {
  const dir = t.testdir({});
  const explicit = openOutbox({ ...cfg, path: join(dir, 'mine.sqlite') }, 'kitchen');
  t.teardown(() => explicit.close());
  t.match(explicit.stats(), { durable: true, path: join(dir, 'mine.sqlite') });
  const byDefault = openOutbox(cfg, 'kitchen', { XDG_STATE_HOME: dir });
  t.teardown(() => byDefault.close());
  t.equal(byDefault.stats().path, join(dir, 'bindsight', 'kitchen', 'outbox.sqlite'));
  t.same(byDefault.bounds, outboxBounds(cfg));
});

t.test('durable: false gives a bounded memory outbox', async (t) => {
  const store = openOutbox({ ...cfg, durable: false }, 'kitchen');
  t.equal(store.durable, false);
  t.same(store.bounds, outboxBounds(cfg));
});
