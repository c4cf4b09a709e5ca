/**
 * `bindsight doctor`: everything the probes found, the access problems of the service user, and
 * the next step for each — as data (JSON) and as text. Every probe is injected (file-system root,
 * command runner, I2C opener, serial listing), so the whole report is tested on recorded board
 * layouts (test/fixtures/boards/).
 */
import type { I2COpener } from '../../drivers/i2c/types.js';
import type { Access } from './access.js';
import type { RunCommand } from './exec.js';
import type { DoctorFs } from './fs.js';
import { type I2cBus, probeI2c } from './i2c.js';
import { type AudioProbe, probeAudio, probeVideo, type VideoDevice } from './media.js';
import { type ListSerialPorts, probeSerial, type SerialProbe } from './serial.js';
import { type Board, detectBoard, parseGroups, type ServiceUser, serviceUser } from './system.js';

export interface DoctorDeps {
  fs: DoctorFs;
  run: RunCommand;
  i2c: I2COpener;
  listSerial: ListSerialPorts;
  /** The user the service runs as (systemd/bindsight.service: User=bindsight). */
  user: string;
  /** Scan I2C buses for responding addresses (default true). */
  scan?: boolean;
}

export interface DoctorReport {
  board: Board;
  user: ServiceUser;
  /** Groups the systemd unit lists in SupplementaryGroups= that do not exist (it would not start). */
  missingGroups: string[];
  i2c: I2cBus[];
  serial: SerialProbe;
  video: VideoDevice[];
  audio: AudioProbe;
  /** What to do, in order, each once. */
  fixes: string[];
  /** True when no I2C bus, serial port, video device or sound card is present. */
  empty: boolean;
}

/** The unit's SupplementaryGroups= (systemd/bindsight.service). */
export const UNIT_GROUPS = ['i2c', 'video', 'dialout', 'audio'] as const;

function enableI2c(board: Board): string {
  if (board.kind === 'raspberry-pi') return 'sudo raspi-config nonint do_i2c 0 (then reboot)';
  if (board.kind === 'jetson')
    return 'enable the header I2C pins with sudo /opt/nvidia/jetson-io/jetson-io.py, or load the module: sudo modprobe i2c-dev';
  return 'sudo modprobe i2c-dev (and echo i2c-dev | sudo tee /etc/modules-load.d/i2c-dev.conf to keep it)';
}

function collectFixes(r: Omit<DoctorReport, 'fixes' | 'empty'>): string[] {
  const fixes: string[] = [];
  const add = (fix: string | undefined): void => {
    if (fix !== undefined && !fixes.includes(fix)) fixes.push(fix);
  };
  for (const g of r.missingGroups) {
    add(
      `sudo groupadd --system ${g}   # systemd will not start a unit whose SupplementaryGroups= names a missing group`,
    );
  }
  if (!r.user.exists) {
    add(
      `sudo useradd --system --no-create-home --shell /usr/sbin/nologin --groups ${UNIT_GROUPS.join(',')} ${r.user.name}   # the service runs as ${r.user.name}`,
    );
  }
  if (r.i2c.length === 0) add(enableI2c(r.board));
  const accesses: Access[] = [
    ...r.i2c.map((b) => b.access),
    ...r.serial.devices.map((d) => d.access),
    ...r.video.map((v) => v.access),
    ...(r.audio.access ? [r.audio.access] : []),
  ];
  if (r.user.exists) for (const a of accesses) add(a.fix);
  if (r.audio.capture === 'arecord missing' && r.audio.cards.length > 0)
    add('sudo apt-get install alsa-utils   # arecord, for ALSA capture (driver: alsa)');
  if (r.user.exists && accesses.some((a) => a.fix?.includes('usermod')))
    add('sudo systemctl restart bindsight   # group changes apply to new processes');
  return fixes;
}

export async function doctor(d: DoctorDeps): Promise<DoctorReport> {
  const groups = parseGroups(d.fs.read('/etc/group'));
  const user = serviceUser(d.fs, d.user, groups);
  const board = detectBoard(d.fs);
  const missingGroups = UNIT_GROUPS.filter((g) => !groups.some((x) => x.name === g));
  const i2c = await probeI2c({ fs: d.fs, run: d.run, i2c: d.i2c, user, groups, scan: d.scan ?? true });
  const serial = await probeSerial({ fs: d.fs, list: d.listSerial, user, groups, board });
  const video = probeVideo(d.fs, user, groups);
  const audio = await probeAudio(d.fs, d.run, user, groups);
  const partial = { board, user, missingGroups, i2c, serial, video, audio };
  const empty =
    i2c.length === 0 && serial.devices.length === 0 && video.length === 0 && audio.cards.length === 0;
  return { ...partial, fixes: collectFixes(partial), empty };
}
