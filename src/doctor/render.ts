/** The doctor's report as text for a terminal: one section per kind of device, then the fixes. */
import type { Access } from './access.js';
import type { I2cBus } from './i2c.js';
import type { DoctorReport } from './report.js';

const hex = (a: number): string => `0x${a.toString(16).padStart(2, '0')}`;

function accessText(a: Access): string {
  const owner = a.group !== undefined ? `${a.owner}:${a.group} ${a.mode}` : '';
  return a.ok ? `${owner}, usable` : `${owner}${owner ? ', ' : ''}NOT usable: ${a.problem}`;
}

function i2cLines(buses: readonly I2cBus[]): string[] {
  if (buses.length === 0) return ['  none: no /dev/i2c-* (I2C is off, or the i2c-dev module is not loaded)'];
  const lines: string[] = [];
  for (const b of buses) {
    lines.push(`  ${b.path}${b.adapter ? `  ${b.adapter}` : ''}  (${accessText(b.access)})`);
    const scan = b.scan;
    if ('skipped' in scan) lines.push('    not scanned (--no-scan)');
    else if ('error' in scan) lines.push(`    cannot scan: ${scan.error}`);
    else if (scan.addresses.length === 0) lines.push(`    nothing answers (scanned with ${scan.method})`);
    else {
      for (const a of scan.addresses) {
        const what = a.candidates.length > 0 ? a.candidates.join('; ') : 'unknown part';
        const claimed = a.claimed
          ? ' [claimed by a kernel driver (UU): unbind it before bindsight can use it]'
          : '';
        lines.push(`    ${hex(a.address)}  ${what}${claimed}`);
      }
    }
  }
  return lines;
}

function serialLines(r: DoctorReport): string[] {
  const lines: string[] = [];
  if (r.serial.devices.length === 0) {
    lines.push('  none: no /dev/ttyUSB*, /dev/ttyACM*, /dev/serial/by-id, /dev/serial0 or board UART');
  }
  for (const d of r.serial.devices) {
    const aka = d.aliases.length > 0 ? ` = ${d.aliases.join(', ')}` : '';
    const usb = d.usb ? `  USB ${d.usb}` : d.kind === 'uart' ? '  board UART' : '';
    lines.push(`  ${d.path}${aka}${usb}  (${accessText(d.access)})`);
  }
  if (r.serial.devices.length > 0) {
    lines.push(
      '  for: witmotion (port: …, prefer the /dev/serial/by-id name), bno055 in UART mode (port: …)',
    );
  }
  if (r.serial.listError && r.serial.devices.some((d) => d.kind === 'usb')) {
    lines.push(`  (no USB details: ${r.serial.listError})`);
  }
  return lines;
}

function mediaLines(r: DoctorReport): string[] {
  const lines = ['Video devices'];
  if (r.video.length === 0) lines.push('  none: no /dev/video*');
  for (const v of r.video) lines.push(`  ${v.path}${v.name ? `  ${v.name}` : ''}  (${accessText(v.access)})`);
  lines.push('Audio capture');
  if (r.audio.cards.length === 0) lines.push('  none: no sound card in /proc/asound/cards');
  for (const c of r.audio.cards) lines.push(`  card ${c.index} [${c.id}]: ${c.name}`);
  const cap = r.audio.capture;
  if (cap === 'arecord missing') lines.push('  arecord is not installed (alsa-utils)');
  else if (Array.isArray(cap)) for (const d of cap) lines.push(`  capture ${d.name}  (input: ${d.pcm})`);
  else lines.push(`  arecord -l failed: ${cap.error}`);
  if (r.audio.access) lines.push(`  /dev/snd: ${accessText(r.audio.access)}`);
  return lines;
}

function userLines(r: DoctorReport): string[] {
  const u = r.user;
  const lines = [`Service user "${u.name}"`];
  lines.push(
    u.exists
      ? `  groups: ${u.groups.join(', ') || '(none)'}`
      : '  does not exist (systemd/bindsight.service runs as it)',
  );
  if (r.missingGroups.length > 0)
    lines.push(`  groups missing on this system: ${r.missingGroups.join(', ')}`);
  return lines;
}

export function renderReport(r: DoctorReport): string {
  const lines = [`bindsight doctor — ${r.board.model ?? 'board model unknown (no device tree)'}`, ''];
  lines.push('I2C buses', ...i2cLines(r.i2c), 'Serial ports', ...serialLines(r), ...mediaLines(r));
  lines.push(...userLines(r), '');
  if (r.empty) {
    lines.push('Nothing is present: no I2C bus, no serial port, no video device, no sound card.');
    lines.push('(On a development machine or in a container that is expected; use `driver: replay`.)', '');
  }
  if (r.fixes.length === 0) lines.push('Nothing to fix.');
  else lines.push('Next steps', ...r.fixes.map((f, i) => `  ${i + 1}. ${f}`));
  return `${lines.join('\n')}\n`;
}
