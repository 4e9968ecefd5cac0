import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fromInt, parseFixed, formatFixed } from '../domain/money.ts';
import { validateConfigText } from '../config/load.ts';
import type { RawConfig } from '../config/schema.ts';
import { loadBars } from './bars-file.ts';
import { runBacktest, runQuoteBacktest } from './engine.ts';
import type { Quote } from '../adapters/broker.ts';
import { runPortfolioBacktest, runPortfolioQuoteBacktest } from './portfolio.ts';
import { smaCross } from './strategies/sma-cross.ts';
import { makeBar, type Bar, type Strategy } from './types.ts';

const SP500 = loadBars(fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url)));
const sma = () => smaCross.create({ ...defaults(), period: '30' });
function defaults(): Record<string, string> {
  return Object.fromEntries(Object.entries(smaCross.params).map(([k, v]) => [k, v.default]));
}

const day = (i: number) => Date.UTC(2026, 0, 5 + i);
const flatBars = (closes: string[], offset = 0): Bar[] =>
  closes.map((c, i) => makeBar(day(i + offset), parseFixed(c), parseFixed(c), parseFixed(c), parseFixed(c)));

const buyFirst = (): Strategy => ({
  onBar(_b, ctx) {
    if (ctx.index === 0) ctx.buy(1);
  },
});

