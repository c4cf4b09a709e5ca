/** `bindsight inspect` as a user runs it: the table or JSON; a missing file is 66, a file that is not MCAP 65. */
import { join } from 'node:path';
import t from 'tap';
import { T0, writeOwn } from '../drivers/replay/mcapFixtures.js';
import { runCli } from '../helpers/cli.js';

t.test('inspect prints the channels, or JSON; refuses missing and non-MCAP files', async (t) => {
  const dir = t.testdir({ 'not.mcap': 'plain text' });
  const file = join(dir, 's.mcap');
  await writeOwn(
    file,
    [0, 1, 2].map((i) => ({
      kind: 'window',
      sensor: 'imu0',
      modality: 'imu',
      t: T0 + BigInt(i) * 1_000_000_000n,
      rate: 100,
      channels: 6,
      data: new Float32Array(600),
    })),
  );
  const text = await runCli(['inspect', file]);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /3 messages in 1 channels/);
  t.match(text.stdout, /imu0 +bindsight\.Window +json +imu +3 +2\.000 s +1\.00 /);
  const json = await runCli(['inspect', file, '--json']);
  t.match(JSON.parse(json.stdout), {
    indexed: true,
    messages: 3,
    channels: [{ topic: 'imu0', messages: 3 }],
  });
  const missing = await runCli(['inspect', join(dir, 'nope.mcap')]);
  t.equal(missing.code, 66);
  t.match(missing.stderr, /^bindsight: .*nope\.mcap not found\n$/);
  const notMcap = await runCli(['inspect', join(dir, 'not.mcap')]);
  t.equal(notMcap.code, 65);
  t.match(notMcap.stderr, /^bindsight: .*not\.mcap: not an MCAP file/);
});
