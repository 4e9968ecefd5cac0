/**
 * The shared broker contract (DESIGN §1: every venue adapter passes one suite), as plain async
 * checks so `riskgate readiness` runs them in the product and node:test wraps them
 * (test/contract/broker-contract.ts). A venue supplies a harness: a broker it can connect, an
 * account, a tradable symbol, its point value, and a way to put a market (bid/ask) in front of it so
 * marketable orders fill. Every check gets a fresh harness and tears it down.
 */
import assert from 'node:assert/strict';
import type { BrokerAdapter, Fill, Order, OrderRequest } from '../broker.ts';
import { mul, parseFixed, type Fixed } from '../../domain/money.ts';
import type { ReadinessCheck } from './readiness.ts';

export interface BrokerHarness {
  readonly broker: BrokerAdapter;
  readonly account: string;
  readonly symbol: string;
  /** Money per 1.0 of price per contract. */
  readonly pointValue: Fixed;
  /** Fee the venue charges per contract (0 when none). */
  readonly feePerContract: Fixed;
  /** Shows a market with these bid / ask (decimal strings) and enough size. */
  setMarket(bid: string, ask: string): Promise<void>;
  teardown?(): Promise<void>;
}

const q = (n: number): Fixed => BigInt(n) * 10n ** 18n;
const px = parseFixed;

type Req = (over: Partial<OrderRequest>) => OrderRequest;
type Body = (h: BrokerHarness, req: Req) => Promise<void>;

