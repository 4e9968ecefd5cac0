import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ironCondor,
  markStrategy,
  payoffAt,
  payoffCurve,
  straddle,
  verticalSpread,
  type StrategyLeg,
} from './strategy.ts';
import { valueOption } from './option-pricing.ts';
import { aggregateGreeks } from './position-greeks.ts';

const common = { timeToExpiry: 30 / 365, volatility: 0.2, multiplier: 50 };

test('bull call vertical: max profit = width − debit, max loss = debit, breakeven = K1 + debit', () => {
  const legs = verticalSpread('call', 100, 110, [4, 1], common);
  const curve = payoffCurve(legs, { from: 80, to: 130, steps: 50 });
  assert.equal(curve.maxProfit, (10 - 3) * 50);
  assert.equal(curve.maxLoss, -3 * 50);
  assert.deepEqual(curve.breakevens, [103]);
  assert.equal(curve.points.length, 51);
});

test('long straddle: V-shaped payoff with two breakevens at K ± total premium', () => {
  const legs = straddle(100, { call: 3, put: 2 }, { ...common, multiplier: 1 });
  assert.equal(payoffAt(legs, 100), -5);
  assert.equal(payoffAt(legs, 120), 15);
  assert.deepEqual(payoffCurve(legs, { from: 50, to: 150, steps: 200 }).breakevens, [95, 105]);
});

test('short iron condor: credit is the max profit, wing width − credit the max loss', () => {
  const legs = ironCondor([90, 95, 105, 110], [0.5, 1.5, 1.5, 0.5], { ...common, multiplier: 1 });
  const curve = payoffCurve(legs, { from: 70, to: 130, steps: 120 });
  assert.equal(curve.maxProfit, 2);
  assert.equal(curve.maxLoss, -3);
  assert.deepEqual(curve.breakevens, [93, 107]);
  assert.throws(() => ironCondor([95, 90, 105, 110], [1, 1, 1, 1], common), /increasing/);
});

test('mark-to-market: per-leg P&L from model or quoted marks; futures + option hedge', () => {
  const legs: StrategyLeg[] = [
    { id: 'long ES fut', kind: 'future', quantity: 1, multiplier: 50, entryPrice: 5000 },
    {
      id: 'long 4900 put',
      kind: 'option',
      quantity: 1,
      multiplier: 50,
      entryPrice: 40,
      option: { type: 'put', strike: 4900, timeToExpiry: 30 / 365, volatility: 0.18 },
    },
    {
      id: 'short 5200 call',
      kind: 'option',
      quantity: -1,
      multiplier: 50,
      entryPrice: 20,
      markPrice: 12.5,
      option: { type: 'call', strike: 5200, timeToExpiry: 30 / 365, volatility: 0.16 },
    },
  ];
  const market = { underlyingPrice: 4950, rate: 0.05 };
  const m = markStrategy(legs, market);
  const put = valueOption({
    model: 'black76',
    type: 'put',
    underlying: 4950,
    strike: 4900,
    timeToExpiry: 30 / 365,
    rate: 0.05,
    dividendYield: 0,
    volatility: 0.18,
  });
  assert.equal(m.legs[0]!.pnl, -50 * 50);
  assert.ok(Math.abs(m.legs[1]!.pnl - 50 * (put.price - 40)) < 1e-9);
  assert.equal(m.legs[2]!.pnl, -50 * (12.5 - 20));
  assert.ok(Math.abs(m.totalPnl - (m.legs[0]!.pnl + m.legs[1]!.pnl + m.legs[2]!.pnl)) < 1e-9);
  assert.equal(m.netPremium, 50 * 40 - 50 * 20);
  assert.ok(m.delta < 50 && m.delta > 0, 'the put hedges part of the futures delta');
});

test('position Greeks aggregate per account and per underlying', () => {
  const spec = {
    model: 'black76',
    type: 'call',
    underlying: 18000,
    strike: 18000,
    timeToExpiry: 0.1,
    rate: 0.05,
    dividendYield: 0,
    volatility: 0.2,
  } as const;
  const v = valueOption(spec);
  const agg = aggregateGreeks([
    { account: 'A', underlying: 'NQ', quantity: 2, multiplier: 20, instrument: { kind: 'option', option: spec } },
    { account: 'A', underlying: 'NQ', quantity: -1, multiplier: 20, instrument: { kind: 'future', price: 18000 } },
    { account: 'B', underlying: 'ES', quantity: 3, multiplier: 50, instrument: { kind: 'future', price: 5000 } },
  ]);
  assert.ok(Math.abs(agg.byAccount.A!.delta - (40 * v.delta - 20)) < 1e-9);
  assert.ok(Math.abs(agg.byAccount.A!.gamma - 40 * v.gamma) < 1e-12);
  assert.equal(agg.byUnderlying.ES!.delta, 150);
  assert.equal(agg.byAccountUnderlying['B/ES']!.value, 750000);
  assert.ok(Math.abs(agg.total.vega - 40 * v.vega) < 1e-9);
});
