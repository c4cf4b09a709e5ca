import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds package.json), from src/ under tsx or dist/src/ when built. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const DEFAULT_DEMO_PACK = join(packageRoot(), 'models', 'packs', 'demo');
export const DEFAULT_CONFIG = join(packageRoot(), 'config', 'default.yaml');
