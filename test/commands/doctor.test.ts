/**
 * `bindsight doctor` on recorded board layouts (test/fixtures/boards/, reconstructed — see its
 * README): a fake /dev, /proc, /sys and /etc tree built in t.testdir(), command outputs replayed
 * through the injected runner, serialport's list() injected, and an I2C emulator as the opener.
 * Then the real CLI on this machine, which has no sensor hardware.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import t, { type Test as Tap } from 'tap';
import { I2CEmulator } from '../../drivers/i2c/emulator.js';
import { MpuEmulator } from '../../drivers/imu/mpu6050/emulator.js';
import { MPU_VARIANTS } from '../../drivers/imu/mpu6050/registers.js';
import type { RunCommand } from '../../src/doctor/exec.js';
import { type FileInfo, realFs, withOwnership } from '../../src/doctor/fs.js';
import { parseI2cdetect } from '../../src/doctor/i2c.js';
import { parseArecord, parseAsoundCards } from '../../src/doctor/media.js';
import { renderReport } from '../../src/doctor/render.js';
import { type DoctorDeps, type DoctorReport, doctor } from '../../src/doctor/report.js';
import type { SerialPortListing } from '../../src/doctor/serial.js';
import { REPO, runCli } from '../helpers/cli.js';

const BOARDS = join(REPO, 'test', 'fixtures', 'boards');

interface Tree {
  files: Record<string, string>;
  devices: Record<string, { uid: number; gid: number; mode: string }>;
  links: Record<string, string>;
  serialportList: SerialPortListing[];
  commands: Record<string, string>;
  procFiles: Record<string, string>;
}

const fixture = (name: string): string => readFileSync(join(BOARDS, name), 'utf8');

/** Builds the board's tree under a test dir; returns the doctor's deps for it. */
function board(t: Tap, name: string, overrides: Partial<DoctorDeps> = {}): DoctorDeps & { root: string } {
  const tree = JSON.parse(fixture(`${name}.tree.json`)) as Tree;
  const root = t.testdir({});
  const put = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(tree.files)) put(path, text);
  for (const [path, file] of Object.entries(tree.procFiles)) put(path, fixture(file));
  const owners: Record<string, FileInfo> = {};
  for (const [path, d] of Object.entries(tree.devices)) {
    put(path, '');
    owners[path] = { uid: d.uid, gid: d.gid, mode: Number.parseInt(d.mode, 8) };
  }
  for (const [path, target] of Object.entries(tree.links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target, join(root, path));
  }
  const run: RunCommand = async (command, args) => {
    const file = tree.commands[[command, ...args].join(' ')];
    return file === undefined ? { status: 'missing' } : { status: 'ok', stdout: fixture(file) };
  };
  return {
    root,
    fs: withOwnership(realFs(root), owners),
    run,
    i2c: new I2CEmulator({ bus: 1 }).opener(),
    listSerial: async () => tree.serialportList,
    user: 'bindsight',
    ...overrides,
  };
}

