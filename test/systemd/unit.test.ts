/**
 * systemd/bindsight.service passes `systemd-analyze verify` without a single warning and
 * `systemd-analyze security --offline=true` rates it OK or better (exposure < 5.0); both run
 * without a running systemd. The binary comes with Debian's `systemd` package, which .ci/run
 * installs: a missing one fails the test with that hint. ExecStart's node is rewritten to this
 * machine's, as systemd/install.sh does, since verify checks that the binary exists.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { REPO } from '../helpers/cli.js';

const run = promisify(execFile);
const UNIT = join(REPO, 'systemd', 'bindsight.service');
const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find(existsSync);

async function analyze(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(ANALYZE!, args, { env: { ...process.env, SYSTEMD_COLORS: '0' } });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function unitCopy(dir: string, edit: (text: string) => string = (s) => s): string {
  const file = join(dir, 'bindsight.service');
  writeFileSync(file, edit(readFileSync(UNIT, 'utf8').replace('/usr/bin/node ', `${process.execPath} `)));
  return file;
}

t.test('systemd-analyze is installed', async (t) => {
  t.ok(ANALYZE, 'systemd-analyze is installed (if not: apt-get install systemd, as .ci/run does)');
});

t.test(
  'verify: no warnings; a broken unit is reported',
  { skip: !ANALYZE && 'no systemd-analyze' },
  async (t) => {
    const ok = await analyze(['verify', unitCopy(t.testdir({}))]);
    t.equal(ok.code, 0);
    t.equal(ok.out.trim(), '', 'not a single warning');
    const bad = await analyze([
      'verify',
      unitCopy(t.testdir({}), (s) => s.replace('NoNewPrivileges=yes', 'NoNewPrivileges=maybe')),
    ]);
    t.match(bad.out, /Failed to parse boolean value/, 'the check can fail');
  },
);

t.test('security: rated OK or better', { skip: !ANALYZE && 'no systemd-analyze' }, async (t) => {
  const res = await analyze(['security', '--offline=true', '--threshold=49', unitCopy(t.testdir({}))]);
  const m = /Overall exposure level for bindsight\.service: (\d+\.\d) (\w+)/.exec(res.out);
  t.ok(m, m ? 'an overall rating' : `no overall rating in: ${res.out.slice(-300)}`);
  t.ok(Number(m?.[1]) < 5, `exposure ${m?.[1]} below 5.0`);
  t.match(m?.[2], /^(OK|SAFE|PERFECT)$/);
  t.equal(res.code, 0, '--threshold=49 (OK) passes');
});

t.test('the unit: notify with a watchdog, an unprivileged user, state directories', async (t) => {
  const text = readFileSync(UNIT, 'utf8');
  for (const line of [
    'Type=notify',
    'NotifyAccess=all',
    /^WatchdogSec=\d+$/m,
    'Restart=on-failure',
    'User=bindsight',
    'SupplementaryGroups=i2c video dialout audio',
    'StateDirectory=bindsight',
    'CacheDirectory=bindsight',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    'DevicePolicy=closed',
    'DeviceAllow=char-i2c rw',
    'DeviceAllow=char-video4linux rw',
    'DeviceAllow=char-alsa rw',
  ])
    t.match(text, typeof line === 'string' ? new RegExp(`^${line}$`, 'm') : line, String(line));
});
