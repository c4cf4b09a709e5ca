/** `bindsight models …`: model-pack tools. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildDemoPack } from '../../models/demo/build.js';
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

/** Builds the demo pack at `dir` unless a pack.json is already there; returns true if it built. */
export async function ensureDemoPack(dir: string, log: (msg: string) => void): Promise<boolean> {
  if (existsSync(join(dir, 'pack.json'))) return false;
  log(`model pack missing at ${dir}: building the demo pack`);
  await buildDemoPack(dir);
  return true;
}
