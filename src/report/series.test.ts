import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buyAndHold, monthlyReturns, roundForChart, thinCandles, thinCurve } from './series.ts';

test('thinCurve keeps short curves whole and, when thinning, the first, last, lowest and highest points', () => {
  assert.deepEqual(thinCurve([1, 2], [10, 11], 10), [
    { time: 1, value: 10 },
    { time: 2, value: 11 },
  ]);
  const n = 10_000;
  const ts = Array.from({ length: n }, (_, i) => i * 1000);
  const values = Array.from({ length: n }, (_, i) => Math.sin(i / 50) * 100 + 1000);
  values[4321] = 5; // a crash
  values[777] = 9999; // a spike
  const out = thinCurve(ts, values, 500);
  assert.ok(out.length <= 502, `${out.length} points`);
  assert.deepEqual(out[0], { time: 0, value: values[0] });
  assert.deepEqual(out.at(-1), { time: (n - 1) * 1000, value: values[n - 1] });
  assert.ok(out.some((p) => p.value === 5 && p.time === 4321_000));
  assert.ok(out.some((p) => p.value === 9999 && p.time === 777_000));
  for (let i = 1; i < out.length; i++) assert.ok(out[i]!.time > out[i - 1]!.time, 'in time order');
});

test('thinCandles merges neighbours: first open, highest high, lowest low, last close', () => {
  const c = (time: number, open: number, high: number, low: number, close: number) => ({
    time,
    open,
    high,
    low,
    close,
  });
  const merged = thinCandles([c(1, 10, 12, 9, 11), c(2, 11, 15, 10, 14), c(3, 14, 14, 7, 8), c(4, 8, 9, 8, 9)], 2);
  assert.deepEqual(merged, [c(1, 10, 15, 9, 14), c(3, 14, 14, 7, 9)]);
});

test('buyAndHold scales the capital by the price against the first price', () => {
  assert.deepEqual(
    buyAndHold(
      [
        { time: 1, value: 200 },
        { time: 2, value: 250 },
        { time: 3, value: 150 },
      ],
      10_000,
    ),
    [
      { time: 1, value: 10_000 },
      { time: 2, value: 12_500 },
      { time: 3, value: 7_500 },
    ],
  );
  assert.deepEqual(buyAndHold([], 10_000), []);
});

test('monthlyReturns: each month against the previous month end, the first against the capital', () => {
  const t = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const m = monthlyReturns(
    [t('2024-11-05'), t('2024-11-29'), t('2024-12-31'), t('2025-02-03')],
    [10_500, 11_000, 9_900, 10_890],
    10_000,
  );
  assert.equal(m.years.length, 2);
  const [y24, y25] = m.years;
  assert.equal(y24!.year, 2024);
  assert.ok(Math.abs(y24!.months[10]! - 10) < 1e-9, 'Nov: 11000 / 10000');
  assert.ok(Math.abs(y24!.months[11]! + 10) < 1e-9, 'Dec: 9900 / 11000');
  assert.equal(y24!.months[0], null);
  assert.ok(Math.abs(y24!.total! + 1) < 1e-9, '2024: 9900 / 10000');
  assert.equal(y25!.months[0], null, 'no mark in January');
  assert.ok(Math.abs(y25!.months[1]! - 10) < 1e-9, 'Feb: 10890 / 9900');
  assert.ok(Math.abs(y25!.total! - 10) < 1e-9);
  assert.deepEqual(monthlyReturns([], [], 1).years, []);
});

test('roundForChart keeps cents of larger amounts and 8 digits of small ones', () => {
  assert.equal(roundForChart(10535.140000000001), 10535.14);
  assert.equal(roundForChart(-9616.553317628981), -9616.55);
  assert.equal(roundForChart(0.012345678912), 0.012345679);
});
