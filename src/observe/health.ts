/**
 * The agent's overall health, as /healthz answers it (issue #11): healthy only when every
 * required sensor and the broker link are, else unhealthy with one reason per problem. The
 * A degraded encoder (embedding health) is a problem too. The
 * policy (http.health) names the required sensors (default: all), whether `degraded` counts as
 * healthy (default yes: the sensor still produces) and whether the broker link is required.
 */

import type { RuleUpdateStats } from '../rules/updates.js';
import type { HealthPolicy } from './config.js';
import type { AgentHealth, WorkerHealthView } from './types.js';

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  /** Why it is unhealthy, one line per problem, with details (last error, attempts); empty when healthy. */
  reasons: string[];
  /** The same problems without their details, stable while nothing changes (to log each change once). */
  problems: string[];
  sensors: Record<string, { state: string; required: boolean; lastError?: string }>;
  broker: { connected: boolean; required: boolean; failedAttempts: number };
  /** Extra problems found outside the agent's health (a stalled pipeline). */
  pipeline?: { stalled: boolean; detail?: string };
  /** Worker threads restarted after dying or hanging (informational). */
  workers?: WorkerHealthView;
  /** Rule reloads applied and refused, with the latest refusal (informational). */
  ruleUpdates?: RuleUpdateStats;
}

export interface PipelineCondition {
  stalled: boolean;
  detail?: string;
}

export function assessHealth(
  health: AgentHealth,
  policy: HealthPolicy,
  pipeline?: PipelineCondition,
): HealthReport {
  const required = new Set(policy.sensors ?? Object.keys(health.sensors));
  const reasons: string[] = [];
  const problems: string[] = [];
  const add = (problem: string, detail = ''): void => {
    problems.push(problem);
    reasons.push(`${problem}${detail}`);
  };
  const sensors: HealthReport['sensors'] = {};
  for (const id of required) {
    if (!health.sensors[id]) add(`sensor ${id} is not running`);
  }
  for (const [id, s] of Object.entries(health.sensors)) {
    const need = required.has(id);
    sensors[id] = { state: s.state, required: need, ...(s.lastError ? { lastError: s.lastError } : {}) };
    if (!need) continue;
    const bad = s.state === 'down' || (s.state === 'degraded' && policy.degraded === 'unhealthy');
    if (bad) add(`sensor ${id} is ${s.state}`, s.lastError ? `: ${s.lastError}` : '');
  }
  const { broker } = health;
  if (policy.broker && !broker.connected) {
    const tries = broker.failedAttempts > 0 ? ` (${broker.failedAttempts} failed attempts)` : '';
    add('MQTT broker link is down', tries);
  }
  // A degraded encoder (NaN/Inf, norms far from 1, collapsed outputs) makes every event of its
  // modality meaningless, whatever the sensors do: unhealthy (issue #3, "embedding health").
  for (const [modality, m] of Object.entries(health.models ?? {})) {
    if (m.state !== 'ok') add(`${modality} encoder is ${m.state}`, m.reason ? `: ${m.reason}` : '');
  }
  if (pipeline?.stalled) add('pipeline stalled', pipeline.detail ? `: ${pipeline.detail}` : '');
  return {
    status: reasons.length === 0 ? 'healthy' : 'unhealthy',
    reasons,
    problems,
    sensors,
    broker: { connected: broker.connected, required: policy.broker, failedAttempts: broker.failedAttempts },
    ...(pipeline ? { pipeline } : {}),
    ...(health.workers ? { workers: health.workers } : {}),
    ...(health.ruleUpdates ? { ruleUpdates: health.ruleUpdates } : {}),
  };
}
