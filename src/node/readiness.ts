/**
 * `riskgate readiness --broker <kind>` (DESIGN §5): the adapter's own suites (contract, faults)
 * plus the reconciliation suite, which runs a real trading node against the adapter's fake: fills
 * and orders riskgate never heard of (its stream muted while they happen) must be found by a
 * reconcile pass, adopted, journaled, published on the bus, and hold the account REDUCING until a
 * clean pass.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrokerAdapter, OrderRequest } from '../adapters/broker.ts';
import { brokerEntry, brokerKinds } from '../adapters/registry.ts';
import {
  runReadiness,
  type ReadinessCheck,
  type ReadinessOptions,
  type ReadinessReport,
  type VenueHarness,
} from '../adapters/contract/readiness.ts';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import { AppError } from '../errors.ts';
import type { BusMessage } from './bus.ts';
import { TradingNode } from './node.ts';

/** Runs every suite of `kind` against its fake; `onCheck` sees each result as it comes. */
export async function brokerReadiness(
  kind: string,
  opts: ReadinessOptions & { readonly onCheck?: (suite: string, name: string, ok: boolean) => void } = {},
): Promise<ReadinessReport> {
  const entry = brokerEntry(kind);
  if (!entry)
    throw new AppError(
      'ERR_INPUT_INVALID',
      `--broker: unknown broker kind ${JSON.stringify(kind)} (kinds: ${brokerKinds().join(', ')})`,
    );
  const adapter = await entry.readiness();
  if (opts.fault !== undefined && !(opts.fault in adapter.faults)) {
    const known = Object.keys(adapter.faults);
    throw new AppError(
      'ERR_INPUT_INVALID',
      `--fault: the ${kind} fake has no fault ${JSON.stringify(opts.fault)} (${known.length ? `faults: ${known.join(', ')}` : 'it has none'})`,
    );
  }
  const suites = [
    ...adapter.suites(opts),
    { name: 'reconciliation', checks: reconciliationChecks(() => adapter.venue(opts)) },
  ];
  return runReadiness(kind, suites, {
    ...(opts.fault !== undefined ? { fault: opts.fault } : {}),
    onCheck: (suite, r) => opts.onCheck?.(suite, r.name, r.ok),
  });
}

interface NodeRig {
  readonly node: TradingNode;
  readonly venue: VenueHarness;
  /** Runs `f` with the adapter's fill and order streams cut (riskgate never hears of what happens). */
  unseen<T>(f: (broker: BrokerAdapter) => Promise<T>): Promise<T>;
  readonly bus: BusMessage[];
  state(): string;
  order(over: Partial<OrderRequest>): OrderRequest;
}

/** The venue's adapter behind a link whose fill and order streams can be cut. */
function mutable(inner: BrokerAdapter): { broker: BrokerAdapter; link: { cut: boolean } } {
  const link = { cut: false };
  const broker: BrokerAdapter = {
    name: inner.name,
    connect: () => inner.connect(),
    disconnect: () => inner.disconnect(),
    placeOrder: (r) => inner.placeOrder(r),
    cancelOrder: (a, id) => inner.cancelOrder(a, id),
    modifyOrder: (a, id, c) => inner.modifyOrder(a, id, c),
    searchOpenOrders: (a, s) => inner.searchOpenOrders(a, s),
    getOrder: (a, id) => inner.getOrder(a, id),
    getPositions: (a) => inner.getPositions(a),
    getFills: (a, since) => inner.getFills(a, since),
    getAccount: (a) => inner.getAccount(a),
    onFill: (l) => inner.onFill((f) => link.cut || l(f)),
    onOrder: (l) => inner.onOrder((o) => link.cut || l(o)),
    onQuote: (l) => inner.onQuote(l),
  };
  return { broker, link };
}

