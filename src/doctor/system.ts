/**
 * Who the service runs as and what board this is: /etc/passwd, /etc/group and the device-tree
 * model, parsed from the doctor's file system.
 */
import type { DoctorFs } from './fs.js';

export interface Group {
  name: string;
  gid: number;
  members: string[];
}

export interface ServiceUser {
  name: string;
  exists: boolean;
  uid?: number;
  /** Names of the groups it is in (primary and supplementary). */
  groups: string[];
}

export type BoardKind = 'raspberry-pi' | 'jetson' | 'other';

export interface Board {
  model?: string;
  kind: BoardKind;
}

/** /etc/group lines `name:x:gid:member,member`. */
export function parseGroups(text: string | undefined): Group[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim().split(':'))
    .filter((f) => f.length >= 3 && f[0] !== '' && !f[0].startsWith('#'))
    .map(([name, , gid, members]) => ({
      name,
      gid: Number(gid),
      members: (members ?? '').split(',').filter((m) => m !== ''),
    }));
}

export function serviceUser(fs: DoctorFs, name: string, groups: readonly Group[]): ServiceUser {
  const entry = (fs.read('/etc/passwd') ?? '')
    .split('\n')
    .map((line) => line.split(':'))
    .find((f) => f[0] === name);
  if (entry === undefined) return { name, exists: false, groups: [] };
  const primary = Number(entry[3]);
  const names = groups.filter((g) => g.gid === primary || g.members.includes(name)).map((g) => g.name);
  return { name, exists: true, uid: Number(entry[2]), groups: [...new Set(names)] };
}

/** The board from the device tree (ARM boards); x86 machines have none. */
export function detectBoard(fs: DoctorFs): Board {
  const model = (fs.read('/proc/device-tree/model') ?? fs.read('/sys/firmware/devicetree/base/model'))
    ?.replace(/\0/g, '')
    .trim();
  if (model === undefined || model === '') return { kind: 'other' };
  if (/raspberry pi/i.test(model)) return { model, kind: 'raspberry-pi' };
  if (/jetson|nvidia/i.test(model)) return { model, kind: 'jetson' };
  return { model, kind: 'other' };
}
