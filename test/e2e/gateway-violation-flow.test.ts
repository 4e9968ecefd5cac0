/**
 * The live gateway end to end with the real paper broker (DESIGN §1, §3 RULE-003): fills → daily
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

test('violation flow: breach → cancel + flatten at the broker → lock → reject → reset → trading again', async () => {
  // Tuesday 2026-04-07; the trading day ends 17:00 CDT = 22:00Z.
  const rig = await boot(CONFIG, { start: '2026-04-07T14:00:00.000Z' });
  const { gw, paper } = rig;
  rig.quote('MNQ', '18000.00', '18000.25');

  const entry = await gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(3), type: 'market' });
  assert.equal(entry.status, 'routed');
  const resting = await gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'limit', limitPrice: 17000n * 10n ** 18n });
  assert.equal(resting.status, 'routed');
  assert.equal((await paper.searchOpenOrders('A1')).length, 1);
  assert.equal(gw.tradingState('A1'), 'ACTIVE');

  rig.clock.set('2026-04-07T14:30:00.000Z');
  rig.quote('MNQ', '17850.00', '17850.25');
  // A close of 2 of 3: (17850 − 18000.25) × 2 × 2 = −601 < −500.
  const close = await gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'sell', qty: qty(2), type: 'market' });
  assert.equal(close.status, 'routed');
  await gw.idle();

  const breach = rig.decisions.find((d) => d.kind === 'breach' && d.rule === 'RULE-003');
  assert.ok(breach, 'RULE-003 breached');
  // The broker confirms: nothing working, nothing held.
  assert.deepEqual(await paper.searchOpenOrders('A1'), []);
  assert.deepEqual(await paper.getPositions('A1'), []);
  assert.equal(gw.engine.account('A1').state.positions.get('MNQ')?.qty, 0n);
  const enf = rig.journal.of('enforcement');
  assert.deepEqual([...new Set(enf.filter((e) => e.status === 'confirmed').map((e) => e.kind))].sort(), ['cancel_orders', 'close_all']);
  // Journaled before the broker was called: the close_all request precedes the flatten's fill.
  const kinds = rig.journal.entries.map((e) => `${e.kind}:${(e.body as { type?: string; status?: string; kind?: string }).type ?? (e.body as { status?: string }).status}`);
  const requested = rig.journal.entries.findIndex((e) => e.kind === 'enforcement' && (e.body as { kind: string; status: string }).kind === 'close_all');
  const flattenFill = rig.journal.entries.findIndex((e, i) => i > requested && e.kind === 'event' && (e.body as { type: string; orderId?: string }).type === 'fill' && String((e.body as { orderId: string }).orderId).includes('close_all'));
  assert.ok(requested >= 0 && flattenFill > requested, `enforcement journaled before its fill: ${kinds.join(' ')}`);
  // Exactly one flatten: the broker's fills sell 2 (the close) + 1 (the flatten).
  const sells = (await paper.getFills('A1')).filter((f) => f.side === 'sell').map((f) => formatFixed(f.qty));
  assert.deepEqual(sells, ['2', '1']);

  // Locked until the reset: a new opening order is rejected with the rule's code.
  assert.equal(gw.tradingState('A1'), 'REDUCING');
  rig.clock.set('2026-04-07T21:59:59.000Z');
  const blocked = await gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.equal(blocked.status, 'rejected');
  if (blocked.status === 'rejected') {
    assert.deepEqual(blocked.rules, ['RULE-003']);
    assert.deepEqual(blocked.codes, ['LOCKED']);
  }
  assert.deepEqual(await paper.getPositions('A1'), []);

  // 17:00 CDT: a new trading day, the lock is gone.
  rig.clock.set('2026-04-07T22:00:01.000Z');
  rig.quote('MNQ', '17860.00', '17860.25');
  await gw.tick();
  assert.equal(gw.tradingState('A1'), 'ACTIVE');
  const again = await gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.equal(again.status, 'routed');
  await gw.idle();
  const pos = await paper.getPositions('A1');
  assert.deepEqual(pos.map((p) => [p.symbol, formatFixed(p.qty)]), [['MNQ', '1']]);
  assert.equal(gw.engine.account('A1').state.positions.get('MNQ')?.qty, qty(1));
  assert.deepEqual(rig.errors, []);
});
