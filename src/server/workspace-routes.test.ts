/**
 * Saved strategies and chart labels over the API (issue 14): create, read, replace, delete,
 * persisted in the data dir; fields checked with the bad one named; owners (an account, or the
 * maker) decide who sees an item, a foreign one answering the same 404 as a missing one; a
 * strategy valued at the node's marks (futures at the mark, expired options at intrinsic value,
 * live ones by Black-76) with its payoff at expiry.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { valueOption } from '../analytics/option-pricing.ts';
import { fixture, type Fixture } from './test-fixture.ts';
import { Workspace } from './workspace.ts';

let f: Fixture;
before(async () => {
  f = await fixture();
});
after(async () => {
  await f.close();
});

const future = { kind: 'future', symbol: 'MES', side: 'buy', qty: 2, price: '4990' };
const straddle = [
  {
    kind: 'option',
    symbol: 'MES',
    right: 'call',
    strike: '5000',
    expiry: '2020-01-17',
    side: 'buy',
    qty: 1,
    price: '30',
  },
  {
    kind: 'option',
    symbol: 'MES',
    right: 'put',
    strike: '5000',
    expiry: '2020-01-17',
    side: 'buy',
    qty: 1,
    price: '20',
  },
];

test('a strategy of an account: created by its trader, seen by its viewer, a 404 to another trader', async () => {
  const r = await f.call('POST', '/api/v1/strategies', f.k.trader, { name: 'long MES', account: 'A1', legs: [future] });
  assert.equal(r.statusCode, 201, r.body);
  const s = r.json();
  assert.match(s.id, /^st_[0-9a-f]{16}$/);
  assert.equal(s.account, 'A1');
  assert.equal((await f.call('GET', `/api/v1/strategies/${s.id}`, f.k.viewer)).statusCode, 200);
  assert.equal((await f.call('GET', `/api/v1/strategies/${s.id}`, f.k.admin)).statusCode, 200);
  const foreign = await f.call('GET', `/api/v1/strategies/${s.id}`, f.k.trader2);
  const missing = await f.call('GET', '/api/v1/strategies/st_0000000000000000', f.k.trader2);
  assert.equal(foreign.statusCode, 404);
  assert.deepEqual(foreign.json().error.code, missing.json().error.code);
  assert.equal(
    foreign.json().error.message.replace(s.id, 'X'),
    missing.json().error.message.replace('st_0000000000000000', 'X'),
  );
  assert.equal((await f.call('DELETE', `/api/v1/strategies/${s.id}`, f.k.trader2)).statusCode, 404);
  assert.equal(
    (await f.call('PUT', `/api/v1/strategies/${s.id}`, f.k.viewer, { name: 'x', legs: [future] })).statusCode,
    403,
  );
  const lists = await Promise.all(
    [f.k.trader, f.k.viewer, f.k.trader2].map((k) => f.call('GET', '/api/v1/strategies', k)),
  );
  assert.deepEqual(
    lists.map((l) => l.json().strategies.some((x: { id: string }) => x.id === s.id)),
    [true, true, false],
  );
  assert.equal((await f.call('GET', '/api/v1/strategies?account=A1', f.k.trader2)).statusCode, 404);
  // A strategy for an account the trader may not see is refused like a missing account.
  const other = await f.call('POST', '/api/v1/strategies', f.k.trader, { name: 'x', account: 'A2', legs: [future] });
  assert.equal(other.statusCode, 404);
  assert.equal(other.json().error.code, 'ERR_ACCOUNT_UNKNOWN');
});

test("a strategy without an account is its maker's; replace and delete; kept in the data dir", async () => {
  const r = await f.call('POST', '/api/v1/strategies', f.k.trader2, { name: 'mine', legs: [future], notes: 'n' });
  assert.equal(r.statusCode, 201, r.body);
  const id = r.json().id;
  assert.equal(r.json().account, null);
  assert.equal((await f.call('GET', `/api/v1/strategies/${id}`, f.k.trader)).statusCode, 404);
  const put = await f.call('PUT', `/api/v1/strategies/${id}`, f.k.trader2, { name: 'renamed', legs: straddle });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().name, 'renamed');
  assert.equal(put.json().notes, undefined);
  const beside = Workspace.open(f.dir);
  try {
    const stored = beside.strategies.get(id);
    assert.equal((stored?.body as { name: string }).name, 'renamed');
    assert.equal(stored?.createdBy, f.k.trader2.split('_')[1]);
  } finally {
    beside.close();
  }
  assert.equal((await f.call('DELETE', `/api/v1/strategies/${id}`, f.k.trader2)).statusCode, 200);
  assert.equal((await f.call('GET', `/api/v1/strategies/${id}`, f.k.trader2)).statusCode, 404);
});

test('strategy input mistakes are 400s naming the field', async () => {
  const cases: [unknown, string][] = [
    [{ name: 'x', legs: [] }, 'body.legs'],
    [{ name: 'x', legs: [{ ...future, qty: 0 }] }, 'body.legs.0.qty'],
    [{ name: 'x', legs: [{ ...future, price: 4990 }] }, 'body.legs.0.price'],
    [{ name: 'x', legs: [{ ...future, strike: '1' }] }, 'body.legs.0.strike'],
    [{ name: 'x', legs: [future, { ...straddle[0], strike: undefined }] }, 'body.legs.1.strike'],
    [{ name: 'x', legs: [{ ...straddle[0], expiry: '2020-02-30' }] }, 'body.legs.0.expiry'],
    [{ name: 'x', legs: [{ ...straddle[0], right: 'straddle' }] }, 'body.legs.0.right'],
    [{ name: 'x', legs: [{ ...straddle[0], strike: '0' }] }, 'body.legs.0.strike'],
    [{ name: 'x', legs: [future], colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of cases) {
    const r = await f.call('POST', '/api/v1/strategies', f.k.trader, body);
    assert.equal(r.statusCode, 400, `${JSON.stringify(body)} → ${r.body}`);
    assert.ok(r.json().error.message.includes(field), `${field}: ${r.body}`);
  }
});

test("a strategy is valued at the node's marks, with its payoff at expiry", async () => {
  const legs = [
    future,
    ...straddle,
    {
      kind: 'option',
      symbol: 'MES',
      right: 'call',
      strike: '5100',
      expiry: '2099-12-18',
      side: 'sell',
      qty: 1,
      price: '40',
      volatility: '0.2',
    },
  ];
  const r = await f.call('POST', '/api/v1/strategies', f.k.trader, { name: 'mix', account: 'A1', legs, rate: '0.01' });
  assert.equal(r.statusCode, 201, r.body);
  const before = Date.now();
  const v = (await f.call('GET', `/api/v1/strategies/${r.json().id}?from=4000&to=6000&steps=200`, f.k.viewer)).json()
    .valuation;
  const mark = Number(v.marks.MES);
  assert.ok(mark > 4999 && mark < 5001, v.marks.MES);
  const point = 5; // MES: 1.25 per 0.25
  assert.equal(v.legs[0].source, 'quote');
  assert.equal(Number(v.legs[0].pnl), 2 * point * (mark - 4990));
  // Expired: intrinsic value.
  assert.equal(v.legs[1].source, 'intrinsic');
  assert.equal(Number(v.legs[1].pnl), point * (Math.max(0, mark - 5000) - 30));
  assert.equal(Number(v.legs[2].pnl), point * (Math.max(0, 5000 - mark) - 20));
  // Live: the Black-76 value at the mark (time to expiry as of the request).
  const model = valueOption({
    model: 'black76',
    type: 'call',
    underlying: mark,
    strike: 5100,
    timeToExpiry: (Date.parse('2099-12-19T00:00:00Z') - before) / (365 * 86_400_000),
    rate: 0.01,
    dividendYield: 0,
    volatility: 0.2,
  });
  assert.equal(v.legs[3].source, 'model');
  assert.ok(Math.abs(Number(v.legs[3].markPrice) - model.price) < 1e-3, `${v.legs[3].markPrice} vs ${model.price}`);
  assert.ok(Math.abs(Number(v.legs[3].pnl) - -point * (model.price - 40)) < 0.01);
  const total = v.legs.reduce((s: number, l: { pnl: string }) => s + Number(l.pnl), 0);
  assert.ok(Math.abs(Number(v.totalPnl) - total) < 0.011);
  assert.equal(v.netPremium, String(point * (30 + 20 - 40)) + '.00');
  // Payoff at expiry at 5000: future +10 points × 2, call and put worthless, short call keeps 40.
  assert.equal(v.payoff.points.length, 201);
  const at5000 = v.payoff.points.find((p: { price: string }) => Number(p.price) === 5000);
  assert.equal(Number(at5000.pnl), point * (2 * 10 - 30 - 20 + 40));
  assert.equal(v.payoff.symbol, 'MES');
});

test('an option without volatility has no model value: the total is null, not a guess', async () => {
  const leg = { ...straddle[0], expiry: '2099-12-18' };
  const r = await f.call('POST', '/api/v1/strategies', f.k.trader, { name: 'nv', account: 'A1', legs: [leg] });
  const v = (await f.call('GET', `/api/v1/strategies/${r.json().id}`, f.k.trader)).json().valuation;
  assert.equal(v.legs[0].source, 'none');
  assert.equal(v.totalPnl, null);
  assert.ok(v.payoff.points.length > 0);
});

test('labels: CRUD per symbol and time, owners as strategies, filters, mistakes named', async () => {
  const body = {
    symbol: 'MES',
    time: '2026-04-07T13:31:00Z',
    text: 'breakout',
    price: '5010.25',
    color: '#FF0000',
    kind: 'entry',
    account: 'A1',
  };
  const r = await f.call('POST', '/api/v1/labels', f.k.trader, body);
  assert.equal(r.statusCode, 201, r.body);
  const l = r.json();
  assert.equal(l.time, '2026-04-07T13:31:00.000Z');
  assert.equal(l.color, '#ff0000');
  assert.equal((await f.call('GET', `/api/v1/labels/${l.id}`, f.k.viewer)).json().text, 'breakout');
  assert.equal((await f.call('GET', `/api/v1/labels/${l.id}`, f.k.trader2)).statusCode, 404);
  assert.equal((await f.call('POST', '/api/v1/labels', f.k.viewer, body)).statusCode, 403);
  const later = await f.call('POST', '/api/v1/labels', f.k.trader, { ...body, time: '2026-04-08', text: 'next day' });
  const inRange = await f.call(
    'GET',
    '/api/v1/labels?symbol=MES&from=2026-04-07T00:00:00Z&to=2026-04-07T23:59:59Z',
    f.k.viewer,
  );
  assert.deepEqual(
    inRange.json().labels.map((x: { id: string }) => x.id),
    [l.id],
  );
  assert.equal((await f.call('GET', '/api/v1/labels?symbol=ES', f.k.viewer)).json().labels.length, 0);
  const put = await f.call('PUT', `/api/v1/labels/${l.id}`, f.k.trader, {
    symbol: 'MES',
    time: body.time,
    text: 'moved',
  });
  assert.equal(put.json().text, 'moved');
  assert.equal(put.json().price, undefined);
  assert.equal((await f.call('DELETE', `/api/v1/labels/${later.json().id}`, f.k.trader)).statusCode, 200);
  assert.equal((await f.call('GET', `/api/v1/labels/${later.json().id}`, f.k.trader)).statusCode, 404);
  const cases: [unknown, string][] = [
    [{ ...body, time: 'yesterday' }, 'body.time'],
    [{ ...body, color: 'red' }, 'body.color'],
    [{ ...body, price: 5010 }, 'body.price'],
    [{ ...body, text: '' }, 'body.text'],
    [{ ...body, kind: 'rumour' }, 'body.kind'],
  ];
  for (const [b, field] of cases) {
    const bad = await f.call('POST', '/api/v1/labels', f.k.trader, b);
    assert.equal(bad.statusCode, 400, `${JSON.stringify(b)} → ${bad.body}`);
    assert.ok(bad.json().error.message.includes(field), `${field}: ${bad.body}`);
  }
});

test('the OpenAPI document has the new routes with their schemas', async () => {
  const doc = (await f.call('GET', '/docs/json')).json() as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
    >;
  };
  for (const [path, methods] of Object.entries({
    '/api/v1/strategies': ['get', 'post'],
    '/api/v1/strategies/{id}': ['get', 'put', 'delete'],
    '/api/v1/labels': ['get', 'post'],
    '/api/v1/labels/{id}': ['get', 'put', 'delete'],
    '/api/v1/replays': ['post'],
    '/api/v1/replays/{id}': ['get'],
    '/api/v1/research/sweeps': ['post'],
    '/api/v1/research/walkforwards/{id}': ['get'],
  }))
    assert.deepEqual(
      Object.keys(doc.paths[path] ?? {})
        .filter((m) => methods.includes(m))
        .sort(),
      [...methods].sort(),
      path,
    );
  assert.deepEqual(doc.paths['/api/v1/strategies']!.post!.requestBody!.content['application/json']!.schema.required, [
    'name',
    'legs',
  ]);
  assert.ok(doc.paths['/api/v1/replays']!.post!.requestBody!.content['application/x-ndjson'], 'NDJSON body documented');
});
