/**
 * Group commit of the order route: orders accepted in one turn share a journal flush, none
 * reaches the broker before the flush that covers its order event, and an order that waited is
 * re-checked (a lockout, HALTED, the user's cancel) before it is routed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { createEngine } from '../engine/factory.ts';
import { workingOrders } from '../engine/views.ts';
import type { JournalSink } from '../engine/journal-port.ts';
import { MemoryChain } from '../store/memory-chain.ts';
import { fromInt, ZERO } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { BrokerAdapter, Order, OrderRequest } from '../adapters/broker.ts';
import { Gateway, type NewOrder } from './gateway.ts';
import { GroupCommit } from './group-commit.ts';

const T0 = Date.parse('2026-04-07T14:00:00.000Z');

/** A journal that remembers each order event's seq, each flush, and how far it is durable. */
function recordingJournal(): JournalSink & { flushes: number; durable: number; orderSeq: Map<string, number> } {
  const chain = new MemoryChain();
  const j = {
    flushes: 0,
    durable: 0,
    orderSeq: new Map<string, number>(),
    append(e: Parameters<JournalSink['append']>[0]): void {
      chain.append(e as Parameters<MemoryChain['append']>[0]);
      const body = e.body as { type?: string; orderId?: string };
      if (e.kind === 'event' && body.type === 'order' && body.orderId) j.orderSeq.set(body.orderId, chain.head().seq);
    },
    head: () => chain.head(),
    flush(): void {
      j.flushes++;
      j.durable = chain.head().seq;
    },
  };
  return j;
}

/** A broker that accepts everything and records each order with the journal's durable seq at that moment. */
function recordingBroker(durable: () => number): BrokerAdapter & { placed: { req: OrderRequest; durable: number }[] } {
  const placed: { req: OrderRequest; durable: number }[] = [];
  const order = (r: OrderRequest, id: string, status: Order['status']): Order => ({
    orderId: id,
    clientOrderId: r.clientOrderId,
    account: r.account,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    filledQty: ZERO,
    avgFillPrice: undefined,
    type: r.type,
    limitPrice: r.limitPrice,
    stopPrice: r.stopPrice,
    trailAmount: undefined,
    reduceOnly: r.reduceOnly ?? false,
    ocoGroup: undefined,
    parentOrderId: undefined,
    status,
    reason: undefined,
    createdTs: T0,
    updatedTs: T0,
  });
  return {
    name: 'recording',
    placed,
    connect: async () => undefined,
    disconnect: async () => undefined,
    placeOrder: async (r) => (placed.push({ req: r, durable: durable() }), order(r, `B${placed.length}`, 'working')),
    cancelOrder: async () => {
      throw new Error('unknown order');
    },
    modifyOrder: async () => {
      throw new Error('unknown order');
    },
    searchOpenOrders: async () => [],
    getOrder: async () => {
      throw new Error('unknown order');
    },
    getPositions: async () => [],
    getFills: async () => [],
    getAccount: async (account) => ({ account, canTrade: true, balance: fromInt(50000) }),
    onFill: () => () => undefined,
    onOrder: () => () => undefined,
    onQuote: () => () => undefined,
  };
}

async function rig(config = '{}') {
  const engine = createEngine(configSchema.parse(parse(config)), 'enforce');
  const journal = recordingJournal();
  const broker = recordingBroker(() => journal.durable);
  const gw = new Gateway({
    engine,
    journal,
    broker,
    accounts: ['A1'],
    now: () => T0,
    newOrderLane: { perSecond: 1000, burst: 1000 },
  });
  await gw.start();
  await gw.idle();
  return { engine, journal, broker, gw };
}

const limitBuy = (id: string, qty = 1): NewOrder => ({
  account: 'A1',
  clientOrderId: id,
  symbol: 'MNQ',
  side: 'buy',
  qty: fromInt(qty),
  type: 'limit',
  limitPrice: fromInt(100),
});

test('orders accepted in one turn share one flush; none reaches the broker before its order event is durable', async () => {
  const { journal, broker, gw } = await rig();
  const flushesBefore = journal.flushes;
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gw.submitOrder(limitBuy(`o${i}`))));
  assert.ok(results.every((r) => r.status === 'routed'));
  assert.equal(broker.placed.length, 50);
  const flushes = journal.flushes - flushesBefore;
  assert.ok(flushes >= 1 && flushes < 50, `${flushes} flushes for 50 orders`);
  for (const p of broker.placed) {
    const seq = journal.orderSeq.get(p.req.clientOrderId);
    assert.ok(seq !== undefined, `order event of ${p.req.clientOrderId} journaled`);
    assert.ok(p.durable >= seq, `${p.req.clientOrderId}: placed at durable ${p.durable}, its event is ${seq}`);
  }
  // An order accepted after the shared flush started waits for a flush of its own.
  const late = await gw.submitOrder(limitBuy('late'));
  assert.equal(late.status, 'routed');
  assert.ok(broker.placed.at(-1)!.durable >= journal.orderSeq.get('late')!);
});

