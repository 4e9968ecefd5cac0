/** The pure part of the chart components (web/charts/data.ts): times, values, drawdown, snapping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawdownPercent, formatValue, plotPoints, snapTime, toSeconds } from '../../web/charts/data.ts';

test('toSeconds reads epoch ms, ISO times and dates as UTC seconds', () => {
  assert.equal(toSeconds(1_700_000_000_123), 1_700_000_000);
  assert.equal(toSeconds('2026-03-02T14:45:00.000Z'), Date.UTC(2026, 2, 2, 14, 45) / 1000);
  assert.equal(toSeconds('2026-03-02'), Date.UTC(2026, 2, 2) / 1000);
  assert.ok(Number.isNaN(toSeconds('not a time')));
});

test('plotPoints sorts, keeps the last point of a second and drops unreadable ones', () => {
  const out = plotPoints([
    { time: '2026-03-03', value: '2.5' },
    { time: '2026-03-02', value: '-1' },
    { time: Date.UTC(2026, 2, 3), value: 3 },
    { time: 'never', value: 1 },
    { time: '2026-03-04', value: 'n/a' },
  ]);
  assert.deepEqual(out, [
    { time: Date.UTC(2026, 2, 2) / 1000, value: -1 },
    { time: Date.UTC(2026, 2, 3) / 1000, value: 3 },
  ]);
});

test('drawdownPercent measures from the running peak', () => {
  const dd = drawdownPercent([
    { time: 1, value: 100 },
    { time: 2, value: 120 },
    { time: 3, value: 90 },
    { time: 4, value: 130 },
  ]);
  assert.deepEqual(
    dd.map((p) => p.value),
    [0, 0, -25, 0],
  );
});

test('snapTime puts a mark on the latest plotted time at or before it', () => {
  const times = [10, 20, 30];
  assert.equal(snapTime(times, 25), 20);
  assert.equal(snapTime(times, 30), 30);
  assert.equal(snapTime(times, 99), 30);
  assert.equal(snapTime(times, 5), 10, 'before the data: the first point');
  assert.equal(snapTime([], 5), undefined);
});

test('formatValue groups thousands and adds the currency', () => {
  assert.equal(formatValue(12345.678, 'USD'), '12,345.68 USD');
  assert.equal(formatValue(-0.5), '-0.50');
});
