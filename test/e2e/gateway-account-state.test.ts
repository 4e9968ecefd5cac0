/**
 * Broker account state → `account` events (RULE-010 auth_loss_guard): the venue withdraws
 * trading permission, the next reconcile pass reports it, the engine closes everything and locks
 * until canTrade=true, the flatten goes through (reduce-only passes a canTrade=false account), and
 * trading resumes when the venue allows it again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reconciler } from '../../src/node/reconcile.ts';
import { boot, qty } from './gateway-harness.ts';

test('canTrade=false at the broker: close all, locked until canTrade=true, then trading again', async () => {
  const rig = await boot('risk:\n  rules:\n    RULE-010: {}\n', { start: '2026-04-07T14:00:00.000Z' });
  const rec = new Reconciler(rig.gw);
  rig.quote('MNQ', '18000.00', '18000.25');
  assert.equal((await rig.gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' })).status, 'routed');

  rig.paper.exchange.setCanTrade('A1', false);
  rig.clock.advance(1_000);
  await rec.runOnce(['A1']);
  await rig.gw.idle();
  assert.ok(rig.decisions.some((d) => d.kind === 'breach' && d.rule === 'RULE-010'));
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.equal(rig.gw.tradingState('A1'), 'REDUCING');
  const blocked = await rig.gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.deepEqual(blocked.status === 'rejected' && blocked.rules, ['RULE-010']);

  rig.paper.exchange.setCanTrade('A1', true);
  rig.clock.advance(1_000);
  await rec.runOnce(['A1']);
  assert.ok(rig.decisions.some((d) => d.kind === 'unlock' && d.rule === 'RULE-010'));
  assert.equal(rig.gw.tradingState('A1'), 'ACTIVE');
  assert.equal((await rig.gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' })).status, 'routed');
  const accountEvents = rig.journal.of('event').filter((e) => e.type === 'account').map((e) => e.canTrade);
  assert.deepEqual(accountEvents, [true, false, true]);
});
