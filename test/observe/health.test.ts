/** The health policy: required sensors, degraded, the broker link, a stalled pipeline. */
import t from 'tap';
import { healthPolicySchema } from '../../src/observe/config.js';
import { assessHealth } from '../../src/observe/health.js';
import type { AgentHealth } from '../../src/observe/types.js';

function agent(states: Record<string, 'ok' | 'degraded' | 'down'>, connected = true): AgentHealth {
  const sensors: AgentHealth['sensors'] = {};
  for (const [id, state] of Object.entries(states))
    sensors[id] = {
      state,
      counters: {},
      modality: 'thermal',
      driver: 'replay',
      ...(state === 'ok' ? {} : { lastError: `${id} failed` }),
    };
  return { sensors, broker: { connected, failedAttempts: connected ? 0 : 3, reconnects: 0 }, models: {} };
}

const policy = (p: object = {}) => healthPolicySchema.parse(p);

t.test('healthy only when every required sensor and the broker link are', async (t) => {
  t.match(assessHealth(agent({ a: 'ok', b: 'ok' }), policy()), {
    status: 'healthy',
    reasons: [],
    problems: [],
  });
  const down = assessHealth(agent({ a: 'ok', b: 'down' }), policy());
  t.same(down.reasons, ['sensor b is down: b failed']);
  t.same(down.problems, ['sensor b is down'], 'problems leave out the details');
  t.equal(down.status, 'unhealthy');
  t.equal(
    assessHealth(agent({ a: 'ok', b: 'down' }), policy({ sensors: ['a'] })).status,
    'healthy',
    'b not required',
  );
  t.match(assessHealth(agent({ a: 'ok' }), policy({ sensors: ['a', 'x'] })).reasons, [
    'sensor x is not running',
  ]);
});

t.test('degraded is healthy unless the policy says otherwise', async (t) => {
  t.equal(assessHealth(agent({ a: 'degraded' }), policy()).status, 'healthy');
  t.same(assessHealth(agent({ a: 'degraded' }), policy({ degraded: 'unhealthy' })).reasons, [
    'sensor a is degraded: a failed',
  ]);
});

t.test('the broker link, unless not required; a stalled pipeline', async (t) => {
  t.same(assessHealth(agent({ a: 'ok' }, false), policy()).reasons, [
    'MQTT broker link is down (3 failed attempts)',
  ]);
  t.equal(assessHealth(agent({ a: 'ok' }, false), policy({ broker: false })).status, 'healthy');
  const stalled = assessHealth(agent({ a: 'ok' }), policy(), { stalled: true, detail: '4 samples waiting' });
  t.same(stalled.reasons, ['pipeline stalled: 4 samples waiting']);
  t.same(stalled.problems, ['pipeline stalled']);
});

t.test('a degraded encoder makes the agent unhealthy, naming what was seen', async (t) => {
  const h = agent({ a: 'ok' });
  h.models = {
    thermal: { state: 'ok', reason: '' },
    audio: { state: 'degraded', reason: '16 near-identical embeddings in a row' },
  };
  const report = assessHealth(h, policy());
  t.equal(report.status, 'unhealthy');
  t.same(report.reasons, ['audio encoder is degraded: 16 near-identical embeddings in a row']);
  t.same(report.problems, ['audio encoder is degraded']);
  h.models.audio = { state: 'ok', reason: '' };
  t.equal(assessHealth(h, policy()).status, 'healthy', 'healthy again once it recovers');
});
