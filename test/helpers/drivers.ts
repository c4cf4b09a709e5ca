import { sensorSchema } from '../../src/config/schema.js';

/** The driver names the config accepts, as zod reports them for an unknown driver. */
function driverList(): string {
  const r = sensorSchema.safeParse({ driver: '\u0000' });
  const issue = r.success ? undefined : r.error.issues.find((i) => 'options' in i);
  const options =
    issue && 'options' in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : [];
  return options.map(String).join(', ');
}

export const DRIVER_LIST = driverList();
