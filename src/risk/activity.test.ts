import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { newAccountState } from './account.ts';
import {
  activityOf,
  filledOrdersSince,
  filledOrdersToday,
  lastFilledOrder,
  liveFilledOrders,
  noteFilledOrder,
  type FilledOrder,
} from './activity.ts';

const HOUR = 3_600_000;

/** The log as the rules define it: every first fill, pruned to the last hour plus the current day, each order once. */
class Reference {
  fills: FilledOrder[] = [];
  note(orderId: string, t: number, day: string): void {
    this.fills = this.fills.filter((f) => f.t > t - HOUR || f.day === day);
    if (this.fills.some((f) => f.orderId === orderId)) return;
    this.fills.push({ orderId, t, day });
  }
}

test('activity log: counts, last fill and snapshot view equal a plain list pruned on every fill', () => {
  // Mostly fills seconds apart (hundreds a day, so pruning after a new day drops many at once),
  // sometimes hours apart, and repeated order ids (partial fills count once).
  const step = fc.record({
    gap: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: HOUR / 2, max: 3 * HOUR }) },
    ),
    newDay: fc.nat(60).map((n) => n === 0),
    order: fc.oneof(fc.nat(30), fc.nat(100_000)),
  });
  fc.assert(
    fc.property(fc.array(step, { minLength: 200, maxLength: 800, size: 'max' }), (steps) => {
      const st = newAccountState('A', 0n, 'D0');
      const ref = new Reference();
      let t = Date.UTC(2026, 2, 2);
      let day = 0;
      for (const s of steps) {
        t += s.gap;
        if (s.newDay) st.day.label = `D${++day}`;
        const id = `o${s.order}`;
        noteFilledOrder(st, id, t);
        ref.note(id, t, st.day.label);
        assert.deepEqual(liveFilledOrders(activityOf(st)), ref.fills);
        assert.deepEqual([...activityOf(st).counted].sort(), ref.fills.map((f) => f.orderId).sort());
        assert.deepEqual(lastFilledOrder(activityOf(st)), ref.fills.at(-1));
        for (const w of [60_000, HOUR])
          assert.equal(filledOrdersSince(st, t, w), ref.fills.filter((f) => f.t > t - w && f.t <= t).length);
        assert.equal(filledOrdersToday(st), ref.fills.filter((f) => f.day === st.day.label).length);
      }
    }),
    { numRuns: 100 },
  );
});
