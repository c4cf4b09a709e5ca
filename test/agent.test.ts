/**
 * The agent's composition (src/agent.ts) in-process, on what the other tests do not cover: it
 * loads only the encoders its sensors and text prompts need, and an example-file prompt of another
 * modality (cross-modal, as ImageBind allows) opens that encoder on demand.
 */

import { join } from 'node:path';
import t from 'tap';
import { buildDemoPack } from '../models/demo/build.js';
import { Agent } from '../src/agent.js';
import { configSchema } from '../src/config/schema.js';
import { REPO } from './helpers/cli.js';
import { captureLogs } from './helpers/logs.js';
import { startMosquitto } from './helpers/mosquitto.js';

t.test(
  'a camera-only agent loads vision and text; an audio example prompt opens audio on demand',
  async (t) => {
    const broker = await startMosquitto(t);
    const dir = t.testdir({});
    const pack = join(dir, 'pack');
    await buildDemoPack(pack);
    const demo = join(REPO, 'config', 'demo');
    const base = {
      node: 'cam-only',
      models: { pack, promptCache: false },
      sensors: [
        {
          id: 'cam0',
          driver: 'replay',
          modality: 'vision',
          files: [join(demo, 'vision_bright.png')],
          rate: 2,
          loop: true,
        },
      ],
      mqtt: { url: broker.url, outbox: { durable: false } },
      http: { enabled: false },
    };
    const { lines: logs, logger } = captureLogs();

    await t.test('text prompts only: vision and text are loaded, nothing else', async (t) => {
      const config = configSchema.parse({
        ...base,
        rules: [{ id: 'lights', sensors: ['cam0'], prompts: ['a bright room'], contrast: ['a dark room'] }],
      });
      const agent = new Agent({ config, logger });
      t.teardown(() => agent.stop());
      await agent.start();
      t.same(Object.keys(agent.health().models).sort(), ['text', 'vision']);
      await agent.stop();
    });

    await t.test(
      'an audio example for a camera rule: the audio encoder opens when the rule compiles',
      async (t) => {
        logs.length = 0;
        const config = configSchema.parse({
          ...base,
          rules: [
            {
              id: 'siren-look',
              sensors: ['cam0'],
              prompts: [{ file: join(demo, 'audio_siren.wav') }],
              contrast: ['a dark room'],
            },
          ],
        });
        const agent = new Agent({ config, logger });
        t.teardown(() => agent.stop());
        await agent.start();
        t.same(Object.keys(agent.health().models).sort(), ['audio', 'text', 'vision']);
        t.ok(
          logs.some(
            (l) =>
              l.msg === 'encoder opened on demand (not needed by any sensor at start)' &&
              l.modality === 'audio',
          ),
          'says so in the log',
        );
        t.equal(agent.rules()[0].id, 'siren-look');
        await agent.stop();
      },
    );
  },
);