t.test(
  'Raspberry Pi 4: buses, the chips each address could be, ports, camera, microphone, fixes',
  async (t) => {
    const r = await doctor(board(t, 'raspberry-pi-4'));
    t.same(r.board, { model: 'Raspberry Pi 4 Model B Rev 1.4', kind: 'raspberry-pi' });
    t.same(
      r.i2c.map((b) => [b.path, b.adapter]),
      [
        ['/dev/i2c-1', 'bcm2835 (i2c@7e804000)'],
        ['/dev/i2c-20', 'fef04500.i2c'],
        ['/dev/i2c-21', 'fef09500.i2c'],
      ],
    );
    const scan = r.i2c[0].scan;
    if (!('addresses' in scan)) throw new Error('bus 1 was not scanned');
    t.equal(scan.method, 'i2cdetect');
    t.same(
      scan.addresses.map((a) => a.address),
      [0x33, 0x68],
    );
    t.match(scan.addresses[0].candidates, ['Melexis MLX90640 thermal camera (driver: mlx90640)']);
    t.match(
      scan.addresses[1].candidates.join('|'),
      /MPU-6050 \(driver: mpu6050\).*MPU-9250.*ICM-20948.*AMG8833.*DS3231/,
    );
    t.match(r.i2c[0].access, { ok: false, group: 'i2c', fix: 'sudo usermod -aG i2c bindsight' });
    const serial = Object.fromEntries(r.serial.devices.map((d) => [d.path, d]));
    t.same(Object.keys(serial), ['/dev/ttyAMA0', '/dev/ttyS0', '/dev/ttyUSB0']);
    t.match(serial['/dev/ttyUSB0'], {
      kind: 'usb',
      usb: '1a86:7523 QinHeng CH340 (WitMotion USB-TTL adapters)',
      aliases: ['/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0'],
      access: { ok: false, fix: 'sudo usermod -aG dialout bindsight' },
    });
    t.match(serial['/dev/ttyS0'], {
      kind: 'uart',
      aliases: ['/dev/serial0'],
      access: { problem: /login console/ },
    });
    t.match(serial['/dev/ttyS0'].access.fix, /raspi-config nonint do_serial_cons 1/);
    t.match(r.video, [
      { path: '/dev/video0', name: 'USB 2.0 Camera: USB Camera', access: { ok: true } },
      {},
      {},
    ]);
    t.same(
      r.audio.cards.map((c) => c.id),
      ['Headphones', 'Device', 'vc4hdmi0'],
    );
    t.same(r.audio.capture, [
      { card: 1, device: 0, name: 'USB PnP Sound Device: USB Audio', pcm: 'plughw:1,0' },
    ]);
    t.match(r.audio.access, { ok: true });
    t.same(r.fixes, [
      'sudo usermod -aG i2c bindsight',
      'sudo usermod -aG dialout bindsight',
      'sudo raspi-config nonint do_serial_cons 1   # frees the GPIO UART from the login console (reboot after)',
      'sudo systemctl restart bindsight   # group changes apply to new processes',
    ]);
    t.equal(r.empty, false);
    const text = renderReport(r);
    t.match(text, /bindsight doctor — Raspberry Pi 4 Model B Rev 1\.4/);
    t.match(text, /0x68 {2}InvenSense MPU-6050 \(driver: mpu6050\)/);
    t.match(
      text,
      /\/dev\/i2c-1 {2}bcm2835 \(i2c@7e804000\) {2}\(root:i2c rw-rw----, NOT usable: bindsight is not in group i2c\)/,
    );
    t.match(text, /capture USB PnP Sound Device: USB Audio {2}\(input: plughw:1,0\)/);
    t.match(text, /Next steps\n {2}1\. sudo usermod -aG i2c bindsight/);
  },
);

