import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TimerQueue } from './timers.ts';

/**
 * The reference: every armed timer in a list; a keyed one replaces the pending one with its key
 * and counts as armed now; due timers leave in (deadline, arming order).
 */
class Reference {
  private armed: { deadline: number; order: number; id?: string; label: string }[] = [];
  private order = 0;
  push(deadline: number, label: string, id?: string): void {
    if (id !== undefined) this.armed = this.armed.filter((t) => t.id !== id);
    this.armed.push({ deadline, order: this.order++, label, ...(id !== undefined ? { id } : {}) });
  }
  cancel(id: string): void {
    this.armed = this.armed.filter((t) => t.id !== id);
  }
  popDue(t: number): string | undefined {
    const due = this.armed
      .filter((x) => x.deadline <= t)
      .sort((a, b) => a.deadline - b.deadline || a.order - b.order)[0];
    if (!due) return undefined;
    this.armed = this.armed.filter((x) => x !== due);
    return due.label;
  }
  get size(): number {
    return this.armed.length;
  }
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('push' as const),
    deadline: fc.integer({ min: 0, max: 6 }),
    key: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ kind: fc.constant('pop' as const), t: fc.integer({ min: 0, max: 6 }) }),
);

test('property: timers fire in (deadline, arming order); re-arming a key moves it, cancelling drops it', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const q = new TimerQueue();
      const ref = new Reference();
      let n = 0;
      for (const o of ops) {
        if (o.kind === 'push') {
          const label = `t${n++}`;
          q.push({
            kind: 'rule',
            deadline: o.deadline,
            account: 'A',
            rule: 'RULE-009',
            ...(o.key !== undefined ? { key: o.key } : {}),
            data: label,
          });
          ref.push(o.deadline, label, o.key);
        } else if (o.kind === 'cancel') {
          q.cancel('A', 'RULE-009', o.key);
          ref.cancel(o.key);
        } else {
          for (;;) {
            const got = q.popDue(o.t);
            const want = ref.popDue(o.t);
            assert.equal(got?.data, want);
            if (want === undefined) break;
          }
        }
      }
      assert.equal(q.pending().length, ref.size);
    }),
    { numRuns: 500 },
  );
});

test('re-arming one key on every event keeps a single pending timer', () => {
  const q = new TimerQueue();
  for (let i = 0; i < 10_000; i++)
    q.push({ kind: 'rule', deadline: 1_000_000, account: 'A', rule: 'RULE-009', key: 'session-end' });
  assert.equal(q.size, 1);
  assert.equal(q.popDue(1_000_000)?.key, 'session-end');
  assert.equal(q.popDue(1_000_000), undefined);
});
