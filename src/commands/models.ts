/** `bindsight models …`: model-pack tools: build the demo pack, verify a pack, quantize to int8. */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { buildDemoPack, DEMO_PACK_VERSION } from '../../models/demo/build.js';
import { type FileResult, quantizeFile, quantizePack } from '../../models/quantize/files.js';
import { PROVIDER_NAMES, type ProviderName } from '../encoders/session.js';
import { formatVerify, verifyPack } from '../encoders/verify.js';
import { BindsightError } from '../errors.js';
import { DEFAULT_DEMO_PACK } from '../paths.js';

/** A non-negative integer option, or USAGE naming the option and the value. */
export function nonNegativeInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) {
      throw new BindsightError('USAGE', `${name} must be a non-negative integer, got "${value}"`, {
        option: name,
        value,
      });
    }
    return n;
  };
}

/** `--providers tensorrt,cuda,cpu` → the list, or USAGE naming the unknown one. */
export function parseProviders(value: string): ProviderName[] {
  const list = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const p of list) {
    if (!(PROVIDER_NAMES as readonly string[]).includes(p)) {
      throw new BindsightError(
        'USAGE',
        `unknown execution provider "${p}"; use some of ${PROVIDER_NAMES.join(', ')}`,
        { provider: p },
      );
    }
  }
  if (list.length === 0)
    throw new BindsightError('USAGE', `--providers is empty; use some of ${PROVIDER_NAMES.join(', ')}`);
  return list as ProviderName[];
}

interface VerifyOptions {
  providers: ProviderName[];
  threads?: number;
  interThreads?: number;
  device?: number;
  batch: number;
  json?: boolean;
}

function verifySubcommand(models: Command): void {
  models
    .command('verify')
    .description(
      'check a pack: hashes, every session loads, real I/O matches pack.json, one batch per modality runs healthy; prints a table',
    )
    .argument('<pack>', 'model pack folder (holding pack.json)')
    .option('--providers <list>', 'execution providers tried in order (tensorrt,cuda,cpu)', parseProviders, [
      'cpu',
    ])
    .option('--threads <n>', 'intra-op threads (0 = ONNX Runtime default)', nonNegativeInt('--threads'))
    .option(
      '--inter-threads <n>',
      'inter-op threads (0 = ONNX Runtime default)',
      nonNegativeInt('--inter-threads'),
    )
    .option('--device <id>', 'GPU id for cuda/tensorrt', nonNegativeInt('--device'))
    .option('--batch <n>', 'probe batch size (at least 2)', nonNegativeInt('--batch'), 2)
    .option('--json', 'print the result as JSON instead of a table')
    .action(async (pack: string, opts: VerifyOptions) => {
      const dir = resolve(pack);
      const result = await verifyPack(dir, {
        providers: opts.providers,
        intraOpThreads: opts.threads,
        interOpThreads: opts.interThreads,
        deviceId: opts.device,
        batch: opts.batch,
      });
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerify(result, dir));
      if (result.problems.length > 0) {
        throw new BindsightError(
          'PACK_INVALID',
          `pack ${result.manifest.name} at ${dir} is unhealthy: ${result.problems.join('; ')}`,
          { problems: result.problems },
        );
      }
    });
}

interface QuantizeCliOptions {
  perChannel?: boolean;
  minElements: number;
  exclude?: string;
  json?: boolean;
}

function describeResult(r: FileResult): string {
  const n = r.report.quantized.length;
  const mode = r.report.perChannel ? 'per-channel' : 'per-tensor';
  const ratio = r.bytesOut > 0 ? (r.bytesIn / r.bytesOut).toFixed(2) : '?';
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  return `${r.input} → ${r.output}: ${n} MatMul/Gemm weights to int8 (${mode}), ${r.report.skipped.length} left float; ${mb(r.bytesIn)} → ${mb(r.bytesOut)} (${ratio}× smaller)`;
}

function quantizeSubcommand(models: Command): void {
  models
    .command('quantize')
    .description(
      'rewrite MatMul/Gemm weights to dynamic int8 (DynamicQuantizeLinear + MatMulInteger); IN may be an .onnx file or a pack folder',
    )
    .argument('<in>', 'input .onnx file (external data read from its folder), or a pack folder')
    .argument('<out>', 'output .onnx file, or output pack folder')
    .option('--per-channel', 'one weight scale per output column instead of one per weight')
    .addOption(
      new Option('--min-elements <n>', 'weights with fewer elements stay float')
        .argParser(nonNegativeInt('--min-elements'))
        .default(1024),
    )
    .option('--exclude <names>', 'comma-separated node or output names to leave float')
    .option('--json', 'print the reports as JSON')
    .action(async (input: string, output: string, opts: QuantizeCliOptions) => {
      const options = {
        perChannel: opts.perChannel ?? false,
        minElements: opts.minElements,
        exclude: opts.exclude?.split(',').map((s) => s.trim()) ?? [],
      };
      const isPack = await stat(input).then(
        (s) => s.isDirectory(),
        () => false,
      );
      const results = isPack
        ? await quantizePack(input, output, options)
        : [await quantizeFile(input, output, options)];
      if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else process.stdout.write(`${results.map(describeResult).join('\n')}\n`);
      if (isPack)
        process.stdout.write(`wrote int8 pack ${output} (run: bindsight models verify ${output})\n`);
    });
}

export function modelsCommand(program: Command): void {
  const models = program.command('models').description('build, check and quantize model packs');
  models
    .command('demo')
    .description('build the synthetic demo pack (deterministic, no download) into a folder')
    .option('--out <dir>', 'output folder', DEFAULT_DEMO_PACK)
    .action(async (opts: { out: string }) => {
      const out = resolve(opts.out);
      const started = performance.now();
      const manifest = await buildDemoPack(out);
      const ms = Math.round(performance.now() - started);
      const mods = Object.keys(manifest.modalities).join(', ');
      process.stdout.write(
        `built model pack "${manifest.name}@${manifest.version}" (${mods}) in ${out} (${ms} ms)\n`,
      );
    });
  verifySubcommand(models);
  quantizeSubcommand(models);
}

/**
 * Builds the demo pack at `dir` unless a pack is already there; a demo pack left by an older
 * bindsight (another version) is rebuilt, so `npm start` never runs stale demo weights.
 * Any other pack found there is left alone. Returns true if it built.
 */
export async function ensureDemoPack(dir: string, log: (msg: string) => void): Promise<boolean> {
  let existing: { family?: string; version?: string } | undefined;
  try {
    existing = JSON.parse(await readFile(join(dir, 'pack.json'), 'utf8')) as {
      family?: string;
      version?: string;
    };
  } catch {
    existing = undefined;
  }
  if (existing && (existing.family !== 'demo' || existing.version === DEMO_PACK_VERSION)) return false;
  log(
    existing
      ? `demo pack at ${dir} is version ${existing.version}, this bindsight builds ${DEMO_PACK_VERSION}: rebuilding`
      : `model pack missing at ${dir}: building the demo pack`,
  );
  await buildDemoPack(dir);
  return true;
}