t.test('Jetson Orin Nano: kernel-claimed addresses, the header bus, nothing to fix', async (t) => {
  const r = await doctor(board(t, 'jetson-orin-nano'));
  t.equal(r.board.kind, 'jetson');
  t.same(
    r.i2c.map((b) => b.bus),
    [0, 1, 2, 4, 5, 7, 9],
  );
  const bus1 = r.i2c[1].scan;
  const bus7 = r.i2c[5].scan;
  if (!('addresses' in bus1) || !('addresses' in bus7)) throw new Error('not scanned');
  t.same(
    bus1.addresses.map((a) => [a.address, a.claimed]),
    [
      [0x40, true],
      [0x50, true],
      [0x57, false],
    ],
  );
  t.match(bus7.addresses[0].candidates, ['Bosch BNO055 (driver: bno055)']);
  t.match(bus7.addresses[1].candidates.join('|'), /ICM-20948 \(driver: icm20948\)/);
  t.match(r.serial.devices, [
    { path: '/dev/ttyTHS0', kind: 'uart', access: { ok: true } },
    { path: '/dev/ttyUSB0', usb: '10c4:ea60 Silicon Labs CP210x', access: { ok: true } },
  ]);
  t.match(r.video, [{ name: 'vi-output, imx219 9-0010', access: { ok: true } }]);
  t.same(r.fixes, []);
  const text = renderReport(r);
  t.match(text, /0x40 {2}unknown part \[claimed by a kernel driver \(UU\)/);
  t.match(text, /Nothing to fix\./);
});

t.test(
  'without i2c-tools the buses are scanned through the opener; a bus it cannot open says why',
  async (t) => {
    const clock = { now: () => 0 };
    const bus = new I2CEmulator({ bus: 1 });
    bus.attach(0x68, new MpuEmulator({ variant: MPU_VARIANTS.mpu6050, clock }));
    const deps = board(t, 'raspberry-pi-4', { i2c: bus.opener() });
    const withoutTools: RunCommand = async (command, args) =>
      command === 'i2cdetect' ? { status: 'missing' } : deps.run(command, args);
    const r = await doctor({ ...deps, run: withoutTools });
    t.match(r.i2c[0].scan, { method: 'i2c-bus', addresses: [{ address: 0x68, claimed: false }] });
    t.match(r.i2c[1].scan, { error: /ENOENT.*i2c-20/ });
    t.equal(bus.stats().openHandles, 0, 'handles closed');
    const noScan = await doctor({ ...deps, scan: false });
    t.same(noScan.i2c[0].scan, { skipped: true });
  },
);

t.test('a serialport list() that fails or hangs does not stop the report', async (t) => {
  const failing = await doctor(
    board(t, 'raspberry-pi-4', { listSerial: () => Promise.reject(new Error('udevadm: not found')) }),
  );
  t.equal(failing.serial.listError, 'udevadm: not found');
  t.equal(failing.serial.devices.length, 3, 'ports still found by name');
  t.equal(failing.serial.devices[2].usb, undefined);
  t.match(renderReport(failing), /no USB details: udevadm: not found/);
});

t.test(
  'an empty machine: nothing present, said plainly; a missing user and groups get created first',
  async (t) => {
    const root = t.testdir({
      etc: { group: 'root:x:0:\nvideo:x:44:\naudio:x:29:\n', passwd: 'root:x:0:0::/root:/bin/sh\n' },
    });
    const r = await doctor({
      fs: realFs(root),
      run: async () => ({ status: 'missing' }),
      i2c: new I2CEmulator().opener(),
      listSerial: async () => [],
      user: 'bindsight',
    });
    t.equal(r.empty, true);
    t.same(r.missingGroups, ['i2c', 'dialout']);
    t.match(r.fixes[0], /^sudo groupadd --system i2c/);
    t.match(r.fixes[1], /^sudo groupadd --system dialout/);
    t.match(r.fixes[2], /^sudo useradd --system .*--groups i2c,video,dialout,audio bindsight/);
    t.match(r.fixes[3], /^sudo modprobe i2c-dev/);
    t.equal(r.fixes.length, 4, 'no alsa-utils advice without a sound card');
    const text = renderReport(r);
    for (const line of [
      /I2C buses\n {2}none: no \/dev\/i2c-\*/,
      /Serial ports\n {2}none:/,
      /Video devices\n {2}none: no \/dev\/video\*/,
      /Audio capture\n {2}none: no sound card/,
      /Nothing is present: no I2C bus, no serial port, no video device, no sound card\./,
    ]) {
      t.match(text, line);
    }
  },
);

t.test('parsers on tool output', async (t) => {
  t.same(parseI2cdetect(fixture('raspberry-pi-4.i2cdetect-y-1.txt')), [
    { address: 0x33, claimed: false },
    { address: 0x68, claimed: false },
  ]);
  t.same(parseI2cdetect('garbage\n'), []);
  t.equal(
    parseAsoundCards(fixture('jetson-orin-nano.proc-asound-cards.txt'))[1].name,
    'tegra-ape - NVIDIA Jetson Orin Nano APE',
  );
  t.same(parseAsoundCards(' --- no soundcards ---\n'), []);
  t.equal(parseArecord(fixture('jetson-orin-nano.arecord-l.txt')).length, 2);
});

t.test('the CLI on this machine: runs, exits 0, and says what is (not) present', async (t) => {
  const r = await runCli(['doctor', '--no-scan']);
  t.equal(r.code, 0, r.stderr);
  for (const section of [
    'I2C buses',
    'Serial ports',
    'Video devices',
    'Audio capture',
    'Service user "bindsight"',
  ]) {
    t.match(r.stdout, section);
  }
  const devs = existsSync('/dev') ? readdirSync('/dev') : [];
  const hardware =
    devs.some((n) => /^(i2c-\d|video\d|ttyUSB|ttyACM)/.test(n)) || existsSync('/proc/asound/cards');
  if (!hardware) t.match(r.stdout, /Nothing is present/, 'this machine has no sensor hardware');
});

t.test('the CLI reports JSON for a mounted image, and refuses a bad user name', async (t) => {
  const { root } = board(t, 'jetson-orin-nano');
  const r = await runCli(['doctor', '--json', '--root', root]);
  t.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as DoctorReport;
  t.equal(report.board.kind, 'jetson');
  t.equal(report.i2c.length, 7);
  t.same(report.i2c[0].scan, { skipped: true }, 'an image is not scanned');
  const bad = await runCli(['doctor', '--user', 'no body']);
  t.equal(bad.code, 64);
  t.match(bad.stderr, /^bindsight: --user "no body" is not a user name/);
});
