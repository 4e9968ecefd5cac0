import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { localToUtc, TradingCalendar, dateLabel, type TradingDay } from './calendar.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The DESIGN §2 definition computed directly with luxon lookups (slow, obviously right). */
function referenceDayOf(zone: string, reset: string, ts: number): TradingDay {
  const [h, m] = reset.split(':').map(Number) as [number, number];
  const boundaryOn = (dateMs: number) => {
    const d = new Date(dateMs);
    return localToUtc(zone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, m);
  };
  const local = DateTime.fromMillis(ts, { zone });
  const localDate = Date.UTC(local.year, local.month - 1, local.day);
  const b = boundaryOn(localDate);
  const startDate = ts >= b ? localDate : localDate - DAY;
  const start = ts >= b ? b : boundaryOn(startDate);
  const end = ts >= b ? boundaryOn(localDate + DAY) : b;
  return { label: dateLabel(h >= 12 ? startDate + DAY : startDate), start, end };
}

describe('TradingCalendar (cached zone offsets)', () => {
  // Zones with DST on both hemispheres, a half-hour zone, a zone that changed its rules, no DST.
  const cases: Array<[string, string]> = [
    ['America/Chicago', '17:00'],
    ['America/New_York', '00:00'],
    ['Europe/London', '01:30'],
    ['Australia/Sydney', '08:00'],
    ['Asia/Kolkata', '09:15'],
    ['Europe/Moscow', '18:45'],
    ['UTC', '00:00'],
  ];
  for (const [zone, reset] of cases) {
    it(`gives the same trading days as the direct luxon definition in ${zone} (reset ${reset}), 2007-2010`, () => {
      const fast = new TradingCalendar(zone, reset);
      const sequential = new TradingCalendar(zone, reset);
      let days = 0;
      // Engine-style walk: dayOf at each reset (the next day) ...
      for (let d = sequential.dayOf(Date.UTC(2007, 0, 1)); d.end < Date.UTC(2011, 0, 1); days++) {
        const fresh = referenceDayOf(zone, reset, d.end);
        d = sequential.dayOf(d.end);
        assert.deepEqual(d, fresh);
      }
      assert.ok(days > 1400);
      // ... and arbitrary instants (every 11 h, so all hours of the day are visited).
      for (let t = Date.UTC(2007, 0, 1); t < Date.UTC(2011, 0, 1); t += 11 * HOUR)
        assert.deepEqual(fast.dayOf(t), referenceDayOf(zone, reset, t), `${zone} ${new Date(t).toISOString()}`);
    });
  }
});
