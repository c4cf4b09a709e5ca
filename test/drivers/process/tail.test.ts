/** The stderr tail (drivers/process/tail.ts) keeps exactly the last 4 kB. */
import t from 'tap';
import { ByteTail, STDERR_TAIL_BYTES } from '../../../drivers/process/tail.js';

t.test('keeps the last bytes across many chunks', async (t) => {
  const tail = new ByteTail();
  t.equal(tail.text(), '');
  let all = '';
  for (let i = 0; i < 2000; i++) {
    const line = `line ${i}\n`;
    all += line;
    tail.push(Buffer.from(line));
  }
  t.equal(STDERR_TAIL_BYTES, 4096);
  t.equal(tail.text(), all.slice(-4096));
  const small = new ByteTail(5);
  small.push(Buffer.from('abc'));
  t.equal(small.text(), 'abc');
  small.push(Buffer.from('defgh'));
  t.equal(small.text(), 'defgh');
});
