import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { checkFiles, FILE_KINDS, fileKind } from '../../../drivers/replay/formats.js';
import { BindsightError } from '../../../src/errors.js';

t.test('file kinds follow the modality table, case-insensitively', async (t) => {
  t.equal(fileKind('s', 'audio', 'a/b.WAV'), 'wav');
  t.equal(fileKind('s', 'vision', 'x.jpeg'), 'image');
  t.equal(fileKind('s', 'thermal', 'x.png'), 'image');
  t.equal(fileKind('s', 'thermal', 'x.csv'), 'thermal_csv');
  t.equal(fileKind('s', 'imu', 'x.csv'), 'imu_csv');
  t.equal(fileKind('s', 'depth', 'x.png'), 'depth_png');
  t.same(Object.keys(FILE_KINDS).sort(), ['audio', 'depth', 'imu', 'thermal', 'vision']);
});

t.test('an extension the modality does not accept is FILE_INVALID listing the accepted ones', async (t) => {
  t.throws(() => fileKind('cam0', 'depth', 'd.jpg'), {
    code: 'FILE_INVALID',
    message: /cam0.*d\.jpg.*"\.jpg" is not accepted; use one of \.png/,
  });
  t.throws(() => fileKind('mic', 'audio', 'noext'), { code: 'FILE_INVALID', message: /\(none\).*\.wav/ });
  t.throws(() => fileKind('imu0', 'imu', 'x.wav'), { message: /use one of \.csv/ });
});

t.test('checkFiles resolves paths and reports every missing file with the sensor id', async (t) => {
  const dir = t.testdir({ 'a.csv': 't_ms,ax,ay,az,gx,gy,gz\n', sub: {} });
  const ok = await checkFiles('imu0', 'imu', [join(dir, 'a.csv')]);
  t.same(ok, [{ path: join(dir, 'a.csv'), kind: 'imu_csv' }]);

  const err = await checkFiles('imu0', 'imu', [
    join(dir, 'a.csv'),
    join(dir, 'b.csv'),
    join(dir, 'c.csv'),
  ]).catch((e: unknown) => e);
  t.ok(err instanceof BindsightError);
  t.match(err, {
    code: 'FIXTURE_MISSING',
    message: /imu0.*b\.csv.*c\.csv/,
    context: { sensor: 'imu0', paths: [join(dir, 'b.csv'), join(dir, 'c.csv')] },
  });
});

t.test('checkFiles: extension errors come before existence, a folder is FILE_INVALID', async (t) => {
  const dir = t.testdir({});
  mkdirSync(join(dir, 'folder.csv'));
  await t.rejects(checkFiles('imu0', 'imu', [join(dir, 'missing.csv'), join(dir, 'x.txt')]), {
    code: 'FILE_INVALID',
  });
  await t.rejects(checkFiles('imu0', 'imu', [join(dir, 'folder.csv')]), {
    code: 'FILE_INVALID',
    message: /not a regular file/,
  });
});
