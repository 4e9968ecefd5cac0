import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromInt, parseFixed } from '../domain/money.ts';
import { runBacktest, runQuoteBacktest } from './engine.ts';
import { makeBar, type Bar, type Strategy } from './types.ts';

const day = (i: number) => Date.UTC(2026, 0, 5 + i);
const bars: Bar[] = ['100', '102', '101', '105', '104'].map((c, i) =>
  makeBar(day(i), parseFixed(c) - fromInt(1), parseFixed(c) + fromInt(1), parseFixed(c) - fromInt(2), parseFixed(c)),
);

const buyFirstBar: Strategy = {
  onBar(_b, ctx) {
    if (ctx.index === 0) ctx.buy(2);
  },
};

describe('backtest engine', () => {
  it('fills at the next open, marks equity every close, closes out at the last close', () => {
    const r = runBacktest(bars, buyFirstBar, { symbol: 'MES', capital: parseFixed('10000') }); // point value 5
    assert.equal(r.bars, 5);
    assert.deepEqual(r.trades, [
      {
        symbol: 'MES',
        side: 'long',
        qty: 2,
        entryTime: new Date(day(1)).toISOString(),
        entryPrice: '101',
        exitTime: new Date(day(4)).toISOString(),
        exitPrice: '104',
        pnl: '30',
      },
    ]);
    assert.deepEqual(Array.from(r.equity.values), [10000, 10010, 10000, 10040, 10030]);
    assert.equal(r.stats.netPnl, '30');
    assert.equal(r.stats.exposurePct, 80);
  });

  it('fees and slippage are charged; P&L stays exact', () => {
    const r = runBacktest(bars, buyFirstBar, { symbol: 'MES', slippageTicks: 1, feePerContract: parseFixed('0.37') });
    // entry 101 + 0.25 slippage; the final close-out is at the close itself (no slippage)
    assert.equal(r.trades[0]?.entryPrice, '101.25');
    assert.equal(r.trades[0]?.pnl, String((104 - 101.25) * 2 * 5 - 4 * 0.37));
  });

  it('the pre-trade hook rejects orders, which are reported and never fill', () => {
    const r = runBacktest(bars, buyFirstBar, {
      symbol: 'MES',
      preTrade: (o) =>
        o.qty > fromInt(1) ? { allow: false, rule: 'RULE-001', reason: 'max 1 contract' } : { allow: true },
    });
    assert.deepEqual(r.trades, []);
    assert.equal(r.rejections.length, 1);
    assert.equal(r.rejections[0]?.reason, 'RULE-001: max 1 contract');
    assert.equal(r.stats.netPnl, '0');
  });

  it('an account whose equity reaches 0 stops: position closed at that close, no more strategy calls', () => {
    const falling: Bar[] = ['100', '90', '80', '70', '75'].map((c, i) =>
      makeBar(day(i), parseFixed(c), parseFixed(c), parseFixed(c), parseFixed(c)),
    );
    const seen: number[] = [];
    const alwaysLong: Strategy = {
      onBar(_b, ctx) {
        seen.push(ctx.index);
        if (ctx.position === 0n && ctx.pendingOrders === 0) ctx.buy(4);
      },
    };
    // MES: 5 USD a point; 4 contracts from 90 (bar 1's open): −200 at 80, −400 at 70 ≤ −capital.
    const r = runBacktest(falling, alwaysLong, { symbol: 'MES', capital: parseFixed('300') });
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(r.stopped, {
      ts: new Date(day(3)).toISOString(),
      equity: '-100',
      reason: `capital lost: equity -100 ≤ 0 at ${new Date(day(3)).toISOString()}; position closed at 70, no new orders`,
    });
    assert.deepEqual(
      r.trades.map((t) => [t.exitTime, t.exitPrice, t.pnl]),
      [[new Date(day(3)).toISOString(), '70', '-400']],
    );
    assert.deepEqual(Array.from(r.equity.values), [300, 300, 100, -100, -100]);
    const quotes = [90, 80, 70, 75].map((p, i) => ({ symbol: 'MES', ts: day(i), last: parseFixed(String(p)) }));
    const q = runQuoteBacktest(
      quotes,
      { onBar() {}, onQuote: (_q, ctx) => void (ctx.position === 0n && ctx.pendingOrders === 0 && ctx.buy(4)) },
      { symbol: 'MES', capital: parseFixed('300') },
    );
    assert.equal(q.stopped?.ts, new Date(day(2)).toISOString());
    assert.equal(q.trades.length, 1);
  });

  it('runs on quotes through the same interface', () => {
    const quotes = [
      { symbol: 'MNQ', ts: 1, bid: parseFixed('100'), ask: parseFixed('100.25') },
      { symbol: 'MNQ', ts: 2, bid: parseFixed('101'), ask: parseFixed('101.25') },
      { symbol: 'MNQ', ts: 3, bid: parseFixed('102'), ask: parseFixed('102.25') },
    ];
    const strategy: Strategy = {
      onBar() {},
      onQuote(_q, ctx) {
        if (ctx.index === 0) ctx.buy(1); // fills at once against the current ask
      },
    };
    const r = runQuoteBacktest(quotes, strategy, { symbol: 'MNQ' });
    assert.deepEqual(
      r.trades.map((t) => [t.entryPrice, t.exitPrice, t.pnl]),
      [['100.25', '102.125', '3.75']], // closed out at the last mid; point value 2
    );
  });
});
