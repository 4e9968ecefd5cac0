import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import { combine, rollingWindows } from './walkforward.ts';

test('rolling windows step by the out-of-sample size; only whole windows', () => {
  assert.deepEqual(rollingWindows(100, 40, 20), [
    { isFrom: 0, isTo: 40, oosFrom: 40, oosTo: 60 },
    { isFrom: 20, isTo: 60, oosFrom: 60, oosTo: 80 },
    { isFrom: 40, isTo: 80, oosFrom: 80, oosTo: 100 },
  ]);
  // 99 bars: the third out-of-sample slice would be short, so it is left out.
  assert.equal(rollingWindows(99, 40, 20).length, 2);
});

test('windows that do not fit, or sizes that are not whole numbers ≥ 2, are errors naming the flag', () => {
  const err = (flag: string) => (e: unknown) =>
    e instanceof AppError && e.code === 'ERR_RESEARCH_INPUT' && e.message.startsWith(flag);
  assert.throws(() => rollingWindows(50, 40, 20), err('--in-sample 40 + --out-of-sample 20 bars exceed'));
  assert.throws(() => rollingWindows(50, 1, 20), err('--in-sample'));
  assert.throws(() => rollingWindows(50, 10, 2.5), err('--out-of-sample'));
});

test('the combined out-of-sample account adds up the slices: P&L, curve, trades, exposure', () => {
  const day = 86_400_000;
  const slice = (start: number, values: number[], pnls: string[], exposed: number) => ({
    ts: Float64Array.from(values.map((_, i) => start + i * day)),
    values: Float64Array.from(values),
    tradePnls: pnls,
    exposedBars: exposed,
  });
  const { stats, equity } = combine(
    [
      { detail: slice(0, [1000, 1010, 1005], ['5'], 2), net: parseFixed('5') },
      { detail: slice(3 * day, [995, 990, 1020], ['-30', '50'], 3), net: parseFixed('20') },
    ],
    fromInt(1000),
  );
  assert.deepEqual(Array.from(equity.values), [1000, 1010, 1005, 1000, 995, 1025]);
  assert.equal(stats.netPnl, '25');
  assert.equal(stats.trades, 3);
  assert.equal(stats.winRate, 2 / 3);
  assert.equal(stats.profitFactor, 55 / 30);
  assert.equal(stats.exposurePct, (5 / 6) * 100);
  assert.ok(Math.abs(stats.maxDrawdownPct - (1 - 995 / 1010) * 100) < 1e-9);
});
