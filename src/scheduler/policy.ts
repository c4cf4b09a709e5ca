/**
 * Per-sensor scheduling policy from the config: a sensor's rate limit is its own `everyMs`
 * (every driver's schema may carry it), and its round-robin weight is the highest `priority`
 * of the rules that use it, so a sensor an important rule watches is served more often.
 */
import type { SensorPolicy } from './types.js';

export interface PolicySensor {
  readonly id: string;
  readonly everyMs?: unknown;
}

export interface PolicyRule {
  readonly sensors: readonly string[];
  readonly priority?: number;
}

export function sensorPolicies(
  sensors: readonly PolicySensor[],
  rules: readonly PolicyRule[],
): Record<string, SensorPolicy> {
  const out: Record<string, SensorPolicy> = {};
  for (const s of sensors) {
    out[s.id] = { everyMs: typeof s.everyMs === 'number' ? s.everyMs : 0, priority: 1 };
  }
  for (const r of rules) {
    for (const id of r.sensors) {
      const p = out[id];
      if (p && r.priority !== undefined) p.priority = Math.max(p.priority ?? 1, r.priority);
    }
  }
  return out;
}
