/**
 * `riskgate readiness --broker projectx`: the shared broker contract and the venue-fault checks,
 * run against the local fake Gateway (./fake/, real HTTP and SignalR on 127.0.0.1). A forced fault
 * (`--fault`) puts every fake into that failure for every check, to show what breaks.
 */
import assert from 'node:assert/strict';
import type { OrderRequest } from '../broker.ts';
import { brokerContractChecks } from '../contract/broker-contract.ts';
import type { AdapterReadiness, ReadinessCheck, ReadinessOptions, VenueHarness } from '../contract/readiness.ts';
import { isAppError } from '../../errors.ts';
import { fromInt, parseFixed } from '../../domain/money.ts';
import { ProjectXBroker } from './adapter.ts';
import { startFakeProjectX, type FakeProjectX } from './fake/server.ts';

const ALWAYS = Number.MAX_SAFE_INTEGER;

const FAULTS: Readonly<Record<string, { readonly what: string; readonly apply: (f: FakeProjectX) => void }>> = {
  'http-500': {
    what: 'every REST request but login answers 500',
    apply: (f) => void (f.faults.fail500Next = ALWAYS),
  },
  'rate-limit': {
    what: 'every REST request but login answers 429 (Retry-After 0)',
    apply: (f) => {
      f.faults.rateLimitNext = ALWAYS;
      f.faults.retryAfter = '0';
    },
  },
};

function forcedFault(opts: ReadinessOptions): ((f: FakeProjectX) => void) | undefined {
  if (opts.fault === undefined) return undefined;
  return FAULTS[opts.fault]?.apply;
}

/** A fake Gateway (fault forced) and a ProjectX adapter in front of it, mapping venue account 7001 to TX1. */
export async function projectxVenue(
  opts: ReadinessOptions = {},
): Promise<VenueHarness & { readonly fake: FakeProjectX }> {
  const fake = await startFakeProjectX({ feePerContract: parseFixed('0.37') });
  forcedFault(opts)?.(fake);
  const broker = new ProjectXBroker({
    baseUrl: fake.url,
    marketHubUrl: fake.marketHubUrl,
    quoteSymbols: ['MNQ'],
    username: 'trader',
    apiKey: () => 'key-123',
    accounts: { '7001': 'TX1' },
    policy: { baseDelayMs: 5, timeoutMs: 2000 },
  });
  // Quotes are pushed over the hub: setMarket returns once the adapter has seen the new market.
  const seen: bigint[] = [];
  broker.onQuote((q) => {
    if (q.bid !== undefined) seen.push(q.bid);
  });
  return {
    fake,
    broker,
    account: 'TX1',
    symbol: 'MNQ',
    pointValue: parseFixed('2'),
    feePerContract: parseFixed('0.37'),
    config: {
      broker: {
        kind: 'projectx',
        baseUrl: fake.url,
        username: 'trader',
        apiKeyEnv: 'PROJECTX_API_KEY',
        accounts: { '7001': 'TX1' },
      },
    },
    setMarket: async (bid, ask) => {
      const before = seen.length;
      await fake.setMarket('MNQ', bid, ask);
      for (let i = 0; i < 200 && !seen.slice(before).includes(parseFixed(bid)); i++)
        await new Promise((r) => setTimeout(r, 5));
    },
    teardown: () => fake.close(),
  };
}

interface FaultRig {
  readonly fake: FakeProjectX;
  readonly broker: ProjectXBroker;
  order(over?: Partial<OrderRequest>): OrderRequest;
  placed(): number;
}

/** Fault checks: each gets its own fake and an adapter with short timeouts, connected, MNQ quoted. */
function faultCheck(opts: ReadinessOptions, name: string, body: (r: FaultRig) => Promise<void>): ReadinessCheck {
  return {
    name,
    run: async () => {
      const fake = await startFakeProjectX();
      forcedFault(opts)?.(fake);
      const broker = new ProjectXBroker({
        baseUrl: fake.url,
        username: 'trader',
        apiKey: () => 'key-123',
        accounts: { '7001': 'TX1' },
        policy: { baseDelayMs: 5, timeoutMs: 300, breakerThreshold: 50 },
      });
      let n = 0;
      const rig: FaultRig = {
        fake,
        broker,
        order: (over = {}) => ({
          account: 'TX1',
          clientOrderId: `f-${++n}`,
          symbol: 'MNQ',
          side: 'buy',
          qty: fromInt(1),
          type: 'market',
          ...over,
        }),
        placed: () => fake.log.filter((l) => l.path === 'Order/place').length,
      };
      try {
        await broker.connect();
        await fake.setMarket('MNQ', '100.00', '100.25');
        await body(rig);
      } finally {
        await broker.disconnect().catch(() => undefined);
        await fake.close();
      }
    },
  };
}

