import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SELECTOR_SETTINGS,
  allocate,
  annualSharpe,
  correlation,
  maxDrawdown,
  scoreCandidates,
  type AllocationSettings,
  type SelectorSettings,
} from './selector.ts';
import { parseSelectorSettings } from './selector-settings.ts';

/** A deterministic return series: mean m, alternating ± a (period 2). */
const wave = (n: number, m: number, a: number, phase = 0): number[] =>
  Array.from({ length: n }, (_, t) => m + ((t + phase) % 2 === 0 ? a : -a));

const settings = (over: Partial<SelectorSettings> = {}): SelectorSettings => ({
  ...DEFAULT_SELECTOR_SETTINGS,
  ...over,
});
const alloc = (over: Partial<AllocationSettings> = {}): AllocationSettings => ({
  ...DEFAULT_SELECTOR_SETTINGS.allocation,
  ...over,
});

describe('selector factors', () => {
  it('Sharpe, drawdown and correlation by their definitions', () => {
    assert.equal(annualSharpe([0.01, 0.01, 0.01], 252), 0); // no variance: 0, not Infinity
    const r = [0.02, -0.01, 0.03, 0.0];
    const m = 0.01;
    const sd = Math.sqrt((0.01 ** 2 * 2 + 0.02 ** 2 * 2) / 3);
    assert.ok(Math.abs(annualSharpe(r, 252) - (m / sd) * Math.sqrt(252)) < 1e-12);
    // 1 → 1.1 → 0.88 → 0.968: the fall from 1.1 to 0.88 is 20 %.
    assert.ok(Math.abs(maxDrawdown([0.1, -0.2, 0.1]) - 0.2) < 1e-12);
    assert.equal(correlation([1, 2, 3], [2, 4, 6]), 1);
    assert.equal(correlation([1, 2, 3], [3, 2, 1]), -1);
    assert.equal(correlation([1, 1, 1], [3, 2, 1]), 0);
  });

  it('every factor is shown and the score is their weighted sum; the best scores above minScore are active', () => {
    const n = 100;
    const good = wave(n, 0.002, 0.01);
    const twin = wave(n, 0.0019, 0.01); // moves with `good`
    const bad = wave(n, -0.002, 0.01, 1);
    const inRegime = Array.from({ length: n }, (_, t) => t >= 50);
    const s = settings({ maxActive: 1 });
    const rows = scoreCandidates(['good', 'twin', 'bad'], [good, twin, bad], inRegime, s, 252);
    for (const r of rows) {
      const c = r.contributions;
      assert.ok(Math.abs(r.score - (c.sharpe + c.regime + c.drawdown + c.correlation)) < 1e-12);
      assert.equal(c.sharpe, s.weights.sharpe * r.sharpe);
      assert.equal(c.regime, s.weights.regime * r.regimeSharpe);
      assert.equal(r.regimeBars, 50);
    }
    assert.ok(Math.abs((rows[0]?.correlation ?? 0) - (correlation(good, twin) + correlation(good, bad)) / 2) < 1e-12);
    assert.deepEqual(
      rows.map((r) => r.active),
      [true, false, false],
    );
    // With room for two, the twin joins; `bad` scores below 0 and never does.
    const two = scoreCandidates(['good', 'twin', 'bad'], [good, twin, bad], inRegime, settings({ maxActive: 2 }), 252);
    assert.deepEqual(
      two.map((r) => r.active),
      [true, true, false],
    );
  });

  it('the regime factor is 0 with fewer than minRegimeBars bars in the current regime', () => {
    const r = wave(60, 0.003, 0.01);
    const few = Array.from({ length: 60 }, (_, t) => t < 10);
    const [row] = scoreCandidates(['a'], [r], few, settings({ minRegimeBars: 20 }), 252);
    assert.equal(row?.regimeSharpe, 0);
    assert.equal(row?.regimeBars, 10);
    const [more] = scoreCandidates(['a'], [r], few, settings({ minRegimeBars: 10 }), 252);
    assert.ok((more?.regimeSharpe ?? 0) > 0);
  });
});

