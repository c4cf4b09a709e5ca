/**
 * `bindsight dump SENSOR_ID --config C --out FILE [--frames N]`: captures raw bytes from a
 * configured I2C thermal sensor — MLX90640: the EEPROM and N subpage frames (FILE.eeprom.bin,
 * FILE.frame0.bin, …); AMG8833: the register block (FILE) — for `bindsight decode`, bug
 * reports and new test vectors. The opener is injectable (`runDump(…, { opener })`), so tests
 * run it against the bus emulator; the CLI uses the real /dev/i2c-N.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { I2COpener } from '../../drivers/i2c/types.js';
import { type Clock, systemClock } from '../../drivers/replay/clock.js';
import type { ThermalSensorConfig } from '../../drivers/thermal/config.js';
import { dumpThermalSensor } from '../../drivers/thermal/dump.js';
import { defaultOpener } from '../../drivers/thermal/factory.js';
import { loadConfig } from '../config/load.js';
import type { SensorConfig } from '../config/schema.js';
import { BindsightError, errorMessage } from '../errors.js';

const DUMPABLE = ['mlx90640', 'amg8833'] as const;

export interface DumpCommandOptions {
  sensor: string;
  config: string;
  out: string;
  frames?: number;
}

export interface DumpDeps {
  opener?: I2COpener;
  clock?: Clock;
}

function isThermalI2c(s: SensorConfig): s is Extract<SensorConfig, ThermalSensorConfig> {
  return (DUMPABLE as readonly string[]).includes(s.driver);
}

/** Captures the dump and writes the files; returns the summary printed by the command. */
export async function runDump(o: DumpCommandOptions, deps: DumpDeps = {}): Promise<string> {
  const { config } = await loadConfig(o.config);
  const sensor = config.sensors.find((s) => s.id === o.sensor);
  if (!sensor) {
    const ids = config.sensors.map((s) => s.id).join(', ');
    throw new BindsightError('USAGE', `no sensor "${o.sensor}" in ${o.config}; its sensors: ${ids}`);
  }
  if (!isThermalI2c(sensor)) {
    throw new BindsightError(
      'USAGE',
      `sensor "${o.sensor}" uses driver ${sensor.driver}; dump supports: ${DUMPABLE.join(', ')}`,
    );
  }
  const frames = o.frames ?? 2;
  if (!(Number.isInteger(frames) && frames >= 1 && frames <= 64)) {
    throw new BindsightError('USAGE', `--frames must be an integer 1..64; got ${o.frames}`);
  }
  const where = `${sensor.driver} "${sensor.id}" on /dev/i2c-${sensor.bus} at 0x${sensor.address.toString(16)}`;
  const opener = deps.opener ?? defaultOpener(sensor);
  let handle: Awaited<ReturnType<I2COpener>>;
  try {
    handle = await opener(sensor.bus);
  } catch (cause) {
    throw new BindsightError(
      'SENSOR_FAILED',
      `${where}: ${errorMessage(cause)}`,
      { sensor: sensor.id },
      { cause },
    );
  }
  try {
    const signal = new AbortController().signal;
    const files = await dumpThermalSensor(sensor, handle, {
      frames,
      clock: deps.clock ?? systemClock,
      signal,
    });
    for (const f of files) await writeOut(`${o.out}${f.suffix}`, f.bytes);
    const args = files.map((f) => `${f.option} ${o.out}${f.suffix}`).join(' ');
    const list = files.map((f) => `wrote ${o.out}${f.suffix} (${f.bytes.length} bytes)`).join('\n');
    return `${list}\ndecode with: bindsight decode --driver ${sensor.driver} ${args}\n`;
  } catch (cause) {
    if (cause instanceof BindsightError) throw cause;
    throw new BindsightError(
      'SENSOR_FAILED',
      `${where}: ${errorMessage(cause)}`,
      { sensor: sensor.id },
      { cause },
    );
  } finally {
    await handle.bus.close().catch(() => undefined);
  }
}

async function writeOut(path: string, bytes: Buffer): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (cause) {
    throw new BindsightError('USAGE', `cannot write ${path}: ${errorMessage(cause)}`, { path }, { cause });
  }
}

export function dumpCommand(program: Command): void {
  program
    .command('dump')
    .description(
      'capture raw bytes (EEPROM + frames, or a register block) from a configured I2C thermal sensor',
    )
    .argument('<sensor>', 'sensor id in the config')
    .requiredOption('--config <file>', 'YAML config file')
    .requiredOption('--out <file>', 'output file (MLX90640: prefix of FILE.eeprom.bin, FILE.frame0.bin, …)')
    .option('--frames <n>', 'MLX90640 subpage frames to capture (2 = one full image)', (v) => Number(v), 2)
    .addHelpText(
      'after',
      [
        '',
        `Supported drivers: ${DUMPABLE.join(', ')}. Then decode the files with bindsight decode, e.g.`,
        '  bindsight dump thermal0 --config config.yaml --out /tmp/t0',
        '  bindsight decode --driver mlx90640 --eeprom /tmp/t0.eeprom.bin --frame /tmp/t0.frame0.bin --frame /tmp/t0.frame1.bin',
      ].join('\n'),
    )
    .action(
      async (sensor: string, options: { config: string; out: string; frames: number }, command: Command) => {
        const out = command.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
        out(await runDump({ sensor, config: options.config, out: options.out, frames: options.frames }));
      },
    );
}
