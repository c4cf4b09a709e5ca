import t from 'tap';
import { amg8833SensorSchema, mlx90640SensorSchema } from '../../../drivers/thermal/config.js';
import { configSchema } from '../../../src/config/schema.js';

t.test('mlx90640 defaults', async (t) => {
  t.same(mlx90640SensorSchema.parse({ id: 'thermal0', driver: 'mlx90640' }), {
    id: 'thermal0',
    driver: 'mlx90640',
    modality: 'thermal',
    bus: 1,
    everyMs: 0,
    reconnect: { initialMs: 500, maxMs: 30_000 },
    address: 0x33,
    rate: 4,
    resolution: 18,
    pattern: 'chess',
    emissivity: 0.95,
    reflected: 'auto',
    transport: { combined: 'i2ctransfer', i2ctransfer: 'i2ctransfer', timeoutMs: 1000, force: false },
  });
});

t.test('mlx90640 refuses values the chip cannot do', async (t) => {
  const bad = (extra: Record<string, unknown>) =>
    mlx90640SensorSchema.safeParse({ id: 'thermal0', driver: 'mlx90640', ...extra }).success;
  t.notOk(bad({ rate: 3 }), 'rate 3 Hz is not a refresh-rate code');
  t.notOk(bad({ rate: 128 }));
  t.ok(bad({ rate: 0.5 }));
  t.notOk(bad({ resolution: 20 }));
  t.notOk(bad({ pattern: 'zigzag' }));
  t.notOk(bad({ emissivity: 0 }));
  t.notOk(bad({ emissivity: 1.1 }));
  t.ok(bad({ reflected: 21.5 }));
  t.notOk(bad({ address: 0x80 }));
  t.notOk(bad({ modality: 'vision' }));
  t.notOk(bad({ transport: { combined: 'smbus' } }));
  t.notOk(bad({ bogus: 1 }), 'unknown keys are refused');
});

t.test('amg8833: address 0x68/0x69, rate 1/10', async (t) => {
  const ok = (extra: Record<string, unknown>) =>
    amg8833SensorSchema.safeParse({ id: 'grid', driver: 'amg8833', ...extra }).success;
  t.match(amg8833SensorSchema.parse({ id: 'grid', driver: 'amg8833' }), { address: 0x69, rate: 10, bus: 1 });
  t.ok(ok({ address: 0x68, rate: 1 }));
  t.notOk(ok({ address: 0x33 }));
  t.notOk(ok({ rate: 4 }));
});

t.test('both are in the config’s sensor union', async (t) => {
  const cfg = configSchema.parse({
    sensors: [
      { id: 'a', driver: 'mlx90640', bus: 0 },
      { id: 'b', driver: 'amg8833', address: 0x68 },
    ],
  });
  t.same(
    cfg.sensors.map((s) => [s.driver, s.modality]),
    [
      ['mlx90640', 'thermal'],
      ['amg8833', 'thermal'],
    ],
  );
});
