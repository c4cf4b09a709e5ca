/** Tool lookup before spawn (drivers/process/tools.ts) and the death-signal probe (deathsig.ts). */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { deathWrapper } from '../../../drivers/process/deathsig.js';
import { findExecutable, requireTool, TOOL_PACKAGES } from '../../../drivers/process/tools.js';

t.test('findExecutable walks the search path like `command -v`', async (t) => {
  const root = t.testdir({ a: { 'not-exec': 'x', sub: {} }, b: {} });
  const a = join(root, 'a');
  const b = join(root, 'b');
  writeFileSync(join(b, 'arecord'), '#!/bin/sh\n');
  chmodSync(join(b, 'arecord'), 0o755);
  chmodSync(join(a, 'not-exec'), 0o644);
  t.equal(await findExecutable('arecord', `${a}::${b}`), join(b, 'arecord'));
  t.equal(await findExecutable('not-exec', a), undefined, 'not executable');
  t.equal(await findExecutable('sub', a), undefined, 'a folder is not a tool');
  t.equal(await findExecutable(join(b, 'arecord'), ''), join(b, 'arecord'), 'a path is checked as is');
  t.equal(await findExecutable('ffmpeg', process.env.PATH ?? ''), '/usr/bin/ffmpeg', 'the real ffmpeg');
});

t.test('requireTool names the sensor, the PATH and the Debian package', async (t) => {
  t.same(TOOL_PACKAGES, {
    ffmpeg: 'ffmpeg',
    'gst-launch-1.0': 'gstreamer1.0-tools',
    arecord: 'alsa-utils',
    fswebcam: 'fswebcam',
    'v4l2-ctl': 'v4l-utils',
  });
  const dir = t.testdir({});
  for (const [tool, pkg] of Object.entries(TOOL_PACKAGES)) {
    await t.rejects(requireTool(tool as keyof typeof TOOL_PACKAGES, 'cam0', dir), {
      code: 'TOOL_MISSING',
      message: `sensor "cam0" needs the capture tool \`${tool}\`, which was not found in PATH (${dir}); install it with: sudo apt-get install ${pkg}`,
      context: { sensor: 'cam0', tool, package: pkg },
    });
  }
});

t.test('the death wrapper is setpriv --pdeathsig KILL when util-linux has it', async (t) => {
  const wrapper = await deathWrapper();
  t.equal(await deathWrapper(), wrapper, 'probed once');
  if (wrapper === undefined) {
    t.comment('setpriv with --pdeathsig not available: children rely on their process group');
    return;
  }
  t.match(wrapper.command, /\/setpriv$/);
  t.same(wrapper.args, ['--pdeathsig', 'KILL', '--']);
});
