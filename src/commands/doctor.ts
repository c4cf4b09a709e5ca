/**
 * `bindsight doctor`: what this machine offers bindsight — I2C buses and what answers on them
 * (with the chips each address could be), serial ports, video devices, ALSA capture devices — and
 * what the service user may not open, with the command that fixes each. Read-only apart from the
 * I2C scan (`--no-scan` skips it). Exits 0 whatever it finds; `--json` prints the report as JSON.
 */
import { type Command, Option } from 'commander';
import { openI2C } from '../../drivers/i2c/bus.js';
import { defaultSerialBinding } from '../../drivers/serial/link.js';
import { runCommand } from '../doctor/exec.js';
import { realFs } from '../doctor/fs.js';
import { renderReport } from '../doctor/render.js';
import { doctor } from '../doctor/report.js';
import { BindsightError } from '../errors.js';

interface DoctorOptions {
  user: string;
  json?: boolean;
  scan: boolean;
  root: string;
}

export async function runDoctor(o: DoctorOptions): Promise<string> {
  if (!/^[a-z_][a-z0-9_-]*\$?$/i.test(o.user)) {
    throw new BindsightError('USAGE', `--user "${o.user}" is not a user name`);
  }
  const report = await doctor({
    fs: realFs(o.root),
    run: runCommand,
    i2c: (bus) => openI2C(bus, { combined: 'none', devDir: `${o.root.replace(/\/$/, '')}/dev` }),
    listSerial: () => defaultSerialBinding().list(),
    user: o.user,
    // A mounted image has no live buses to scan.
    scan: o.scan && o.root === '/',
  });
  return o.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report);
}

export function doctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'list the I2C buses (and what answers on them), serial ports, cameras and sound cards this machine has, and what the service user lacks to use them',
    )
    .option('--user <name>', 'the user the service runs as', 'bindsight')
    .option('--json', 'print the report as JSON')
    .option('--no-scan', 'do not scan the I2C buses for responding addresses')
    .addOption(new Option('--root <dir>', 'inspect a system image mounted here').default('/').hideHelp())
    .action(async (o: DoctorOptions) => {
      process.stdout.write(await runDoctor(o));
    });
}
