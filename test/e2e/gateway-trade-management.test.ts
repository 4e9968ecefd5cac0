/**
 * RULE-012 through the trading node: the engine decides a stop move, the broker's working stop
 * order follows (modifyOrder), journaled first; a stop that has moved protects at the new price.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed } from '../../src/domain/money.ts';
import { boot, qty } from './gateway-harness.ts';

const CONFIG = `
risk:
  rules:
    RULE-012: { breakevenAfterTicks: 4 }
`;

test('a breakeven stop move decided by RULE-012 is applied to the working stop at the broker', async (t) => {
  const rig = await boot(t, CONFIG, { start: '2026-04-07T14:00:00.000Z' });
  rig.quote('MNQ', '18000.00', '18000.25');
  assert.equal(
    (await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' })).status,
    'routed',
  );
  const stop = await rig.node.submitOrder({
    account: 'A1',
    symbol: 'MNQ',
    side: 'sell',
    qty: qty(1),
    type: 'stop',
    stopPrice: parseFixed('17990'),
  });
  assert.equal(stop.status, 'routed');
  rig.clock.advance(1_000);
  // +7 ticks over the 18000.25 entry: breakeven = 18000.25.
  rig.quote('MNQ', '18002.00', '18002.25');
  await rig.node.idle();
  const [working] = await rig.paper.searchOpenOrders('A1');
  assert.equal(formatFixed(working!.stopPrice!), '18000.25');
  const rec = rig.records('enforcement').find((e) => e.kind === 'move_stop');
  assert.equal(rec?.stopPrice, '18000.25');
  // The moved stop protects: a drop through breakeven closes the position there.
  rig.clock.advance(1_000);
  rig.quote('MNQ', '17999.00', '17999.25');
  await rig.node.idle();
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.deepEqual(rig.node.queries.positions('A1'), []);
  assert.equal(
    stop.status === 'routed' && rig.node.queries.fills('A1')[0]?.orderId,
    stop.status === 'routed' && stop.order.clientOrderId,
    'closed by the moved stop',
  );
  assert.deepEqual(rig.errors, []);
});
