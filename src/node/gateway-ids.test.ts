import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentMap, RecentSet } from './gateway-ids.ts';

test('an entry survives one rotation, is gone after the second, unless set again or kept', () => {
  const m = new RecentMap<string, number>();
  m.set('a', 1).set('b', 2).set('c', 3);
  m.rotate();
  assert.equal(m.get('a'), 1, 'kept for at least a whole generation');
  m.set('b', 20); // touched again: young again
  m.rotate((k) => k === 'c');
  assert.equal(m.has('a'), false);
  assert.equal(m.get('b'), 20);
  assert.equal(m.get('c'), 3, 'carried over by keep');
  assert.equal(m.size, 2);
  m.rotate();
  m.rotate();
  assert.equal(m.size, 0);
});

test('a set of ids stays bounded by what two generations hold', () => {
  const s = new RecentSet<string>();
  for (let day = 0; day < 50; day++) {
    for (let i = 0; i < 100; i++) s.add(`${day}-${i}`);
    assert.ok(s.has(`${day}-0`));
    if (day > 0) assert.ok(s.has(`${day - 1}-99`), 'yesterday is still remembered');
    if (day > 1) assert.equal(s.has(`${day - 2}-0`), false);
    s.rotate();
  }
  assert.equal(s.size, 100);
});
