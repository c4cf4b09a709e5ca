/**
 * `npm run bench [-- --quick] [-- --only a,b] [-- --doc]`: builds the bench pack once, runs every
 * benchmark in bench/ in its own process (so one cannot warm another's caches), then maps their JSON
 * onto the stable keys of bench/results.json (bench/keys.ts) and writes the tables to
 * bench/results.md (with --doc also into BENCHMARKS.md, between the markers of the full or the quick
 * run). Benchmarks are never
 * run as tests (DESIGN.md "Performance method"). A bench file another helper has not written yet
 * is skipped and named.
 *
 * --quick: the small bench pack (ViT-Ti-wide, 12 blocks) and short runs; about 5 minutes on 2 cores.
 * Without it: the ViT-S-wide pack and longer runs (about 20 minutes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_TRUNKS, buildBenchPacks } from '../models/bench/benchPack.js';
import { stableKeys } from './keys.js';
import { machine, renderReport, spliceDoc } from './report.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

/** In order; `pack`: takes --pack-root (the bench pack built once here). */
const BENCHES: ReadonlyArray<{ name: string; pack?: boolean }> = [
  { name: 'preprocess' },
  { name: 'capture' },
  { name: 'scheduler' },
  { name: 'quantize' },
  { name: 'pipeline', pack: true },
  { name: 'transformersjs', pack: true },
  { name: 'int8', pack: true },
  { name: 'resources', pack: true },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? '').split(',')) : null;
const selected = BENCHES.filter((b) => (only ? only.has(b.name) : true));
const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;

function runBench(name: string, out: string, packRoot: string | null): { ok: boolean; table: string } {
  const argv = [join(HERE, `${name}.ts`), out, ...(quick ? ['--quick'] : [])];
  if (packRoot) argv.push('--pack-root', packRoot);
  const res = spawnSync(process.execPath, ['--import', 'tsx', ...argv], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const table = res.stdout?.toString() ?? '';
  process.stdout.write(table);
  if (res.status !== 0)
    return { ok: false, table: `bench ${name} failed with exit ${res.status ?? res.signal}` };
  return { ok: true, table };
}

async function main(): Promise<number> {
  const unknown = [...(only ?? [])].filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown benchmark ${unknown.join(', ')}; valid: ${BENCHES.map((b) => b.name).join(', ')}\n`,
    );
    return 64;
  }
  const started = new Date();
  const t0 = performance.now();
  const info = machine(ROOT);
  const tmp = mkdtempSync(join(tmpdir(), 'bindsight-bench-'));
  const benches: Record<string, unknown> = {};
  const tables: Record<string, string> = {};
  const seconds: Record<string, number> = {};
  let failed = 0;
  try {
    let packRoot: string | null = null;
    if (selected.some((b) => b.pack)) {
      const size = quick ? 'quick' : 'full';
      process.stdout.write(`building the ${size} bench pack (${JSON.stringify(BENCH_TRUNKS[size])}) …\n`);
      const built = await buildBenchPacks(join(tmp, 'pack'), { trunk: BENCH_TRUNKS[size] });
      packRoot = join(tmp, 'pack');
      seconds.pack = (built.buildMs + built.quantizeMs) / 1000;
      process.stdout.write(
        `  built in ${(built.buildMs / 1000).toFixed(1)} s, quantized in ${(built.quantizeMs / 1000).toFixed(1)} s\n`,
      );
    }
    for (const b of selected) {
      if (!existsSync(join(HERE, `${b.name}.ts`))) {
        process.stdout.write(`\n## ${b.name}: bench/${b.name}.ts does not exist here; skipped\n`);
        continue;
      }
      process.stdout.write(`\n## ${b.name}\n\n`);
      const out = join(tmp, `${b.name}.json`);
      const t = performance.now();
      const res = runBench(b.name, out, b.pack ? packRoot : null);
      seconds[b.name] = (performance.now() - t) / 1000;
      tables[b.name] = res.table;
      if (!res.ok) {
        failed++;
        continue;
      }
      benches[b.name] = JSON.parse(readFileSync(out, 'utf8'));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const keys = stableKeys(benches);
  const elapsedS = (performance.now() - t0) / 1000;
  const report = {
    quick,
    command,
    started: started.toISOString(),
    elapsedS,
    machine: { ...info, loadEnd: loadavg()[0] },
    keys,
    tables,
    seconds,
  };
  const results = {
    schema: 1,
    quick,
    command,
    started: report.started,
    elapsedS,
    machine: report.machine,
    ...keys,
    missing: Object.entries(keys)
      .filter(([, v]) => v === null)
      .map(([k]) => k),
    seconds,
    benches,
  };
  writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderReport(report);
  writeFileSync(join(HERE, 'results.md'), markdown);
  if (args.includes('--doc')) {
    const file = join(ROOT, 'BENCHMARKS.md');
    writeFileSync(
      file,
      spliceDoc(
        existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n',
        markdown,
        quick ? 'quick' : 'full',
      ),
    );
  }
  process.stdout.write(
    `\n${markdown}\nwrote bench/results.json and bench/results.md in ${Math.round(elapsedS)} s\n`,
  );
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
