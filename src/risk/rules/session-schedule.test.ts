import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { inSession, nextOpen, sessionEnd, type Schedule } from './session-schedule.ts';

const SCHEDULES: Schedule[] = [
  {
    zone: 'America/Chicago',
    sessions: [{ start: '17:00', end: '16:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    holidays: 'cme',
  },
  {
    zone: 'America/New_York',
    sessions: [{ start: '09:30', end: '16:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    holidays: 'none',
  },
  // Touching windows (one session across them) and a window every day.
  {
    zone: 'Europe/London',
    sessions: [
      { start: '08:00', end: '12:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      { start: '12:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    ],
    holidays: 'none',
  },
  {
    zone: 'Asia/Tokyo',
    sessions: [{ start: '00:00', end: '00:00', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }],
    holidays: 'none',
  },
];

describe('session schedule', () => {
  it('remembered answers equal fresh ones, whatever order times are asked in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SCHEDULES),
        // Times in clusters (as fills come), across DST changes and CME holidays.
        fc.array(
          fc.tuple(
            fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
            fc.array(fc.integer({ min: 0, max: 30 * 3_600_000 }), { maxLength: 6 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (schedule, clusters) => {
          for (const [base, offsets] of clusters) {
            for (const t of [base, ...offsets.map((o) => base + o)]) {
              const fresh = (): Schedule => ({ ...schedule }); // a new object remembers nothing
              assert.equal(inSession(schedule, t), inSession(fresh(), t), `inSession ${new Date(t).toISOString()}`);
              assert.equal(sessionEnd(schedule, t), sessionEnd(fresh(), t), `sessionEnd ${new Date(t).toISOString()}`);
              const open = nextOpen(schedule, t);
              if (open !== undefined) assert.equal(sessionEnd(schedule, open), sessionEnd(fresh(), open));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a session ends at the first time no window covers', () => {
    const london = SCHEDULES[2]!;
    const t = Date.UTC(2026, 2, 4, 9, 0); // Wednesday 09:00 London (UTC+0 in March before DST)
    assert.equal(inSession(london, t), true);
    assert.equal(sessionEnd(london, t), Date.UTC(2026, 2, 4, 18, 0)); // through the 12:00 boundary
    assert.equal(sessionEnd(london, Date.UTC(2026, 2, 4, 13, 0)), Date.UTC(2026, 2, 4, 18, 0));
    assert.equal(inSession(london, Date.UTC(2026, 2, 4, 18, 0)), false);
    assert.equal(sessionEnd(london, Date.UTC(2026, 2, 4, 19, 0)), undefined);
  });
});
