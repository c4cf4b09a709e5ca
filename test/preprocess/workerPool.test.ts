/**
 * Preprocessing on worker threads: the same tensors as on the event loop, from source (tsx)
 * and from a build (tsc output, plain .js); errors keep their code; a worker that dies fails
 * only its task; workers that cannot start make the pool fall back to the event loop.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import ts from 'typescript';
import type { Frame, Sample, Window } from '../../drivers/types.js';
import { IMAGEBIND_PREPROCESS } from '../../models/manifest.js';
import { preprocessSample } from '../../src/preprocess/index.js';
import { PreprocessPool, workerEntry } from '../../src/preprocess/workerPool.js';
import { REPO } from '../helpers/cli.js';

const png = readFileSync(join(REPO, 'config', 'demo', 'vision_bright.png'));
const visionPng: Frame = {
  kind: 'frame',
  sensor: 'cam0',
  modality: 'vision',
  t: 1n,
  width: 160,
  height: 120,
  format: 'png',
  data: new Uint8Array(png),
};
const audio: Window = {
  kind: 'window',
  sensor: 'mic0',
  modality: 'audio',
  t: 2n,
  rate: 16000,
  channels: 1,
  data: Float32Array.from({ length: 32000 }, (_, i) => 0.3 * Math.sin(i / 7)),
};
const badFrame: Frame = { ...visionPng, format: 'rgb24', width: 3, height: 3, data: new Uint8Array(5) };
const params = (s: Sample) =>
  s.modality === 'audio' ? IMAGEBIND_PREPROCESS.audio : IMAGEBIND_PREPROCESS.vision;

t.test(
  'from source: worker tensors equal event-loop tensors; inputs stay usable; errors keep codes',
  async (t) => {
    t.ok(workerEntry().options.eval, 'run from .ts: the tsx bootstrap');
    const pool = new PreprocessPool({ size: 2 });
    t.teardown(() => pool.close());
    for (const s of [visionPng, audio]) {
      const [viaWorker, inline] = await Promise.all([pool.run(s, params(s)), preprocessSample(s, params(s))]);
      t.same(viaWorker, inline, `${s.modality}: identical`);
    }
    t.equal(visionPng.data.byteLength, png.byteLength, 'the input buffer was cloned, not transferred');
    await t.rejects(pool.run(badFrame, IMAGEBIND_PREPROCESS.vision), { code: 'PREPROCESS_INVALID' });
    const st = pool.stats();
    t.equal(st.completed, 2);
    t.equal(st.failed, 1);
    t.equal(st.fallback, false);
  },
);

t.test('a worker that dies fails its task only, and is started again', async (t) => {
  const crashing = `const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ ready: true });
parentPort.on('message', () => process.exit(3));`;
  const pool = new PreprocessPool({ size: 1, entry: () => ({ script: crashing, options: { eval: true } }) });
  t.teardown(() => pool.close());
  await t.rejects(pool.run(visionPng, IMAGEBIND_PREPROCESS.vision), {
    message: /worker 0 died \(exit code 3\) while preprocessing a vision sample from 'cam0'/,
  });
  await t.rejects(pool.run(visionPng, IMAGEBIND_PREPROCESS.vision), /died/);
  t.equal(pool.stats().restarts, 1);
  t.equal(pool.stats().fallback, false);
});

t.test('workers that cannot start: the pool says so once and preprocesses on the event loop', async (t) => {
  const warnings: string[] = [];
  const pool = new PreprocessPool({
    size: 2,
    entry: () => ({
      script: 'throw new Error("cannot load the preprocessing modules")',
      options: { eval: true },
    }),
    onWarn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
  });
  t.teardown(() => pool.close());
  const x = await pool.run(visionPng, IMAGEBIND_PREPROCESS.vision);
  t.same(x, await preprocessSample(visionPng, IMAGEBIND_PREPROCESS.vision), 'the task still completes');
  t.equal(pool.stats().fallback, true);
  t.equal(warnings.length, 1);
  t.match(warnings[0], /cannot load the preprocessing modules/);
});

t.test('falling back, a task handed to a worker that never started runs on the event loop too', async (t) => {
  let spawned = 0;
  const pool = new PreprocessPool({
    size: 2,
    // The first worker never gets ready (it neither loads nor dies); every other one dies at once.
    entry: () => ({
      script: spawned++ === 0 ? 'setInterval(() => {}, 1000)' : 'throw new Error("cannot load")',
      options: { eval: true },
    }),
  });
  t.teardown(() => pool.close());
  // Task A waits in the first worker; task B's worker dies three times: the pool falls back.
  const [a, b] = await Promise.all([
    pool.run(visionPng, IMAGEBIND_PREPROCESS.vision),
    pool.run(audio, IMAGEBIND_PREPROCESS.audio),
  ]);
  t.equal(pool.stats().fallback, true);
  t.same(a, await preprocessSample(visionPng, IMAGEBIND_PREPROCESS.vision), 'task A completes');
  t.same(b, await preprocessSample(audio, IMAGEBIND_PREPROCESS.audio), 'task B completes');
});

/**
 * What `npm run build` emits for the pool, the worker and what they import, without type checking
 * (that is `npm run typecheck`'s job): each file transpiled as tsc would, into `out` with the
 * repo's layout, following relative imports from the entries.
 */
function transpileClosure(entries: string[], out: string): void {
  const todo = [...entries];
  const done = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dest = join(out, relative(REPO, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
    for (const m of js.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g))
      todo.push(join(dirname(file), `${m[1]}.ts`));
  }
}

t.test('from a build: plain .js workers, no tsx', async (t) => {
  const out = t.testdir({});
  transpileClosure(
    [join(REPO, 'src/preprocess/workerPool.ts'), join(REPO, 'src/preprocess/worker.ts')],
    join(out, 'dist'),
  );
  const built = (await import(pathToFileURL(join(out, 'dist/src/preprocess/workerPool.js')).href)) as {
    PreprocessPool: typeof PreprocessPool;
    workerEntry: typeof workerEntry;
  };
  const entry = built.workerEntry();
  t.notOk(entry.options.eval, 'run from .js: no bootstrap');
  t.match(String(entry.script), /dist\/src\/preprocess\/worker\.js$/);
  const pool = new built.PreprocessPool({ size: 1 });
  t.teardown(() => pool.close());
  const x = await pool.run(audio, IMAGEBIND_PREPROCESS.audio);
  t.same(x, await preprocessSample(audio, IMAGEBIND_PREPROCESS.audio));
  t.equal(pool.stats().fallback, false, 'the built worker started');
});
