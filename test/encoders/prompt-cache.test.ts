/**
 * The prompt cache: exact round trip through the file, invalidation by pack hash, tolerance of
 * a corrupt or unwritable cache, the default folder, and the end-to-end effect through loadPack:
 * a second start does not run the text encoder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../../models/demo/build.js';
import { loadPack } from '../../src/encoders/pack.js';
import { defaultCacheDir, idsKey, PromptCache } from '../../src/encoders/prompt-cache.js';
import { captureLogs } from '../helpers/logs.js';

const vec = (seed: number) => Float32Array.from({ length: 4 }, (_, i) => Math.sin(seed * 7 + i) / 3);

t.test('entries survive a reopen bit for bit; another pack hash discards them', async (t) => {
  const dir = t.testdir();
  const a = await PromptCache.open({ dir, pack: 'p', packHash: 'h1', dim: 4 });
  const key = idsKey(BigInt64Array.of(49406n, 320n, 49407n));
  t.equal(a.get(key), undefined);
  a.set(key, 'a photo', vec(1));
  await a.flush();
  t.match(a.stats(), { entries: 1, hits: 0, misses: 1, writable: true });

  const b = await PromptCache.open({ dir, pack: 'p', packHash: 'h1', dim: 4 });
  t.same(b.get(key), vec(1), 'exact float32 values');
  t.equal(b.stats().hits, 1);
  const file = JSON.parse(await readFile(b.file, 'utf8'));
  t.match(file, { format: 1, pack: 'p', packHash: 'h1', dim: 4 });
  t.equal(file.entries[key].prompt, 'a photo');

  const { lines, logger } = captureLogs();
  const c = await PromptCache.open({ dir, pack: 'p', packHash: 'h2', dim: 4, logger });
  t.equal(c.get(key), undefined, 'a changed pack invalidates the cache');
  t.match(c.stats().discarded, /made with pack hash h1…, the pack is now h2…/);
  t.equal(lines[0].msg, 'prompt cache discarded');
});

t.test('a corrupt file is ignored; an unwritable folder turns writing off with one warning', async (t) => {
  const dir = t.testdir({ 'text-embeddings-p.json': '{ not json' });
  const a = await PromptCache.open({ dir, pack: 'p', packHash: 'h', dim: 4 });
  t.match(a.stats().discarded, /not JSON/);
  a.set('k', 'x', vec(2));
  await a.flush();
  t.same((await PromptCache.open({ dir, pack: 'p', packHash: 'h', dim: 4 })).get('k'), vec(2), 'rewritten');

  const blocked = join(t.testdir({ file: 'x' }), 'file', 'cache');
  const { lines, logger } = captureLogs();
  const b = await PromptCache.open({ dir: blocked, pack: 'p', packHash: 'h', dim: 4, logger });
  b.set('k', 'x', vec(3));
  await b.flush();
  await b.flush();
  t.equal(b.stats().writable, false);
  t.equal(lines.filter((l) => l.level === 40).length, 1, 'one warning');
  t.match(lines[0].msg, /prompt cache not writable/);
  t.same(b.get('k'), vec(3), 'still serves what it holds in memory');
});

t.test('default folder: CacheDirectory=, StateDirectory=, XDG_CACHE_HOME, ~/.cache', async (t) => {
  t.equal(
    defaultCacheDir({ CACHE_DIRECTORY: '/var/cache/bindsight:/other', STATE_DIRECTORY: '/s' }),
    '/var/cache/bindsight',
  );
  t.equal(defaultCacheDir({ STATE_DIRECTORY: '/var/lib/bindsight' }), '/var/lib/bindsight/cache');
  t.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/bindsight');
  t.match(defaultCacheDir({}), /\.cache\/bindsight$/);
});

t.test(
  'through loadPack: the second start takes every prompt from the cache; a changed pack does not',
  async (t) => {
    const root = t.testdir({ cache: {} });
    const packDir = join(root, 'pack');
    await buildDemoPack(packDir);
    const cacheDir = join(root, 'cache');
    const prompts = ['a person', 'an empty room', 'someone fell'];

    const first = await loadPack(packDir, { promptCacheDir: cacheDir });
    const computed = await first.embedTexts(prompts);
    t.match(first.promptCacheStats(), { hits: 0, misses: 3, entries: 3 });
    t.equal(first.health().text?.counters.rows, 3, 'the text encoder ran for 3 prompts');
    await first.close();

    const second = await loadPack(packDir, { promptCacheDir: cacheDir });
    const cached = await second.embedTexts([...prompts, 'A  PERSON']);
    t.same(cached.slice(0, 3), computed, 'identical vectors');
    t.same(cached[3], computed[0], '"A  PERSON" tokenises like "a person": same entry');
    t.match(second.promptCacheStats(), { hits: 4, misses: 0 });
    t.equal(second.health().text?.counters.rows, 0, 'the text encoder never ran');
    await second.close();

    const manifest = JSON.parse(await readFile(join(packDir, 'pack.json'), 'utf8'));
    manifest.description = 'edited';
    await writeFile(join(packDir, 'pack.json'), JSON.stringify(manifest));
    const third = await loadPack(packDir, { promptCacheDir: cacheDir });
    await third.embedTexts(prompts);
    t.match(third.promptCacheStats(), { hits: 0, misses: 3 }, 'a changed pack.json invalidates');
    await third.close();

    const noCache = await loadPack(packDir);
    t.equal(noCache.promptCacheStats(), null, 'no cache unless asked for');
    await noCache.close();
  },
);
