/**
 * Orders riskgate did not route (placed at the venue directly) still reach the engine; in enforce
 * mode one the pre-trade check rejects is cancelled at the broker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../src/domain/money.ts';
import { boot, qty } from './gateway-harness.ts';

test('an opening order placed behind riskgate in a blocked symbol is cancelled at the broker', async (t) => {
  const rig = await boot(t, 'risk:\n  rules:\n    RULE-011: { blocked: ["CL*"] }\n', {
    start: '2026-04-07T14:00:00.000Z',
  });
  await rig.paper.placeOrder({
    account: 'A1',
    clientOrderId: 'venue-1',
    symbol: 'CLZ6',
    side: 'buy',
    qty: qty(1),
    type: 'limit',
    limitPrice: parseFixed('60'),
  });
  await rig.paper.placeOrder({
    account: 'A1',
    clientOrderId: 'venue-2',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'limit',
    limitPrice: parseFixed('17000'),
  });
  await rig.node.idle();
  const open = await rig.paper.searchOpenOrders('A1');
  assert.deepEqual(
    open.map((o) => o.clientOrderId),
    ['venue-2'],
    'the blocked symbol was cancelled, the other one left alone',
  );
  const rejections = rig.decisions().filter((d) => d.kind === 'rejection');
  assert.deepEqual(
    rejections.map((d) => `${String(d.rule)} ${String(d.orderId)}`),
    ['RULE-011 venue-1'],
  );
  // The engine saw both orders and the cancel.
  assert.deepEqual(
    rig.node.queries.orders('A1', 'working').map((o) => o.orderId),
    ['venue-2'],
  );
  assert.deepEqual(
    rig.node.queries
      .orders('A1')
      .map((o) => `${o.orderId} ${o.status}`)
      .sort(),
    ['venue-1 cancelled', 'venue-2 working'],
  );
  const statuses = rig
    .records('event')
    .filter((e) => e.type === 'order_status')
    .map((e) => `${String(e.orderId)} ${String(e.status)}`);
  assert.deepEqual(statuses, ['venue-1 cancelled']);
});

test('a fill the venue delivers twice (replay after a reconnect) is booked once', async (t) => {
  const rig = await boot(t, 'risk: { rules: {} }\n', {
    start: '2026-04-07T14:00:00.000Z',
    broker: (paper) => {
      const b = Object.create(paper) as typeof paper;
      Object.assign(b, {
        connect: () => paper.connect(),
        onFill: (l: Parameters<typeof paper.onFill>[0]) => paper.onFill((f) => (l(f), l(f))),
      });
      return b;
    },
  });
  rig.quote('MNQ', '18000.00', '18000.25');
  assert.equal(
    (await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(2), type: 'market' })).status,
    'routed',
  );
  assert.deepEqual(
    rig.node.queries.positions('A1').map((p) => `${p.symbol} ${p.qty}`),
    ['MNQ 2'],
  );
  assert.equal(rig.node.queries.fills('A1').length, 1);
  assert.equal(rig.records('event').filter((e) => e.type === 'fill').length, 1);
});
