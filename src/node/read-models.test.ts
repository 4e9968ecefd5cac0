/** The node's read models: given journal-form events and decisions, then the lists the queries answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadModels } from './read-models.ts';

const order = (id: string, qty: number | string = 2) => ({
  ts: '2026-03-02T15:00:00.000Z',
  type: 'order',
  account: 'A1',
  orderId: id,
  symbol: 'MES',
  side: 'buy',
  qty,
  orderType: 'limit',
  price: '5000',
});
const fill = (id: string, qty: number | string, n: number) => ({
  ts: `2026-03-02T15:00:0${n}.000Z`,
  type: 'fill',
  account: 'A1',
  orderId: id,
  fillId: `f${n}`,
  symbol: 'MES',
  side: 'buy',
  qty,
  price: '5000',
});

test('partial fills add up exactly; the last one fills the order; a change and a status update it', () => {
  const m = new ReadModels();
  m.applyEvent(order('o1', '0.3'));
  m.applyEvent(fill('o1', '0.1', 1));
  assert.equal(m.ordersOfAccount('A1')[0]?.status, 'working');
  m.applyEvent(fill('o1', '0.2', 2));
  const o1 = m.ordersOfAccount('A1')[0]!;
  assert.equal(o1.filledQty, '0.3', 'decimal, not 0.30000000000000004');
  assert.equal(o1.status, 'filled');
  assert.equal(m.fillsOf('A1')[0]?.fillId, 'f2', 'newest first');
  assert.equal(m.fillsOf('A1')[0]?.fee, '0', 'a fill without a fee shows 0');

  m.applyEvent(order('o2'));
  m.applyEvent({
    ts: '2026-03-02T15:01:00.000Z',
    type: 'order_update',
    account: 'A1',
    orderId: 'o2',
    qty: 3,
    price: '4990',
  });
  assert.deepEqual(
    [m.ordersOfAccount('A1', 'working')[0]?.qty, m.ordersOfAccount('A1', 'working')[0]?.price],
    [3, '4990'],
  );
  m.applyEvent({
    ts: '2026-03-02T15:02:00.000Z',
    type: 'order_status',
    account: 'A1',
    orderId: 'o2',
    status: 'cancelled',
  });
  assert.equal(m.ordersOfAccount('A1', 'working').length, 0);
  assert.equal(m.ordersOfAccount('B9').length, 0, 'another account sees nothing of A1');
});

test('rejections mark their order; summaries and stop moves are not violations; lists stay bounded', () => {
  const m = new ReadModels(10);
  m.applyEvent(order('o1'));
  m.applyDecisionJson({
    ts: 'x',
    account: 'A1',
    kind: 'rejection',
    rule: 'RULE-001',
    action: 'reject',
    orderId: 'o1',
    reason: 'r',
    outcomes: [],
  });
  assert.deepEqual(m.ordersOfAccount('A1')[0]?.rejectedBy, ['RULE-001']);
  assert.equal(
    m.applyDecisionJson({
      ts: 'x',
      account: 'A1',
      kind: 'summary',
      rule: 'EOD',
      action: 'summary',
      reason: '',
      outcomes: [],
    }),
    undefined,
  );
  assert.equal(
    m.applyDecisionJson({
      ts: 'x',
      account: 'A1',
      kind: 'stop_move',
      rule: 'RULE-012',
      action: 'move_stop',
      reason: '',
      outcomes: [],
    }),
    undefined,
  );
  assert.equal(
    m.applyDecisionJson({
      ts: 'x',
      account: '*',
      kind: 'admin',
      rule: 'ADMIN',
      action: 'summary',
      reason: '',
      outcomes: [],
    }),
    undefined,
  );
  for (let i = 0; i < 40; i++) m.applyEvent(fill('o1', 1, i % 10));
  assert.equal(m.fillsOf('A1').length, 10, 'the newest `limit` fills');
  for (let i = 0; i < 40; i++) m.applyEvent(order(`w${i}`));
  for (let i = 0; i < 39; i++)
    m.applyEvent({
      ts: '2026-03-02T16:00:00.000Z',
      type: 'order_status',
      account: 'A1',
      orderId: `w${i}`,
      status: 'cancelled',
    });
  m.applyEvent(order('n1')); // the next order trims the finished ones down to the limit
  const orders = m.ordersOfAccount('A1');
  assert.equal(orders.length, 10, `${orders.length} orders kept`);
  assert.ok(
    orders.some((o) => o.orderId === 'w39' && o.status === 'working'),
    'working orders are never forgotten',
  );
  assert.equal(orders[0]?.orderId, 'n1');
});