test('an opening order waiting for its flush when the account locks is not routed, and leaves the engine', async () => {
  const { engine, broker, gw } = await rig();
  const pending = gw.submitOrder(limitBuy('opening'));
  engine.lock(engine.account('A1'), { rule: 'ADMIN', until: 'admin', kind: 'lockout', since: T0, reason: 'by hand' });
  const r = await pending;
  assert.equal(r.status, 'rejected');
  assert.deepEqual(r.status === 'rejected' && r.codes, ['TRADING_STATE_REDUCING']);
  assert.match(r.status === 'rejected' ? r.reasons[0]! : '', /while the order was being journaled/);
  assert.equal(broker.placed.length, 0);
  assert.deepEqual(
    workingOrders(engine, 'A1').map((o) => o.orderId),
    [],
  );
});

test('a breach during the wait (canTrade lost, RULE-010) and HALTED stop opening orders; a close still goes reduce-only', async () => {
  const { engine, broker, gw } = await rig('risk: { rules: { RULE-010: {} } }');
  gw.apply({
    ts: isoOf(T0),
    type: 'fill',
    account: 'A1',
    orderId: 'seed',
    fillId: 'f1',
    symbol: 'MNQ',
    side: 'buy',
    qty: 2,
    price: '100',
  });
  const opening = gw.submitOrder(limitBuy('opening'));
  const close = gw.submitOrder({
    account: 'A1',
    clientOrderId: 'close',
    symbol: 'MNQ',
    side: 'sell',
    qty: fromInt(1),
    type: 'market',
  });
  gw.applyAccountState({ account: 'A1', canTrade: false, balance: fromInt(50000) });
  const [o, c] = await Promise.all([opening, close]);
  assert.equal(o.status, 'rejected', 'opening order routed after the lockout began');
  assert.equal(c.status, 'routed', 'a close is never blocked (invariant 1)');
  assert.deepEqual(
    broker.placed.map((p) => [p.req.clientOrderId, p.req.reduceOnly]),
    [['close', true]],
  );
  assert.ok(!workingOrders(engine, 'A1').some((w) => w.orderId === 'opening'));

  gw.applyAccountState({ account: 'A1', canTrade: true, balance: fromInt(50000) });
  const halted = gw.submitOrder(limitBuy('halted'));
  gw.flags.halt('A1', 'test', 'halted by the test');
  const h = await halted;
  assert.deepEqual(h.status === 'rejected' && h.codes, ['TRADING_STATE_HALTED']);
  assert.equal(broker.placed.length, 1);
});

test('a cancel of an order waiting for its flush ends it in the engine; it is never routed', async () => {
  const { engine, broker, gw } = await rig();
  const pending = gw.submitOrder(limitBuy('mine'));
  const other = gw.submitOrder(limitBuy('other'));
  const cancelled = await gw.cancelOrder('A1', 'mine');
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.clientOrderId, 'mine');
  const r = await pending;
  assert.deepEqual(r.status === 'rejected' && r.codes, ['ORDER_CANCELLED']);
  assert.equal((await other).status, 'routed');
  assert.deepEqual(
    broker.placed.map((p) => p.req.clientOrderId),
    ['other'],
  );
  assert.deepEqual(
    workingOrders(engine, 'A1').map((o) => o.orderId),
    ['other'],
  );
});

test('a failed flush routes nothing: the waiting orders end rejected and the error reaches each caller', async () => {
  const { engine, journal, broker, gw } = await rig();
  journal.flush = () => {
    throw new Error('disk full');
  };
  const rs = await Promise.allSettled([gw.submitOrder(limitBuy('a')), gw.submitOrder(limitBuy('b'))]);
  assert.deepEqual(
    rs.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  assert.equal(broker.placed.length, 0);
  assert.deepEqual(workingOrders(engine, 'A1'), []);
});

test('GroupCommit: one flush per turn, a later call waits for the next', async () => {
  let flushes = 0;
  const gc = new GroupCommit(() => void flushes++);
  const a = gc.durable();
  const b = gc.durable();
  assert.equal(a, b);
  assert.equal(flushes, 0, 'nothing flushed before the check phase');
  await a;
  assert.equal(flushes, 1);
  await gc.durable();
  assert.equal(flushes, 2);
});
