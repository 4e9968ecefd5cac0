/**
 * Group commit of the order route against the real SQLite journal and paper broker: orders
 * submitted together are each at the venue only after their order event is committed (read from
 * a second connection at every `placeOrder`), and an order still waiting for its commit when an
 * admin lock begins is not routed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BrokerAdapter, OrderRequest } from '../../src/adapters/broker.ts';
import type { PaperBroker } from '../../src/adapters/paper/index.ts';
import { boot, qty } from './gateway-harness.ts';

const LANE = { node: { newOrderLane: { perSecond: 1000, burst: 1000 } } } as const;

/** The paper broker, noting at each placeOrder whether the order's event is committed in the journal. */
function committedCheck(paper: PaperBroker, dataDir: () => string) {
  const seen: { id: string; committed: boolean }[] = [];
  let db: Database.Database | undefined;
  const broker = Object.create(paper) as BrokerAdapter;
  Object.assign(broker, {
    connect: () => paper.connect(),
    placeOrder(req: OrderRequest) {
      db ??= new Database(path.join(dataDir(), 'journal.db'), { readonly: true });
      const row = db
        .prepare(`SELECT count(*) AS n FROM journal WHERE kind = 'event' AND body LIKE ? AND body LIKE ?`)
        .get('%"type":"order"%', `%"orderId":"${req.clientOrderId}"%`) as { n: number };
      seen.push({ id: req.clientOrderId, committed: row.n === 1 });
      return paper.placeOrder(req);
    },
  });
  return { broker, seen, close: () => db?.close() };
}

test('orders submitted together: each order event is committed before the order reaches the venue', async (t) => {
  let dir = '';
  let check: ReturnType<typeof committedCheck> | undefined;
  const rig = await boot(t, '{}', {
    start: '2026-04-07T14:00:00.000Z',
    ...LANE,
    broker: (p) => (check = committedCheck(p, () => dir)).broker,
  });
  dir = rig.dataDir;
  t.after(() => check?.close());
  rig.quote('MNQ', '18000.00', '18000.25');
  const ids = Array.from({ length: 20 }, (_, i) => `gc-${i}`);
  const rs = await Promise.all(
    ids.map((id) =>
      rig.node.submitOrder({
        account: 'A1',
        clientOrderId: id,
        symbol: 'MNQ',
        side: 'buy',
        qty: qty(1),
        type: 'market',
      }),
    ),
  );
  assert.deepEqual(
    rs.map((r) => r.status),
    ids.map(() => 'routed'),
  );
  assert.deepEqual(
    check!.seen.filter((s) => ids.includes(s.id)),
    ids.map((id) => ({ id, committed: true })),
  );
});

test('an order waiting for its commit when an admin lock begins is not routed; a close still is', async (t) => {
  const rig = await boot(t, '{}', { start: '2026-04-07T14:00:00.000Z', ...LANE });
  const { node } = rig;
  rig.quote('MNQ', '18000.00', '18000.25');
  const first = await node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(2), type: 'market' });
  assert.equal(first.status, 'routed');
  const before = (await rig.paper.searchOpenOrders('A1')).length;
  const opening = node.submitOrder({
    account: 'A1',
    clientOrderId: 'late',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'market',
  });
  const close = node.submitOrder({
    account: 'A1',
    clientOrderId: 'out',
    symbol: 'MNQ',
    side: 'sell',
    qty: qty(1),
    type: 'market',
  });
  node.lock('A1', 'desk stops the account');
  const [o, c] = await Promise.all([opening, close]);
  assert.deepEqual(o.status === 'rejected' && o.codes, ['TRADING_STATE_REDUCING']);
  assert.equal(c.status, 'routed');
  await node.idle();
  assert.equal((await rig.paper.searchOpenOrders('A1')).length, before);
  assert.equal(await rig.paper.getOrder('A1', 'late').catch(() => undefined), undefined, 'never at the venue');
  assert.ok(
    rig
      .records('gateway_decision')
      .some((b) => b.orderId === 'late' && /while the order was being journaled/.test(String(b.reason))),
  );
  const pos = await rig.paper.getPositions('A1');
  assert.deepEqual(
    pos.map((p) => p.qty),
    [qty(1)],
  );
});
