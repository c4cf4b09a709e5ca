/**
 * The SQLite outbox: the shared store contract, then what only a durable store does: it keeps
 * its rows across close/reopen and across kill -9, never reuses a seq, refuses a second
 * process, and says clearly what is wrong with a file it cannot use.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { SqliteOutbox } from '../../src/outbox/sqlite.js';
import { REPO } from '../helpers/cli.js';
import { msg, outboxContract } from './outboxContract.js';

t.test('contract on the SQLite outbox', async (t) => {
  let n = 0;
  outboxContract(t, (t, bounds) => {
    const store = new SqliteOutbox(join(t.testdir({}), `outbox-${++n}.sqlite`), bounds);
    t.teardown(() => store.close());
    return store;
  });
});

t.test('rows survive close and reopen, in order; seqs are never reused', async (t) => {
  const path = join(t.testdir({}), 'state', 'kitchen', 'outbox.sqlite');
  const a = new SqliteOutbox(path);
  t.ok(existsSync(path), 'the file and its folders are created');
  const seqs = [1, 2, 3].map((n) => a.append(msg(n), 1000 + n).seq);
  a.remove(seqs[2]); // the newest: AUTOINCREMENT must not hand its seq out again
  a.close();
  a.close(); // idempotent
  t.throws(() => a.append(msg(9), 0), { code: 'USAGE', message: /closed/ });

  const b = new SqliteOutbox(path);
  t.teardown(() => b.close());
  t.match(b.stats(), { durable: true, path, messages: 2 });
  t.same(
    b.after(0, 10).map((m) => [m.seq, m.payload, m.createdAt]),
    [
      [seqs[0], '{"n":1}', 1001],
      [seqs[1], '{"n":2}', 1002],
    ],
    'original payloads and times',
  );
  t.ok(b.append(msg(4), 0).seq > seqs[2], 'a new seq is above every seq ever given');
});

t.test('WAL journal, and the file is what the issue describes: one row per message', async (t) => {
  const path = join(t.testdir({}), 'outbox.sqlite');
  const store = new SqliteOutbox(path);
  store.append({ topic: 'bs/k/rules/r/state', payload: 'ON', qos: 1, retain: true }, 42);
  store.close();
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.same(db.prepare('SELECT seq, topic, payload, qos, retain, created_at FROM outbox').all(), [
    { seq: 1, topic: 'bs/k/rules/r/state', payload: 'ON', qos: 1, retain: 1, created_at: 42 },
  ]);
});

t.test('kill -9 right after append: every appended row is there on reopen', async (t) => {
  const path = join(t.testdir({}), 'outbox.sqlite');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'test/outbox/appendAndDie.ts'), path, '50'],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_c, s) => resolve(s)),
  );
  t.equal(signal, 'SIGKILL', `killed (stderr: ${err.slice(-500)})`);
  t.equal(out, 'appended 50\n');
  const store = new SqliteOutbox(path);
  t.teardown(() => store.close());
  t.equal(store.stats().messages, 50);
  t.same(
    store.after(0, 100).map((m) => m.payload),
    Array.from({ length: 50 }, (_, i) => `{"n":${i + 1}}`),
  );
});

t.test('removals are batched but visible at once to every read', async (t) => {
  const store = new SqliteOutbox(join(t.testdir({}), 'outbox.sqlite'));
  t.teardown(() => store.close());
  const seqs = [1, 2, 3].map((n) => store.append(msg(n), 0).seq);
  store.remove(seqs[0]);
  store.remove(seqs[1]);
  t.equal(store.stats().messages, 1);
  t.same(
    store.after(0, 10).map((m) => m.seq),
    [seqs[2]],
  );
});

t.test('a second process (or store) on the same file is refused with the fix', async (t) => {
  const path = join(t.testdir({}), 'outbox.sqlite');
  const first = new SqliteOutbox(path);
  t.teardown(() => first.close());
  t.throws(() => new SqliteOutbox(path), {
    code: 'OUTBOX_FAILED',
    message: /another bindsight process uses this outbox; give each agent its own mqtt\.outbox\.path/,
  });
  first.append(msg(1), 0);
  t.equal(first.stats().messages, 1, 'the first one still works');
});

t.test('files it cannot use: OUTBOX_FAILED naming the file and the fix', async (t) => {
  const dir = t.testdir({
    'garbage.sqlite': 'this is not a database, just text that is long enough '.repeat(20),
  });
  t.throws(() => new SqliteOutbox(join(dir, 'garbage.sqlite')), {
    code: 'OUTBOX_FAILED',
    message: new RegExp(`outbox ${join(dir, 'garbage.sqlite')}: .*not an outbox database`),
  });
  writeFileSync(join(dir, 'file'), '');
  t.throws(() => new SqliteOutbox(join(dir, 'file', 'outbox.sqlite')), {
    code: 'OUTBOX_FAILED',
    message: /cannot open the MQTT outbox .*file\/outbox\.sqlite/,
  });
  // Root ignores permissions: a read-only folder is only checked as a normal user.
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o500);
    t.teardown(() => chmodSync(dir, 0o700));
    t.throws(() => new SqliteOutbox(join(dir, 'ro', 'outbox.sqlite')), { code: 'OUTBOX_FAILED' });
  }
});
