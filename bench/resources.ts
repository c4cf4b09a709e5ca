/**
 * What the agent costs to run (issue #12): each case is one agent in a fresh process
 * (bench/agentProbe.ts) on a config written here, replaying recordings in real time:
 * - demo: config/default.yaml as shipped (4 sensors, demo pack), broker on a free loopback port;
 * - bench pack: the same sensors plus a depth camera, on the bench pack (all six encoders);
 * - cameras ×1 and ×5: 640×480 JPEG cameras at 1 fps on the bench pack's vision + text, gating off;
 *   memory per stream = (peak RSS ×5 − ×1) / 4, CPU per stream = (CPU ×5 − ×1) / 4;
 * - baseline: Node, tsx and the agent's modules loaded, nothing started.
 *
 *   npx tsx bench/resources.ts [out.json] [--quick] [--pack-root DIR]
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { buildDemoPack } from '../models/demo/build.js';
import { freePort, replayCameras } from './agentHarness.js';
import type { ProbeResult } from './agentProbe.js';
import { benchArgs, packView, withBenchPacks, writeJson, writePictures } from './packs.js';
import { CAMERA_CONTRAST, CAMERA_PROMPTS, DEPTH_CONTRAST, DEPTH_PROMPTS } from './prompts.js';
import { cell, type Stat, stat } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONFIG_DIR = join(HERE, '..', 'config');
const args = benchArgs();
const S = args.quick
  ? { repeats: 1, warmMs: 1500, windowMs: 4000 }
  : { repeats: 3, warmMs: 3000, windowMs: 10000 };
const MANY = 5;

type Doc = Record<string, unknown> & { sensors: Array<Record<string, unknown>>; rules: unknown[] };

/** config/default.yaml with absolute file paths, the given pack, and a free broker port. */
async function demoConfig(pack: string, dir: string): Promise<Doc> {
  const doc = parse(await readFile(join(CONFIG_DIR, 'default.yaml'), 'utf8')) as Doc;
  for (const s of doc.sensors) s.files = (s.files as string[]).map((f) => resolve(CONFIG_DIR, f));
  return withBroker({ ...doc, models: { pack, providers: ['cpu'] } }, dir);
}

/** Broker on a free loopback port; outbox and prompt cache in `dir`, never in the user's home. */
async function withBroker(doc: Doc, dir: string): Promise<Doc> {
  const models = { ...(doc.models as object), cacheDir: join(dir, 'cache') };
  const mqtt = {
    url: 'embedded',
    embedded: { host: '127.0.0.1', port: await freePort() },
    outbox: { path: join(dir, 'outbox.sqlite') },
  };
  return { ...doc, models, mqtt };
}

function withDepth(doc: Doc): Doc {
  const files = ['depth_far.png', 'depth_near.png'].map((f) => join(CONFIG_DIR, 'demo', f));
  const depth = { id: 'depth0', driver: 'replay', modality: 'depth', files, rate: 1, loop: true };
  const rule = { id: 'near', sensors: ['depth0'], prompts: DEPTH_PROMPTS, contrast: DEPTH_CONTRAST };
  return { ...doc, sensors: [...doc.sensors, depth], rules: [...doc.rules, rule] };
}

async function cameras(pack: string, dir: string, images: string[][]): Promise<Doc> {
  const sensors = replayCameras(images, { realtime: true, rate: 1 });
  const rules = sensors.map((s) => ({
    id: `lights_${s.id}`,
    sensors: [s.id],
    prompts: CAMERA_PROMPTS,
    contrast: CAMERA_CONTRAST,
  }));
  return withBroker(
    { version: 1, node: 'bench', models: { pack }, sensors, rules, scheduler: { gate: { vision: 0 } } },
    dir,
  );
}

