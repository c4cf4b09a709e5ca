/** `bindsight run [config]`: the agent. */
import type { Command } from 'commander';
import { Agent } from '../agent.js';
import { loadConfig } from '../config/load.js';
import { BindsightError } from '../errors.js';
import { LiveState } from '../observe/live.js';
import { createLogger, isJournalStream, LOG_LEVELS, type Logger, type LogLevel } from '../observe/logger.js';
import { type ObserveService, startObserve } from '../observe/service.js';
import { DEFAULT_CONFIG } from '../paths.js';
import { type BindsightEvent, encodeEvent, formatEventLine } from '../publish/event.js';
import { startRunRecording } from '../record/runRecording.js';
import { ensureDemoPack } from './models.js';

interface RunOptions {
  json?: boolean;
  ensureDemoPack?: boolean;
  exitOnEnd?: boolean;
  logLevel: string;
  record?: string;
  logStdout?: boolean;
  stopTimeout: string;
}

export function runCommand(program: Command): void {
  program
    .command('run')
    .description('run the agent: read sensors, match prompts, publish events over MQTT')
    .argument('[config]', 'YAML config file', DEFAULT_CONFIG)
    .option('--json', 'print each event as a JSON line instead of a readable line')
    .option('--ensure-demo-pack', 'build the demo model pack first if the configured pack folder has none')
    .option('--exit-on-end', 'stop once every replayed recording has ended and the pipeline is idle')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .option(
      '--log-stdout',
      'JSON logs on stdout with journald priorities, events logged instead of printed (automatic when stdout is the journal)',
    )
    .option(
      '--stop-timeout <seconds>',
      'on SIGTERM/SIGINT, exit after at most this long even if stopping hangs',
      '15',
    )
    .option(
      '--record <file>',
      'also record every sensor sample into this MCAP file (see `record` in the config)',
    )
    .action(async (file: string, opts: RunOptions) => {
      if (!(LOG_LEVELS as readonly string[]).includes(opts.logLevel)) {
        throw new BindsightError(
          'USAGE',
          `unknown --log-level "${opts.logLevel}"; expected one of: ${LOG_LEVELS.join(', ')}`,
        );
      }
      const stopTimeoutS = Number(opts.stopTimeout);
      if (!(stopTimeoutS > 0)) {
        throw new BindsightError(
          'USAGE',
          `--stop-timeout must be a positive number of seconds; got "${opts.stopTimeout}"`,
        );
      }
      // Under systemd (stdout is the journal) or with --log-stdout, logs go to stdout as JSON and
      // events are logged rather than printed: journald gets one structured line per change.
      const journal = opts.logStdout === true || isJournalStream();
      const logger = journal
        ? createLogger({ level: opts.logLevel as LogLevel, destination: process.stdout, journal: true })
        : createLogger({ level: opts.logLevel as LogLevel });
      const { config, file: abs, dir } = await loadConfig(file);
      logger.info({ config: abs }, 'config loaded');
      if (opts.ensureDemoPack) await ensureDemoPack(config.models.pack, (msg) => logger.info(msg));
      const live = new LiveState();
      const print = (e: BindsightEvent) => {
        live.onEvent(e);
        if (journal) logger.info({ event: e }, `event: ${e.rule} ${e.type}`);
        else process.stdout.write(`${opts.json ? encodeEvent(e) : formatEventLine(e)}\n`);
      };
      const recording = await startRunRecording(config, dir, opts.record);
      if (recording) logger.info({ file: recording.file }, 'recording sensor samples (MCAP)');
      const agent = new Agent({
        config,
        logger,
        onEvent: print,
        configFile: abs,
        onSample: (s) => {
          recording?.onSample(s);
          live.onSample(s);
        },
        tap: live.tap,
      });
      const observe = () => startObserve({ agent, live, config, logger });
      try {
        await runUntilStopped(agent, {
          exitOnEnd: opts.exitOnEnd === true,
          stopTimeoutMs: stopTimeoutS * 1000,
          logger,
          observe,
        });
      } finally {
        if (recording) logger.info(await recording.close());
        // Stopped: whatever still holds the event loop (a leaked handle) must not keep the process.
        setTimeout(() => process.exit(), 2_000).unref();
      }
    });
}

interface RunLoop {
  exitOnEnd: boolean;
  /** Bound on stopping (issue #11: exit within a bounded time); past it, exit code 70. */
  stopTimeoutMs: number;
  logger: Logger;
  /** Starts the HTTP server, systemd notification and the watchdog once the agent runs. */
  observe: () => Promise<ObserveService>;
}

/**
 * Starts the agent and stops it cleanly on SIGINT/SIGTERM (a second signal forces exit) or at end of input:
 * STOPPING=1, the HTTP server and watchdog, then the agent in reverse (drivers first; the publisher
 * flushes what the broker takes, publishes "offline" and leaves the rest in the durable outbox).
 */
async function runUntilStopped(agent: Agent, run: RunLoop): Promise<void> {
  const { exitOnEnd } = run;
  const log = (msg: string) => run.logger.info(msg);
  let service: ObserveService | undefined;
  let signalled = false;
  let wake: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`bindsight: second ${sig}, exiting now\n`);
      process.exit(130);
    }
    signalled = true;
    log(`${sig} received, stopping`);
    void service?.stopping();
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await agent.start();
    service = await run.observe();
    await service.ready();
    const ended = exitOnEnd
      ? agent.finished().then(() => log('all recordings played, stopping'))
      : new Promise<void>(() => {});
    await Promise.race([stopRequested, ended]);
  } finally {
    if (!signalled) await service?.stopping();
    await stopWithin(run, async () => {
      await service?.stop();
      await agent.stop();
    });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Runs `stop`, but gives up waiting after run.stopTimeoutMs: logged, exit code 70 (EX_SOFTWARE). */
async function stopWithin(run: RunLoop, stop: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), run.stopTimeoutMs);
  });
  const stopped = stop().then(() => false);
  const late = await Promise.race([stopped, timedOut]);
  clearTimeout(timer);
  if (late) {
    run.logger.error(
      { timeoutMs: run.stopTimeoutMs },
      'stopping took too long; exiting without waiting further',
    );
    process.exitCode = 70;
  }
}
