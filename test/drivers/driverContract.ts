/**
 * The contract every driver must pass (style.md §13), run against a factory the way MQTT.js runs
 * `abstractStoreTest(build)`:
 * - health() has the DriverHealth shape in every phase, and counters never go down;
 * - start() and stop() are idempotent, also when called concurrently; stop() before start() is fine;
 * - samples carry the driver's id and modality, a bigint capture time and a consistent payload;
 * - a running samples() iteration ends after stop(), and samples() after stop() ends at once;
 * - after stop(): no unhandled rejection, no timer left behind.
 *
 * - with `unpluggable`: health goes down after an emulated unplug and the driver reconnects and
 *   produces samples again after the replug.
 */
import type { TAP } from 'tap';
import type { Driver, DriverHealth, Sample } from '../../drivers/types.js';
import { tick, waitFor } from './poll.js';

export interface ContractOptions {
  /** The driver emits samples soon after start() (false for a driver that waits on an event). */
  producesSamples?: boolean;
  /** Builds a driver whose device the test can unplug and plug back (an emulator fault hook). */
  unpluggable?: () => Unpluggable | Promise<Unpluggable>;
}

export interface Unpluggable {
  driver: Driver;
  unplug(): void;
  replug(): void;
}

const FORMATS = new Set(['rgb24', 'gray8', 'gray16', 'y16_ck', 'z16_mm', 'celsius_f32', 'jpeg', 'png']);

/** Why a health snapshot breaks the DriverHealth contract, or undefined if it does not. */
export function healthProblem(h: DriverHealth): string | undefined {
  if (!['ok', 'degraded', 'down'].includes(h.state)) return `state "${h.state}"`;
  for (const [name, value] of Object.entries(h.counters)) {
    if (!(Number.isFinite(value) && value >= 0)) return `counter ${name} = ${value}`;
  }
  if (h.lastError !== undefined && typeof h.lastError !== 'string') return 'lastError is not a string';
  return undefined;
}

/** Why a sample breaks the Sample contract for `driver`, or undefined if it does not. */
export function sampleProblem(driver: Driver, s: Sample): string | undefined {
  if (s.sensor !== driver.id) return `sensor "${s.sensor}" is not the driver id "${driver.id}"`;
  if (s.modality !== driver.modality) return `modality ${s.modality} is not ${driver.modality}`;
  if (typeof s.t !== 'bigint' || s.t <= 0n) return `t ${String(s.t)} is not a positive bigint`;
  if (s.kind === 'window') {
    if (!(s.data instanceof Float32Array)) return 'window data is not a Float32Array';
    if (!(s.rate > 0 && Number.isInteger(s.channels) && s.channels > 0))
      return `rate ${s.rate}, channels ${s.channels}`;
    if (s.data.length === 0 || s.data.length % s.channels !== 0)
      return `${s.data.length} values for ${s.channels} channels`;
    return undefined;
  }
  if (!FORMATS.has(s.format)) return `format "${s.format}"`;
  const pixels = s.width * s.height;
  const expect: Record<string, [new (n: number) => ArrayBufferView, number]> = {
    rgb24: [Uint8Array, 3],
    gray8: [Uint8Array, 1],
    gray16: [Uint16Array, 1],
    y16_ck: [Uint16Array, 1],
    z16_mm: [Uint16Array, 1],
    celsius_f32: [Float32Array, 1],
  };
  const typed = expect[s.format];
  if (typed === undefined)
    return s.data instanceof Uint8Array && s.data.length > 0 ? undefined : 'empty encoded image';
  if (!(s.data instanceof typed[0])) return `${s.format} data is a ${s.data.constructor.name}`;
  if (s.data.length !== pixels * typed[1])
    return `${s.data.length} values for ${s.width}×${s.height} ${s.format}`;
  return undefined;
}

