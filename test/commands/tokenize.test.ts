/** `bindsight tokenize`: the ids as JSON from a merges file or a pack; usage errors exit 64. */
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { REPO, runCli } from '../helpers/cli.js';

const BPE = join(REPO, '..', 'shared', 'vendor-data', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

t.test('--vocab: one 77-id row per text; --raw: the bare BPE ids', async (t) => {
  const res = await runCli(['tokenize', '--vocab', BPE, 'a photo of a cat', 'Hello World!']);
  t.equal(res.code, 0, res.stderr);
  const [cat, hello] = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  t.equal(cat.length, 77);
  t.same(cat.slice(0, 8), [49406, 320, 1125, 539, 320, 2368, 49407, 0]);
  t.same(hello.slice(0, 5), [49406, 3306, 1002, 256, 49407]);
  const raw = await runCli(['tokenize', '--vocab', BPE, '--raw', '2025 &amp;']);
  t.equal(raw.stdout, '[273,271,273,276,261]\n', 'digits split, HTML unescaped');
});

t.test('--pack uses the pack tokenizer; bad usage is one line and exit 64', async (t) => {
  const dir = t.testdir();
  await buildDemoPack(dir);
  const demo = await runCli(['tokenize', '--pack', dir, 'person']);
  t.equal(demo.code, 0, demo.stderr);
  t.same(
    JSON.parse(demo.stdout).slice(0, 4),
    [1, 3, 2, 0],
    'the demo words tokenizer: sot, person, eot, pad',
  );
  const neither = await runCli(['tokenize', 'x']);
  t.equal(neither.code, 64);
  t.equal(neither.stderr, 'bindsight: give exactly one of --vocab FILE (a CLIP merges file) or --pack DIR\n');
});
