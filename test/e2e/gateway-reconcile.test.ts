/**
 * Reconciliation against the real paper broker (src/node/reconcile.ts, docs/gateway.md): the
 * broker's positions and working orders are the truth; a mismatch halts the account, is
 * journaled as an alert naming the symbol and both quantities, and is corrected by synthetic
 * events; a clean pass makes the account ACTIVE again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokerAdapter, BrokerPosition } from '../../src/adapters/broker.ts';
import { formatFixed, parseFixed } from '../../src/domain/money.ts';
import { isoOf } from '../../src/domain/events.ts';
import { Reconciler } from '../../src/node/reconcile.ts';
import { boot, qty } from './gateway-harness.ts';

const CONFIG = 'risk: { rules: {} }\n';
const START = '2026-04-07T14:00:00.000Z';

test('start-up: a broker position the engine never saw is adopted at the broker average price', async () => {
  const rig = await boot(CONFIG, { start: START });
  rig.quote('MNQ', '18000.00', '18000.25');
  // Placed behind the gateway's back (as after a crash: the venue kept trading).
  await rig.gw.stop();
  await rig.paper.placeOrder({ account: 'A1', clientOrderId: 'manual-1', symbol: 'MNQ', side: 'buy', qty: qty(2), type: 'market' });
  await rig.paper.placeOrder({ account: 'A1', clientOrderId: 'manual-2', symbol: 'MNQ', side: 'sell', qty: qty(1), type: 'limit', limitPrice: parseFixed('18100') });
  const rec = new Reconciler(rig.gw);
  const found = await rec.runOnce(['A1']);
  assert.deepEqual(found.map((m) => `${m.kind} ${m.symbol} ${formatFixed(m.engineQty)}/${formatFixed(m.brokerQty)}`), ['position MNQ 0/2', 'order_unknown_to_engine MNQ 0/1']);
  const alerts = rig.journal.of('alert');
  assert.equal(alerts.length, 2);
  assert.deepEqual([alerts[0]!.symbol, alerts[0]!.engineQty, alerts[0]!.brokerQty], ['MNQ', '0', '2']);
  assert.match(String(alerts[0]!.reason), /position mismatch MNQ: engine 0, broker 2/);
  // HALTED while correcting, then REDUCING (probation).
  assert.deepEqual(rig.journal.of('trading_state').map((s) => s.state), ['HALTED', 'REDUCING']);
  const st = rig.gw.engine.account('A1').state;
  assert.equal(st.positions.get('MNQ')?.qty, qty(2));
  assert.deepEqual(st.positions.get('MNQ')?.lots.map((l) => formatFixed(l.price)), ['18000.25']);
  assert.ok(st.orders.has('manual-2'), 'the working order is known to the engine');
  assert.equal(rig.gw.tradingState('A1'), 'REDUCING');
  // Probation: an opening order waits, a close passes.
  const open = await rig.gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.equal(open.status === 'rejected' && open.codes[0], 'TRADING_STATE_REDUCING');
  // A clean pass ends the probation.
  assert.deepEqual(await rec.runOnce(['A1']), []);
  assert.equal(rig.gw.tradingState('A1'), 'ACTIVE');
  assert.deepEqual(rig.journal.of('trading_state').map((s) => s.state), ['HALTED', 'REDUCING', 'ACTIVE']);
});

test('the engine holds more than the broker, or the other side: closed at the mark, opened at the broker price', async () => {
  const rig = await boot(CONFIG, { start: START });
  rig.quote('ES', '5200.00', '5200.25');
  // The engine believes in a long 2 ES the broker never had (a lost cancel, a bust).
  rig.gw.apply({ ts: isoOf(rig.clock.now()), type: 'fill', account: 'A1', orderId: 'ghost', fillId: 'g1', symbol: 'ES', side: 'buy', qty: 2, price: '5190' });
  await rig.paper.placeOrder({ account: 'A1', clientOrderId: 'short-1', symbol: 'ES', side: 'sell', qty: qty(1), type: 'market' });
  // The gateway saw that order's fill (it is subscribed): engine +1, broker −1.
  assert.equal(rig.gw.engine.account('A1').state.positions.get('ES')?.qty, qty(1));
  rig.quote('ES', '5210.00', '5210.25'); // the mark moves away from the broker's fill price
  await new Reconciler(rig.gw).runOnce(['A1']);
  const alerts = rig.journal.of('alert');
  assert.deepEqual([alerts[0]!.symbol, alerts[0]!.engineQty, alerts[0]!.brokerQty], ['ES', '1', '-1']);
  const pos = rig.gw.engine.account('A1').state.positions.get('ES')!;
  assert.equal(pos.qty, qty(-1));
  assert.deepEqual(pos.lots.map((l) => formatFixed(l.price)), ['5200']);
  const corrections = rig.journal.of('event').filter((e) => String(e.orderId).startsWith('reconcile:'));
  assert.deepEqual(corrections.map((e) => `${String(e.side)} ${String(e.qty)} @ ${String(e.price)}`), ['sell 1 @ 5210', 'sell 1 @ 5200']);
  // The engine's long lot (5190) was closed at the mark: +20 points × 50 = +1000 realized.
  assert.equal(formatFixed(rig.gw.engine.account('A1').state.day.grossRealized), String((5200 - 5190) * 50 + (5210 - 5190) * 50));
});

test('an order working in the engine but gone at the broker is marked cancelled', async () => {
  const rig = await boot(CONFIG, { start: START });
  rig.gw.apply({ ts: isoOf(rig.clock.now()), type: 'order', account: 'A1', orderId: 'lost', symbol: 'MNQ', side: 'buy', qty: 1, orderType: 'limit', price: '17000' });
  const found = await new Reconciler(rig.gw).runOnce(['A1']);
  assert.deepEqual(found.map((m) => `${m.kind} ${m.orderId}`), ['order_not_at_broker lost']);
  assert.equal(rig.gw.engine.account('A1').state.orders.has('lost'), false);
});

test('a mismatch seen on one read only (a fill in flight) is not acted on', async () => {
  let reads = 0;
  const rig = await boot(CONFIG, {
    start: START,
    broker: (paper) => {
      const b = Object.create(paper) as BrokerAdapter;
      Object.assign(b, {
        connect: () => paper.connect(),
        async getPositions(account: string): Promise<BrokerPosition[]> {
          reads++;
          const real = await paper.getPositions(account);
          return reads === 1 ? [{ account, symbol: 'MNQ', qty: qty(1), avgPrice: parseFixed('18000') }] : real;
        },
      });
      return b;
    },
  });
  assert.deepEqual(await new Reconciler(rig.gw).runOnce(['A1']), []);
  assert.equal(reads, 2);
  assert.deepEqual(rig.journal.of('alert'), []);
  assert.equal(rig.gw.tradingState('A1'), 'ACTIVE');
});
