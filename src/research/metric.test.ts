import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBarsCsv } from '../backtest/bars-file.ts';
import { runBacktest } from '../backtest/engine.ts';
import { jsonReport } from '../backtest/report-json.ts';
import { smaCross } from '../backtest/strategies/sma-cross.ts';
import { AppError } from '../errors.ts';
import { bestIndex, compareMetric, parseMetric } from './metric.ts';
import { statsJson, type StatsJson } from '../backtest/stats-json.ts';

const base: StatsJson = {
  trades: 1,
  netPnl: '0',
  totalReturnPct: 0,
  maxDrawdownPct: 5,
  sharpe: 0,
  sortino: 0,
  winRate: 0,
  profitFactor: 1,
  exposurePct: 0,
  cagrPct: 0,
};
const run = (s: Partial<StatsJson>) => ({ stats: { ...base, ...s } });

test('the best run has the highest metric; ties go to the first; null ranks below every number', () => {
  assert.equal(
    bestIndex([run({ sharpe: 1 }), run({ sharpe: 2 }), run({ sharpe: 2 }), run({ sharpe: null })], 'sharpe'),
    1,
  );
  assert.equal(bestIndex([run({ sharpe: null }), run({ sharpe: -3 })], 'sharpe'), 1);
  assert.equal(bestIndex([run({ sharpe: null }), run({ sharpe: null })], 'sharpe'), 0);
  assert.equal(bestIndex([], 'sharpe'), -1);
});

test('netPnl is compared exactly, beyond what a double can tell apart', () => {
  const a = run({ netPnl: '12345678901234.000000000000000001' });
  const b = run({ netPnl: '12345678901234' });
  assert.equal(compareMetric(a.stats, b.stats, 'netPnl'), 1);
  assert.equal(bestIndex([b, a], 'netPnl'), 1);
});

test('maxDrawdownPct: the lowest drawdown is the best', () => {
  assert.equal(
    bestIndex([run({ maxDrawdownPct: 9 }), run({ maxDrawdownPct: 3 }), run({ maxDrawdownPct: 4 })], 'maxDrawdownPct'),
    1,
  );
});

test('an unknown metric is ERR_RESEARCH_INPUT naming --metric and the choices', () => {
  assert.throws(
    () => parseMetric('alpha'),
    (e: unknown) =>
      e instanceof AppError && e.code === 'ERR_RESEARCH_INPUT' && /^--metric: one of netPnl, sharpe/.test(e.message),
  );
  assert.equal(parseMetric('sortino'), 'sortino');
});

test('the stats of a sweep run are byte for byte the stats of `backtest --report json`', () => {
  const rows = ['date,open,high,low,close'];
  for (let i = 0; i < 120; i++) {
    const c = 100 + 10 * Math.sin(i / 7) + i / 10;
    rows.push(
      `${new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${c - 0.5},${c + 1},${c - 1},${c}`,
    );
  }
  const bars = parseBarsCsv(rows.join('\n'));
  const result = runBacktest(bars, smaCross.create({ period: '5', qty: '1', decideOnFillBar: 'false', stop: '0' }), {
    symbol: 'X',
  });
  assert.ok(result.stats.trades > 0);
  assert.equal(
    JSON.stringify(statsJson(result.stats)),
    JSON.stringify((JSON.parse(jsonReport(result)) as { stats: unknown }).stats),
  );
});