describe('allocation', () => {
  const a = wave(250, 0.001, 0.004);
  const b = wave(250, 0.0008, 0.006, 1);
  const c = Array.from({ length: 250 }, (_, t) => 0.0005 + 0.003 * Math.sin(t / 7));

  it('the optimizer weights respect the 40 % cap and sum to 1 before the budgets', () => {
    const r = allocate(['a', 'b', 'c'], [a, b, c], alloc({ method: 'risk-parity' }));
    const w = Object.values(r.optimized);
    assert.ok(Math.abs(w.reduce((s, x) => s + x, 0) - 1) < 1e-9);
    assert.ok(w.every((x) => x <= 0.4 + 1e-12));
    assert.equal(r.method, 'risk-parity');
    assert.equal(r.scale, Math.min(r.scales.var, r.scales.drawdown, r.scales.kelly));
  });

  it('too few strategies to reach 1 under the cap: each at the cap, the rest cash', () => {
    const r = allocate(['a', 'b'], [a, b], alloc());
    assert.equal(r.method, 'capped');
    assert.deepEqual(r.optimized, { a: 0.4, b: 0.4 });
  });

  it('the VaR budget scales the allocation down to it', () => {
    const wild = wave(250, 0.004, 0.08);
    const r = allocate(['w'], [wild], alloc({ maxWeight: 1, kelly: 'off', drawdownBudget: 1 }));
    // 5 % worst day of the full allocation: −0.076; budget 0.02.
    assert.ok(Math.abs(r.valueAtRisk - 0.076) < 1e-12);
    assert.ok(Math.abs(r.scales.var - 0.02 / 0.076) < 1e-12);
    assert.ok(Math.abs((r.weights.w ?? 0) - 0.02 / 0.076) < 1e-12);
    assert.equal(r.scales.drawdown, 1);
  });

  it('the drawdown budget and Kelly bound scale it down; a negative edge allows no exposure', () => {
    const falling = [...Array.from({ length: 20 }, () => -0.01), ...wave(100, 0.002, 0.001)];
    const r = allocate(['f'], [falling], alloc({ maxWeight: 1, varBudget: 1, kelly: 'off' }));
    assert.ok(Math.abs(r.scales.drawdown - 0.15 / maxDrawdown(falling)) < 1e-12);
    const losing = wave(100, -0.001, 0.01);
    const k = allocate(['l'], [losing], alloc({ maxWeight: 1, varBudget: 1, drawdownBudget: 1 }));
    assert.equal(k.scales.kelly, 0);
    assert.equal(k.exposure, 0);
    const half = allocate(['a'], [a], alloc({ maxWeight: 1, varBudget: 1, drawdownBudget: 1, kelly: 'half' }));
    const full = allocate(['a'], [a], alloc({ maxWeight: 1, varBudget: 1, drawdownBudget: 1, kelly: 'full' }));
    assert.ok((full.kellyLeverage ?? 0) > 1); // a strong edge: Kelly allows more than full exposure
    assert.equal(full.scales.kelly, 1);
    assert.ok(Math.abs(half.scales.kelly - Math.min(1, (half.kellyLeverage ?? 0) / 2)) < 1e-12);
  });

  it('max-sharpe without a positive expected return falls back to min-variance and says so', () => {
    const neg = [wave(100, -0.001, 0.01), wave(100, -0.002, 0.02, 1), wave(100, -0.001, 0.015)];
    const r = allocate(['x', 'y', 'z'], neg, alloc({ method: 'max-sharpe', kelly: 'off' }));
    assert.equal(r.method, 'min-variance');
    assert.match(r.fallback ?? '', /max-sharpe/);
  });

  it('no active strategy: all cash', () => {
    const r = allocate([], [], alloc());
    assert.equal(r.exposure, 0);
    assert.deepEqual(r.weights, {});
  });
});

describe('selector settings', () => {
  it('defaults; values over them; unknown keys and bad values name the key', () => {
    assert.deepEqual(parseSelectorSettings({}), DEFAULT_SELECTOR_SETTINGS);
    const s = parseSelectorSettings({ lookback: 100, weights: { regime: 2 }, allocation: { method: 'max-sharpe' } });
    assert.equal(s.lookback, 100);
    assert.equal(s.weights.regime, 2);
    assert.equal(s.weights.sharpe, 1);
    assert.equal(s.allocation.method, 'max-sharpe');
    assert.equal(s.allocation.maxWeight, 0.4);
    assert.throws(() => parseSelectorSettings({ lookbak: 3 }), /lookbak/);
    assert.throws(() => parseSelectorSettings({ allocation: { maxWeight: 1.5 } }), /allocation\.maxWeight/);
    assert.throws(() => parseSelectorSettings({ allocation: { method: 'best' } }), /allocation\.method/);
    assert.throws(() => parseSelectorSettings({ rebalance: 0 }), /rebalance/);
  });
});
