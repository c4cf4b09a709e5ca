/**
 * Cameras and microphones: /dev/video* with the driver's name from sysfs, and ALSA capture
 * devices from /proc/asound/cards and, when alsa-utils is installed, `arecord -l`.
 */
import { type Access, checkAccess } from './access.js';
import type { RunCommand } from './exec.js';
import { byNumber, type DoctorFs } from './fs.js';
import type { Group, ServiceUser } from './system.js';

export interface VideoDevice {
  path: string;
  name?: string;
  access: Access;
}

export interface SoundCard {
  index: number;
  id: string;
  name: string;
}

export interface CaptureDevice {
  card: number;
  device: number;
  name: string;
  /** What to put in an `alsa` sensor's `input`. */
  pcm: string;
}

export interface AudioProbe {
  cards: SoundCard[];
  capture: CaptureDevice[] | 'arecord missing' | { error: string };
  /** /dev/snd/* access, when the directory exists. */
  access?: Access;
}

export const VIDEO_UDEV_RULE =
  'echo \'SUBSYSTEM=="video4linux", GROUP="video", MODE="0660"\' | sudo tee /etc/udev/rules.d/60-video.rules && sudo udevadm trigger';
export const SOUND_UDEV_RULE =
  'echo \'SUBSYSTEM=="sound", GROUP="audio", MODE="0660"\' | sudo tee /etc/udev/rules.d/60-sound.rules && sudo udevadm trigger';

export function probeVideo(fs: DoctorFs, user: ServiceUser, groups: readonly Group[]): VideoDevice[] {
  return fs
    .list('/dev')
    .filter((n) => /^video\d+$/.test(n))
    .sort(byNumber)
    .map((n) => ({
      path: `/dev/${n}`,
      name: fs.read(`/sys/class/video4linux/${n}/name`)?.trim(),
      access: checkAccess(fs, `/dev/${n}`, user, groups, VIDEO_UDEV_RULE),
    }));
}

/** /proc/asound/cards: " 1 [Device         ]: USB-Audio - USB PnP Sound Device". */
export function parseAsoundCards(text: string | undefined): SoundCard[] {
  const cards: SoundCard[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^\s*(\d+)\s+\[([^\]]+)\]:\s*(.*)$/.exec(line);
    if (m) cards.push({ index: Number(m[1]), id: m[2].trim(), name: m[3].trim() });
  }
  return cards;
}

/** `arecord -l`: "card 1: Device [USB PnP Sound Device], device 0: USB Audio [USB Audio]". */
export function parseArecord(text: string): CaptureDevice[] {
  const out: CaptureDevice[] = [];
  for (const line of text.split('\n')) {
    const m = /^card (\d+): [^[]*\[([^\]]*)\], device (\d+): [^[]*\[([^\]]*)\]/.exec(line);
    if (m) {
      const card = Number(m[1]);
      const device = Number(m[3]);
      out.push({ card, device, name: `${m[2]}: ${m[4]}`, pcm: `plughw:${card},${device}` });
    }
  }
  return out;
}

export async function probeAudio(
  fs: DoctorFs,
  run: RunCommand,
  user: ServiceUser,
  groups: readonly Group[],
): Promise<AudioProbe> {
  const cards = parseAsoundCards(fs.read('/proc/asound/cards'));
  const result = await run('arecord', ['-l']);
  let capture: AudioProbe['capture'];
  if (result.status === 'ok') capture = parseArecord(result.stdout);
  else if (result.status === 'missing') capture = 'arecord missing';
  else capture = /no soundcards found/i.test(result.stderr) ? [] : { error: result.stderr };
  const control = fs.list('/dev/snd').find((n) => /^controlC\d+$/.test(n));
  const access = control ? checkAccess(fs, `/dev/snd/${control}`, user, groups, SOUND_UDEV_RULE) : undefined;
  return { cards, capture, access };
}
