/**
 * The capture tools a driver may spawn, the Debian package that installs each, and the check
 * that runs before every spawn (style.md §8: "check that the binary exists before spawning, and
 * give a clear error if not"). A missing tool is a TOOL_MISSING error that names the package.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BindsightError } from '../../src/errors.js';

/** Tool → Debian package (names as in Debian 12 and Ubuntu/L4T). */
export const TOOL_PACKAGES = {
  ffmpeg: 'ffmpeg',
  'gst-launch-1.0': 'gstreamer1.0-tools',
  arecord: 'alsa-utils',
  fswebcam: 'fswebcam',
  'v4l2-ctl': 'v4l-utils',
} as const;

export type ToolName = keyof typeof TOOL_PACKAGES;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `name` in the colon-separated `searchPath` (like `command -v`), or undefined. */
export async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  if (name.includes('/')) return (await isExecutableFile(name)) ? name : undefined;
  for (const dir of searchPath.split(':')) {
    if (dir === '') continue;
    const path = join(dir, name);
    if (await isExecutableFile(path)) return path;
  }
  return undefined;
}

/** The path of `tool`, or a TOOL_MISSING error naming the sensor, the PATH searched and the package. */
export async function requireTool(tool: ToolName, sensor: string, searchPath: string): Promise<string> {
  const path = await findExecutable(tool, searchPath);
  if (path !== undefined) return path;
  const pkg = TOOL_PACKAGES[tool];
  throw new BindsightError(
    'TOOL_MISSING',
    `sensor "${sensor}" needs the capture tool \`${tool}\`, which was not found in PATH (${searchPath || 'empty'}); install it with: sudo apt-get install ${pkg}`,
    { sensor, tool, package: pkg },
  );
}
