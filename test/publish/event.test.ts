import t from 'tap';
import {
  createEvent,
  decodeEvent,
  encodeEvent,
  eventSchema,
  formatEventLine,
  isoFromNs,
  roundScore,
} from '../../src/publish/event.js';
import { sampleEvent } from './publisherContract.js';

/** A capture time in ns, with sub-millisecond digits that the ISO time drops. */
const T = BigInt(Date.parse('2026-11-29T10:01:31.123Z')) * 1_000_000n + 456_789n;

t.test('createEvent: uuid v4 id, ISO UTC capture time, full-precision score', async (t) => {
  const e = sampleEvent({ t: T, score: 0.912345 });
  t.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.not(sampleEvent().id, e.id, 'a new id per event');
  t.equal(e.time, '2026-11-29T10:01:31.123Z');
  t.equal(e.score, 0.912345, 'rounding is for the wire only');
  t.equal(isoFromNs(0n), '1970-01-01T00:00:00.000Z');
});

t.test('createEvent refuses what breaks the schema, naming the field', async (t) => {
  t.throws(() => sampleEvent({ score: 1.2 }), { name: 'RangeError', message: /^invalid event: score:/ });
  t.throws(() => sampleEvent({ sensors: [] }), /sensors:/);
  t.throws(() => sampleEvent({ model: 'demo' }), /model: the model pack as name@version/);
  t.throws(() => sampleEvent({ prompt: '' }), /prompt:/);
  t.throws(() => createEvent({ ...baseInput(), type: 'begin' as 'start' }), /type:/);
});

t.test('wire form: schema key order, score rounded to 4 decimals, round trip', async (t) => {
  const e = sampleEvent({ score: 0.91235 });
  const text = encodeEvent(e);
  t.same(Object.keys(JSON.parse(text)), [
    'id',
    'node',
    'rule',
    'prompt',
    'type',
    'score',
    'sensors',
    'modality',
    'time',
    'model',
  ]);
  t.equal(JSON.parse(text).score, roundScore(0.91235));
  t.equal(roundScore(0.00005), 0.0001);
  t.equal(roundScore(0.99996), 1);
  t.same(decodeEvent(text), { ...e, score: roundScore(0.91235) });
  t.ok(eventSchema.safeParse(JSON.parse(text)).success);
});

t.test('decodeEvent rejects what a subscriber must not trust', async (t) => {
  t.throws(() => decodeEvent('{'), /event payload is not JSON/);
  const good = JSON.parse(encodeEvent(sampleEvent())) as Record<string, unknown>;
  t.throws(() => decodeEvent(JSON.stringify({ ...good, id: 'x' })), /id:/);
  t.throws(() => decodeEvent(JSON.stringify({ ...good, time: '2026-11-18 08:26' })), /time:/);
  t.throws(
    () => decodeEvent(JSON.stringify({ ...good, time: '2026-11-18T08:26:40+01:00' })),
    /time:/,
    'UTC only',
  );
  t.throws(() => decodeEvent(JSON.stringify({ ...good, extra: 1 })), /Unrecognized key/);
});

t.test('formatEventLine: one readable line', async (t) => {
  const e = sampleEvent({ t: T, score: 0.912345 });
  t.equal(
    formatEventLine(e),
    '2026-11-29T10:01:31.123Z START  person  score 0.91  thermal0 (thermal)  "a person"',
  );
  const multi = sampleEvent({
    t: T,
    type: 'update',
    rule: 'fall',
    prompt: 'someone "fell"',
    sensors: ['imu0', 'cam0'],
    modality: ['imu', 'vision'],
    score: 0.5,
  });
  t.equal(
    formatEventLine(multi),
    '2026-11-29T10:01:31.123Z UPDATE fall  score 0.50  imu0, cam0 (imu, vision)  "someone \\"fell\\""',
  );
  t.notMatch(formatEventLine(e), /\n/);
});

function baseInput() {
  return {
    node: 'kitchen',
    rule: 'person',
    prompt: 'a person',
    type: 'start' as const,
    score: 0.5,
    sensors: ['thermal0'],
    modality: ['thermal'],
    t: T,
    model: 'demo@1',
  };
}
