import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TradingCalendar } from '../domain/calendar.ts';
import { BacktestCalendar } from './backtest-calendar.ts';

const HOUR = 3_600_000;

describe('BacktestCalendar', () => {
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
    it(`gives the same trading days as TradingCalendar in ${zone} (reset ${reset}), hour by hour, 2007-2010`, () => {
      const fast = new BacktestCalendar(zone, reset);
      const sequential = new BacktestCalendar(zone, reset);
      let days = 0;
      // Engine-style walk: dayOf at each reset (the next day) ...
      for (let d = sequential.dayOf(Date.UTC(2007, 0, 1)); d.end < Date.UTC(2011, 0, 1); days++) {
        const fresh = new TradingCalendar(zone, reset).dayOf(d.end);
        d = sequential.dayOf(d.end);
        assert.deepEqual(d, fresh);
      }
      assert.ok(days > 1400);
      // ... and arbitrary instants (every 11 h, so all hours of the day are visited).
      for (let t = Date.UTC(2007, 0, 1); t < Date.UTC(2011, 0, 1); t += 11 * HOUR)
        assert.deepEqual(
          fast.dayOf(t),
          new TradingCalendar(zone, reset).dayOf(t),
          `${zone} ${new Date(t).toISOString()}`,
        );
    });
  }
});
