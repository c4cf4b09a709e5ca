/**
 * Child process for sqlite.test.ts: appends N messages to the outbox at argv[2], says so on
 * stdout, and dies by SIGKILL with the database still open (no close, no checkpoint).
 */
import { SqliteOutbox } from '../../src/outbox/sqlite.js';

const [path, count] = process.argv.slice(2);
const store = new SqliteOutbox(path);
for (let n = 1; n <= Number(count); n++) {
  store.append({ topic: 'bs/kitchen/events', payload: `{"n":${n}}`, qos: 1, retain: false }, Date.now());
}
process.stdout.write(`appended ${count}\n`, () => process.kill(process.pid, 'SIGKILL'));
