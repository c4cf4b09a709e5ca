/**
 * The agent's HTTP side on a real agent: an AMG8833 over the I2C emulator (unplug and replug
 * it), a replayed depth camera, the demo pack, a real Mosquitto (stop and restart it).
 * /healthz turns 503 with the reason when the sensor goes down or the broker link is lost and
 * 200 when they return; /metrics parses as Prometheus exposition; the token guards all but
 * /healthz; the page's data, frames and prompt box answer.
 */
import { join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import t from 'tap';
import { I2CEmulator } from '../../drivers/i2c/emulator.js';
import { Amg8833Emulator } from '../../drivers/thermal/amg8833/emulator.js';
import { buildDemoPack } from '../../models/demo/build.js';
import { Agent } from '../../src/agent.js';
import { configSchema } from '../../src/config/schema.js';
import { LiveState } from '../../src/observe/live.js';
import { startObserve } from '../../src/observe/service.js';
import { REPO } from '../helpers/cli.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { get, post, until } from './helpers.js';
import { parsePrometheus } from './promText.js';

const TOKEN = 's3cret-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

t.test('health, metrics, token and page data of a running agent', async (t) => {
  const broker = await startMosquitto(t);
  const dir = t.testdir({});
  const pack = join(dir, 'pack');
  await buildDemoPack(pack);
  const emu = new I2CEmulator();
  emu.attach(0x68, new Amg8833Emulator({ clock: { now: () => Date.now() } }));
  const config = configSchema.parse({
    node: 'obs',
    models: { pack, promptCache: false },
    sensors: [
      { id: 'grid0', driver: 'amg8833', address: 0x68, rate: 10, reconnect: { initialMs: 50, maxMs: 200 } },
      {
        id: 'depth0',
        driver: 'replay',
        modality: 'depth',
        files: [
          join(REPO, 'config', 'demo', 'depth_near.png'),
          join(REPO, 'config', 'demo', 'depth_far.png'),
        ],
        rate: 4,
        loop: true,
      },
    ],
    rules: [{ id: 'person', sensors: ['grid0'], prompts: ['a person'], contrast: ['an empty room'] }],
    mqtt: { url: broker.url, outbox: { durable: false } },
    http: { port: 0, token: TOKEN, health: { sensors: ['grid0'] } },
  });
  const logger = pino({ level: 'silent' });
  const live = new LiveState();
  const agent = new Agent({
    config,
    logger,
    tap: live.tap,
    onSample: (s) => live.onSample(s),
    onEvent: (e) => live.onEvent(e),
    drivers: { i2c: emu.opener() },
  });
  t.teardown(() => agent.stop());
  await agent.start();
  const service = await startObserve({ agent, live, config, logger, env: {} });
  t.teardown(() => service.stop());
  await service.ready();
  const url = service.url!;
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'listens on loopback, on the free port it was given');

  const health = async () => {
    const r = await get(`${url}/healthz`);
    return { status: r.status, body: JSON.parse(r.text) as { status: string; reasons: string[] } };
  };
  const healthIs = (status: number, reason?: RegExp) =>
    until(
      async () => {
        const h = await health();
        return h.status === status && (!reason || h.body.reasons.some((r) => reason.test(r))) ? h : undefined;
      },
      `/healthz ${status}${reason ? ` with ${reason}` : ''}`,
    );

  await t.test('/healthz: 200, then 503 when the sensor goes down, 200 when it returns', async (t) => {
    const ok = await healthIs(200);
    t.same(ok.body.reasons, [], 'healthy: no reasons');
    t.match(
      ok.body,
      {
        workers: { inference: { restarts: 0, timeouts: 0 }, preprocess: { restarts: 0, fallback: false } },
        ruleUpdates: { applied: 0, refused: 0 },
      },
      'worker restarts and rule reloads are in the health report',
    );
    emu.faults.unplug(0x68);
    const down = await healthIs(503, /^sensor grid0 is down/);
    t.equal(down.body.status, 'unhealthy');
    const metrics = parsePrometheus((await get(`${url}/metrics`, AUTH)).text);
    const state = metrics.get('bindsight_sensor_state')!.samples;
    t.equal(
      state.find((s) => s.labels.sensor === 'grid0' && s.labels.state === 'down')?.value,
      1,
      'metrics: down',
    );
    t.equal(metrics.get('bindsight_healthy')?.samples[0].value, 0, 'metrics: unhealthy');
    emu.faults.replug(0x68);
    await healthIs(200);
    t.pass('healthy again after replug');
  });

  await t.test('/healthz: 503 while the broker link is down, 200 once reconnected', async (t) => {
    await broker.stop();
    await healthIs(503, /^MQTT broker link is down/);
    await broker.restart();
    await healthIs(200);
    t.pass('healthy again after the broker returns');
  });

  await t.test('the token guards everything but /healthz', async (t) => {
    t.equal((await get(`${url}/healthz`)).status, 200, '/healthz needs no token');
    for (const path of ['/metrics', '/', '/api/state', '/api/frame/grid0']) {
      const r = await get(`${url}${path}`);
      t.equal(r.status, 401, `${path} without the token: 401`);
    }
    t.equal(
      (await get(`${url}/metrics`, { Authorization: 'Bearer wrong' })).status,
      401,
      'a wrong token: 401',
    );
    t.equal((await get(`${url}/metrics?token=${TOKEN}`)).status, 200, '?token= works');
    t.equal((await get(`${url}/metrics`, AUTH)).status, 200, 'the Bearer header works');
  });

  await t.test('/metrics parses as Prometheus exposition and covers the pipeline', async (t) => {
    await until(
      () => (live.latestEmbedding('grid0') && live.latestEmbedding('depth0') ? true : undefined),
      'embeddings',
    );
    const r = await get(`${url}/metrics`, AUTH);
    t.match(r.type, /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(r.text);
    const all = [...families.values()].flatMap((f) => f.samples);
    const value = (name: string, labels: Record<string, string> = {}) =>
      all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    t.equal(families.get('bindsight_encoder_batch_size')?.type, 'histogram');
    t.equal(families.get('bindsight_encoder_inference_seconds')?.type, 'summary');
    t.ok(
      (value('bindsight_encoder_inference_seconds_count', { modality: 'thermal' }) ?? 0) > 0,
      'thermal inference timed',
    );
    t.ok(
      (value('bindsight_encoder_batch_size_count', { modality: 'depth' }) ?? 0) > 0,
      'depth batches counted',
    );
    t.ok((value('bindsight_sensor_samples_per_second', { sensor: 'grid0' }) ?? 0) > 0, 'grid0 sample rate');
    t.ok((value('bindsight_sensor_samples_total', { sensor: 'depth0' }) ?? 0) > 0, 'depth0 samples');
    t.equal(value('bindsight_sensor_dropped_total', { sensor: 'grid0', reason: 'queue_full' }), 0);
    t.not(value('bindsight_rule_score', { rule: 'person' }), undefined, 'rule score');
    t.equal(value('bindsight_mqtt_connected'), 1);
    t.equal(value('bindsight_outbox_messages') !== undefined, true, 'outbox depth');
    t.equal(value('bindsight_info', { node: 'obs' }), 1);
    t.ok(families.has('bindsight_process_resident_memory_bytes'), 'process metrics, on the agent registry');
    t.equal(
      value('bindsight_worker_restarts_total', { worker: 'inference' }),
      0,
      'inference worker restarts',
    );
    t.equal(
      value('bindsight_worker_restarts_total', { worker: 'preprocess' }),
      0,
      'preprocess worker restarts',
    );
    t.equal(value('bindsight_inference_run_timeouts_total'), 0);
    t.equal(value('bindsight_preprocess_fallback'), 0);
    t.equal(value('bindsight_rule_reloads_total', { result: 'refused' }), 0);
  });

  await t.test('the page, its data, frames and the prompt box', async (t) => {
    const page = await get(`${url}/?token=${TOKEN}`);
    t.equal(page.status, 200);
    t.match(page.text, /<canvas|id="sensors"/);
    t.notMatch(page.text, /https?:\/\/(?!127\.0\.0\.1)/, 'fetches nothing from the internet');
    const state = JSON.parse((await get(`${url}/api/state`, AUTH)).text) as {
      sensors: Array<{ id: string; latest: { kind: string; range?: { unit: string } } | null }>;
      rules: Array<{ id: string; enter: number; exit: number; points: unknown[] }>;
    };
    t.same(
      state.sensors.map((s) => s.id),
      ['grid0', 'depth0'],
    );
    t.equal(state.sensors.find((s) => s.id === 'grid0')?.latest?.range?.unit, '°C', 'thermal range in °C');
    t.equal(state.sensors.find((s) => s.id === 'depth0')?.latest?.range?.unit, 'mm', 'depth range in mm');
    t.match(state.rules[0], { id: 'person', enter: 0.6, exit: 0.4 });
    const frame = await get(`${url}/api/frame/grid0`, AUTH);
    t.equal(frame.type, 'image/png');
    const meta = await sharp(frame.body).metadata();
    t.match(meta, { format: 'png', width: 8, height: 8, channels: 3 }, 'the 8×8 array, colour-mapped');
    t.equal((await get(`${url}/api/frame/nope`, AUTH)).status, 404);
    const scored = await post(`${url}/api/prompt`, { text: 'a person' }, AUTH);
    t.equal(scored.status, 200, scored.text);
    const res = JSON.parse(scored.text) as {
      sensors: Array<{ sensor: string; cosine: number; score?: number; against: { kind: string } }>;
    };
    const grid = res.sensors.find((s) => s.sensor === 'grid0');
    t.match(
      grid,
      { cosine: Number, score: Number, against: { kind: 'rules' } },
      'scored against the rule contrast',
    );
    const typed = JSON.parse(
      (await post(`${url}/api/prompt`, { text: 'a person', contrast: ['an empty room'] }, AUTH)).text,
    );
    t.equal(typed.sensors[0].against.kind, 'contrast');
    t.equal((await post(`${url}/api/prompt`, { text: '' }, AUTH)).status, 400, 'an empty prompt: 400');
    t.equal((await post(`${url}/api/prompt`, { text: 'x'.repeat(201) }, AUTH)).status, 400, 'too long: 400');
  });
});
