import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../domain/money.ts';
import {
  computeStats,
  maxDrawdownPct,
  observedPeriodsPerYear,
  returnMoments,
  sharpeRatio,
  sortinoRatio,
} from './stats.ts';

const close = (a: number | null, b: number, eps = 1e-12) =>
  assert.ok(a !== null && Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('backtest statistics', () => {
  it('max drawdown is the deepest fall from a running peak, in % of that peak', () => {
    assert.equal(maxDrawdownPct(100, [110, 99, 120, 90, 130]), 25); // 120 → 90
    assert.equal(maxDrawdownPct(100, [101, 102]), 0);
  });

  it('Sharpe and Sortino from per-bar returns, annualised by √periods', () => {
    // equity 100 → 110 → 99 → 108.9: returns +10 %, −10 %, +10 %
    const m = returnMoments(100, [110, 99, 108.9]);
    close(m.mean, 0.1 / 3);
    const sd = Math.sqrt(((0.1 - 0.1 / 3) ** 2 * 2 + (-0.1 - 0.1 / 3) ** 2) / 2);
    close(sharpeRatio(m, 252), (0.1 / 3 / sd) * Math.sqrt(252));
    close(sortinoRatio(m, 252), (0.1 / 3 / Math.sqrt(0.01 / 3)) * Math.sqrt(252));
    assert.equal(sortinoRatio(returnMoments(100, [101, 102]), 252), null); // no downside
    assert.equal(sharpeRatio(returnMoments(100, [100, 100]), 252), null); // no variance
  });

  it('observed periods per year: ~252 for US daily bars', () => {
    const days = Array.from(
      { length: 253 },
      (_, i) => Date.UTC(2021, 0, 4) + Math.floor((i * 365.25) / 252) * 86_400_000,
    );
    close(observedPeriodsPerYear(days) ?? 0, 252, 0.01);
  });

  it('trade statistics: win rate, profit factor, CAGR, exposure, exact net P&L', () => {
    const year = 365.25 * 86_400_000;
    const s = computeStats({
      capital: parseFixed('1000'),
      finalEquity: parseFixed('1210.5'),
      equity: [1000, 1100, 1210.5],
      times: [0, year, 2 * year],
      tradePnls: [150, -50, 110.5],
      exposedBars: 2,
    });
    assert.equal(s.trades, 3);
    assert.equal(s.netPnl, '210.5');
    close(s.totalReturnPct, 21.05);
    close(s.winRate, 2 / 3);
    close(s.profitFactor, 260.5 / 50);
    close(s.exposurePct, 200 / 3);
    close(s.cagrPct, (Math.sqrt(1.2105) - 1) * 100);
    assert.equal(
      computeStats({
        capital: parseFixed('1000'),
        finalEquity: parseFixed('1010'),
        equity: [1010],
        times: [0],
        tradePnls: [10],
        exposedBars: 1,
      }).profitFactor,
      null,
    );
  });
});
