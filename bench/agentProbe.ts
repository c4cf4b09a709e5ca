/**
 * One agent in a process of its own, for bench/resources.ts (issue #12): loads a config with the
 * real loader, starts src/agent.ts's Agent, lets it run, and writes what the process cost:
 * - peak RSS (process.resourceUsage().maxRSS: the high-water mark of the whole run, startup and
 *   model loading included) and the RSS at the end of the window;
 * - CPU (user + system, all threads: the event loop, preprocessing workers, ONNX Runtime's pool)
 *   over the measuring window, as % of one core;
 * - the event loop's delay over the window (perf_hooks.monitorEventLoopDelay, 10 ms resolution);
 * - the scheduler's counters, so a run that dropped or gated samples says so.
 * `--baseline` loads the same modules and starts nothing: what Node, tsx and the imports cost.
 *
 *   node --import tsx bench/agentProbe.ts CONFIG.yaml WARM_MS WINDOW_MS OUT.json [--baseline]
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent } from '../src/agent.js';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/observe/logger.js';

export interface ProbeResult {
  baseline: boolean;
  /** Peak resident set size of the whole run, MB (1e6 bytes). */
  peakRssMb: number;
  /** Resident set size at the end of the window, MB. */
  rssMb: number;
  /** CPU over the window, % of one core. */
  cpuPct: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  encoded: number;
  gated: number;
  dropped: number;
  windowMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const [file, warm, window, out] = process.argv.slice(2);
  const baseline = process.argv.includes('--baseline');
  const windowMs = Number(window);
  let agent: Agent | null = null;
  if (!baseline) {
    const { config } = await loadConfig(file);
    agent = new Agent({ config, logger: createLogger({ level: 'error' }) });
    await agent.start();
  }
  await sleep(Number(warm));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const [c0, t0] = [cpuMs(), performance.now()];
  await sleep(windowMs);
  const [c1, t1] = [cpuMs(), performance.now()];
  loop.disable();
  const stats = agent?.schedulerStats();
  const mods = Object.values(stats?.modalities ?? {});
  const result: ProbeResult = {
    baseline,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    rssMb: process.memoryUsage().rss / 1e6,
    cpuPct: (100 * (c1 - c0)) / (t1 - t0),
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    encoded: mods.reduce((n, m) => n + m.encoded, 0),
    gated: mods.reduce((n, m) => n + m.gated, 0),
    dropped: mods.reduce((n, m) => n + Object.values(m.dropped).reduce((a, b) => a + b, 0), 0),
    windowMs: t1 - t0,
  };
  await agent?.stop();
  writeFileSync(out, `${JSON.stringify(result)}\n`);
}

await main();