function nodeCheck(
  venue: () => Promise<VenueHarness>,
  name: string,
  body: (r: NodeRig) => Promise<void>,
): ReadinessCheck {
  return {
    name,
    run: async () => {
      const h = await venue();
      const { broker, link } = mutable(h.broker);
      const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-readiness-'));
      let node: TradingNode | undefined;
      try {
        const config = configSchema.parse({ risk: { rules: {} }, ...h.config });
        node = await TradingNode.build({ config, dataDir: dir, broker, feed: false, reconcileMs: 3_600_000 });
        const bus: BusMessage[] = [];
        node.bus.subscribe((m) => void bus.push(m));
        await node.start({ feed: false });
        await h.setMarket('100.00', '100.25');
        const live = node;
        let n = 0;
        await body({
          node,
          venue: h,
          bus,
          state: () => live.live!.gateway.tradingState(h.account),
          unseen: async (f) => {
            link.cut = true;
            try {
              return await f(h.broker);
            } finally {
              link.cut = false;
            }
          },
          order: (over) => ({
            account: h.account,
            clientOrderId: `outside-${++n}`,
            symbol: h.symbol,
            side: 'buy',
            qty: fromInt(1),
            type: 'market',
            ...over,
          }),
        });
      } finally {
        await node?.stop('readiness check done').catch(() => undefined);
        await h.broker.disconnect().catch(() => undefined);
        await h.teardown?.();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The reconciliation suite (DESIGN §1 invariant 3, docs/node.md): any adapter, through a real node. */
export function reconciliationChecks(venue: () => Promise<VenueHarness>): ReadinessCheck[] {
  return [
    nodeCheck(venue, 'a consistent account reconciles clean and stays ACTIVE', async (r) => {
      assert.deepEqual(await r.node.reconcile(), []);
      assert.equal(r.state(), 'ACTIVE');
    }),
    nodeCheck(
      venue,
      'a missed fill: the venue position is adopted, journaled, published; REDUCING until a clean pass',
      async (r) => {
        const { account, symbol } = r.venue;
        await r.unseen((b) => b.placeOrder(r.order({ qty: fromInt(2) })));
        const found = await r.node.reconcile();
        assert.deepEqual(
          found.map((m) => [m.kind, m.symbol, m.brokerQty]),
          [['position', symbol, fromInt(2)]],
        );
        assert.deepEqual(
          r.node.queries.positions(account).map((p) => [p.symbol, String(p.qty)]),
          [[symbol, '2']],
          'the engine holds the venue position',
        );
        const alerts = r.node.journal({ kind: 'alert', account }).filter((a) => a.body.rule === 'RECONCILE');
        assert.equal(alerts.length, 1, 'the difference is journaled');
        assert.ok(
          r.bus.some((m) => m.channel === 'state' && m.data.event === 'reconcile_mismatch'),
          'a reconcile_mismatch message is published',
        );
        assert.equal(r.state(), 'REDUCING');
        const opening = await r.node.submitOrder({ ...r.order({}), clientOrderId: 'probe-open' });
        assert.equal(opening.status, 'rejected', 'no new risk while REDUCING');
        const closing = await r.node.submitOrder({ ...r.order({ side: 'sell' }), clientOrderId: 'probe-close' });
        assert.equal(closing.status, 'routed', 'reducing is allowed');
        assert.deepEqual(await r.node.reconcile(), []);
        assert.equal(r.state(), 'ACTIVE', 'a clean pass ends the probation');
      },
    ),
    nodeCheck(
      venue,
      'a working order riskgate never saw is adopted; one gone at the venue is marked cancelled',
      async (r) => {
        const { account } = r.venue;
        const o = await r.unseen((b) => b.placeOrder(r.order({ type: 'limit', limitPrice: parseFixed('90') })));
        const first = await r.node.reconcile();
        assert.deepEqual(
          first.map((m) => m.kind),
          ['order_unknown_to_engine'],
        );
        assert.equal(r.node.queries.orders(account, 'working').length, 1, 'the engine knows the working order');
        await r.unseen((b) => b.cancelOrder(account, o.orderId));
        const second = await r.node.reconcile();
        assert.deepEqual(
          second.map((m) => m.kind),
          ['order_not_at_broker'],
        );
        assert.equal(r.node.queries.orders(account, 'working').length, 0, 'marked cancelled');
        assert.equal(r.state(), 'REDUCING');
        assert.deepEqual(await r.node.reconcile(), []);
        assert.equal(r.state(), 'ACTIVE');
      },
    ),
  ];
}
