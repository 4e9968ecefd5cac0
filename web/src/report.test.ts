import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capitalOf, curveOf, parseReport, type ReportTrade } from './report.ts';

const trade = (exitTime: string, pnl: string): ReportTrade => ({
  symbol: 'X',
  side: 'long',
  qty: 1,
  entryTime: exitTime,
  entryPrice: '1',
  exitTime,
  exitPrice: '1',
  pnl,
});

test('the equity curve adds trades up at their exits; drawdown is the distance below the peak', () => {
  const c = curveOf([
    trade('2000-01-03T00:00:00Z', '100'),
    trade('2000-01-05T00:00:00Z', '-30.5'),
    trade('2000-01-04T00:00:00Z', '-20'),
    trade('2000-01-05T00:00:00Z', '10'),
    trade('2000-01-06T00:00:00Z', '50'),
  ]);
  assert.deepEqual(
    c.equity.map((p) => p.value),
    [100, 80, 59.5, 109.5],
  );
  assert.deepEqual(
    c.drawdown.map((p) => p.value),
    [0, -20, -40.5, 0],
  );
});

test('a report file is a backtest answer or a bare report', () => {
  assert.equal(parseReport('{"report":{"trades":[],"breaches":[]}}').trades?.length, 0);
  assert.equal(parseReport('{"breaches":[{"day":"d","rule":"RULE-003","ts":"t","action":"a"}]}').breaches?.length, 1);
  assert.throws(() => parseReport('{"x":1}'), /not a riskgate report/);
});

test('the capital comes from net P&L over total return, and starts the equity curve', () => {
  const capital = capitalOf({ netPnl: '535.140085', totalReturnPct: 5.35140085 });
  assert.equal(capital, 10000);
  assert.equal(capitalOf({ netPnl: '0', totalReturnPct: 0 }), 0);
  assert.deepEqual(
    curveOf([trade('2000-01-03T00:00:00Z', '-100')], capital).equity.map((p) => p.value),
    [9900],
  );
});
