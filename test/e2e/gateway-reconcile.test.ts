/**
 * Reconciliation against the real paper broker (src/node/reconcile.ts, docs/gateway.md): the
 * broker's positions and working orders are the truth; a mismatch halts the account, is
 * journaled as an alert naming the symbol and both quantities, and is corrected by synthetic
 * events; a clean pass makes the account ACTIVE again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokerAdapter, BrokerPosition } from '../../src/adapters/broker.ts';
import type { PaperBroker } from '../../src/adapters/paper/index.ts';
import { formatFixed, parseFixed } from '../../src/domain/money.ts';
import { boot, qty } from './gateway-harness.ts';

const CONFIG = 'risk: { rules: {} }\n';
const START = '2026-04-07T14:00:00.000Z';

/** The paper broker behind a link that can lose messages: while `lost`, order updates and fills never reach riskgate. */
function lossy(paper: PaperBroker): { broker: BrokerAdapter; link: { lost: boolean } } {
  const link = { lost: false };
  const broker = Object.create(paper) as BrokerAdapter;
  Object.assign(broker, {
    connect: () => paper.connect(),
    onOrder: (l: Parameters<BrokerAdapter['onOrder']>[0]) => paper.onOrder((o) => link.lost || l(o)),
    onFill: (l: Parameters<BrokerAdapter['onFill']>[0]) => paper.onFill((f) => link.lost || l(f)),
  });
  return { broker, link };
}

test('start-up: a broker position the node never saw is adopted at the broker average price', async (t) => {
  let rig = await boot(t, CONFIG, { start: START });
  rig.quote('MNQ', '18000.00', '18000.25');
  // Placed while riskgate is down (as after a crash: the venue kept trading).
  rig = await rig.restart(async () => {
    await rig.paper.connect();
    await rig.paper.placeOrder({
      account: 'A1',
      clientOrderId: 'manual-1',
      symbol: 'MNQ',
      side: 'buy',
      qty: qty(2),
      type: 'market',
    });
    await rig.paper.placeOrder({
      account: 'A1',
      clientOrderId: 'manual-2',
      symbol: 'MNQ',
      side: 'sell',
      qty: qty(1),
      type: 'limit',
      limitPrice: parseFixed('18100'),
    });
  });
  const { node } = rig;
  const alerts = rig.records('alert');
  assert.deepEqual(
    alerts.map((a) => `${String(a.mismatch)} ${String(a.symbol)} ${String(a.engineQty)}/${String(a.brokerQty)}`),
    ['position MNQ 0/2', 'order_unknown_to_engine MNQ 0/1'],
  );
  assert.match(String(alerts[0]!.reason), /position mismatch MNQ: engine 0, broker 2/);
  // HALTED while correcting, then REDUCING (probation).
  assert.deepEqual(
    rig.records('trading_state').map((s) => s.state),
    ['HALTED', 'REDUCING'],
  );
  assert.deepEqual(
    node.queries.positions('A1').map((p) => `${p.symbol} ${p.qty} @ ${p.avgPrice}`),
    ['MNQ 2 @ 18000.25'],
  );
  assert.deepEqual(
    node.queries.orders('A1', 'working').map((o) => o.orderId),
    ['manual-2'],
    'the working order is known to the engine',
  );
  assert.equal(rig.state(), 'REDUCING');
  assert.deepEqual(node.queries.risk('A1')?.stateReasons, [
    'reconcile correction: probation until a clean reconcile pass',
  ]);
  // Probation: an opening order waits, a close passes.
  const open = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(1), type: 'market' });
  assert.equal(open.status === 'rejected' && open.codes[0], 'TRADING_STATE_REDUCING');
  // A clean pass ends the probation.
  assert.deepEqual(await node.reconcile(), []);
  assert.equal(rig.state(), 'ACTIVE');
  assert.deepEqual(
    rig.records('trading_state').map((s) => s.state),
    ['HALTED', 'REDUCING', 'ACTIVE'],
  );
});

