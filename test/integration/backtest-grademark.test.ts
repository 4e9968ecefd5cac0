/**
 * Side by side with grademark 0.3.0: the same sma-cross (long when close > SMA(period), exit when
 * close < SMA, fills at the next bar's open, an open position closed at the last close) on 20
 * years of real S&P 500 daily bars must give the same trades and the same compounded return.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadBars } from '../../src/backtest/bars-file.ts';
import { runBacktest } from '../../src/backtest/engine.ts';
import { smaCross } from '../../src/backtest/strategies/sma-cross.ts';
import { parseFixed } from '../../src/domain/money.ts';
import { grademark, loadGrademarkBars, smaCrossStrategy, withSma } from './grademark-harness.ts';

const SP500 = fileURLToPath(new URL('../../../shared/data/bars/sp500-2000.csv', import.meta.url));

describe('sma-cross: riskgate vs grademark on sp500-2000.csv', () => {
  const bars = loadBars(SP500);
  const gmBars = loadGrademarkBars(SP500);

  for (const period of [30, 10, 50]) {
    it(`period ${period}: same trade list and compounded return`, () => {
      const ours = runBacktest(bars, smaCross.create({ period: String(period), qty: '1', decideOnFillBar: 'false' }), {
        symbol: 'SPX',
        capital: parseFixed('10000'),
      });
      const theirs = grademark.backtest(smaCrossStrategy, withSma(gmBars, period));
      assert.ok(theirs.length > 50, `grademark made ${theirs.length} trades`);
      assert.equal(ours.trades.length, theirs.length);
      assert.equal(ours.bars, bars.length);
      ours.trades.forEach((t, i) => {
        const g = theirs[i];
        assert.ok(g);
        assert.equal(t.side, 'long');
        assert.equal(t.qty, 1);
        assert.deepEqual(
          [t.entryTime, Number(t.entryPrice), t.exitTime, Number(t.exitPrice)],
          [g.entryTime.toISOString(), g.entryPrice, g.exitTime.toISOString(), g.exitPrice],
          `trade ${i}`,
        );
      });
      // grademark compounds each trade's growth (exit / entry for a long) on its capital.
      const gmGrowth = grademark.analyze(10000, theirs).growth;
      const ourGrowth = ours.trades.reduce((g, t) => g * (Number(t.exitPrice) / Number(t.entryPrice)), 1);
      assert.ok(Math.abs(ourGrowth / gmGrowth - 1) < 1e-9, `compounded growth ${ourGrowth} vs ${gmGrowth}`);
      // One unit, no fees: our exact net P&L is Σ (exit − entry); grademark's Σ profit in floats.
      const gmProfit = theirs.reduce((s, x) => s + x.profit, 0);
      assert.ok(Math.abs(Number(ours.stats.netPnl) - gmProfit) < 1e-6, `net ${ours.stats.netPnl} vs ${gmProfit}`);
    });
  }

  it('the last trade of a position open at the end closes at the last close, like grademark', () => {
    const last = bars[bars.length - 1];
    assert.ok(last);
    const ours = runBacktest(bars, smaCross.create({ period: '30', qty: '1', decideOnFillBar: 'false' }), {
      symbol: 'SPX',
    });
    const theirs = grademark.backtest(smaCrossStrategy, withSma(gmBars, 30));
    const g = theirs[theirs.length - 1];
    const t = ours.trades[ours.trades.length - 1];
    assert.equal(g?.exitReason, 'finalize'); // SMA(30) is below the close on 2020-04-17: still long
    assert.equal(t?.exitTime, g?.exitTime.toISOString());
    assert.equal(t?.exitTime, new Date(last.ts).toISOString());
    assert.equal(t?.exitPrice, '2874.560059');
  });
});
