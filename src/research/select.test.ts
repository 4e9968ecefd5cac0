import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fromInt } from '../domain/money.ts';
import { loadBars } from '../backtest/bars-file.ts';
import { runBacktest } from '../backtest/engine.ts';
import { smaCross } from '../backtest/strategies/sma-cross.ts';
import type { StrategyDefinition } from '../backtest/types.ts';
import { runSelection } from './select.ts';
import { DEFAULT_SELECTOR_SETTINGS, type SelectorSettings } from './selector.ts';

const BARS = loadBars(fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url))).slice(0, 700);
const hold: StrategyDefinition = {
  name: 'hold',
  description: 'buy on the first bar',
  params: {},
  create: () => ({
    onBar(_b, ctx) {
      if (ctx.index === 0) ctx.buy(1);
    },
  }),
};
const sma = (period: string) => ({
  id: `sma-cross:period=${period}`,
  def: smaCross,
  params: { period, qty: '1', decideOnFillBar: 'false', stop: '0' },
});
const base = { symbol: 'SPX', capital: fromInt(10000) };

describe('research select (selector + allocation over backtests)', () => {
  it('one always-active candidate with no binding budget: the portfolio is the candidate after the first selection', () => {
    const settings: SelectorSettings = {
      ...DEFAULT_SELECTOR_SETTINGS,
      lookback: 100,
      rebalance: 50,
      minScore: Number.NEGATIVE_INFINITY,
      allocation: {
        ...DEFAULT_SELECTOR_SETTINGS.allocation,
        maxWeight: 1,
        varBudget: 1,
        drawdownBudget: 1,
        kelly: 'off',
      },
    };
    const progress: number[] = [];
    const r = runSelection(
      { bars: BARS, base, candidates: [{ id: 'hold', def: hold, params: {} }], settings },
      (d, t) => progress.push(d / t),
    );
    assert.equal(r.selections.length, Math.ceil((700 - 100) / 50));
    assert.equal(r.selections[0]?.at, new Date((BARS[99] as { ts: number }).ts).toISOString());
    assert.deepEqual(r.selections[0]?.allocation.weights, { hold: 1 });
    assert.equal(progress.length, 1 + r.selections.length);
    assert.equal(progress[progress.length - 1], 1);
    const alone = runBacktest(BARS, hold.create({}), base).equity.values;
    const expected = ((alone[699] as number) / (alone[99] as number) - 1) * 100;
    assert.ok(
      Math.abs(r.portfolio.stats.totalReturnPct - expected) < 1e-9,
      `${r.portfolio.stats.totalReturnPct} vs ${expected}`,
    );
    // Buy and hold moves one for one with the market (1 unit of a point-value-1 index on 10000).
    const s = r.selections[r.selections.length - 1];
    const b = s?.betas.hold ?? 0;
    assert.ok(b > 0);
    const crisis = s?.stress.find((x) => x.scenario === 'crisis');
    assert.ok(Math.abs((crisis?.pnlPct ?? 0) - 1 * b * -0.3 * 100) < 1e-9);
  });

  it('several candidates: weights within the cap, every factor reported, the same report twice', () => {
    const candidates = [sma('20'), sma('50'), { id: 'hold', def: hold, params: {} }];
    const settings = { ...DEFAULT_SELECTOR_SETTINGS, lookback: 200, rebalance: 100 };
    const r = runSelection({ bars: BARS, base, candidates, settings });
    assert.deepEqual(
      r.candidates.map((c) => c.id),
      ['sma-cross:period=20', 'sma-cross:period=50', 'hold'],
    );
    for (const s of r.selections) {
      assert.equal(s.scores.length, 3);
      for (const w of Object.values(s.allocation.weights)) assert.ok(w >= 0 && w <= 0.4 + 1e-12);
      assert.deepEqual(
        s.active,
        s.scores.filter((x) => x.active).map((x) => x.id),
      );
      assert.deepEqual(Object.keys(s.scores[0]?.contributions ?? {}), ['sharpe', 'regime', 'drawdown', 'correlation']);
    }
    assert.equal(JSON.stringify(runSelection({ bars: BARS, base, candidates, settings })), JSON.stringify(r));
  });

  it('a lookback longer than the data is an error', () => {
    assert.throws(
      () =>
        runSelection({
          bars: BARS.slice(0, 50),
          base,
          candidates: [sma('20')],
          settings: DEFAULT_SELECTOR_SETTINGS,
        }),
      /lookback 252/,
    );
  });
});
