/**
 * `bindsight calibrate` (issue #9): replays background recordings (and optionally positive ones)
 * through the pipeline, measures each rule's score distribution, proposes `enter`/`exit`
 * thresholds that meet a false-alarm target (src/rules/calibrate.ts), prints a table, and with
 * `--write` puts them into the config file, keeping its comments and layout (yaml Document API).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { FILE_KINDS } from '../../drivers/replay/formats.js';
import { loadConfig } from '../config/load.js';
import type { Config, ReplaySensorConfig } from '../config/schema.js';
import { loadPack } from '../encoders/pack.js';
import { BindsightError } from '../errors.js';
import { DEFAULT_CONFIG } from '../paths.js';
import {
  countStarts,
  measureRecall,
  perDay,
  proposeThresholds,
  type Recall,
  type Thresholds,
  type Trace,
} from '../rules/calibrate.js';
import { compileRules } from '../rules/compile.js';
import type { RuleConfig } from '../rules/config.js';
import { packPromptEmbedder } from '../rules/embedder.js';
import { replayConfigFor, traceRecordings } from './calibrate-run.js';

interface CalibrateOptions {
  config: string;
  background?: string[];
  positives?: string[];
  falseAlarmsPerDay?: string;
  sensor?: string;
  rule?: string[];
  write?: boolean;
  measure?: boolean;
  json?: boolean;
}

export interface RuleCalibration extends Thresholds {
  rule: string;
  score: RuleConfig['score'];
  /** Measured on the background at the proposed (rounded) thresholds. */
  falseAlarmsPerDay: number;
  resolutionPerDay: number;
  backgroundSamples: number;
  backgroundSeconds: number;
  recall?: Recall;
}

export function calibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description(
      'replay recordings through the rules and propose enter/exit thresholds for a false-alarm target',
    )
    .option('--config <file>', 'config file', DEFAULT_CONFIG)
    .option(
      '--background <files...>',
      'recordings with nothing the rules should fire on (WAV, CSV, PNG/JPEG, MCAP)',
    )
    .option('--positives <files...>', 'recordings of what the rules should detect; each counts as one event')
    .option('--false-alarms-per-day <n>', 'the false-alarm target per rule')
    .option('--sensor <id>', 'the sensor the recordings play into (default: see below)')
    .option('--rule <ids...>', 'calibrate only these rules')
    .option('--write', 'write the proposed thresholds into the config file (comments are kept)')
    .option('--measure', "measure the config's own thresholds instead of proposing new ones")
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      [
        '',
        "Each plain recording plays into the rules' one sensor whose modality reads its file type",
        '(.wav audio, .csv thermal or imu, …); an .mcap plays into every sensor of the rules (the',
        'topic named like the sensor). --sensor sends every recording to that sensor.',
        '',
        'Example:',
        '  bindsight calibrate --config config/my.yaml --background night.mcap --positives walk-in.mcap \\',
        '    --false-alarms-per-day 1 --write',
      ].join('\n'),
    )
    .action(async (opts: CalibrateOptions) => {
      const target = parseTarget(opts);
      const { config, file } = await loadConfig(opts.config);
      const rules = selectRules(config, opts.rule);
      const background = assignRecordings(opts.background ?? [], config, rules, opts.sensor);
      const positives = (opts.positives ?? []).map((f) => assignRecordings([f], config, rules, opts.sensor));
      const results = await calibrate(config, rules, {
        background,
        positives,
        target,
        measure: opts.measure,
      });
      process.stdout.write(
        opts.json ? `${JSON.stringify(results, null, 2)}\n` : formatTable(results, target),
      );
      if (opts.write) {
        await writeThresholds(file, results);
        process.stdout.write(`wrote the thresholds of ${results.length} rule(s) to ${file}\n`);
      }
    });
}

