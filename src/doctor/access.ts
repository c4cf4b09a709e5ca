/**
 * Can the service user open a device file? Decided from the file's owner, group and mode bits
 * and the user's groups (what the kernel checks for a non-root process), with the command that
 * fixes it when it cannot.
 */
import type { DoctorFs } from './fs.js';
import type { Group, ServiceUser } from './system.js';

export interface Access {
  path: string;
  owner?: string;
  group?: string;
  /** e.g. rw-rw---- */
  mode?: string;
  ok: boolean;
  /** Why not, and the fix. */
  problem?: string;
  fix?: string;
}

function modeString(mode: number): string {
  const bits = 'rwxrwxrwx';
  return Array.from(bits, (ch, i) => ((mode >> (8 - i)) & 1 ? ch : '-')).join('');
}

/**
 * Read+write access for `user` to `path`. `family` names the devices in messages ("I2C bus").
 * A device whose group is `root` cannot be opened by group membership: it needs a udev rule.
 */
export function checkAccess(
  fs: DoctorFs,
  path: string,
  user: ServiceUser,
  groups: readonly Group[],
  udevRule: string,
): Access {
  const info = fs.stat(path);
  if (info === undefined) return { path, ok: false, problem: `${path} is gone` };
  const group = groups.find((g) => g.gid === info.gid)?.name ?? String(info.gid);
  const base = {
    path,
    group,
    owner: info.uid === 0 ? 'root' : String(info.uid),
    mode: modeString(info.mode),
  };
  const rw = (shift: number): boolean => ((info.mode >> shift) & 0o6) === 0o6;
  if (!user.exists) return { ...base, ok: false, problem: `user ${user.name} does not exist` };
  if (rw(0)) return { ...base, ok: true };
  if (user.uid === info.uid && rw(6)) return { ...base, ok: true };
  if (rw(3) && user.groups.includes(group)) return { ...base, ok: true };
  if (rw(3) && group !== 'root') {
    return {
      ...base,
      ok: false,
      problem: `${user.name} is not in group ${group}`,
      fix: `sudo usermod -aG ${group} ${user.name}`,
    };
  }
  return {
    ...base,
    ok: false,
    problem: `${path} is ${base.owner}:${group} ${base.mode}: no group may open it`,
    fix: udevRule,
  };
}
