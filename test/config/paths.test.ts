import t from 'tap';
import { resolvePaths } from '../../src/config/paths.js';
import { configSchema } from '../../src/config/schema.js';

t.test('relative paths resolve against the config folder; absolute ones are kept', async (t) => {
  const config = configSchema.parse({
    models: { pack: 'packs/demo' },
    sensors: [
      { id: 'a', driver: 'replay', modality: 'imu', files: ['rec/a.csv', '/data/b.csv', '../c.csv'] },
    ],
  });
  const resolved = resolvePaths(config, '/etc/bindsight');
  t.equal(resolved.models.pack, '/etc/bindsight/packs/demo');
  t.same(resolved.sensors[0].files, ['/etc/bindsight/rec/a.csv', '/data/b.csv', '/etc/c.csv']);
  t.equal(config.models.pack, 'packs/demo', 'the input is not changed');
  t.same(config.sensors[0].files, ['rec/a.csv', '/data/b.csv', '../c.csv']);
  t.equal(
    resolvePaths(configSchema.parse({ sensors: config.sensors }), '/x').models.pack,
    '/x/models/packs/demo',
    'the default pack too',
  );
});
