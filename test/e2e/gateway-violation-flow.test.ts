/**
 * The trading node end to end with the real paper broker (DESIGN §1, §3 RULE-003): fills → daily
 * loss breach → working orders cancelled → flatten confirmed by the broker's positions → lock →
 * a new opening order is rejected with the rule code → reset at 17:00 America/Chicago → trading
 * again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../../src/domain/money.ts';
import { boot, qty } from './gateway-harness.ts';

const CONFIG = `
timezone: America/Chicago
resetTime: "17:00"
risk:
  rules:
    RULE-003: { limit: "500" }
`;

test('violation flow: breach → cancel + flatten at the broker → lock → reject → reset → trading again', async (t) => {
  // Tuesday 2026-04-07; the trading day ends 17:00 CDT = 22:00Z.
  const rig = await boot(t, CONFIG, { start: '2026-04-07T14:00:00.000Z' });
  const { node, paper } = rig;
  rig.quote('MNQ', '18000.00', '18000.25');

  const entry = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(3), type: 'market' });
  assert.equal(entry.status, 'routed');
  const resting = await node.submitOrder({
    account: 'A1',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'limit',
    limitPrice: 17000n * 10n ** 18n,
  });
  assert.equal(resting.status, 'routed');
  assert.equal((await paper.searchOpenOrders('A1')).length, 1);
  assert.equal(rig.state(), 'ACTIVE');

  rig.clock.set('2026-04-07T14:30:00.000Z');
  rig.quote('MNQ', '17850.00', '17850.25');
  // A close of 2 of 3: (17850 − 18000.25) × 2 × 2 = −601 < −500.
  const close = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'sell', qty: qty(2), type: 'market' });
  assert.equal(close.status, 'routed');
  await node.idle();

  const breach = rig.decisions().find((d) => d.kind === 'breach' && d.rule === 'RULE-003');
  assert.ok(breach, 'RULE-003 breached');
  assert.ok(
    rig.messages.some((m) => m.channel === 'violations' && m.data.kind === 'breach' && m.data.rule === 'RULE-003'),
    'the breach is published',
  );
  // The broker confirms: nothing working, nothing held; the node agrees.
  assert.deepEqual(await paper.searchOpenOrders('A1'), []);
  assert.deepEqual(await paper.getPositions('A1'), []);
  assert.deepEqual(node.queries.positions('A1'), []);
  assert.deepEqual(node.queries.orders('A1', 'working'), []);
  const enf = rig.records('enforcement');
  assert.deepEqual([...new Set(enf.filter((e) => e.status === 'confirmed').map((e) => e.kind))].sort(), [
    'cancel_orders',
    'close_all',
  ]);
  // Journaled before the broker was called: the close_all request precedes the flatten's fill.
  const all = node.journal({ limit: Number.MAX_SAFE_INTEGER });
  const kinds = all.map((r) => `${r.kind}:${String(r.body.type ?? r.body.status)}`);
  const requested = all.findIndex((r) => r.kind === 'enforcement' && r.body.kind === 'close_all');
  const flattenFill = all.findIndex(
    (r, i) =>
      i > requested && r.kind === 'event' && r.body.type === 'fill' && String(r.body.orderId).includes('close_all'),
  );
  assert.ok(requested >= 0 && flattenFill > requested, `enforcement journaled before its fill: ${kinds.join(' ')}`);
  // Exactly one flatten: the broker's fills sell 2 (the close) + 1 (the flatten).
  const sells = (await paper.getFills('A1')).filter((f) => f.side === 'sell').map((f) => formatFixed(f.qty));
  assert.deepEqual(sells, ['2', '1']);

  // Locked until the reset: a new opening order is rejected with the rule's code.
  assert.equal(rig.state(), 'REDUCING');
  assert.ok(
    node.queries.risk('A1')?.stateReasons.some((r) => r.startsWith('RULE-003')),
    `${node.queries.risk('A1')?.stateReasons.join('; ')}`,
  );
  rig.clock.set('2026-04-07T21:59:59.000Z');
  const blocked = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.equal(blocked.status, 'rejected');
  if (blocked.status === 'rejected') {
    assert.deepEqual(blocked.rules, ['RULE-003']);
    assert.deepEqual(blocked.codes, ['LOCKED']);
  }
  assert.deepEqual(await paper.getPositions('A1'), []);

  // 17:00 CDT: a new trading day, the lock is gone.
  rig.clock.set('2026-04-07T22:00:01.000Z');
  rig.quote('MNQ', '17860.00', '17860.25');
  await node.tick();
  assert.equal(rig.state(), 'ACTIVE');
  const again = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.equal(again.status, 'routed');
  await node.idle();
  const pos = await paper.getPositions('A1');
  assert.deepEqual(
    pos.map((p) => [p.symbol, formatFixed(p.qty)]),
    [['MNQ', '1']],
  );
  assert.deepEqual(
    node.queries.positions('A1').map((p) => [p.symbol, p.qty]),
    [['MNQ', 1]],
  );
  assert.deepEqual(rig.errors, []);
});
