/** bench/report.ts: the markdown tables and the generated section of BENCHMARKS.md. */
import t from 'tap';
import { stableKeys } from '../../bench/keys.js';
import { docMarkers, renderReport, spliceDoc } from '../../bench/report.js';

t.test('spliceDoc replaces only the generated section of its mode, or appends it', async (t) => {
  const q = docMarkers('quick');
  const f = docMarkers('full');
  const doc = `# Benchmarks\n\nprose\n\n${f.start}\nfull tables\n${f.end}\n\n${q.start}\nold\n${q.end}\n\nmore prose\n`;
  const out = spliceDoc(doc, 'new tables', 'quick');
  t.ok(out.endsWith(`${q.start}\n\nnew tables\n\n${q.end}\n\nmore prose\n`));
  t.ok(out.includes(`${f.start}\nfull tables\n${f.end}`), 'the other mode is kept');
  t.notMatch(out, /old/);
  t.equal(spliceDoc(out, 'new tables', 'quick'), out, 'idempotent');
  t.match(q.start, /npm run bench -- --quick --doc/);
  const appended = spliceDoc('# Benchmarks\n', 'tables', 'full');
  t.ok(appended.startsWith('# Benchmarks\n\n'));
  t.ok(appended.includes(`${f.start}\n\ntables\n\n${f.end}`));
});

t.test('renderReport names the machine, the command, every key and each bench table', async (t) => {
  const md = renderReport({
    quick: true,
    command: 'npm run bench -- --quick',
    started: '2026-11-29T10:00:00.000Z',
    elapsedS: 250,
    machine: {
      cpu: 'Test CPU',
      cores: 2,
      memoryGb: 4,
      os: 'Linux 6',
      node: 'v20.0.0',
      onnxruntimeNode: '1.30.0',
      transformers: '4.3.2',
      loadStart: 1,
      loadEnd: 2,
    },
    keys: stableKeys({ pipeline: { pipelineOverRaw: { median: 0.9, min: 0.8, max: 0.95, runs: 3 } } }),
    tables: { pipeline: '| a | b |\n| --- | --- |' },
    seconds: { pipeline: 40 },
  });
  t.match(md, /`npm run bench -- --quick`/);
  t.match(md, /Test CPU, 2 cores/);
  t.match(md, /onnxruntime-node 1\.30\.0/);
  t.match(md, /\| `pipeline_vs_raw_throughput` \| \*\*0\.900\*\* \| 0\.800 \| 0\.950 \| 3 \|/);
  t.match(md, /\| `rss_demo_mb` \| — \| — \| — \| 0 \|.*not measured/);
  t.match(md, /### pipeline \(bench\/pipeline\.ts, 40 s\)\n\n\| a \| b \|/);
});