/** Runs one probe process on `doc`; its result. */
async function probe(dir: string, name: string, doc: Doc | null): Promise<ProbeResult> {
  const config = join(dir, `${name}.yaml`);
  await writeFile(config, stringify(doc ?? { version: 1 }));
  const out = join(dir, `${name}.json`);
  const res = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(HERE, 'agentProbe.ts'),
      config,
      String(S.warmMs),
      String(S.windowMs),
      out,
      ...(doc ? [] : ['--baseline']),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (res.status !== 0) throw new Error(`agent probe ${name} exited with ${res.status ?? res.signal}`);
  return JSON.parse(await readFile(out, 'utf8')) as ProbeResult;
}

interface CaseStats {
  peakRssMb: Stat;
  cpuPct: Stat;
  loopDelayP99Ms: Stat;
  encoded: number;
  gated: number;
  dropped: number;
}

function summarize(rs: ProbeResult[]): CaseStats {
  return {
    peakRssMb: stat(rs.map((r) => r.peakRssMb)),
    cpuPct: stat(rs.map((r) => r.cpuPct)),
    loopDelayP99Ms: stat(rs.map((r) => r.loopDelayP99Ms)),
    encoded: rs.reduce((n, r) => n + r.encoded, 0),
    gated: rs.reduce((n, r) => n + r.gated, 0),
    dropped: rs.reduce((n, r) => n + r.dropped, 0),
  };
}

async function main(): Promise<void> {
  await withBenchPacks(args, 'resources', async (packs, dir) => {
    const demoPack = join(dir, 'demo-pack');
    await buildDemoPack(demoPack);
    const view = await packView(packs.fp32, join(dir, 'vision-pack'), ['vision', 'text']);
    const images = await Promise.all(
      Array.from({ length: MANY }, (_, c) =>
        writePictures(join(dir, 'img'), 4, { prefix: `c${c}`, seed: c + 1 }),
      ),
    );
    const cases: Record<string, () => Promise<Doc | null>> = {
      baseline: async () => null,
      demo: () => demoConfig(demoPack, dir),
      bench: async () => withDepth(await demoConfig(packs.fp32, dir)),
      camera1: () => cameras(view, dir, images.slice(0, 1)),
      [`camera${MANY}`]: () => cameras(view, dir, images),
    };
    const runs: Record<string, ProbeResult[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let r = 0; r < S.repeats; r++)
      for (const [name, doc] of Object.entries(cases)) runs[name].push(await probe(dir, name, await doc()));
    const per = (k: 'peakRssMb' | 'cpuPct') =>
      stat(runs[`camera${MANY}`].map((x, i) => (x[k] - runs.camera1[i][k]) / (MANY - 1)));
    const result = {
      quick: args.quick,
      size: packs.size,
      windowMs: S.windowMs,
      cases: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarize(v)])),
      perCameraRssMb: per('peakRssMb'),
      perCameraCpuPct: per('cpuPct'),
    };
    printTable(result.cases, result.perCameraRssMb, result.perCameraCpuPct, packs.size);
    await writeJson(args, result);
  });
}

function printTable(cases: Record<string, CaseStats>, rss: Stat, cpu: Stat, size: string): void {
  const names: Record<string, string> = {
    baseline: 'baseline: Node + tsx + modules, nothing started',
    demo: 'demo: config/default.yaml, demo pack, 4 sensors',
    bench: `bench pack (${size}, 6 encoders): demo sensors + depth camera`,
    camera1: `bench pack vision: 1 camera 640×480 JPEG at 1 fps`,
    [`camera${MANY}`]: `bench pack vision: ${MANY} cameras at 1 fps`,
  };
  const lines = [
    `Resources — each case one agent process, recordings replayed in real time, ${S.windowMs / 1000} s window`,
    '',
    '| case | peak RSS MB | CPU % of one core | event-loop delay p99 ms | encoded / gated / dropped |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(cases).map(
      ([k, c]) =>
        `| ${names[k] ?? k} | ${cell(c.peakRssMb, 0)} | ${cell(c.cpuPct, 0)} | ${cell(c.loopDelayP99Ms, 1)} | ${c.encoded} / ${c.gated} / ${c.dropped} |`,
    ),
    `| **per extra camera** (1 fps) | ${cell(rss, 1)} | ${cell(cpu, 1)} | | |`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