export function projectxFaultChecks(opts: ReadinessOptions = {}): ReadinessCheck[] {
  const limit = (r: FaultRig): OrderRequest => r.order({ type: 'limit', limitPrice: parseFixed('90') });
  return [
    faultCheck(opts, 'a 429 burst with Retry-After is waited out and the order goes through once', async (r) => {
      await r.broker.searchOpenOrders('TX1'); // contract lookups done before the burst
      await r.broker.getOrder('TX1', (await r.broker.placeOrder(limit(r))).orderId);
      r.fake.faults.rateLimitNext = 3;
      r.fake.faults.retryAfter = '0.1';
      const started = Date.now();
      const o = await r.broker.placeOrder(r.order());
      assert.equal(o.status, 'filled');
      assert.ok(Date.now() - started >= 300, 'waited Retry-After three times');
      assert.equal(r.fake.log.filter((l) => l.status === 429).length, 3);
      assert.equal(r.fake.venue.orderCount(7001), 2);
    }),
    faultCheck(opts, '500s on reads are retried', async (r) => {
      r.fake.faults.fail500Next = 2;
      assert.deepEqual(await r.broker.getPositions('TX1'), []);
      assert.equal(r.fake.log.filter((l) => l.status === 500).length, 2);
    }),
    faultCheck(opts, 'a lost answer to Order/place is resolved by query: exactly one order at the venue', async (r) => {
      await r.broker.searchOpenOrders('TX1');
      r.fake.faults.loseAnswerNext = 1;
      const o = await r.broker.placeOrder(r.order({ clientOrderId: 'lost-1' }));
      assert.equal(o.clientOrderId, 'lost-1');
      assert.equal(o.status, 'filled');
      assert.equal(r.fake.venue.orderCount(7001), 1);
      assert.equal(r.placed(), 1, 'never sent twice');
      assert.deepEqual(
        (await r.broker.getPositions('TX1')).map((p) => p.qty),
        [fromInt(1)],
      );
    }),
    faultCheck(opts, 'a slow answer past the timeout is resolved by query, not re-sent', async (r) => {
      await r.broker.searchOpenOrders('TX1');
      r.fake.faults.delayMs = 500;
      const pending = r.broker.placeOrder({ ...limit(r), clientOrderId: 'slow-1' });
      await new Promise((res) => setTimeout(res, 350));
      r.fake.faults.delayMs = 0;
      const o = await pending;
      assert.equal(o.clientOrderId, 'slow-1');
      assert.equal(r.fake.venue.orderCount(7001), 1);
      assert.equal(r.placed(), 1);
    }),
    faultCheck(opts, 'a session token that dies early is replaced by a fresh login', async (r) => {
      r.fake.expireTokens();
      const a = await r.broker.getAccount('TX1');
      assert.equal(a.balance, parseFixed('50000'));
      assert.equal(r.fake.log.filter((l) => l.status === 401).length, 1);
    }),
    faultCheck(opts, 'reports a venue outage as ERR_BROKER_UNAVAILABLE after retries', async (r) => {
      r.fake.faults.fail500Next = 100;
      await assert.rejects(r.broker.getPositions('TX1'), (e) => isAppError(e) && e.code === 'ERR_BROKER_UNAVAILABLE');
    }),
    faultCheck(opts, 'closes a position through Position/closeContract even while 429s are flying', async (r) => {
      await r.broker.placeOrder(r.order({ qty: fromInt(2) }));
      r.fake.faults.rateLimitNext = 1;
      r.fake.faults.retryAfter = '0';
      await r.broker.closePosition('TX1', 'MNQ');
      assert.deepEqual(await r.broker.getPositions('TX1'), []);
      assert.equal(r.fake.log.filter((l) => l.path === 'Position/closeContract' && l.status === 200).length, 1);
    }),
  ];
}

export const readiness: AdapterReadiness = {
  faults: Object.fromEntries(Object.entries(FAULTS).map(([k, v]) => [k, v.what])),
  suites: (opts) => [
    { name: 'contract', checks: brokerContractChecks(() => projectxVenue(opts)) },
    { name: 'faults', checks: projectxFaultChecks(opts) },
  ],
  venue: (opts) => projectxVenue(opts),
};
