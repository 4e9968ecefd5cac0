/**
 * Report routes: given a trader's fill, the daily report answers its figures as JSON, CSV or HTML,
 * the shadow report what riskgate would have done; a bad date is a 400 naming the field.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, type Fixture } from './test-fixture.ts';

let f: Fixture;
before(async () => {
  f = await fixture();
  f.quote('MES', '5000.00', '5000.25');
  const r = await f.call('POST', '/api/v1/orders', f.k.trader, {
    account: 'A1',
    symbol: 'MES',
    side: 'buy',
    qty: 1,
    orderType: 'market',
    clientOrderId: 'rep-1',
  });
  assert.equal(r.statusCode, 201, r.body);
});
after(async () => {
  await f.close();
});

test('daily report of today: the fill with its slippage against the mark at submit, as JSON, CSV and HTML', async () => {
  const res = await f.call('GET', '/api/v1/accounts/A1/reports/daily', f.k.viewer);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.account, 'A1');
  assert.equal(body.trades, 1);
  assert.equal(body.fills[0].orderId, 'rep-1');
  assert.equal(body.fills[0].expectedPrice, '5000'); // the mark at submit: the quote's last
  assert.equal(body.slippage.fills, 1);
  const csv = await f.call('GET', `/api/v1/accounts/A1/reports/daily?date=${body.date}&format=csv`, f.k.viewer);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.equal(csv.body.trim().split('\n')[1]!.split(',')[0], 'A1');
  const html = await f.call('GET', `/api/v1/accounts/A1/reports/daily?format=html`, f.k.viewer);
  assert.match(String(html.headers['content-type']), /text\/html/);
  assert.ok(html.body.includes('Daily report: A1'));
});

test('shadow report: nothing would have been done on a quiet day; a bad date names the field', async () => {
  const res = await f.call('GET', '/api/v1/accounts/A1/shadow-report', f.k.trader);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().wouldHaveLockedAt, null);
  assert.equal(res.json().wouldHaveFlattenedAt, null);
  const bad = await f.call('GET', '/api/v1/accounts/A1/shadow-report?date=tomorrow', f.k.trader);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /date/);
  const foreign = await f.call('GET', '/api/v1/accounts/A2/reports/daily', f.k.trader);
  assert.equal(foreign.statusCode, 404);
});