function noDecrease(before: DriverHealth, after: DriverHealth): string | undefined {
  for (const [name, value] of Object.entries(before.counters)) {
    if (!((after.counters[name] ?? -1) >= value))
      return `counter ${name} went from ${value} to ${after.counters[name]}`;
  }
  return undefined;
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function firstSample(driver: Driver): Promise<Sample | undefined> {
  for await (const s of driver.samples()) return s;
  return undefined;
}

export function driverContract(
  tap: Pick<TAP, 'test'>,
  name: string,
  make: () => Driver | Promise<Driver>,
  options: ContractOptions = {},
): void {
  const produces = options.producesSamples ?? true;

  tap.test(`${name}: driver contract`, async (t) => {
    t.test('start/stop are idempotent and health keeps its shape in every phase', async (t) => {
      const driver = await make();
      const phases: DriverHealth[] = [driver.health()];
      await driver.stop(); // before start
      await Promise.all([driver.start(), driver.start()]);
      await driver.start();
      phases.push(driver.health());
      if (produces) t.ok(await firstSample(driver), 'a sample arrives');
      phases.push(driver.health());
      await Promise.all([driver.stop(), driver.stop()]);
      await driver.stop();
      phases.push(driver.health());
      for (const h of phases) t.equal(healthProblem(h), undefined, `health ${h.state}`);
      t.not(phases[1].state, 'down', 'not down once started');
      t.equal(phases[3].state, 'down', 'down once stopped');
      phases.slice(1).forEach((h, i) => {
        t.equal(noDecrease(phases[i], h), undefined, 'counters are monotonic');
      });
    });

    t.test(
      'samples carry the driver id, modality, a capture time and a consistent payload',
      { skip: !produces },
      async (t) => {
        const driver = await make();
        await driver.start();
        const samples: Sample[] = [];
        for await (const s of driver.samples()) if (samples.push(s) >= 3) break;
        await driver.stop();
        t.ok(samples.length > 0);
        for (const s of samples) t.equal(sampleProblem(driver, s), undefined, `${s.kind} sample`);
      },
    );

    t.test('a running iteration ends after stop(); samples() after stop() ends at once', async (t) => {
      const driver = await make();
      await driver.start();
      let seen = 0;
      const reading = (async () => {
        for await (const _ of driver.samples()) seen++;
      })();
      if (produces) while (seen === 0) await tick();
      await driver.stop();
      await reading;
      t.pass('the iteration ended');
      const after = seen;
      for await (const _ of driver.samples()) t.fail('no sample after stop');
      t.equal(seen, after);
    });

    t.test('after stop(): no unhandled rejection, no timer left', async (t) => {
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown): void => {
        rejections.push(reason);
      };
      process.on('unhandledRejection', onRejection);
      t.teardown(() => {
        process.off('unhandledRejection', onRejection);
      });
      const before = timers();
      const driver = await make();
      await driver.start();
      if (produces) await firstSample(driver);
      await driver.stop();
      for (let i = 0; i < 20; i++) await tick();
      await new Promise((resolve) => setTimeout(resolve, 10));
      t.same(rejections, []);
      t.equal(timers(), before, 'no timer left');
    });

    const unpluggable = options.unpluggable;
    t.test('reconnects after an emulated unplug', { skip: unpluggable === undefined }, async (t) => {
      if (unpluggable === undefined) return;
      const { driver, unplug, replug } = await unpluggable();
      await driver.start();
      let seen = 0;
      const reading = (async () => {
        for await (const _ of driver.samples()) seen++;
      })();
      await waitFor(() => seen > 0, 'a first sample');
      unplug();
      await waitFor(() => driver.health().state === 'down', 'health down after the unplug');
      t.ok(driver.health().lastError, 'the error is recorded');
      const before = seen;
      replug();
      await waitFor(() => seen > before && driver.health().state === 'ok', 'samples again after the replug');
      await driver.stop();
      await reading;
      t.equal(driver.health().state, 'down');
    });
  });
}
