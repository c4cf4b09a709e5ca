/**
 * Everything `bindsight run` adds around the agent to run it as a service (issue #11): the
 * HTTP server (/healthz, /metrics, the live page), systemd notification (READY=1, STATUS=,
 * STOPPING=1) and the pipeline watchdog that feeds WATCHDOG=1 only while work gets done.
 *
 * Health is assessed every 2 s; each change of the verdict is logged once (warn with the
 * reasons, info when healthy again) and becomes systemd's STATUS= line.
 *
 * If the HTTP server cannot listen (the port is taken), that is logged as an error and the
 * agent keeps running without it: events matter more than the page. /healthz then does not
 * answer, which an external health check sees.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import { VERSION } from '../version.js';
import { assessHealth, type HealthReport } from './health.js';
import { type HttpServer, startHttpServer } from './http.js';
import type { LiveState } from './live.js';
import { createMetrics } from './metrics.js';
import { PromptScorer } from './prompt.js';
import { SdNotify, watchdogPeriodMs } from './sdnotify.js';
import { FrameCache } from './state.js';
import type { AgentView } from './types.js';
import { PipelineWatchdog, schedulerProgress } from './watchdog.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ObserveDeps {
  agent: AgentView;
  live: LiveState;
  config: Pick<Config, 'node' | 'http' | 'sensors' | 'rules'>;
  logger: Logger;
  env?: Env;
  /** Default: a SdNotify on env's NOTIFY_SOCKET. */
  notify?: SdNotify;
}

export interface ObserveService {
  /** Where the HTTP server listens (undefined when disabled or it could not listen). */
  url: string | undefined;
  health(): HealthReport;
  /** The agent has started: READY=1 and the first STATUS=. */
  ready(): Promise<void>;
  /** Shutdown began: STOPPING=1. */
  stopping(): Promise<void>;
  /** Stops the server, the watchdog and the health checks, and waits for pending notifications. */
  stop(): Promise<void>;
}

const HEALTH_CHECK_MS = 2_000;
/** Stall checks when systemd's watchdog is off: for /healthz and the log only. */
const DEFAULT_STALL_CHECK_MS = 10_000;

/** The HTTP server, or undefined when disabled or it cannot listen (logged; the agent goes on). */
async function startServer(deps: ObserveDeps, health: () => HealthReport): Promise<HttpServer | undefined> {
  const { agent, live, config, logger } = deps;
  if (!config.http.enabled) return undefined;
  const frames = new FrameCache(live);
  try {
    const server = await startHttpServer({
      host: config.http.host,
      port: config.http.port,
      token: config.http.token,
      logger,
      health,
      metrics: createMetrics({ agent, live, health, info: { node: config.node, version: VERSION } }),
      state: { agent, live, frames, health, node: config.node, version: VERSION },
      frames,
      prompts: new PromptScorer({
        text: () => agent.textPrompts(),
        rules: () => agent.rules(),
        live,
        sensors: config.sensors.map((s) => s.id),
      }),
    });
    logger.info(
      { url: server.url, token: config.http.token ? 'required' : 'none' },
      'HTTP server listening: /healthz, /metrics and the live page',
    );
    return server;
  } catch (err) {
    logger.error({ error: errorMessage(err) }, 'HTTP server not started; the agent runs without it');
    return undefined;
  }
}

/**
 * Reports each change of the health verdict once: a log line and systemd's STATUS=. Verdicts are
 * compared without their details (attempt counts, seconds), which change on every check.
 */
function healthReporter(deps: ObserveDeps, health: () => HealthReport, notify: SdNotify) {
  const { config, logger } = deps;
  const summary = `${config.sensors.length} sensors, ${config.rules.length} rules`;
  let verdict = '';
  let status = '';
  return {
    status: () => status,
    check(sendStatus = true): void {
      const report = health();
      const key = `${report.status}: ${report.problems.join('; ')}`;
      if (key === verdict) return;
      const first = verdict === '';
      verdict = key;
      status = `${report.status}: ${report.reasons.join('; ') || summary}`;
      if (report.status === 'unhealthy') logger.warn({ reasons: report.reasons }, 'agent unhealthy');
      else if (!first) logger.info('agent healthy again');
      if (sendStatus) void notify.notify({ STATUS: status });
    },
  };
}

export async function startObserve(deps: ObserveDeps): Promise<ObserveService> {
  const { agent, config, logger } = deps;
  const env = deps.env ?? process.env;
  const notify = deps.notify ?? new SdNotify({ env, logger });
  const periodMs = watchdogPeriodMs(env);
  const watchdog = new PipelineWatchdog({
    progress: () => schedulerProgress(agent.stats().scheduler),
    feed: () => {
      if (periodMs !== undefined) void notify.notify({ WATCHDOG: '1' });
    },
    intervalMs: periodMs !== undefined ? periodMs / 3 : DEFAULT_STALL_CHECK_MS,
    logger,
  });
  const health = (): HealthReport => assessHealth(agent.health(), config.http.health, watchdog.condition());
  const reporter = healthReporter(deps, health, notify);
  const server = await startServer(deps, health);
  if (periodMs !== undefined)
    logger.info({ periodMs }, 'systemd watchdog on: fed while the pipeline progresses');
  let timer: NodeJS.Timeout | undefined;
  return {
    url: server?.url,
    health,
    async ready() {
      watchdog.start();
      reporter.check(false);
      timer ??= setInterval(() => reporter.check(), HEALTH_CHECK_MS);
      await notify.notify({ READY: '1', STATUS: reporter.status() });
    },
    async stopping() {
      await notify.notify({ STOPPING: '1', STATUS: 'stopping' });
    },
    async stop() {
      clearInterval(timer);
      watchdog.stop();
      await server?.close();
      await notify.flush();
    },
  };
}
