/** bench/packs.ts: the benches' argument parsing and their deterministic camera pictures. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import t from 'tap';
import { benchArgs, picture, writePictures } from '../../bench/packs.js';

t.test('benchArgs: out path, --quick and --pack-root in any order', async (t) => {
  t.same(benchArgs([]), { quick: false, out: null, packRoot: null });
  t.same(benchArgs(['out.json', '--quick']), { quick: true, out: 'out.json', packRoot: null });
  t.same(benchArgs(['--pack-root', 'p', '--quick', 'o.json']), {
    quick: true,
    out: 'o.json',
    packRoot: resolve('p'),
  });
});

t.test('pictures are deterministic per seed and differ between seeds', async (t) => {
  t.same(picture(16, 8, 3), picture(16, 8, 3));
  t.not(Buffer.compare(Buffer.from(picture(16, 8, 3)), Buffer.from(picture(16, 8, 4))), 0);
  const dir = t.testdir();
  const a = await writePictures(join(dir, 'a'), 2, { width: 64, height: 48, seed: 5 });
  const b = await writePictures(join(dir, 'b'), 2, { width: 64, height: 48, seed: 5 });
  t.equal(a.length, 2);
  t.same(await readFile(a[1]), await readFile(b[1]), 'same seed, same JPEG bytes');
  t.not(Buffer.compare(await readFile(a[0]), await readFile(a[1])), 0, 'frames differ');
});
