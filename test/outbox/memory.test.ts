/** The in-memory outbox passes the shared store contract. */
import t from 'tap';
import { MemoryOutbox } from '../../src/outbox/memory.js';
import { msg, outboxContract } from './outboxContract.js';

t.test('contract on the memory outbox', async (t) => {
  outboxContract(t, (_t, bounds) => new MemoryOutbox(bounds));
});

t.test('it is not durable and says so', async (t) => {
  const store = new MemoryOutbox();
  store.append(msg(1), 0);
  t.same(store.stats(), { durable: false, messages: 1, bytes: store.stats().bytes });
  t.equal(store.durable, false);
  store.close();
});
