/**
 * The file system as `bindsight doctor` sees it, rooted anywhere (style.md §1): `/` on a board,
 * a fake tree built in a test's t.testdir(). Every probe reads through this interface, so the
 * doctor is tested on recorded board layouts without the hardware.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface FileInfo {
  mode: number;
  uid: number;
  gid: number;
}

export interface DoctorFs {
  /** Entry names in a directory (sorted), or [] if it does not exist. */
  list(dir: string): string[];
  /** A text file's content, or undefined. */
  read(path: string): string | undefined;
  /** Ownership and permission bits (following symlinks), or undefined if absent. */
  stat(path: string): FileInfo | undefined;
  /** Where a symlink points, as an absolute path inside the tree, or undefined. */
  link(path: string): string | undefined;
}

/** Natural order: i2c-2 before i2c-10. */
export function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The real file system below `root` (default `/`). */
export function realFs(root = '/'): DoctorFs {
  const at = (p: string): string => join(root, p);
  return {
    list: (dir) => {
      try {
        return readdirSync(at(dir)).sort(byNumber);
      } catch {
        return [];
      }
    },
    read: (path) => {
      try {
        return readFileSync(at(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    stat: (path) => {
      try {
        const s = statSync(at(path));
        return { mode: s.mode, uid: s.uid, gid: s.gid };
      } catch {
        return undefined;
      }
    },
    link: (path) => {
      try {
        if (!lstatSync(at(path)).isSymbolicLink()) return undefined;
        return resolve(dirname(path), readlinkSync(at(path)));
      } catch {
        return undefined;
      }
    },
  };
}

/** `fs` with ownership and modes replaced for some paths (a fake tree cannot chown without root). */
export function withOwnership(fs: DoctorFs, owners: Readonly<Record<string, FileInfo>>): DoctorFs {
  return {
    ...fs,
    stat: (path) => {
      const base = fs.stat(path);
      if (base === undefined) return undefined;
      const target = fs.link(path) ?? path;
      return owners[target] ?? owners[path] ?? base;
    },
  };
}
