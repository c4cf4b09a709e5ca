import t from 'tap';
import { inWindow, localMinutes, parseClock } from '../../src/rules/timeofday.js';

t.test('time windows, including ones across midnight', async (t) => {
  t.equal(parseClock('06:30'), 390);
  t.ok(inWindow(parseClock('23:00'), parseClock('22:00'), parseClock('06:00')));
  t.ok(inWindow(parseClock('00:10'), parseClock('22:00'), parseClock('06:00')));
  t.notOk(inWindow(parseClock('06:00'), parseClock('22:00'), parseClock('06:00')), 'the end is exclusive');
  t.notOk(inWindow(parseClock('12:00'), parseClock('22:00'), parseClock('06:00')));
  t.ok(inWindow(parseClock('12:00'), parseClock('08:00'), parseClock('18:00')));
  t.ok(inWindow(parseClock('03:00'), parseClock('07:00'), parseClock('07:00')), 'equal ends: all day');
});

t.test('local minutes of a capture time follow the host time zone', async (t) => {
  const d = new Date(2026, 10, 29, 22, 15, 30); // local time
  t.equal(localMinutes(BigInt(d.getTime()) * 1_000_000n), 22 * 60 + 15.5);
});
