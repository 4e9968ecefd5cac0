/**
 * A gateway running for weeks: the order and fill ids it remembers (duplicate fills after a
 * reconnect, broker ↔ engine ids) age out at trading-day resets instead of growing forever, while
 * an order working for days stays known (its later cancel is booked once, not re-announced).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../src/domain/money.ts';
import { boot, qty } from './gateway-harness.ts';

test('remembered ids stay bounded over 30 trading days; a multi-day working order stays known', async (t) => {
  const rig = await boot(t, 'risk: { rules: {} }\n', { start: '2026-04-06T14:00:00.000Z' });
  const DAY = 86_400_000;
  rig.quote('MNQ', '18000.00', '18000.25');
  const gtc = await rig.node.submitOrder({
    account: 'A1',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'limit',
    limitPrice: parseFixed('15000'),
  });
  assert.equal(gtc.status, 'routed');
  const sizes: number[] = [];
  for (let day = 0; day < 30; day++) {
    for (let i = 0; i < 10; i++) {
      rig.clock.advance(60_000);
      rig.quote('MNQ', '18000.00', '18000.25');
      assert.equal(
        (await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' })).status,
        'routed',
      );
      assert.equal(
        (await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'sell', qty: qty(1), type: 'market' }))
          .status,
        'routed',
      );
    }
    sizes.push(rig.node.queries.rememberedIds());
    rig.clock.advance(DAY - 10 * 60_000);
    await rig.node.tick(); // the daily reset
  }
  assert.deepEqual(rig.errors, []);
  // 20 orders and 20 fills a day: two days' worth at most, never the whole month.
  assert.ok(Math.max(...sizes) <= 2 * 20 * 5 + 10, `remembered ids per day: ${sizes.join(' ')}`);
  assert.ok(sizes[29]! <= sizes[3]! + 5, `no growth after the first days: ${sizes.join(' ')}`);
  assert.deepEqual(rig.node.queries.positions('A1'), []);
  assert.equal(rig.node.queries.orders('A1', 'working').length, 1, 'the order of day one still works');

  // The order placed 30 days ago is still working and still known: cancelling it books one
  // order_status, and the engine never saw it announced twice.
  if (gtc.status !== 'routed') throw new Error('unreachable');
  assert.equal((await rig.node.cancelOrder('A1', gtc.order.orderId)).status, 'cancelled');
  await rig.node.idle();
  const id = gtc.order.clientOrderId;
  assert.ok(id);
  const events = rig.records('event').filter((e) => e.orderId === id);
  assert.deepEqual(
    events.map((e) => `${String(e.type)} ${String(e.status ?? '')}`.trim()),
    ['order', 'order_status cancelled'],
  );
  assert.deepEqual(rig.node.queries.orders('A1', 'working'), []);
});
