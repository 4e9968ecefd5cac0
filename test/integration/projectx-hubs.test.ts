/**
 * The ProjectX adapter's real-time side against the fake Gateway's hubs (real WebSockets, the
 * SignalR JSON protocol): fills pushed by the user hub, duplicated and out-of-order events,
 * a dropped hub (re-subscribe and REST resync), a token that dies early, stale marks, trade-print
 * marks, clock skew, lagging position reads, and the remaining REST endpoints.
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectXBroker } from '../../src/adapters/projectx/index.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import type { Fill, Order, Quote } from '../../src/adapters/broker.ts';
import { startFakeProjectX, type FakeProjectX } from '../../src/adapters/projectx/fake/server.ts';

const until = async (what: string, ok: () => boolean, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('projectx hubs (fake gateway)', () => {
  let fake: FakeProjectX;
  let broker: ProjectXBroker;
  let fills: Fill[];
  let orders: Order[];
  let quotes: Quote[];

  /** An order placed at the venue by someone else (the platform UI): only the hub tells us. */
  const venueBuy = (qty: number, tag: string) =>
    fake.venue.place(7001, { symbol: 'MNQ', side: 'buy', qty: fromInt(qty), type: 'market' }, tag);

  beforeEach(async () => {
    fake = await startFakeProjectX();
    broker = new ProjectXBroker({
      baseUrl: fake.url,
      userHubUrl: fake.userHubUrl,
      marketHubUrl: fake.marketHubUrl,
      username: 'trader',
      apiKey: () => 'key-123',
      accounts: { '7001': 'TX1' },
      quoteSymbols: ['MNQ'],
      reconnectDelaysMs: [0, 100, 200],
      markStaleAfterMs: 0,
      policy: { baseDelayMs: 5, timeoutMs: 1000 },
    });
    fills = [];
    orders = [];
    quotes = [];
    broker.onFill((f) => fills.push(f));
    broker.onOrder((o) => orders.push(o));
    broker.onQuote((q) => quotes.push(q));
    await broker.connect();
    await fake.setMarket('MNQ', '100.00', '100.25');
  });
  afterEach(async () => {
    await broker.disconnect();
    await fake.close();
  });

  it('a fill made at the venue reaches riskgate through the user hub, once', async () => {
    const reads = fake.log.filter((l) => l.path === 'Trade/search').length;
    const id = venueBuy(2, 'ext-1');
    await until('the hub fill', () => fills.length === 1);
    assert.equal(fills[0]!.qty, fromInt(2));
    assert.equal(fills[0]!.price, parseFixed('100.25'));
    assert.equal(fills[0]!.orderId, String(id));
    await until('the filled order', () => orders.some((o) => o.orderId === String(id) && o.status === 'filled'));
    assert.equal(fake.log.filter((l) => l.path === 'Trade/search').length, reads, 'no REST read: the hub told');
  });

  it('duplicated hub events are delivered once', async () => {
    fake.hubs.faults.duplicate = true;
    venueBuy(1, 'dup-1');
    venueBuy(1, 'dup-2');
    await until('both fills', () => fills.length === 2);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(fills.length, 2);
    assert.deepEqual(new Set(fills.map((f) => f.fillId)).size, 2);
    const filled = orders.filter((o) => o.status === 'filled');
    assert.equal(filled.length, 2, 'each order reported filled once');
  });

  it('an order update older than one delivered is dropped (out-of-order events)', async () => {
    const id = fake.venue.place(
      7001,
      { symbol: 'MNQ', side: 'buy', qty: fromInt(1), type: 'limit', limitPrice: parseFixed('90') },
      'ooo-1',
    );
    await until('the working order', () => orders.some((o) => o.orderId === String(id)));
    fake.hubs.faults.reorder = 2;
    await broker.cancelOrder('TX1', String(id)); // cancelled first over REST …
    await fake.hubs.flushHeld(); // … then the hub's held events arrive, newest first
    await new Promise((r) => setTimeout(r, 150));
    const mine = orders.filter((o) => o.orderId === String(id)).map((o) => o.status);
    assert.deepEqual(mine, ['working', 'cancelled']);
  });

  it('after a dropped user hub: re-subscribes and resyncs the fills it missed, each once', async () => {
    fake.hubs.faults.down = true;
    fake.hubs.drop();
    await until('marks stale', () => broker.feedHealth().marksStale.length > 0);
    venueBuy(1, 'gap-1'); // filled while the hub is down: no event reaches riskgate
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(fills.length, 0);
    const before = broker.stream.resyncs;
    fake.hubs.faults.down = false;
    await until('the resync', () => broker.stream.resyncs > before);
    await until('the missed fill', () => fills.length === 1);
    assert.ok(fake.hubs.subscribed('GatewayUserTrade:7001'), 'trades subscribed again');
    assert.ok(fake.hubs.subscribed('GatewayQuote:CON.F.US.MNQ.Z25'), 'quotes subscribed again');
    venueBuy(1, 'after-1');
    await until('the next hub fill', () => fills.length === 2);
    assert.equal(new Set(fills.map((f) => f.fillId)).size, 2);
  });

  it('a hub reconnecting after the session died early logs in again', async () => {
    fake.expireTokens();
    fake.hubs.drop();
    await until('subscribed again', () => fake.hubs.subscribed('GatewayUserOrder:7001'));
    assert.ok(fake.log.some((l) => l.path === 'Auth/loginKey' && l.status === 200));
    venueBuy(1, 'tok-1');
    await until('the fill after the new login', () => fills.length === 1);
  });

  it('marks are stale while the market hub is down and fresh again when quotes resume', async () => {
    assert.deepEqual(broker.feedHealth().marksStale, []);
    fake.hubs.faults.down = true;
    fake.hubs.drop();
    await until('marks stale', () => broker.feedHealth().marksStale.length > 0);
    assert.match(broker.feedHealth().marksStale[0]!, /market hub down/);
    fake.hubs.faults.down = false;
    await until('subscribed again', () => fake.hubs.subscribed('GatewayQuote:CON.F.US.MNQ.Z25'));
    assert.deepEqual(broker.feedHealth().marksStale, []);
    const n = quotes.length;
    await fake.setMarket('MNQ', '101.00', '101.25');
    await until('a fresh quote', () => quotes.length > n);
    assert.equal(quotes.at(-1)!.bid, parseFixed('101.00'));
  });

  it('a symbol with no quote past the staleness limit is stale; trade prints mark it meanwhile', async () => {
    await broker.disconnect();
    broker = new ProjectXBroker({
      baseUrl: fake.url,
      marketHubUrl: fake.marketHubUrl,
      username: 'trader',
      apiKey: () => 'key-123',
      accounts: { '7001': 'TX1' },
      quoteSymbols: ['MNQ'],
      markStaleAfterMs: 150,
    });
    quotes = [];
    broker.onQuote((q) => quotes.push(q));
    await broker.connect();
    await until('stale by age', () => broker.feedHealth().marksStale.some((r) => r.startsWith('MNQ: no quote')));
    await fake.trade('MNQ', '99.75');
    await until('a trade-print mark', () => quotes.some((q) => q.last === parseFixed('99.75')));
    assert.equal(quotes.at(-1)!.bid, undefined, 'a print carries the last price only');
    assert.deepEqual(broker.feedHealth().marksStale, []);
  });

  it('a venue clock off by more than the threshold is reported', async () => {
    fake.faults.clockSkewMs = 60_000;
    await broker.getAccount('TX1');
    const skew = broker.client.clockSkewMs ?? 0;
    assert.ok(Math.abs(skew - 60_000) < 2000, `skew ${skew}`);
    assert.ok(broker.feedHealth().warnings.some((w) => /venue clock/.test(w)));
    fake.faults.clockSkewMs = 0;
    await broker.getAccount('TX1');
    assert.equal(broker.client.clockSkewed, false);
  });

  it('a lagging position read does not turn a reduce-only close into a reversal', async () => {
    await broker.placeOrder({
      account: 'TX1',
      clientOrderId: 'open-2',
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(2),
      type: 'market',
    });
    fake.stalePositions(10); // REST keeps answering "long 2" …
    await broker.placeOrder({
      account: 'TX1',
      clientOrderId: 'close-1',
      symbol: 'MNQ',
      side: 'sell',
      qty: fromInt(1),
      type: 'market',
      reduceOnly: true,
    });
    const o = await broker.placeOrder({
      account: 'TX1',
      clientOrderId: 'close-rest',
      symbol: 'MNQ',
      side: 'sell',
      qty: fromInt(2),
      type: 'market',
      reduceOnly: true,
    });
    assert.equal(o.qty, fromInt(1), '… but the hub says long 1: clipped to it');
    assert.equal(fake.venue.paper.exchange.positionQty('7001', 'MNQ'), 0n, 'flat, not short');
  });

  it('hubs down at start: connect still succeeds, marks stale, and both hubs come up later', async () => {
    await broker.disconnect();
    fake.hubs.faults.down = true;
    const depth: unknown[] = [];
    broker = new ProjectXBroker({
      baseUrl: fake.url,
      userHubUrl: fake.userHubUrl,
      marketHubUrl: fake.marketHubUrl,
      username: 'trader',
      apiKey: () => 'key-123',
      accounts: { '7001': 'TX1' },
      quoteSymbols: ['MNQ'],
      reconnectDelaysMs: [100],
      markStaleAfterMs: 0,
      onDepth: (d) => depth.push(d),
    });
    fills = [];
    broker.onFill((f) => fills.push(f));
    await broker.connect();
    assert.match(broker.feedHealth().marksStale.join(), /market hub down/);
    assert.ok(broker.feedHealth().warnings.some((w) => w.startsWith('user hub down')));
    venueBuy(1, 'early-1'); // while the user hub is down
    fake.hubs.faults.down = false;
    await until('quotes subscribed', () => fake.hubs.subscribed('GatewayQuote:CON.F.US.MNQ.Z25'));
    await until('depth subscribed', () => fake.hubs.subscribed('GatewayDepth:CON.F.US.MNQ.Z25'));
    await until('the fill through the first resync', () => fills.length === 1);
    assert.deepEqual(broker.feedHealth(), { marksStale: [], warnings: [] });
    await fake.hubs.market('GatewayDepth', 'CON.F.US.MNQ.Z25', [
      { price: 100, volume: 5, currentVolume: 5, type: 1, timestamp: new Date().toISOString() },
    ]);
    await until('a depth level', () => depth.length === 1);
    assert.equal((depth[0] as { price: bigint }).price, parseFixed('100'));
  });

  it('a bracket entry: the venue attaches the exits; the target fills and the stop is cancelled', async () => {
    const entry = await broker.placeOrder({
      account: 'TX1',
      clientOrderId: 'br-1',
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(1),
      type: 'limit',
      limitPrice: parseFixed('100.25'),
      bracket: { stopLoss: parseFixed('99.00'), takeProfit: parseFixed('101.00') },
    });
    assert.equal(entry.status, 'filled');
    const exits = await broker.searchOpenOrders('TX1');
    assert.deepEqual(
      exits.map((o) => [o.side, o.type, o.stopPrice ?? o.limitPrice]),
      [
        ['sell', 'stop', parseFixed('99.00')],
        ['sell', 'limit', parseFixed('101.00')],
      ],
    );
    await fake.setMarket('MNQ', '101.25', '101.50');
    await until('flat', () => fake.venue.paper.exchange.positionQty('7001', 'MNQ') === 0n);
    assert.deepEqual(await broker.searchOpenOrders('TX1'), []);
  });

  it('bar reads wait in their own rate lane; orders do not wait behind them', async () => {
    const laned = new ProjectXBroker({
      baseUrl: fake.url,
      username: 'trader',
      apiKey: () => 'key-123',
      accounts: { '7001': 'TX1' },
      lanes: { history: { capacity: 1, windowMs: 400 }, general: { capacity: 100, windowMs: 60_000 } },
    });
    try {
      await laned.connect();
      const q = { startMs: 0, endMs: Date.now() + 1000, unit: 'minute' } as const;
      await laned.retrieveBars('MNQ', q);
      const started = Date.now();
      const second = laned.retrieveBars('MNQ', q);
      const o = await laned.placeOrder({
        account: 'TX1',
        clientOrderId: 'lane-1',
        symbol: 'MNQ',
        side: 'buy',
        qty: fromInt(1),
        type: 'market',
      });
      const orderMs = Date.now() - started;
      await second;
      assert.equal(o.status, 'filled');
      assert.ok(orderMs < 300, `the order went out at once (${orderMs} ms)`);
      assert.ok(Date.now() - started >= 300, 'the second bar read waited for its lane');
    } finally {
      await laned.disconnect();
    }
  });

  it('partial close, available contracts and bars', async () => {
    await broker.placeOrder({
      account: 'TX1',
      clientOrderId: 'p-3',
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(3),
      type: 'market',
    });
    await broker.partialClosePosition('TX1', 'MNQ', fromInt(2));
    assert.deepEqual(
      (await broker.getPositions('TX1')).map((p) => p.qty),
      [fromInt(1)],
    );
    assert.deepEqual(
      (await broker.availableContracts()).map((c) => c.symbol),
      ['MNQ', 'ES'],
    );
    await fake.setMarket('MNQ', '102.00', '102.50');
    const bars = await broker.retrieveBars('MNQ', { startMs: 0, endMs: Date.now() + 1000, unit: 'minute' });
    assert.equal(bars.length, 2);
    assert.ok(bars[0]!.ts <= bars[1]!.ts, 'oldest first');
    assert.equal(bars[1]!.close, parseFixed('102.25'));
    assert.ok(fake.log.some((l) => l.path === 'History/retrieveBars' && l.status === 200));
  });
});
