/**
 * Analytics and backtest routes: the reference option rows and max-pain chain of shared/data
 * through the API, VaR and optimizer answers, 400s naming the field, and a backtest run on a
 * worker thread (status, then the JSON report; another key's job is 404; no path outside the
 * bundled data).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, type Fixture } from './test-fixture.ts';
import { bundledDataPath } from './backtest-job.ts';

const DATA = '/work/shared/data/options';
let f: Fixture;
before(async () => {
  f = await fixture();
});
after(async () => {
  await f.close();
});

const close = (a: number, e: number) => Math.abs(a - e) <= Math.max(1e-6 * Math.abs(e), 1e-8);

test('greeks: the reference rows, with iv where a check price is given', async () => {
  const lines = readFileSync(`${DATA}/greeks_reference.csv`, 'utf8')
    .trim()
    .split('\n')
    .slice(1, 9)
    .map((l) => l.split(','));
  const options = lines.map(([id, model, type, S, K, T, r, q, sigma, , , , , , , iv]) => ({
    id,
    model,
    type,
    underlying: Number(S),
    strike: Number(K),
    years: Number(T),
    rate: Number(r),
    dividendYield: q!,
    volatility: sigma,
    ...(iv ? { price: Number(iv) } : {}),
  }));
  const res = await f.call('POST', '/api/v1/analytics/greeks', f.k.viewer, { options });
  assert.equal(res.statusCode, 200, res.body);
  res.json().results.forEach((out: Record<string, number>, i: number) => {
    const row = lines[i]!.map(Number);
    assert.ok(close(out.price!, row[9]!), `price ${lines[i]![0]}`);
    assert.ok(close(out.delta!, row[10]!), `delta ${lines[i]![0]}`);
    if (lines[i]![15]) assert.ok(Math.abs(out.iv! - row[8]!) < 1e-6, `iv ${lines[i]![0]}`);
  });
  const bad = await f.call('POST', '/api/v1/analytics/greeks', f.k.viewer, {
    options: [{ ...options[0], strike: 'abc' }],
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error.message, /^body\.options\.0\.strike/);
  const negative = await f.call('POST', '/api/v1/analytics/greeks', f.k.viewer, {
    options: [{ ...options[0], strike: -1 }],
  });
  assert.equal(negative.statusCode, 400);
  assert.match(negative.json().error.message, /K|strike/);
});

test('iv, maxpain, var and optimize answer like the CLI; bad input is a 400 naming the field', async () => {
  const iv = await f.call('POST', '/api/v1/analytics/iv', f.k.trader, {
    type: 'call',
    underlying: 100,
    strike: 100,
    years: 1,
    rate: 0.05,
    price: '10.450583572185577',
  });
  assert.ok(Math.abs(iv.json().iv - 0.2) < 1e-6, iv.body);
  const { expected, ...chain } = JSON.parse(readFileSync(`${DATA}/max_pain_example.json`, 'utf8')) as {
    expected: { max_pain_strike: number; min_total_payout: number };
  } & Record<string, unknown>;
  const mp = await f.call('POST', '/api/v1/analytics/maxpain', f.k.viewer, chain);
  assert.equal(mp.statusCode, 200, mp.body);
  assert.equal(mp.json().maxPainStrike, expected.max_pain_strike);
  assert.equal(mp.json().minTotalPayout, expected.min_total_payout);
  const returns = [0.01, -0.02, 0.005, -0.03, 0.012, -0.004, 0.02, -0.015, 0.003, -0.01];
  const v = await f.call('POST', '/api/v1/analytics/var', f.k.viewer, {
    returns,
    confidence: [0.9],
    method: 'historical',
    portfolioValue: '1000',
  });
  assert.equal(v.statusCode, 200, v.body);
  assert.equal(v.json().results.length, 1);
  assert.ok(v.json().results[0].valueAtRisk > 0);
  assert.match((await f.call('POST', '/api/v1/analytics/var', f.k.viewer, {})).json().error.message, /returns/);
  assert.match(
    (await f.call('POST', '/api/v1/analytics/var', f.k.viewer, { returns, method: 'monte' })).json().error.message,
    /^body\.method/,
  );
  const opt = await f.call('POST', '/api/v1/analytics/optimize', f.k.viewer, {
    method: 'min-variance',
    maxWeight: 1,
    series: { a: returns, b: returns.map((x) => x / 2 + 0.001), c: returns.map((x, i) => (i % 2 ? x : -x)) },
  });
  assert.equal(opt.statusCode, 200, opt.body);
  const w = opt.json().weights as Record<string, number>;
  assert.ok(Math.abs(w.a! + w.b! + w.c! - 1) < 1e-9);
  const ragged = await f.call('POST', '/api/v1/analytics/optimize', f.k.viewer, {
    series: { a: [0.1, 0.2], b: [0.1] },
  });
  assert.equal(ragged.statusCode, 400);
  assert.equal((await f.call('POST', '/api/v1/analytics/iv', undefined, {})).statusCode, 401);
});

test('backtests: 202 {id}, run on a worker, then the JSON report (and HTML); another key sees 404', async () => {
  const created = await f.call('POST', '/api/v1/backtests', f.k.trader, {
    strategy: 'sma-cross',
    params: { period: '20' },
    capital: '100000',
  });
  assert.equal(created.statusCode, 202, created.body);
  const { id } = created.json();
  assert.match(id, /^bt_[0-9a-f]{16}$/);
  await f.app.backtests.finished(id);
  const done = await f.call('GET', `/api/v1/backtests/${id}`, f.k.trader);
  assert.equal(done.json().status, 'done', done.body);
  const report = done.json().report;
  assert.ok(report.trades.length > 0);
  assert.equal(typeof report.stats.netPnl, 'string', 'money as decimal strings');
  const html = await f.call('GET', `/api/v1/backtests/${id}?format=html`, f.k.trader);
  assert.match(html.headers['content-type'] as string, /text\/html/);
  assert.equal((await f.call('GET', `/api/v1/backtests/${id}`, f.k.viewer)).statusCode, 404, "another key's job");
  assert.equal((await f.call('GET', `/api/v1/backtests/${id}`, f.k.admin)).statusCode, 200);
  assert.equal((await f.call('GET', '/api/v1/backtests/bt_0000000000000000', f.k.trader)).statusCode, 404);
});

test('backtests refuse bad input at once: unknown strategy or parameter, paths outside the bundled data', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ strategy: 'nope' }, /strategy/],
    [{ strategy: '../../etc/passwd' }, /strategy/],
    [{ strategy: 'sma-cross', params: { nope: '1' } }, /^body\.params\.nope/],
    [{ strategy: 'sma-cross', data: '../package.json' }, /data/],
    [{ strategy: 'sma-cross', data: '/etc/passwd' }, /data/],
    [{ strategy: 'sma-cross', data: 'missing.csv' }, /data/],
    [{ strategy: 'sma-cross', capital: '-5' }, /capital/],
  ];
  for (const [body, message] of cases) {
    const r = await f.call('POST', '/api/v1/backtests', f.k.trader, body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.match(r.json().error.message, message);
  }
  assert.match(bundledDataPath(undefined), /data-bundled\/sp500-2000\.csv$/);
});
