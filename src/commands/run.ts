/** `bindsight run [config]`: the agent. */
import type { Command } from 'commander';
import { Agent } from '../agent.js';
import { loadConfig } from '../config/load.js';
import { BindsightError } from '../errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../observe/logger.js';
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
      const logger = createLogger({ level: opts.logLevel as LogLevel });
      const { config, file: abs, dir } = await loadConfig(file);
      logger.info({ config: abs }, 'config loaded');
      if (opts.ensureDemoPack) await ensureDemoPack(config.models.pack, (msg) => logger.info(msg));
      const print = (e: BindsightEvent) =>
        process.stdout.write(`${opts.json ? encodeEvent(e) : formatEventLine(e)}\n`);
      const recording = await startRunRecording(config, dir, opts.record);
      if (recording) logger.info({ file: recording.file }, 'recording sensor samples (MCAP)');
      const agent = new Agent({
        config,
        logger,
        onEvent: print,
        configFile: abs,
        onSample: recording?.onSample,
      });
      try {
        await runUntilStopped(agent, opts.exitOnEnd === true, (msg) => logger.info(msg));
      } finally {
        if (recording) logger.info(await recording.close());
      }
    });
}

/** Starts the agent and stops it cleanly on SIGINT/SIGTERM (a second signal forces exit) or at end of input. */
async function runUntilStopped(agent: Agent, exitOnEnd: boolean, log: (msg: string) => void): Promise<void> {
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
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await agent.start();
    const ended = exitOnEnd
      ? agent.finished().then(() => log('all recordings played, stopping'))
      : new Promise<void>(() => {});
    await Promise.race([stopRequested, ended]);
  } finally {
    await agent.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
