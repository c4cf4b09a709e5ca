/**
 * systemd/install.sh into a scratch root (--root: no users, no systemctl), from a checkout-shaped
 * folder and from an npm-pack tarball. It places the package, the demo config with absolute
 * paths and its model pack, the secrets file (0600) and the unit with this machine's node; run
 * again it changes nothing the operator owns (config, secrets, model packs) and leaves no
 * staging folders; a Jetson gets the GPU drop-in; a source without a build is refused. The
 * package is a stand-in (its cli.js only builds a fake demo pack) so no build or npm is needed.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { REPO } from '../helpers/cli.js';

const exec = promisify(execFile);
const SCRIPT = join(REPO, 'systemd', 'install.sh');

const FAKE_CLI = `import { mkdirSync, writeFileSync } from 'node:fs';
const a = process.argv.slice(2);
if (a[0] === 'models' && a[1] === 'demo' && a[2] === '--out') {
  mkdirSync(a[3], { recursive: true });
  writeFileSync(a[3] + '/pack.json', '{}');
}
`;

function fakePackage(dir: string, version: string): string {
  const pkg = join(dir, `src-${version}`);
  mkdirSync(join(pkg, 'dist', 'src'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'bindsight', version, type: 'module' }));
  writeFileSync(join(pkg, 'dist', 'src', 'cli.js'), FAKE_CLI);
  mkdirSync(join(pkg, 'config'));
  cpSync(join(REPO, 'config', 'default.yaml'), join(pkg, 'config', 'default.yaml'));
  cpSync(join(REPO, 'systemd'), join(pkg, 'systemd'), { recursive: true });
  return pkg;
}

async function install(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('bash', [SCRIPT, '--skip-npm', ...args]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function tree(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? [`${p.slice(base.length)}/`, ...tree(p, base)] : [p.slice(base.length)];
  });
}

t.test('installs from a checkout, idempotently, keeping what the operator owns', async (t) => {
  const dir = t.testdir({});
  const root = join(dir, 'root');
  const first = await install(['--root', root, fakePackage(dir, '1.0.0')]);
  t.equal(first.code, 0, first.code === 0 ? 'install.sh succeeds' : first.out);
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  t.match(JSON.parse(read('opt/bindsight/package.json')), { version: '1.0.0' });
  const config = read('etc/bindsight/config.yaml');
  t.match(config, /pack: \/opt\/bindsight\/models\/packs\/demo/);
  t.match(
    config,
    /files: \[\/opt\/bindsight\/config\/demo\/thermal_empty\.csv, \/opt\/bindsight\/config\/demo\/thermal_person\.csv/,
  );
  t.notMatch(config, /\.\.\//, 'no relative paths left');
  t.ok(existsSync(join(root, 'opt/bindsight/models/packs/demo/pack.json')), 'the demo pack was built');
  t.equal(statSync(join(root, 'etc/bindsight/bindsight.env')).mode & 0o777, 0o600, 'secrets file 0600');
  const unit = read('etc/systemd/system/bindsight.service');
  t.match(
    unit,
    new RegExp(
      `^ExecStart=${process.execPath.replace(/[/.]/g, '\\$&')} /opt/bindsight/dist/src/cli\\.js run /etc/bindsight/config\\.yaml$`,
      'm',
    ),
  );
  t.notOk(existsSync(join(root, 'etc/systemd/system/bindsight.service.d')), 'no Jetson drop-in here');

  writeFileSync(join(root, 'etc/bindsight/config.yaml'), `${config}# edited\n`);
  writeFileSync(join(root, 'etc/bindsight/bindsight.env'), 'MQTT_PASSWORD=secret\n');
  mkdirSync(join(root, 'opt/bindsight/models/packs/mine'));
  const before = tree(root);
  const again = await install(['--root', root, fakePackage(dir, '1.1.0')]);
  t.equal(again.code, 0, again.code === 0 ? 'install.sh succeeds' : again.out);
  t.same(tree(root), before, 'the same files, no staging leftovers');
  t.match(read('etc/bindsight/config.yaml'), /# edited\n$/, 'config kept');
  t.equal(read('etc/bindsight/bindsight.env'), 'MQTT_PASSWORD=secret\n', 'secrets kept');
  t.match(JSON.parse(read('opt/bindsight/package.json')), { version: '1.1.0' }, 'package upgraded');
});

t.test('from an npm pack tarball, with --config, on a Jetson', async (t) => {
  const dir = t.testdir({ 'my.yaml': 'node: mine\n' });
  const pkg = fakePackage(dir, '2.0.0');
  mkdirSync(join(dir, 'pack'));
  cpSync(pkg, join(dir, 'pack', 'package'), { recursive: true });
  await exec('tar', ['-czf', join(dir, 'b.tgz'), '-C', join(dir, 'pack'), 'package']);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'nv_tegra_release'), '# R36 (release), REVISION: 4.0\n');
  const res = await install([
    '--root',
    root,
    '--prefix',
    '/srv/bs',
    '--config',
    join(dir, 'my.yaml'),
    join(dir, 'b.tgz'),
  ]);
  t.equal(res.code, 0, res.code === 0 ? 'install.sh succeeds' : res.out);
  t.equal(readFileSync(join(root, 'etc/bindsight/config.yaml'), 'utf8'), 'node: mine\n');
  t.notOk(
    existsSync(join(root, 'srv/bs/models/packs/demo')),
    'no demo pack for a config that does not use it',
  );
  t.match(
    readFileSync(join(root, 'etc/systemd/system/bindsight.service'), 'utf8'),
    /^WorkingDirectory=\/srv\/bs$/m,
  );
  t.match(
    readFileSync(join(root, 'etc/systemd/system/bindsight.service.d/jetson.conf'), 'utf8'),
    /^DevicePolicy=auto$/m,
  );
});

t.test('refuses a source without a build, and bad options', async (t) => {
  const dir = t.testdir({ src: { 'package.json': '{"name":"bindsight","version":"0.0.0"}' } });
  const res = await install(['--root', join(dir, 'root'), join(dir, 'src')]);
  t.not(res.code, 0);
  t.match(res.out, /dist\/src\/cli\.js is missing: run `npm ci && npm run build`/);
  t.match((await install(['--root', join(dir, 'root'), '--bogus'])).out, /unknown option --bogus/);
  t.match(
    (await install(['--root', join(dir, 'root'), '--prefix', 'rel'])).out,
    /--prefix must be an absolute path/,
  );
});
