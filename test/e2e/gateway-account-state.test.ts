/**
 * Broker account state → `account` events (RULE-010 auth_loss_guard): the venue withdraws
 * trading permission, the next reconcile pass reports it, the engine closes everything and locks
 * until canTrade=true, the flatten goes through (reduce-only passes a canTrade=false account), and
 * trading resumes when the venue allows it again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boot, qty } from './gateway-harness.ts';

test('canTrade=false at the broker: close all, locked until canTrade=true, then trading again', async (t) => {
  const rig = await boot(t, 'risk:\n  rules:\n    RULE-010: {}\n', { start: '2026-04-07T14:00:00.000Z' });
  const { node } = rig;
  rig.quote('MNQ', '18000.00', '18000.25');
  assert.equal(
    (await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' })).status,
    'routed',
  );

  rig.paper.exchange.setCanTrade('A1', false);
  rig.clock.advance(1_000);
  await node.reconcile();
  await node.idle();
  assert.ok(rig.decisions().some((d) => d.kind === 'breach' && d.rule === 'RULE-010'));
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.deepEqual(node.queries.positions('A1'), []);
  assert.equal(node.queries.risk('A1')?.canTrade, false);
  assert.equal(rig.state(), 'REDUCING');
  const blocked = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.deepEqual(blocked.status === 'rejected' && blocked.rules, ['RULE-010']);

  rig.paper.exchange.setCanTrade('A1', true);
  rig.clock.advance(1_000);
  await node.reconcile();
  assert.ok(rig.decisions().some((d) => d.kind === 'unlock' && d.rule === 'RULE-010'));
  assert.equal(rig.state(), 'ACTIVE');
  assert.equal(
    (await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' })).status,
    'routed',
  );
  const accountEvents = rig
    .records('event')
    .filter((e) => e.type === 'account')
    .map((e) => e.canTrade);
  assert.deepEqual(accountEvents, [true, false, true]);
});
