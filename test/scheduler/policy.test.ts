import t from 'tap';
import { sensorPolicies } from '../../src/scheduler/policy.js';

t.test("a sensor's priority is the highest of its rules'; everyMs comes from the sensor", async (t) => {
  const p = sensorPolicies(
    [{ id: 'cam', everyMs: 250 }, { id: 'mic' }, { id: 'imu', everyMs: 'x' }],
    [
      { sensors: ['cam', 'mic'], priority: 2 },
      { sensors: ['cam'], priority: 5 },
      { sensors: ['mic'] },
      { sensors: ['unknown'], priority: 9 },
    ],
  );
  t.same(p, {
    cam: { everyMs: 250, priority: 5 },
    mic: { everyMs: 0, priority: 2 },
    imu: { everyMs: 0, priority: 1 },
  });
});
