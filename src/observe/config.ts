/**
 * The `http` config section (issue #11): where /healthz, /metrics and the live page are served,
 * the optional token, and the health policy /healthz applies. Embedded by src/config/schema.ts;
 * checkHttp runs in its superRefine (sensor ids are known only there).
 */
import { z } from 'zod';

export const healthPolicySchema = z
  .strictObject({
    sensors: z
      .array(z.string().min(1))
      .optional()
      .describe('ids of the sensors that must be healthy for /healthz to answer 200 (default: every sensor)'),
    degraded: z
      .enum(['healthy', 'unhealthy'])
      .default('healthy')
      .describe('whether a degraded sensor (still producing, with errors or drops) counts as healthy'),
    broker: z.boolean().default(true).describe('require the MQTT broker link to be up'),
  })
  .describe('what /healthz requires to answer 200');

export const httpSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('serve /healthz, /metrics and the live page'),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('address to listen on; 0.0.0.0 or :: opens it to the network (set a token then)'),
    port: z.number().int().min(0).max(65535).default(8080).describe('TCP port; 0 = any free port (logged)'),
    token: z.string().min(1).optional().describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the config's ${VAR} syntax
      'if set, every request except /healthz needs "Authorization: Bearer <token>" or ?token=<token>; use ${VAR} to keep it out of the file',
    ),
    health: healthPolicySchema.prefault({}),
  })
  .describe('the HTTP server: /healthz, /metrics (Prometheus) and the live page');

export type HttpConfig = z.output<typeof httpSchema>;
export type HealthPolicy = z.output<typeof healthPolicySchema>;

/** Cross-key checks of the http section: the health policy names configured sensors. */
export function checkHttp(
  http: { health: { sensors?: readonly string[] } },
  sensorIds: readonly string[],
  ctx: z.RefinementCtx,
  path: readonly string[] = ['http'],
): void {
  const known = new Set(sensorIds);
  http.health.sensors?.forEach((id, i) => {
    if (!known.has(id))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'health', 'sensors', i],
        message: `unknown sensor "${id}"; configured sensors: ${sensorIds.join(', ')}`,
      });
  });
}
