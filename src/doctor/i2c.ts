/**
 * I2C buses: /dev/i2c-N, the adapter's name, who may open it, and what answers on it — from
 * `i2cdetect -y N` when i2c-tools is installed (it also shows addresses a kernel driver holds,
 * "UU"), otherwise from a scan through the injected opener (i2c-bus).
 */
import type { I2COpener } from '../../drivers/i2c/types.js';
import { errorMessage } from '../errors.js';
import { type Access, checkAccess } from './access.js';
import type { RunCommand } from './exec.js';
import { byNumber, type DoctorFs } from './fs.js';
import { partsAt } from './parts.js';
import type { Group, ServiceUser } from './system.js';

export interface I2cAddress {
  address: number;
  /** A kernel driver has claimed it ("UU" in i2cdetect): bindsight cannot use it as it is. */
  claimed: boolean;
  candidates: string[];
}

export interface I2cBus {
  path: string;
  bus: number;
  adapter?: string;
  access: Access;
  scan: { method: 'i2cdetect' | 'i2c-bus'; addresses: I2cAddress[] } | { error: string } | { skipped: true };
}

export const I2C_UDEV_RULE =
  'echo \'KERNEL=="i2c-[0-9]*", GROUP="i2c", MODE="0660"\' | sudo tee /etc/udev/rules.d/60-i2c.rules && sudo groupadd -f --system i2c && sudo udevadm trigger';

/** Parses `i2cdetect -y N`: a 16-column grid of "--", hex addresses, or "UU". */
export function parseI2cdetect(text: string): { address: number; claimed: boolean }[] {
  const found: { address: number; claimed: boolean }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-7])0:(.*)$/.exec(line);
    if (m === null) continue;
    const row = Number(m[1]) * 16;
    const cells = m[2];
    for (let col = 0; col < 16; col++) {
      const cell = cells.slice(col * 3, col * 3 + 3).trim();
      if (cell === 'UU') found.push({ address: row + col, claimed: true });
      else if (/^[0-9a-f]{2}$/i.test(cell))
        found.push({ address: Number.parseInt(cell, 16), claimed: false });
    }
  }
  return found;
}

async function scanBus(bus: number, run: RunCommand, opener: I2COpener): Promise<I2cBus['scan']> {
  const detect = await run('i2cdetect', ['-y', String(bus)]);
  const withParts = (list: { address: number; claimed: boolean }[]): I2cAddress[] =>
    list.map((a) => ({ ...a, candidates: partsAt(a.address) }));
  if (detect.status === 'ok')
    return { method: 'i2cdetect', addresses: withParts(parseI2cdetect(detect.stdout)) };
  if (detect.status === 'failed') return { error: `i2cdetect -y ${bus}: ${detect.stderr}` };
  try {
    const handle = await opener(bus);
    try {
      const addresses = await handle.bus.scan();
      return {
        method: 'i2c-bus',
        addresses: withParts(addresses.map((address) => ({ address, claimed: false }))),
      };
    } finally {
      await handle.bus.close();
    }
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

export interface I2cProbeDeps {
  fs: DoctorFs;
  run: RunCommand;
  i2c: I2COpener;
  user: ServiceUser;
  groups: readonly Group[];
  scan: boolean;
}

export async function probeI2c(d: I2cProbeDeps): Promise<I2cBus[]> {
  const names = d.fs
    .list('/dev')
    .filter((n) => /^i2c-\d+$/.test(n))
    .sort(byNumber);
  const buses: I2cBus[] = [];
  for (const name of names) {
    const bus = Number(name.slice(4));
    const path = `/dev/${name}`;
    const adapter = (
      d.fs.read(`/sys/class/i2c-dev/${name}/name`) ?? d.fs.read(`/sys/bus/i2c/devices/${name}/name`)
    )?.trim();
    const access = checkAccess(d.fs, path, d.user, d.groups, I2C_UDEV_RULE);
    const scan = d.scan ? await scanBus(bus, d.run, d.i2c) : ({ skipped: true } as const);
    buses.push({ path, bus, adapter, access, scan });
  }
  return buses;
}
