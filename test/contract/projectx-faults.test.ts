/** The ProjectX adapter under venue faults injected by the fake Gateway. */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectXBroker } from '../../src/adapters/projectx/index.ts';
import { isAppError } from '../../src/errors.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import type { OrderRequest } from '../../src/adapters/broker.ts';
import { startFakeProjectX, type FakeProjectX } from '../../src/adapters/projectx/fake/server.ts';

describe('projectx adapter under venue faults', () => {
  let fake: FakeProjectX;
  let broker: ProjectXBroker;
  let n = 0;
  const order = (over: Partial<OrderRequest> = {}): OrderRequest => ({
    account: 'TX1',
    clientOrderId: `f-${++n}`,
    symbol: 'MNQ',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
    ...over,
  });
  const placed = () => fake.log.filter((l) => l.path === 'Order/place').length;

  beforeEach(async () => {
    fake = await startFakeProjectX();
    broker = new ProjectXBroker({
      baseUrl: fake.url,
      username: 'trader',
      apiKey: () => 'key-123',
      accounts: { '7001': 'TX1' },
      policy: { baseDelayMs: 5, timeoutMs: 300, breakerThreshold: 50 },
    });
    await broker.connect();
    fake.setMarket('MNQ', '100.00', '100.25');
  });
  afterEach(async () => {
    await broker.disconnect();
    await fake.close();
  });

  it('a 429 burst with Retry-After is waited out and the order goes through once', async () => {
    await broker.searchOpenOrders('TX1'); // contract lookups done before the burst
    await broker.getOrder('TX1', String(await placeLimit()));
    fake.faults.rateLimitNext = 3;
    fake.faults.retryAfter = '0.1';
    const started = Date.now();
    const o = await broker.placeOrder(order());
    assert.equal(o.status, 'filled');
    assert.ok(Date.now() - started >= 300, 'waited Retry-After three times');
    assert.equal(fake.log.filter((l) => l.status === 429).length, 3);
    assert.equal(fake.venue.orderCount(7001), 2);
  });

  it('500s on reads are retried', async () => {
    fake.faults.fail500Next = 2;
    assert.deepEqual(await broker.getPositions('TX1'), []);
    assert.equal(fake.log.filter((l) => l.status === 500).length, 2);
  });

  it('a lost answer to Order/place is resolved by query: exactly one order at the venue', async () => {
    await broker.searchOpenOrders('TX1');
    fake.faults.loseAnswerNext = 1;
    const o = await broker.placeOrder(order({ clientOrderId: 'lost-1' }));
    assert.equal(o.clientOrderId, 'lost-1');
    assert.equal(o.status, 'filled');
    assert.equal(fake.venue.orderCount(7001), 1);
    assert.equal(placed(), 1, 'never sent twice');
    assert.deepEqual(
      (await broker.getPositions('TX1')).map((p) => p.qty),
      [fromInt(1)],
    );
  });

  it('a slow answer past the timeout is resolved by query, not re-sent', async () => {
    await broker.searchOpenOrders('TX1');
    fake.faults.delayMs = 500;
    const pending = broker.placeOrder(order({ clientOrderId: 'slow-1', type: 'limit', limitPrice: parseFixed('90') }));
    await new Promise((r) => setTimeout(r, 350));
    fake.faults.delayMs = 0;
    const o = await pending;
    assert.equal(o.clientOrderId, 'slow-1');
    assert.equal(fake.venue.orderCount(7001), 1);
    assert.equal(placed(), 1);
  });

  it('a session token that dies early is replaced by a fresh login', async () => {
    fake.expireTokens();
    const a = await broker.getAccount('TX1');
    assert.equal(a.balance, parseFixed('50000'));
    assert.equal(fake.log.filter((l) => l.status === 401).length, 1);
  });

  it('reports a venue outage as ERR_BROKER_UNAVAILABLE after retries', async () => {
    fake.faults.fail500Next = 100;
    await assert.rejects(broker.getPositions('TX1'), (e) => isAppError(e) && e.code === 'ERR_BROKER_UNAVAILABLE');
  });

  it('closes a position through Position/closeContract even while 429s are flying', async () => {
    await broker.placeOrder(order({ qty: fromInt(2) }));
    fake.faults.rateLimitNext = 1;
    fake.faults.retryAfter = '0';
    await broker.closePosition('TX1', 'MNQ');
    assert.deepEqual(await broker.getPositions('TX1'), []);
    assert.equal(fake.log.filter((l) => l.path === 'Position/closeContract' && l.status === 200).length, 1);
  });

  async function placeLimit(): Promise<string> {
    return (await broker.placeOrder(order({ type: 'limit', limitPrice: parseFixed('90') }))).orderId;
  }
});
