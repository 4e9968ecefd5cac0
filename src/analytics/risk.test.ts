import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { historicalVar, parametricVar, simpleReturns, mean, sampleStdDev } from './value-at-risk.ts';
import { drawdownStats } from './drawdown.ts';
import { kellyFraction, kellyFromReturns, kellyFromTrades } from './kelly.ts';
import { DEFAULT_SCENARIOS, stressTest, type StressPosition } from './stress-test.ts';
import { valueOption } from './option-pricing.ts';

test('historical VaR/ES: k-th worst of n with k = ceil(n(1−c)), ES = mean of the k worst', () => {
  // Returns −1 %, −2 %, … −100 % shuffled with 0s: 100 observations.
  const returns = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? -(i + 1) / 1000 : (i + 1) / 1000)).reverse();
  const r95 = historicalVar(returns, { confidence: 0.95 });
  // Worst five: −0.099, −0.097, −0.095, −0.093, −0.091.
  assert.ok(Math.abs(r95.valueAtRisk - 0.091) < 1e-15);
  assert.ok(Math.abs(r95.expectedShortfall - 0.095) < 1e-15);
  const r99 = historicalVar(returns, { confidence: 0.99, portfolioValue: 1_000_000 });
  assert.ok(Math.abs(r99.valueAtRisk - 99_000) < 1e-6);
  assert.ok(r99.expectedShortfall >= r99.valueAtRisk);
});

test('parametric VaR/ES match the normal closed form (z95 = 1.6448536269514722)', () => {
  const returns = [0.01, -0.02, 0.015, -0.005, 0.003, -0.012, 0.008, 0.0, -0.001, 0.004];
  const mu = mean(returns);
  const s = sampleStdDev(returns);
  const r = parametricVar(returns, { confidence: 0.95 });
  assert.ok(Math.abs(r.valueAtRisk - (1.6448536269514722 * s - mu)) < 1e-14);
  // ES95 = σ·n(z)/0.05 − μ, n(1.6449) = 0.10313564037537128.
  assert.ok(Math.abs(r.expectedShortfall - ((s * 0.10313564037537128) / 0.05 - mu)) < 1e-12);
  const r99 = parametricVar(returns, { confidence: 0.99, zeroMean: true, horizonDays: 4 });
  assert.ok(Math.abs(r99.valueAtRisk - 2.3263478740408408 * s * 2) < 1e-13);
});

test('VaR on real S&P 500 daily closes: 99 % ≥ 95 %, ES ≥ VaR', () => {
  const g = JSON.parse(
    readFileSync(
      new URL('../../../shared/data/indicators/generated-sp500-2000-first300.json', import.meta.url),
      'utf8',
    ),
  ) as {
    input: { close: number[] };
  };
  const returns = simpleReturns(g.input.close);
  for (const method of [historicalVar, parametricVar]) {
    const v95 = method(returns, { confidence: 0.95 });
    const v99 = method(returns, { confidence: 0.99 });
    assert.ok(v95.valueAtRisk > 0 && v99.valueAtRisk > v95.valueAtRisk);
    assert.ok(v95.expectedShortfall > v95.valueAtRisk && v99.expectedShortfall > v99.valueAtRisk);
  }
  assert.throws(() => historicalVar(returns, { confidence: 1.5 }), /confidence/);
});

test('drawdown: depth, duration to recovery and an open drawdown at the end', () => {
  const equity = [100, 110, 99, 105, 112, 120, 90, 95, 100];
  const d = drawdownStats(equity);
  assert.equal(d.maxDrawdown, 30);
  assert.equal(d.maxDrawdownFraction, 0.25);
  assert.deepEqual(d.maxDrawdownEpisode, {
    peakIndex: 5,
    troughIndex: 6,
    recoveryIndex: null,
    depth: 30,
    depthFraction: 0.25,
    durationBars: 3,
  });
  assert.deepEqual(d.episodes[0], {
    peakIndex: 1,
    troughIndex: 2,
    recoveryIndex: 4,
    depth: 11,
    depthFraction: 0.1,
    durationBars: 3,
  });
  assert.equal(d.longestDurationBars, 3);
  assert.equal(d.currentDrawdown, 20);
  assert.equal(drawdownStats([1, 2, 3]).maxDrawdown, 0);
});

test('Kelly: p − (1−p)/b, from trades and from returns', () => {
  assert.ok(Math.abs(kellyFraction(0.6, 1) - 0.2) < 1e-15);
  assert.ok(Math.abs(kellyFraction(0.5, 2) - 0.25) < 1e-15);
  const k = kellyFromTrades([200, -100, 200, -100, 0, 200, -100, -100]);
  assert.equal(k.winProbability, 3 / 7);
  assert.equal(k.payoffRatio, 2);
  assert.ok(Math.abs(k.fraction - (3 / 7 - 4 / 7 / 2)) < 1e-15);
  const rets = [0.02, -0.01, 0.03, 0.0];
  assert.ok(Math.abs(kellyFromReturns(rets) - mean(rets) / sampleStdDev(rets) ** 2) < 1e-12);
  assert.throws(() => kellyFromTrades([1, 2]), /losing/);
});

test('stress: linear P&L = qty·mult·price·shock; options fully repriced under price and vol shocks', () => {
  const option = {
    model: 'black76',
    type: 'put',
    underlying: 5000,
    strike: 4800,
    timeToExpiry: 30 / 365,
    rate: 0.05,
    dividendYield: 0,
    volatility: 0.18,
  } as const;
  const book: StressPosition[] = [
    { kind: 'linear', id: 'ES long', underlying: 'ES', quantity: 2, multiplier: 50, price: 5000 },
    { kind: 'option', id: 'ES put', underlying: 'ES', quantity: 3, multiplier: 50, option },
  ];
  const results = stressTest(book);
  assert.deepEqual(
    results.map((r) => r.scenario),
    DEFAULT_SCENARIOS.map((s) => s.name),
  );
  const crisis = results.find((r) => r.scenario === 'crisis')!;
  assert.equal(crisis.positions[0]!.pnl, 2 * 50 * 5000 * -0.3);
  const putAfter = valueOption({ ...option, underlying: 3500, volatility: 0.48 }).price;
  assert.ok(Math.abs(crisis.positions[1]!.pnl - 3 * 50 * (putAfter - valueOption(option).price)) < 1e-9);
  assert.ok(crisis.positions[1]!.pnl > 0, 'a long put gains in a crash');
  assert.ok(Math.abs(crisis.totalPnl - crisis.positions[0]!.pnl - crisis.positions[1]!.pnl) < 1e-9);
  const custom = stressTest(book, [{ name: 'es-only', priceShock: 0, volShock: 0, priceShocks: { ES: 0.02 } }]);
  assert.equal(custom[0]!.positions[0]!.pnl, 2 * 50 * 5000 * 0.02);
});