describe('portfolio backtest (several instruments, one account)', () => {
  it('one symbol gives exactly the single-instrument backtest', () => {
    const single = runBacktest(SP500, sma(), { symbol: 'SPX' });
    const multi = runPortfolioBacktest([{ symbol: 'SPX', bars: SP500 }], sma, {});
    assert.deepEqual(multi.trades, single.trades);
    assert.deepEqual(multi.stats, single.stats);
    // The symbol's own curve is capital + its P&L (summed in another order): equal to rounding.
    const own = multi.symbols.SPX?.stats;
    assert.equal(own?.netPnl, single.stats.netPnl);
    assert.equal(own?.trades, single.stats.trades);
    assert.equal(own?.exposurePct, single.stats.exposurePct);
    assert.ok(Math.abs((own?.sharpe ?? 0) - (single.stats.sharpe ?? 1)) < 1e-9);
    assert.deepEqual(Array.from(multi.equity.values), Array.from(single.equity.values));
  });

  it('aligns symbols by time; the account P&L is the sum of the symbols, exactly', () => {
    const a = SP500.slice(0, 3000);
    const b = SP500.slice(1500); // overlaps a for 1500 bars
    const multi = runPortfolioBacktest(
      [
        { symbol: 'A', bars: a },
        { symbol: 'B', bars: b },
      ],
      sma,
      {},
    );
    const ra = runBacktest(a, sma(), { symbol: 'A' });
    const rb = runBacktest(b, sma(), { symbol: 'B' });
    assert.equal(multi.bars, SP500.length);
    assert.equal(multi.symbols.A?.bars, 3000);
    assert.equal(multi.symbols.A?.stats.netPnl, ra.stats.netPnl);
    assert.equal(multi.symbols.B?.stats.netPnl, rb.stats.netPnl);
    assert.equal(multi.stats.trades, ra.stats.trades + rb.stats.trades);
    assert.equal(multi.stats.netPnl, formatFixed(parseFixed(ra.stats.netPnl) + parseFixed(rb.stats.netPnl)));
    assert.ok(multi.trades.some((t) => t.symbol === 'A') && multi.trades.some((t) => t.symbol === 'B'));
  });

  it('account-wide rules see every symbol: two 1-lot positions breach an open-contracts limit of 1', () => {
    const config = validateConfigText('risk:\n  rules:\n    RULE-001: { limit: 1 }\n').config as RawConfig;
    const aaa = { symbol: 'AAA', bars: flatBars(['10', '11', '12', '13']) };
    const bbb = { symbol: 'BBB', bars: flatBars(['20', '21', '22', '23']) };
    const r = runPortfolioBacktest([aaa, bbb], buyFirst, { config, capital: fromInt(1000) });
    assert.equal(r.risk, true);
    assert.equal(r.breaches[0]?.rule, 'RULE-001');
    assert.equal(r.breaches[0]?.ts, new Date(day(1)).toISOString());
    assert.ok(r.enforcements >= 1);
    // The trim closes one lot at the next open, before the end of the data.
    const trimmed = r.trades.find((t) => t.exitTime === new Date(day(2)).toISOString());
    assert.ok(trimmed, JSON.stringify(r.trades));
    // Either symbol alone stays within the limit.
    for (const feed of [aaa, bbb]) {
      const alone = runPortfolioBacktest([feed], buyFirst, { config });
      assert.deepEqual(alone.breaches, []);
      assert.equal(alone.trades.length, 1);
    }
  });

  it('a symbol without a bar at a time is not called; its position stays marked at its last close', () => {
    const calls: string[] = [];
    const spy = (symbol: string): Strategy => ({
      onBar(bar, ctx) {
        calls.push(`${symbol}@${(bar.ts - day(0)) / 86_400_000}:${ctx.index}`);
        if (ctx.index === 0) ctx.buy(1);
      },
    });
    const r = runPortfolioBacktest(
      [
        { symbol: 'AAA', bars: flatBars(['10', '12', '14']) },
        { symbol: 'BBB', bars: flatBars(['5', '6'], 1) },
      ],
      spy,
      { capital: fromInt(100) },
    );
    assert.deepEqual(calls, ['AAA@0:0', 'AAA@1:1', 'BBB@1:0', 'AAA@2:2', 'BBB@2:1']);
    // AAA bought at 12 (bar 1), BBB at 6 (bar 2): at the last close AAA +2, BBB 0.
    assert.deepEqual(Array.from(r.equity.values), [100, 100, 102]);
    assert.equal(r.symbols.AAA?.stats.netPnl, '2');
    assert.equal(r.symbols.BBB?.stats.netPnl, '0');
  });

  it('quotes of several symbols: each symbol its own strategy, the account P&L their sum, other symbols skipped', () => {
    const q = (i: number, symbol: string, last: string): Quote => ({
      symbol,
      ts: day(0) + i * 60_000,
      last: parseFixed(last),
    });
    const quotes = [
      q(0, 'AAA', '10'),
      q(1, 'BBB', '20'),
      q(2, 'ZZZ', '1'),
      q(3, 'AAA', '11'),
      q(4, 'BBB', '23'),
      q(5, 'AAA', '12'),
      q(6, 'BBB', '22'),
    ];
    const buyFirstQuote = (): Strategy => ({
      onBar() {},
      onQuote(_q, ctx) {
        if (ctx.index === 0) ctx.buy(1);
      },
    });
    const r = runPortfolioQuoteBacktest(quotes, [{ symbol: 'AAA' }, { symbol: 'BBB' }], buyFirstQuote, {
      capital: fromInt(100),
    });
    // A market order fills at the live quote: AAA bought at 10, closed at 12; BBB at 20, closed at 22.
    assert.equal(r.symbols.AAA?.stats.netPnl, '2');
    assert.equal(r.symbols.BBB?.stats.netPnl, '2');
    assert.equal(r.stats.netPnl, '4');
    assert.equal(r.bars, 6);
    assert.equal(r.symbols.AAA?.bars, 3);
    const alone = runQuoteBacktest(
      quotes.filter((x) => x.symbol === 'AAA'),
      buyFirstQuote(),
      { symbol: 'AAA', capital: fromInt(100) },
    );
    assert.equal(alone.stats.netPnl, '2');
    assert.deepEqual(
      alone.trades,
      r.trades.filter((t) => t.symbol === 'AAA'),
    );
    assert.throws(
      () => runPortfolioQuoteBacktest(quotes, [{ symbol: 'AAA' }], buyFirst, { strategyName: 'bars-only' }),
      /strategy bars-only has no onQuote/,
    );
  });

  it('refuses a symbol given twice', () => {
    assert.throws(
      () =>
        runPortfolioBacktest(
          [
            { symbol: 'A', bars: SP500 },
            { symbol: 'A', bars: SP500 },
          ],
          sma,
          {},
        ),
      /ERR_BACKTEST_INPUT|given twice/,
    );
  });
});
