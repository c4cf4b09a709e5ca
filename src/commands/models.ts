/** `bindsight models …`: model-pack tools. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildDemoPack, DEMO_PACK_VERSION } from '../../models/demo/build.js';
import { DEFAULT_DEMO_PACK } from '../paths.js';

export function modelsCommand(program: Command): void {
  const models = program.command('models').description('build and check model packs');
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