function parseTarget(opts: CalibrateOptions): number {
  if (opts.measure && opts.write)
    throw new BindsightError('USAGE', '--measure and --write do not go together');
  if (opts.measure && opts.falseAlarmsPerDay === undefined) return Number.POSITIVE_INFINITY;
  if (!opts.background || opts.background.length === 0)
    throw new BindsightError(
      'USAGE',
      'calibrate needs --background REC (a recording with nothing to detect)',
    );
  const n = Number(opts.falseAlarmsPerDay);
  if (opts.falseAlarmsPerDay === undefined || !Number.isFinite(n) || n < 0)
    throw new BindsightError(
      'USAGE',
      `--false-alarms-per-day must be a number >= 0, got ${opts.falseAlarmsPerDay ?? '(none)'}`,
    );
  return n;
}

function selectRules(config: Config, ids: readonly string[] | undefined): RuleConfig[] {
  const known = config.rules.map((r) => r.id);
  if (known.length === 0) throw new BindsightError('USAGE', 'the config has no rules to calibrate');
  for (const id of ids ?? [])
    if (!known.includes(id))
      throw new BindsightError('USAGE', `--rule ${id}: no such rule; rules: ${known.join(', ')}`);
  return ids ? config.rules.filter((r) => ids.includes(r.id)) : config.rules;
}

/** Which config sensor each recording plays into → one replay config per sensor. */
export function assignRecordings(
  files: readonly string[],
  config: Config,
  rules: readonly RuleConfig[],
  sensorId: string | undefined,
): ReplaySensorConfig[] {
  const used = config.sensors.filter((s) => rules.some((r) => r.sensors.includes(s.id)));
  const bySensor = new Map<string, string[]>();
  const add = (id: string, f: string) => bySensor.set(id, [...(bySensor.get(id) ?? []), f]);
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (sensorId !== undefined) {
      if (!config.sensors.some((s) => s.id === sensorId))
        throw new BindsightError(
          'USAGE',
          `--sensor ${sensorId}: no such sensor; sensors: ${config.sensors.map((s) => s.id).join(', ')}`,
        );
      add(sensorId, f);
    } else if (ext === '.mcap') {
      for (const s of used) add(s.id, f);
    } else {
      const fits = used.filter((s) => FILE_KINDS[s.modality][ext] !== undefined);
      if (fits.length !== 1) {
        const why =
          fits.length === 0
            ? `no sensor of the rules reads ${ext || 'such'} files`
            : 'several sensors could read it';
        throw new BindsightError(
          'USAGE',
          `cannot tell which sensor ${f} is for: ${why} (${used.map((s) => `${s.id}: ${s.modality}`).join(', ')}); name one with --sensor`,
        );
      }
      add(fits[0].id, f);
    }
  }
  return [...bySensor].map(([id, fs]) => replayConfigFor(config.sensors.find((s) => s.id === id)!, fs));
}

interface Recordings {
  background: ReplaySensorConfig[];
  /** One entry per positive recording. */
  positives: ReplaySensorConfig[][];
  target: number;
  /** Measure the rules' own thresholds instead of proposing. */
  measure?: boolean;
}

async function calibrate(config: Config, rules: RuleConfig[], rec: Recordings): Promise<RuleCalibration[]> {
  const { background, positives, target, measure } = rec;
  const pack = await loadPack(config.models.pack, { providers: config.models.providers });
  try {
    const compiled = await compileRules(rules, packPromptEmbedder(pack));
    const bg = await traceRecordings(pack, compiled, background);
    for (const p of bg.problems) process.stderr.write(`bindsight: warning: ${p}\n`);
    const pos: Map<string, Trace>[] = [];
    for (const sensors of positives) pos.push((await traceRecordings(pack, compiled, sensors)).traces);
    return rules.map((rule) =>
      calibrateRule(
        rule,
        bg.traces.get(rule.id)!,
        pos.map((p) => p.get(rule.id)!),
        target,
        measure,
      ),
    );
  } finally {
    await pack.close();
  }
}