const CHECKS: readonly (readonly [string, Body])[] = [
  [
    'reports account state with canTrade and a balance',
    async (h) => {
      const a = await h.broker.getAccount(h.account);
      assert.equal(a.account, h.account);
      assert.equal(typeof a.canTrade, 'boolean');
      assert.equal(typeof a.balance, 'bigint');
    },
  ],
  [
    'places a resting limit order and finds it among open orders',
    async (h, req) => {
      const o = await h.broker.placeOrder(req({}));
      assert.equal(o.status, 'working');
      assert.equal(o.filledQty, 0n);
      const open = await h.broker.searchOpenOrders(h.account);
      assert.deepEqual(
        open.map((x) => x.orderId),
        [o.orderId],
      );
      assert.equal((await h.broker.getOrder(h.account, o.orderId)).limitPrice, px('90'));
      assert.deepEqual(await h.broker.searchOpenOrders(h.account, 'NO-SUCH-SYMBOL'), []);
    },
  ],
  [
    'is idempotent: the same client key never creates a second order',
    async (h, req) => {
      const r = req({ clientOrderId: 'same-key' });
      const a = await h.broker.placeOrder(r);
      const b = await h.broker.placeOrder(r);
      assert.equal(b.orderId, a.orderId);
      assert.equal((await h.broker.searchOpenOrders(h.account)).length, 1);
      await assert.rejects(h.broker.placeOrder({ ...r, qty: q(2) }), /ERR_ORDER_CONFLICT|different order/);
    },
  ],
  [
    'idempotent market order: a retry does not double the position',
    async (h, req) => {
      const r = req({ clientOrderId: 'mkt-key', type: 'market', limitPrice: undefined });
      await h.broker.placeOrder(r);
      await h.broker.placeOrder(r);
      const pos = await h.broker.getPositions(h.account);
      assert.deepEqual(
        pos.map((p) => [p.symbol, p.qty]),
        [[h.symbol, q(1)]],
      );
      assert.equal((await h.broker.getFills(h.account)).length, 1);
    },
  ],
  [
    'cancels a working order, and cancelling again is harmless',
    async (h, req) => {
      const o = await h.broker.placeOrder(req({}));
      const c = await h.broker.cancelOrder(h.account, o.orderId);
      assert.equal(c.status, 'cancelled');
      assert.equal((await h.broker.cancelOrder(h.account, o.orderId)).status, 'cancelled');
      assert.deepEqual(await h.broker.searchOpenOrders(h.account), []);
    },
  ],
  [
    'rejects cancelling an unknown order',
    async (h) => {
      await assert.rejects(h.broker.cancelOrder(h.account, 'no-such-order'), /ERR_ORDER_UNKNOWN|unknown order/);
    },
  ],
  [
    'modifies price and quantity of a working order',
    async (h, req) => {
      const o = await h.broker.placeOrder(req({}));
      const m = await h.broker.modifyOrder(h.account, o.orderId, { limitPrice: px('91.5'), qty: q(3) });
      assert.equal(m.limitPrice, px('91.5'));
      assert.equal(m.qty, q(3));
      assert.equal((await h.broker.getOrder(h.account, o.orderId)).limitPrice, px('91.5'));
    },
  ],
  [
    'fills a market buy at the ask and reports the fill',
    async (h, req) => {
      const o = await h.broker.placeOrder(req({ type: 'market', limitPrice: undefined, qty: q(2) }));
      const after = await h.broker.getOrder(h.account, o.orderId);
      assert.equal(after.status, 'filled');
      assert.equal(after.filledQty, q(2));
      const fills = await h.broker.getFills(h.account);
      assert.equal(fills.length, 1);
      assert.equal(fills[0]?.orderId, o.orderId);
      assert.equal(fills[0]?.price, px('100.25'));
      assert.equal(fills[0]?.side, 'buy');
    },
  ],
  [
    'nets positions per symbol and drops flat ones',
    async (h, req) => {
      const mkt = (side: 'buy' | 'sell', n2: number) =>
        h.broker.placeOrder(req({ side, type: 'market', limitPrice: undefined, qty: q(n2) }));
      await mkt('buy', 2);
      await mkt('sell', 3);
      let pos = await h.broker.getPositions(h.account);
      assert.deepEqual(
        pos.map((p) => [p.symbol, p.qty]),
        [[h.symbol, -q(1)]],
      );
      assert.equal(pos[0]?.avgPrice, px('100.00'));
      await mkt('buy', 1);
      pos = await h.broker.getPositions(h.account);
      assert.deepEqual(pos, []);
    },
  ],
  [
    'moves the balance by realized P&L net of fees',
    async (h, req) => {
      const before = (await h.broker.getAccount(h.account)).balance;
      await h.broker.placeOrder(req({ type: 'market', limitPrice: undefined }));
      await h.setMarket('101.00', '101.25');
      await h.broker.placeOrder(req({ side: 'sell', type: 'market', limitPrice: undefined }));
      const after = (await h.broker.getAccount(h.account)).balance;
      const gross = mul(px('101.00') - px('100.25'), h.pointValue);
      assert.equal(after - before, gross - 2n * h.feePerContract);
    },
  ],
  [
    'fills a resting limit when the market reaches it',
    async (h, req) => {
      const o = await h.broker.placeOrder(req({ limitPrice: px('99.50') }));
      assert.equal(o.status, 'working');
      await h.setMarket('99.25', '99.50');
      const after = await h.broker.getOrder(h.account, o.orderId);
      assert.equal(after.status, 'filled');
      assert.equal(after.avgFillPrice, px('99.50'));
    },
  ],
  [
    'delivers fills and order updates to subscribers until they unsubscribe',
    async (h, req) => {
      const fills: Fill[] = [];
      const orders: Order[] = [];
      const offFill = h.broker.onFill((f) => fills.push(f));
      const offOrder = h.broker.onOrder((o) => orders.push(o));
      const o = await h.broker.placeOrder(req({ type: 'market', limitPrice: undefined }));
      assert.equal(fills.length, 1);
      assert.equal(fills[0]?.orderId, o.orderId);
      assert.ok(orders.some((x) => x.orderId === o.orderId && x.status === 'filled'));
      offFill();
      offOrder();
      await h.broker.placeOrder(req({ side: 'sell', type: 'market', limitPrice: undefined }));
      assert.equal(fills.length, 1);
    },
  ],
  [
    'delivers quotes to quote subscribers',
    async (h) => {
      const seen: string[] = [];
      const off = h.broker.onQuote((qt) => seen.push(`${qt.symbol}:${String(qt.bid)}`));
      await h.setMarket('100.50', '100.75');
      off();
      await h.setMarket('100.00', '100.25');
      assert.deepEqual(seen, [`${h.symbol}:${String(px('100.50'))}`]);
    },
  ],
  [
    'reduce-only orders never open a position',
    async (h, req) => {
      const o = await h.broker.placeOrder(
        req({ side: 'sell', type: 'market', limitPrice: undefined, reduceOnly: true }),
      );
      assert.notEqual((await h.broker.getOrder(h.account, o.orderId)).status, 'filled');
      assert.deepEqual(await h.broker.getPositions(h.account), []);
    },
  ],
];

/** The contract's checks for one venue: each connects a fresh harness, shows a market, runs, tears down. */
export function brokerContractChecks(makeHarness: () => Promise<BrokerHarness>): ReadinessCheck[] {
  return CHECKS.map(([name, body]) => ({
    name,
    run: async () => {
      const h = await makeHarness();
      let n = 0;
      const req: Req = (over) => ({
        account: h.account,
        clientOrderId: `k-${++n}`,
        symbol: h.symbol,
        side: 'buy',
        qty: q(1),
        type: 'limit',
        limitPrice: px('90'),
        ...over,
      });
      try {
        await h.broker.connect();
        await h.setMarket('100.00', '100.25');
        await body(h, req);
      } finally {
        await h.broker.disconnect().catch(() => undefined);
        await h.teardown?.();
      }
    },
  }));
}
