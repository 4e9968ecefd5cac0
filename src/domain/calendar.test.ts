import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateLabel, localToUtc, TradingCalendar } from './calendar.ts';
import { isCmeTradingDay, weekdayOf } from './holidays.ts';

const ms = (iso: string) => Date.parse(iso);

test('17:00 Chicago: a fill at 16:59 CT is that day, at 17:00 the next (CST and CDT)', () => {
  const cal = new TradingCalendar();
  assert.equal(cal.dayOf(ms('2026-03-02T22:59:59.999Z')).label, '2026-03-02'); // Mon 16:59:59 CST
  assert.equal(cal.dayOf(ms('2026-03-02T23:00:00.000Z')).label, '2026-03-03'); // Mon 17:00 CST
  assert.equal(cal.dayOf(ms('2026-06-01T21:59:59.999Z')).label, '2026-06-01'); // CDT
  assert.equal(cal.dayOf(ms('2026-06-01T22:00:00.000Z')).label, '2026-06-02');
});

test('Sunday-evening activity belongs to Monday; Friday after 17:00 is Saturday', () => {
  const cal = new TradingCalendar();
  assert.equal(cal.dayOf(ms('2026-03-08T22:00:00.000Z')).label, '2026-03-09'); // Sun 17:00 CDT (DST day)
  assert.equal(cal.dayOf(ms('2026-03-08T21:59:00.000Z')).label, '2026-03-08');
  assert.equal(cal.dayOf(ms('2026-03-06T23:30:00.000Z')).label, '2026-03-07');
});

test('day bounds across the spring-forward change are 23 hours', () => {
  const cal = new TradingCalendar();
  const d = cal.dayOf(ms('2026-03-08T12:00:00.000Z'));
  assert.equal(d.label, '2026-03-08');
  assert.equal(new Date(d.start).toISOString(), '2026-03-07T23:00:00.000Z');
  assert.equal(new Date(d.end).toISOString(), '2026-03-08T22:00:00.000Z');
  assert.equal(cal.nextReset(ms('2026-03-08T12:00:00.000Z')), d.end);
});

test('a 00:00 reset names each day by its own date (24/7 crypto, UTC)', () => {
  const cal = new TradingCalendar('UTC', '00:00');
  assert.equal(cal.dayOf(ms('2026-03-07T00:00:00.000Z')).label, '2026-03-07');
  assert.equal(cal.dayOf(ms('2026-03-07T23:59:59.999Z')).label, '2026-03-07');
  assert.equal(cal.dayOf(ms('2026-03-08T00:00:00.000Z')).label, '2026-03-08');
});

test('reset times that do not exist or occur twice are taken at their first occurrence', () => {
  // 2026-11-01 01:30 occurs twice in Chicago: first at CDT (06:30Z).
  assert.equal(new Date(localToUtc('America/Chicago', 2026, 11, 1, 1, 30)).toISOString(), '2026-11-01T06:30:00.000Z');
  // 2026-03-08 02:30 does not exist: read with the offset before the change (CST) → 08:30Z.
  assert.equal(new Date(localToUtc('America/Chicago', 2026, 3, 8, 2, 30)).toISOString(), '2026-03-08T08:30:00.000Z');
  const cal = new TradingCalendar('America/Chicago', '01:30');
  const d = cal.dayOf(ms('2026-11-01T06:45:00.000Z'));
  assert.equal(d.label, '2026-11-01');
  assert.equal(new Date(d.start).toISOString(), '2026-11-01T06:30:00.000Z');
});

test('invalid zone or reset time are rejected', () => {
  assert.throws(() => new TradingCalendar('Mars/Base', '17:00'), /time zone/);
  assert.throws(() => new TradingCalendar('UTC', '24:00'), /HH:MM/);
});

test('CME calendar: weekends and holidays are not trading days', () => {
  assert.equal(weekdayOf('2026-11-27'), 5);
  assert.equal(isCmeTradingDay('2026-11-26'), false); // Thanksgiving
  assert.equal(isCmeTradingDay('2026-11-27'), true);
  assert.equal(isCmeTradingDay('2026-11-28'), false); // Saturday
  assert.equal(isCmeTradingDay('2027-07-05'), false); // observed
});

test('dateLabel: the civil date of every day from 1900 to 2200, as Date formats it', () => {
  const from = Date.UTC(1900, 0, 1);
  const to = Date.UTC(2200, 11, 31);
  let days = 0;
  for (let ms = from; ms <= to; ms += 86_400_000, days++) {
    const expected = new Date(ms).toISOString().slice(0, 10);
    if (dateLabel(ms) !== expected) assert.fail(`day ${ms}: ${dateLabel(ms)} != ${expected}`);
  }
  assert.equal(days, 109_938); // 301 years × 365 + 73 leap days
});
