/**
 * Order routes over a real node (paper broker): place (201, 409 naming the rules), idempotent
 * retries by clientOrderId (same order, or ERR_ORDER_CONFLICT), modify and cancel, 400s naming
 * the field, and roles: a viewer may not trade, a foreign account or order is the missing 404.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, type Fixture } from './test-fixture.ts';

let f: Fixture;
before(async () => {
  f = await fixture();
});
after(async () => {
  await f.close();
});

const order = (over: Record<string, unknown> = {}) => ({
  account: 'A1',
  symbol: 'MES',
  side: 'buy',
  qty: 1,
  orderType: 'market',
  ...over,
});

test('a market order is routed: 201 with riskgate id, decimal prices, and the fill shows in the account', async () => {
  const r = await f.call('POST', '/api/v1/orders', f.k.trader, order({ clientOrderId: 'mkt-1' }));
  assert.equal(r.statusCode, 201, r.body);
  const o = r.json();
  assert.equal(o.orderId, 'mkt-1');
  assert.equal(o.status, 'filled');
  assert.equal(o.avgFillPrice, '5000.25');
  const fills = (await f.call('GET', '/api/v1/accounts/A1/fills', f.k.trader)).json().fills;
  assert.ok(fills.some((x: { orderId: string }) => x.orderId === 'mkt-1'));
  // Close it again so later tests start flat.
  assert.equal(
    (await f.call('POST', '/api/v1/orders', f.k.trader, order({ side: 'sell', clientOrderId: 'mkt-1-close' })))
      .statusCode,
    201,
  );
});

test('clientOrderId: a retry returns the same order (no second fill); other parameters are a conflict', async () => {
  const body = order({ orderType: 'limit', price: '4990.00', clientOrderId: 'idem-1' });
  const [a, b] = await Promise.all([
    f.call('POST', '/api/v1/orders', f.k.trader, body),
    f.call('POST', '/api/v1/orders', f.k.trader, body),
  ]);
  assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201]);
  assert.equal(a.json().orderId, 'idem-1');
  assert.equal(b.json().orderId, 'idem-1');
  const again = await f.call('POST', '/api/v1/orders', f.k.trader, { ...body, price: '4990' }); // the same decimal
  assert.equal(again.statusCode, 200);
  const working = (await f.call('GET', '/api/v1/accounts/A1/orders?status=working', f.k.trader))
    .json()
    .orders.filter((o: { orderId: string }) => o.orderId === 'idem-1');
  assert.equal(working.length, 1, 'one order, not three');
  const conflict = await f.call('POST', '/api/v1/orders', f.k.trader, { ...body, price: '4989' });
  assert.equal(conflict.statusCode, 409);
  assert.equal(conflict.json().error.code, 'ERR_ORDER_CONFLICT');
  assert.equal((await f.call('DELETE', '/api/v1/orders/idem-1', f.k.trader)).statusCode, 200);
});

test('clientOrderId known to the node but not to this server: answered from the node (a restart loses the map)', async () => {
  const placed = await f.node.submitOrder({
    account: 'A1',
    symbol: 'MES',
    side: 'buy',
    qty: 10n ** 18n,
    type: 'limit',
    limitPrice: 4900n * 10n ** 18n,
    clientOrderId: 'node-1',
  });
  assert.equal(placed.status, 'routed');
  const same = await f.call(
    'POST',
    '/api/v1/orders',
    f.k.trader,
    order({ orderType: 'limit', price: '4900', clientOrderId: 'node-1' }),
  );
  assert.equal(same.statusCode, 200, same.body);
  assert.equal(same.json().orderId, 'node-1');
  const other = await f.call(
    'POST',
    '/api/v1/orders',
    f.k.trader,
    order({ orderType: 'limit', price: '4901', clientOrderId: 'node-1' }),
  );
  assert.equal(other.json().error.code, 'ERR_ORDER_CONFLICT');
  await f.call('DELETE', '/api/v1/orders/node-1?account=A1', f.k.trader);
});

test('a pre-trade rejection is 409 ERR_ORDER_REJECTED with the rules, codes and reasons', async () => {
  const r = await f.call('POST', '/api/v1/orders', f.k.trader, order({ qty: '5', clientOrderId: 'big-1' }));
  assert.equal(r.statusCode, 409);
  const e = r.json().error;
  assert.equal(e.code, 'ERR_ORDER_REJECTED');
  assert.equal(e.rules[0].rule, 'RULE-001');
  assert.equal(e.rules[0].code, 'MAX_CONTRACTS');
  assert.match(e.message, /RULE-001.*5 > 3/);
  const blocked = await f.call('POST', '/api/v1/orders', f.k.trader, order({ symbol: 'CLZ6' }));
  assert.equal(blocked.statusCode, 409);
  assert.equal(blocked.json().error.rules[0].rule, 'RULE-011');
  const retry = await f.call('POST', '/api/v1/orders', f.k.trader, order({ qty: '5', clientOrderId: 'big-1' }));
  assert.equal(retry.statusCode, 409, 'a retried rejected order is the same rejection');
  assert.equal(retry.json().error.rules[0].rule, 'RULE-001');
});

test('modify: a tighter price passes, more exposure is 409 with the rule; cancel works while the account is locked', async () => {
  assert.equal(
    (
      await f.call(
        'POST',
        '/api/v1/orders',
        f.k.trader,
        order({ orderType: 'limit', price: '4950', clientOrderId: 'mod-1' }),
      )
    ).statusCode,
    201,
  );
  const moved = await f.call('PATCH', '/api/v1/orders/mod-1', f.k.trader, { price: '4951.5' });
  assert.equal(moved.statusCode, 200, moved.body);
  assert.equal(moved.json().order.price, '4951.5');
  const bigger = await f.call('PATCH', '/api/v1/orders/mod-1', f.k.trader, { qty: 9 });
  assert.equal(bigger.statusCode, 409);
  assert.equal(bigger.json().error.rules[0].rule, 'RULE-001');
  assert.equal(
    (await f.call('PATCH', '/api/v1/orders/mod-1', f.k.trader, { prize: '1' })).json().error.message,
    'body.prize: must NOT have additional properties',
  );
  f.node.lock('A1', 'test lock');
  const locked = await f.call('POST', '/api/v1/orders', f.k.trader, order({ orderType: 'limit', price: '4000' }));
  assert.equal(locked.statusCode, 409, 'new exposure is refused while locked');
  const cancel = await f.call('DELETE', '/api/v1/orders/mod-1', f.k.trader);
  assert.equal(cancel.statusCode, 200, 'cancels are never blocked');
  assert.equal(cancel.json().order.status, 'cancelled');
  f.node.unlock('A1', 'test unlock');
});

test('400 names the field: missing, wrong type, float price, prices the order type needs', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ account: 'A1', symbol: 'MES', side: 'buy', qty: 1 }, /^body\.orderType/],
    [order({ side: 'long' }), /^body\.side/],
    [order({ qty: 0 }), /^body\.qty/],
    [order({ qty: '-1' }), /^body\.qty/],
    [order({ orderType: 'limit', price: 4990.5 }), /^body\.price/],
    [order({ orderType: 'limit' }), /^body\.price: required/],
    [order({ orderType: 'stop_limit', price: '1' }), /^body\.stopPrice: required/],
    [order({ orderType: 'limit', price: '0' }), /^body\.price: must be > 0/],
    [order({ clientOrderId: 'a b' }), /^body\.clientOrderId/],
    [order({ extra: 1 }), /^body\.extra/],
  ];
  for (const [body, message] of cases) {
    const r = await f.call('POST', '/api/v1/orders', f.k.trader, body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.match(r.json().error.message, message, JSON.stringify(body));
  }
});

test('roles and isolation: viewer 403, foreign or missing account and foreign order the same 404', async () => {
  assert.equal((await f.call('POST', '/api/v1/orders', f.k.viewer, order())).statusCode, 403);
  assert.equal(
    (await f.call('POST', '/api/v1/orders', f.k.viewer, { nonsense: true })).statusCode,
    403,
    'the role before the input',
  );
  const foreign = await f.call('POST', '/api/v1/orders', f.k.trader, order({ account: 'A2' }));
  const missing = await f.call('POST', '/api/v1/orders', f.k.trader, order({ account: 'ZZ' }));
  assert.equal(foreign.statusCode, 404);
  assert.equal(missing.statusCode, 404);
  assert.equal(foreign.json().error.code, missing.json().error.code);
  assert.equal(
    (
      await f.call(
        'POST',
        '/api/v1/orders',
        f.k.trader2,
        order({ account: 'A2', orderType: 'limit', price: '4000', clientOrderId: 'a2-1' }),
      )
    ).statusCode,
    201,
  );
  for (const [method, body] of [
    ['DELETE', undefined],
    ['PATCH', { price: '4001' }],
  ] as const) {
    const r = await f.call(method, '/api/v1/orders/a2-1', f.k.trader, body);
    const r2 = await f.call(method, '/api/v1/orders/a2-1?account=A1', f.k.trader, body);
    const r3 = await f.call(method, '/api/v1/orders/a2-1?account=A2', f.k.trader, body);
    assert.equal(r.statusCode, 404, `${method} by lookup`);
    assert.equal(r.json().error.code, 'ERR_ORDER_UNKNOWN');
    assert.equal(r2.json().error.code, 'ERR_ORDER_UNKNOWN', 'an order of another account is not found under mine');
    assert.equal(r3.json().error.code, 'ERR_ACCOUNT_UNKNOWN');
  }
  const still = (await f.call('GET', '/api/v1/accounts/A2/orders?status=working', f.k.trader2)).json().orders;
  assert.ok(
    still.some((o: { orderId: string; price: string }) => o.orderId === 'a2-1' && o.price === '4000'),
    'untouched',
  );
  assert.equal((await f.call('DELETE', '/api/v1/orders/a2-1', f.k.admin)).statusCode, 200, 'an admin finds it');
});