test('the engine holds more than the broker, or the other side: closed at the mark, opened at the broker price', async (t) => {
  let net: ReturnType<typeof lossy> | undefined;
  const rig = await boot(t, CONFIG, { start: START, broker: (p) => (net = lossy(p)).broker });
  const { node, paper } = rig;
  rig.quote('ES', '5189.75', '5190.00');
  assert.equal(
    (await node.submitOrder({ account: 'A1', symbol: 'ES', side: 'buy', qty: qty(2), type: 'market' })).status,
    'routed',
  );
  // The venue closes the long 2 ES and the news never arrives (a lost connection, a bust).
  net!.link.lost = true;
  await paper.placeOrder({
    account: 'A1',
    clientOrderId: 'unseen-1',
    symbol: 'ES',
    side: 'sell',
    qty: qty(2),
    type: 'market',
  });
  net!.link.lost = false;
  rig.quote('ES', '5200.00', '5200.25');
  await paper.placeOrder({
    account: 'A1',
    clientOrderId: 'short-1',
    symbol: 'ES',
    side: 'sell',
    qty: qty(1),
    type: 'market',
  });
  await node.idle();
  // The node saw that order's fill (it is subscribed): engine +1, broker −1.
  assert.deepEqual(
    node.queries.positions('A1').map((p) => `${p.symbol} ${p.qty}`),
    ['ES 1'],
  );
  assert.deepEqual(
    (await paper.getPositions('A1')).map((p) => `${p.symbol} ${formatFixed(p.qty)}`),
    ['ES -1'],
  );
  rig.quote('ES', '5210.00', '5210.25'); // the mark moves away from the broker's fill price
  const found = await node.reconcile();
  assert.deepEqual(
    found.map((m) => `${m.kind} ${m.symbol}`),
    ['position ES'],
  );
  const alerts = rig.records('alert');
  assert.deepEqual([alerts[0]!.symbol, alerts[0]!.engineQty, alerts[0]!.brokerQty], ['ES', '1', '-1']);
  assert.deepEqual(
    node.queries.positions('A1').map((p) => `${p.symbol} ${p.qty} @ ${p.avgPrice}`),
    ['ES -1 @ 5200'],
  );
  const corrections = rig.records('event').filter((e) => String(e.orderId).startsWith('reconcile:'));
  assert.deepEqual(
    corrections.map((e) => `${String(e.side)} ${String(e.qty)} @ ${String(e.price)}`),
    ['sell 1 @ 5210', 'sell 1 @ 5200'],
  );
  // The engine's long lots (5190): one closed by short-1 at 5200, one at the mark 5210 (ES: 50 per point).
  assert.equal(node.queries.risk('A1')?.day.grossRealizedPnl, String((5200 - 5190) * 50 + (5210 - 5190) * 50));
});

test('an order working in the engine but gone at the broker is marked cancelled', async (t) => {
  let net: ReturnType<typeof lossy> | undefined;
  const rig = await boot(t, CONFIG, { start: START, broker: (p) => (net = lossy(p)).broker });
  const { node, paper } = rig;
  rig.quote('MNQ', '18000.00', '18000.25');
  const placed = await node.submitOrder({
    account: 'A1',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'limit',
    limitPrice: parseFixed('17000'),
    clientOrderId: 'lost',
  });
  assert.ok(placed.status === 'routed');
  // Cancelled at the venue; the cancel never reaches riskgate.
  net!.link.lost = true;
  await paper.cancelOrder('A1', placed.order.orderId);
  net!.link.lost = false;
  assert.deepEqual(
    node.queries.orders('A1', 'working').map((o) => o.orderId),
    ['lost'],
  );
  const found = await node.reconcile();
  assert.deepEqual(
    found.map((m) => `${m.kind} ${m.orderId}`),
    ['order_not_at_broker lost'],
  );
  assert.deepEqual(node.queries.orders('A1', 'working'), []);
  assert.equal(node.queries.orders('A1').find((o) => o.orderId === 'lost')?.status, 'cancelled');
});

test('a mismatch seen on one read only (a fill in flight) is not acted on', async (t) => {
  const reads = { armed: false, count: 0 };
  const rig = await boot(t, CONFIG, {
    start: START,
    broker: (paper) => {
      const b = Object.create(paper) as BrokerAdapter;
      Object.assign(b, {
        connect: () => paper.connect(),
        async getPositions(account: string): Promise<BrokerPosition[]> {
          const real = await paper.getPositions(account);
          if (!reads.armed) return real;
          reads.count++;
          return reads.count === 1 ? [{ account, symbol: 'MNQ', qty: qty(1), avgPrice: parseFixed('18000') }] : real;
        },
      });
      return b;
    },
  });
  reads.armed = true;
  assert.deepEqual(await rig.node.reconcile(), []);
  assert.equal(reads.count, 2);
  assert.deepEqual(rig.records('alert'), []);
  assert.equal(rig.state(), 'ACTIVE');
});