export function calibrateRule(
  rule: RuleConfig,
  bg: Trace,
  positives: Trace[],
  target: number,
  measure = false,
): RuleCalibration {
  if (bg.values.length === 0) {
    throw new BindsightError(
      'USAGE',
      `rule "${rule.id}": the background gave its sensors (${rule.sensors.join(', ')}) no samples; give a recording for them or --rule to skip it`,
    );
  }
  const timing = { for: rule.for, cooldown: rule.cooldown };
  const p = proposeThresholds(bg, rule.score, timing, target);
  const th = measure
    ? { enter: rule.enter, exit: rule.exit }
    : roundThresholds(p, rule.score === 'zscore' ? 3 : 4);
  const result: RuleCalibration = {
    rule: rule.id,
    score: rule.score,
    ...th,
    falseAlarmsPerDay: perDay(countStarts(bg, th, timing), bg.durationS),
    resolutionPerDay: p.resolutionPerDay,
    backgroundSamples: bg.values.length,
    backgroundSeconds: bg.durationS,
  };
  if (positives.length > 0) result.recall = measureRecall(positives, th, timing);
  return result;
}

/** enter rounded up (never more false alarms than measured), exit to the nearest, exit <= enter. */
function roundThresholds(th: Thresholds, decimals: number): Thresholds {
  const f = 10 ** decimals;
  const enter = Math.ceil(th.enter * f - 1e-9) / f;
  return { enter, exit: Math.min(enter, Math.round(th.exit * f) / f) };
}

export function formatTable(results: readonly RuleCalibration[], target: number): string {
  const header = ['rule', 'score', 'enter', 'exit', 'false alarms/day', 'recall'];
  const rows = results.map((r) => [
    r.rule,
    r.score,
    String(r.enter),
    String(r.exit),
    r.falseAlarmsPerDay.toFixed(1),
    r.recall
      ? `${r.recall.detected}/${r.recall.recordings} (${(100 * r.recall.sampleShare).toFixed(0)}% of samples)`
      : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const notes = results
    .filter((r) => target < r.resolutionPerDay)
    .map(
      (r) =>
        `note: ${r.rule}: ${r.backgroundSeconds.toFixed(0)} s of background can only measure down to ${r.resolutionPerDay.toFixed(1)} false alarms/day; record longer for a target of ${target}`,
    );
  return `${[line(header), ...rows.map(line), ...notes].join('\n')}\n`;
}

/**
 * Sets each rule's enter/exit in the config file. Values already in the file are replaced in
 * place in the source text (located by the yaml parser), so comments, alignment and layout stay
 * byte for byte; keys the file lacks are added through the yaml Document API, which keeps comments
 * but may re-space trailing ones.
 */
export async function writeThresholds(file: string, results: readonly RuleCalibration[]): Promise<void> {
  const text = await readFile(file, 'utf8');
  const doc = parseDocument(text);
  const rules = doc.get('rules');
  if (!isSeq(rules)) throw new BindsightError('CONFIG_INVALID', `${file}: no "rules:" list to write into`);
  const splices: Array<{ start: number; end: number; value: string }> = [];
  let missing = false;
  for (const r of results) {
    const index = rules.items.findIndex((item) => isMap(item) && item.get('id') === r.rule);
    const rule = rules.items[index];
    if (!isMap(rule))
      throw new BindsightError('CONFIG_INVALID', `${file}: rule "${r.rule}" is no longer in the file`);
    for (const key of ['enter', 'exit'] as const) {
      const node = rule.get(key, true);
      if (isScalar(node) && node.range)
        splices.push({ start: node.range[0], end: node.range[1], value: String(r[key]) });
      else missing = true;
      doc.setIn(['rules', index, key], r[key]);
    }
  }
  let out = text;
  for (const s of splices.sort((a, b) => b.start - a.start))
    out = out.slice(0, s.start) + s.value + out.slice(s.end);
  if (missing) out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const tmp = `${file}.calibrate.tmp`;
  await writeFile(tmp, out);
  await rename(tmp, file);
}
