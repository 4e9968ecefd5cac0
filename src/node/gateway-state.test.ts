import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromInt } from '../domain/money.ts';
import { isRiskReducing, NewOrderLane, stateOf, TradingFlags } from './gateway-state.ts';

const q = fromInt;

test('risk-reducing: reduce-only always; a close is the opposite side for at most the position', () => {
  assert.equal(isRiskReducing(q(3), { side: 'sell', qty: q(3) }), true);
  assert.equal(isRiskReducing(q(3), { side: 'sell', qty: q(1) }), true);
  assert.equal(isRiskReducing(q(3), { side: 'sell', qty: q(4) }), false, 'a flip opens the other side');
  assert.equal(isRiskReducing(q(3), { side: 'buy', qty: q(1) }), false);
  assert.equal(isRiskReducing(q(-2), { side: 'buy', qty: q(2) }), true);
  assert.equal(isRiskReducing(0n, { side: 'sell', qty: q(1) }), false);
  assert.equal(isRiskReducing(0n, { side: 'sell', qty: q(1), reduceOnly: true }), true);
});

test('new-order lane: burst, then refill at the rate', () => {
  const lane = new NewOrderLane(2, 3);
  assert.deepEqual([lane.take(0), lane.take(0), lane.take(0), lane.take(0)], [true, true, true, false]);
  assert.equal(lane.take(400), false, '0.8 token after 400 ms');
  assert.equal(lane.take(500), true, '1 token after 500 ms');
  lane.drain();
  assert.equal(lane.take(500), false);
});

test('trading state: HALTED over REDUCING over ACTIVE; halts clear per cause', () => {
  const f = new TradingFlags();
  assert.equal(stateOf({ halted: f.haltReasons('A1'), reducing: [] }), 'ACTIVE');
  f.halt('A1', 'reconcile', 'mismatch');
  f.halt('A1', 'enforcement:k', 'failed');
  assert.equal(stateOf({ halted: f.haltReasons('A1'), reducing: ['lock'] }), 'HALTED');
  f.clearHalt('A1', 'reconcile');
  assert.deepEqual(f.haltReasons('A1'), ['failed']);
  f.clearHalt('A1');
  assert.equal(stateOf({ halted: f.haltReasons('A1'), reducing: ['lock'] }), 'REDUCING');
});
