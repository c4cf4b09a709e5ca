/** Fixed-size framing (drivers/process/framer.ts): split frames, several per chunk, a partial tail. */
import t from 'tap';
import { FixedFramer } from '../../../drivers/process/framer.js';

const bytes = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 255);

t.test('a frame split across chunks, two frames in one chunk, a partial tail', async (t) => {
  const framer = new FixedFramer(4);
  const frames: number[][] = [];
  const on = (f: Uint8Array) => frames.push(Array.from(f));
  framer.push(bytes(0, 3), on);
  t.same(frames, [], 'nothing before 4 bytes');
  t.equal(framer.pending, 3);
  framer.push(bytes(3, 9), on); // completes frame 0, two more whole frames
  t.same(frames, [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9, 10, 11],
  ]);
  framer.push(bytes(12, 2), on);
  t.equal(framer.reset(), 2, 'the partial frame is reported');
  t.equal(framer.pending, 0);
  framer.push(bytes(100, 4), on);
  t.same(frames.at(-1), [100, 101, 102, 103], 'a reset framer starts clean');
});

t.test('each frame owns its buffer at offset 0', async (t) => {
  const framer = new FixedFramer(2);
  const frames: Uint8Array[] = [];
  const chunk = bytes(0, 6);
  framer.push(chunk, (f) => frames.push(f));
  chunk.fill(0);
  t.same(
    frames.map((f) => [f.byteOffset, f.buffer.byteLength, ...f]),
    [
      [0, 2, 0, 1],
      [0, 2, 2, 3],
      [0, 2, 4, 5],
    ],
  );
  t.throws(() => new FixedFramer(0), RangeError);
  t.throws(() => new FixedFramer(1.5), RangeError);
});
