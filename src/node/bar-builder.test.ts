import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../domain/money.ts';
import { BarBuilder } from './bar-builder.ts';

const p = (s: string) => parseFixed(s);
const MIN = 60_000;

test('marks of one minute make one OHLC bar, completed by the first mark of the next minute', () => {
  const b = new BarBuilder(MIN);
  assert.equal(b.add(p('100'), 10 * MIN + 1_000), undefined);
  assert.equal(b.add(p('103.25'), 10 * MIN + 20_000), undefined);
  assert.equal(b.add(p('99.5'), 10 * MIN + 40_000), undefined);
  assert.equal(b.add(p('101'), 10 * MIN + 59_999), undefined);
  const bar = b.add(p('102'), 11 * MIN);
  assert.ok(bar);
  assert.equal(bar.ts, 10 * MIN);
  assert.deepEqual([bar.open, bar.high, bar.low, bar.close], [p('100'), p('103.25'), p('99.5'), p('101')]);
  assert.equal(bar.num.close, 101);
  assert.equal(bar.volume, undefined);
});

test('the clock passing the end completes the open bar once; an empty interval gives no bar', () => {
  const b = new BarBuilder(MIN);
  b.add(p('100'), 5 * MIN + 30_000);
  assert.equal(b.closeUpTo(6 * MIN - 1), undefined);
  const bar = b.closeUpTo(6 * MIN);
  assert.equal(bar?.ts, 5 * MIN);
  assert.equal(b.closeUpTo(9 * MIN), undefined);
  // The next mark opens its own bar: nothing to complete.
  assert.equal(b.add(p('104'), 9 * MIN + 5), undefined);
  assert.equal(b.closeUpTo(10 * MIN)?.open, p('104'));
});

test('a mark older than the open bar is ignored', () => {
  const b = new BarBuilder(MIN);
  b.add(p('100'), 3 * MIN);
  assert.equal(b.add(p('50'), 2 * MIN + 59_000), undefined);
  assert.equal(b.closeUpTo(4 * MIN)?.low, p('100'));
});

test('a non-positive interval is refused', () => {
  assert.throws(() => new BarBuilder(0), RangeError);
});
