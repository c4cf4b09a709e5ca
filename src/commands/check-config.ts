/**
 * `bindsight check-config <file>`: validates a config file without starting anything and prints
 * what it would run. Exit 0 when valid; otherwise the problems (one `file:line:col: path: message`
 * line each) on stderr and exit 78 (EX_CONFIG), like `run` would.
 */
import type { Command } from 'commander';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { EXIT_CODES, isBindsightError } from '../errors.js';

export function checkConfigCommand(program: Command): void {
  program
    .command('check-config')
    .description('validate a config file and print a summary of it (exit 78 when invalid)')
    .argument('<file>', 'YAML config file')
    .addHelpText(
      'after',
      [
        '',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the config's ${VAR} syntax
        'String values may use ${VAR} or ${VAR:-default} from the environment (write $${ for a literal "${").',
        'Relative paths (models.pack, replay files) are relative to the config file.',
        '',
        'Example:',
        '  MQTT_USERNAME=ha MQTT_PASSWORD=secret bindsight check-config config/examples/home-assistant.yaml',
      ].join('\n'),
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const out = command.configureOutput();
      const writeOut = out.writeOut ?? ((s: string) => process.stdout.write(s));
      const writeErr = out.writeErr ?? ((s: string) => process.stderr.write(s));
      try {
        writeOut(summarizeConfig(await loadConfig(file), file));
      } catch (err) {
        if (!isBindsightError(err)) throw err;
        writeErr(`${err.message}\n`);
        process.exitCode = EXIT_CODES[err.code];
      }
    });
}

/** A few lines saying what the config runs; never prints a password. */
export function summarizeConfig(loaded: LoadedConfig, shownAs: string = loaded.file): string {
  const { config, raw } = loaded;
  const sensors = config.sensors.map((s) => `${s.id} (${s.driver}, ${s.modality})`);
  const rules = config.rules.map((r) => r.id);
  const pack =
    raw.models.pack === config.models.pack
      ? config.models.pack
      : `${raw.models.pack} → ${config.models.pack}`;
  const lines = [
    `${shownAs}: OK`,
    `  node     ${config.node}`,
    `  sensors  ${config.sensors.length}: ${sensors.join(', ')}`,
    `  rules    ${rules.length}${rules.length > 0 ? `: ${rules.join(', ')}` : ''}`,
    `  mqtt     ${describeBroker(config.mqtt)}`,
    `  pack     ${pack} (providers: ${config.models.providers.join(', ')})`,
  ];
  return `${lines.join('\n')}\n`;
}

function describeBroker(mqtt: LoadedConfig['config']['mqtt']): string {
  if (mqtt.url === 'embedded')
    return `embedded broker on ${mqtt.embedded.host}:${mqtt.embedded.port}, prefix ${mqtt.prefix}`;
  const auth = [
    mqtt.username === undefined ? undefined : `user ${JSON.stringify(mqtt.username)}`,
    mqtt.password === undefined ? undefined : 'password ***',
  ].filter((s) => s !== undefined);
  return `${maskUrl(mqtt.url)}, prefix ${mqtt.prefix}${auth.length > 0 ? ` (${auth.join(', ')})` : ''}`;
}

/** `mqtt://user:secret@host:1883` → `mqtt://user:***@host:1883`; also when the URL does not parse. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL the WHATWG parser takes (the client will refuse it too); mask `//user:pass@` anyway.
    return url.replace(/(\/\/[^/:@]*:).*@/, '$1***@');
  }
}
