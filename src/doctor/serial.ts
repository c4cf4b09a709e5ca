/**
 * Serial ports: USB adapters (/dev/ttyUSB*, /dev/ttyACM*, with their stable /dev/serial/by-id
 * names) and board UARTs (/dev/serial0|1 on a Raspberry Pi, /dev/ttyTHS* on a Jetson, /dev/ttyAMA*).
 * USB vendor and product come from serialport's list() when it works; it runs udevadm, which
 * containers lack, so it is bounded in time and optional: the device files are found by name.
 * Legacy PC ports (/dev/ttyS*) are listed only when a serial0/serial1 link points at one.
 */
import { errorMessage } from '../errors.js';
import { type Access, checkAccess } from './access.js';
import { byNumber, type DoctorFs } from './fs.js';
import type { Board, Group, ServiceUser } from './system.js';

export interface SerialPortListing {
  path: string;
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
}

export type ListSerialPorts = () => Promise<readonly SerialPortListing[]>;

export interface SerialDevice {
  path: string;
  kind: 'usb' | 'uart';
  /** /dev/serial/by-id names (or serial0/serial1) that point here. */
  aliases: string[];
  usb?: string;
  access: Access;
}

export interface SerialProbe {
  devices: SerialDevice[];
  /** Why USB details are missing, if list() failed. */
  listError?: string;
}

/** USB serial chips used on IMU boards and adapters (USB VID:PID, from the vendors' IDs). */
const USB_CHIPS: Readonly<Record<string, string>> = {
  '1a86:7523': 'QinHeng CH340 (WitMotion USB-TTL adapters)',
  '10c4:ea60': 'Silicon Labs CP210x',
  '0403:6001': 'FTDI FT232R',
  '0403:6015': 'FTDI FT231X',
};

export const SERIAL_UDEV_RULE =
  'echo \'SUBSYSTEM=="tty", KERNEL=="ttyUSB[0-9]*|ttyACM[0-9]*", GROUP="dialout", MODE="0660"\' | sudo tee /etc/udev/rules.d/60-serial.rules && sudo udevadm trigger';

async function listWithin(list: ListSerialPorts, ms: number): Promise<readonly SerialPortListing[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`serialport list() gave no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([list(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function aliasesOf(fs: DoctorFs): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (target: string | undefined, alias: string): void => {
    if (target === undefined) return;
    map.set(target, [...(map.get(target) ?? []), alias]);
  };
  for (const name of fs.list('/dev/serial/by-id'))
    add(fs.link(`/dev/serial/by-id/${name}`), `/dev/serial/by-id/${name}`);
  for (const name of ['serial0', 'serial1']) add(fs.link(`/dev/${name}`), `/dev/${name}`);
  return map;
}

export interface SerialProbeDeps {
  fs: DoctorFs;
  list: ListSerialPorts;
  user: ServiceUser;
  groups: readonly Group[];
  board: Board;
}

/**
 * A board UART owned by group tty carries a login console (getty): bindsight must not share it.
 * The fix is to turn the console off, not to change the device's group.
 */
function consoleFix(access: Access, path: string, board: Board): Access {
  if (access.ok || access.group !== 'tty') return access;
  const fix =
    board.kind === 'raspberry-pi'
      ? 'sudo raspi-config nonint do_serial_cons 1   # frees the GPIO UART from the login console (reboot after)'
      : board.kind === 'jetson'
        ? 'sudo systemctl disable --now nvgetty   # frees the UART from the login console'
        : `sudo systemctl disable --now serial-getty@${path.slice(5)}   # frees the UART from the login console`;
  return { ...access, problem: `a login console (getty) is using ${path}`, fix };
}

export async function probeSerial(d: SerialProbeDeps): Promise<SerialProbe> {
  const aliases = aliasesOf(d.fs);
  const names = d.fs.list('/dev').filter((n) => /^tty(USB|ACM|AMA|THS)\d+$/.test(n));
  const linked = [...aliases.keys()].filter((p) => /^\/dev\/ttyS\d+$/.test(p)).map((p) => p.slice(5));
  const paths = [...new Set([...names, ...linked])].sort(byNumber).map((n) => `/dev/${n}`);
  let listing: readonly SerialPortListing[] = [];
  let listError: string | undefined;
  try {
    listing = await listWithin(d.list, 3000);
  } catch (err) {
    listError = errorMessage(err);
  }
  const devices = paths.map((path): SerialDevice => {
    const info = listing.find((p) => p.path === path);
    const usbId =
      info?.vendorId && info.productId ? `${info.vendorId}:${info.productId}`.toLowerCase() : undefined;
    const usb = usbId ? [usbId, USB_CHIPS[usbId] ?? info?.manufacturer].filter(Boolean).join(' ') : undefined;
    return {
      path,
      kind: /ttyUSB|ttyACM/.test(path) ? 'usb' : 'uart',
      aliases: aliases.get(path) ?? [],
      usb,
      access: consoleFix(checkAccess(d.fs, path, d.user, d.groups, SERIAL_UDEV_RULE), path, d.board),
    };
  });
  return { devices, listError };
}
