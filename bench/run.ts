/**
 * `npm run bench`: runs every benchmark in bench/ in turn (each in its own process, so one
 * cannot warm the other's caches) and collects their JSON into bench/results.json.
 * Benchmarks are never run as tests (DESIGN.md "Performance method").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCHES = ['preprocess', 'scheduler'];

const tmp = mkdtempSync(join(tmpdir(), 'bindsight-bench-'));
const results: Record<string, unknown> = {};
let failed = false;
try {
  for (const name of BENCHES) {
    process.stdout.write(`\n## ${name}\n\n`);
    const out = join(tmp, `${name}.json`);
    const res = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, `${name}.ts`), out], {
      stdio: 'inherit',
    });
    if (res.status !== 0) {
      process.stderr.write(`bench ${name} failed with exit ${res.status}\n`);
      failed = true;
      continue;
    }
    results[name] = JSON.parse(readFileSync(out, 'utf8'));
  }
  writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwrote ${join(HERE, 'results.json')}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
