import t from 'tap';
import { resolvePaths } from '../../src/config/paths.js';
import { configSchema } from '../../src/config/schema.js';

/** The files of a replay sensor (the sensor union has other drivers too). */
function replayFiles(s: { driver: string } & Partial<{ files: string[] }>): string[] | undefined {
  return s.driver === 'replay' ? s.files : undefined;
}

t.test('relative paths resolve against the config folder; absolute ones are kept', async (t) => {
  const config = configSchema.parse({
    models: { pack: 'packs/demo' },
    sensors: [
      { id: 'a', driver: 'replay', modality: 'imu', files: ['rec/a.csv', '/data/b.csv', '../c.csv'] },
    ],
  });
  const resolved = resolvePaths(config, '/etc/bindsight');
  t.equal(resolved.models.pack, '/etc/bindsight/packs/demo');
  t.same(replayFiles(resolved.sensors[0]), ['/etc/bindsight/rec/a.csv', '/data/b.csv', '/etc/c.csv']);
  t.equal(config.models.pack, 'packs/demo', 'the input is not changed');
  t.same(replayFiles(config.sensors[0]), ['rec/a.csv', '/data/b.csv', '../c.csv']);
  t.equal(
    resolvePaths(configSchema.parse({ sensors: config.sensors }), '/x').models.pack,
    '/x/models/packs/demo',
    'the default pack too',
  );
});

t.test('models.cacheDir, when set, is relative to the config folder too', async (t) => {
  const config = configSchema.parse({
    models: { cacheDir: 'cache' },
    sensors: [{ id: 'a', driver: 'replay', modality: 'imu', files: ['a.csv'] }],
  });
  t.equal(resolvePaths(config, '/etc/bindsight').models.cacheDir, '/etc/bindsight/cache');
  const unset = configSchema.parse({ sensors: config.sensors });
  t.equal(
    resolvePaths(unset, '/etc/bindsight').models.cacheDir,
    undefined,
    'unset stays unset (the default applies)',
  );
});
