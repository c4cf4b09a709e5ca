import { PreprocessPool } from '../src/preprocess/workerPool.js';
import { preprocessSample } from '../src/preprocess/index.js';
import { IMAGEBIND_PREPROCESS } from '../models/manifest.js';
const pool = new PreprocessPool({ size: 2, onWarn: (f, m) => console.log('WARN', f, m) });
const f = { kind: 'frame' as const, sensor: 'c', modality: 'vision' as const, t: 0n, width: 640, height: 480, format: 'rgb24' as const, data: new Uint8Array(640*480*3).map((_, i) => (i * 7) & 255) };
const t0 = performance.now();
const a = await pool.run(f, IMAGEBIND_PREPROCESS.vision);
console.log('first', performance.now() - t0);
const b = await preprocessSample(f, IMAGEBIND_PREPROCESS.vision);
console.log(a.length, a.every((v, i) => v === b[i]), f.data.length);
const t1 = performance.now();
await Promise.all(Array.from({length: 16}, () => pool.run(f, IMAGEBIND_PREPROCESS.vision)));
console.log('16 in', performance.now() - t1);
try { await pool.run({ ...f, width: 3 }, IMAGEBIND_PREPROCESS.vision); } catch (e) { console.log('err', (e as any).code, (e as Error).message); }
console.log(pool.stats());
await pool.close();
