/**
 * The live page's data (GET /api/state): health, sensors with their latest sample (frames as
 * an image URL's facts and value range, windows as plots), rules with the score points since the
 * client's last poll, and the recent events. Frames are rendered once per sample and kept.
 */
import type { Frame, Sample } from '../../drivers/types.js';
import type { BindsightEvent } from '../publish/event.js';
import { type RenderedFrame, renderFrame, type WindowPlot, windowPlot } from './frames.js';
import type { HealthReport } from './health.js';
import type { LiveState, ScorePoint } from './live.js';
import type { AgentView } from './types.js';

export interface SensorState {
  id: string;
  modality: string;
  driver: string;
  state: string;
  lastError?: string;
  /** Samples per second, last 10 s. */
  rate: number;
  /** Samples the scheduler dropped, all reasons. */
  dropped: number;
  latest: {
    kind: 'frame' | 'window';
    /** Capture time, ms since the epoch. */
    t: number;
    width?: number;
    height?: number;
    format?: string;
    range?: RenderedFrame['range'];
    plot?: WindowPlot;
  } | null;
}

export interface RuleState {
  id: string;
  sensors: readonly string[];
  prompts: readonly string[];
  mode: string;
  enter: number;
  exit: number;
  on: boolean;
  score: number;
  points: ScorePoint[];
}

export interface PageState {
  now: number;
  node: string;
  model: string;
  version: string;
  health: HealthReport;
  sensors: SensorState[];
  rules: RuleState[];
  /** Newest first. */
  events: BindsightEvent[];
}

export const nsToMs = (t: bigint): number => Number(t / 1_000_000n);

/** Renders each sensor's latest frame once and keeps it until a newer sample arrives. */
export class FrameCache {
  readonly #live: LiveState;
  readonly #cache = new Map<string, { sample: Sample; rendered: Promise<RenderedFrame> }>();

  constructor(live: LiveState) {
    this.#live = live;
  }

  /** The latest frame of `sensor`, rendered; undefined when it has none. Rejects if it cannot be rendered. */
  get(sensor: string): Promise<RenderedFrame> | undefined {
    const sample = this.#live.latestSample(sensor);
    if (sample?.kind !== 'frame') return undefined;
    const hit = this.#cache.get(sensor);
    if (hit?.sample === sample) return hit.rendered;
    const rendered = renderFrame(sample);
    rendered.catch(() => {}); // the caller reports it; keep no unhandled rejection here
    this.#cache.set(sensor, { sample, rendered });
    return rendered;
  }
}

export interface StateDeps {
  agent: AgentView;
  live: LiveState;
  frames: FrameCache;
  health: () => HealthReport;
  node: string;
  version: string;
  now?: () => number;
}

async function sensorLatest(deps: StateDeps, id: string): Promise<SensorState['latest']> {
  const s = deps.live.latestSample(id);
  if (!s) return null;
  if (s.kind === 'window') return { kind: 'window', t: nsToMs(s.t), plot: windowPlot(s) };
  const f: Frame = s;
  let range: RenderedFrame['range'];
  try {
    range = (await deps.frames.get(id))?.range;
  } catch {
    range = undefined; // /api/frame reports the error with the image request
  }
  return { kind: 'frame', t: nsToMs(f.t), width: f.width, height: f.height, format: f.format, range };
}

export async function pageState(deps: StateDeps, sinceMs: number): Promise<PageState> {
  const now = (deps.now ?? Date.now)();
  const health = deps.agent.health();
  const stats = deps.agent.stats();
  const sensors = await Promise.all(
    Object.entries(health.sensors).map(async ([id, h]): Promise<SensorState> => {
      const d = stats.scheduler?.sensors[id]?.dropped;
      return {
        id,
        modality: h.modality,
        driver: h.driver,
        state: h.state,
        ...(h.lastError ? { lastError: h.lastError } : {}),
        rate: deps.live.sampleRate(id),
        dropped: d ? d.queue_full + d.preprocess_failed + d.inference_failed : 0,
        latest: await sensorLatest(deps, id),
      };
    }),
  );
  const snapshot = new Map(stats.rules.map((r) => [r.id, r]));
  const rules = deps.agent.rules().map(
    (r): RuleState => ({
      id: r.id,
      sensors: r.sensors,
      prompts: r.prompts,
      mode: r.score ?? (r.contrastVectors.length > 0 ? 'softmax' : 'cosine'),
      enter: r.enter,
      exit: r.exit,
      on: snapshot.get(r.id)?.on ?? false,
      score: snapshot.get(r.id)?.score ?? 0,
      points: deps.live.scoreHistory(r.id, sinceMs),
    }),
  );
  const text = deps.agent.textPrompts();
  return {
    now,
    node: deps.node,
    model: text?.model ?? '',
    version: deps.version,
    health: deps.health(),
    sensors,
    rules,
    events: [...deps.live.recentEvents()].reverse().slice(0, 20),
  };
}
