/**
 * Regimes of the bundled S&P 500 daily bars (2000-2020) in periods whose character is on record
 * and which the indicators were checked against (month by month) before these tests were written:
 * - Oct-Nov 2008 (after Lehman): the close fell from 1166 to 752 (−35 %) with daily moves up to
 *   11.6 %: volatile and trending down, ADX ~35-41, volatility at the top of its three-year range.
 * - 2017: the calmest year of the data (largest daily move 1.8 %, deepest pullback 2.8 %): never
 *   volatile, mostly calm; some days are uncertain since 2014-2016 were quiet too.
 * - Aug 2009: after the rally from 880 (8 July) to 1000 (5 August), the climb goes on (ADX ~34):
 *   trend, up.
 * - Apr-May 2015: the index stuck in a 4.2 % band, high to low (ADX ~12-13): range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadBars } from '../backtest/bars-file.ts';
import { detectRegimes, type RegimeBar, type RegimeReading } from './regime.ts';

const bars = loadBars(fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url)));
const readings = detectRegimes(bars.map((b) => b.num));

function between(from: string, to: string): RegimeReading[] {
  const lo = Date.parse(from);
  const hi = Date.parse(to);
  const out = readings.filter((_, i) => bars[i]!.ts >= lo && bars[i]!.ts <= hi);
  assert.ok(out.length > 15, `${from}..${to}: ${out.length} bars`);
  return out;
}

const share = (rs: readonly RegimeReading[], f: (r: RegimeReading) => boolean) => rs.filter(f).length / rs.length;

test('autumn 2008 is volatile and trending down, with high confidence', () => {
  const rs = between('2008-10-01', '2008-11-28');
  assert.ok(rs.every((r) => r.volatility === 'volatile' && r.volatilityConfidence >= 0.8));
  assert.ok(rs.every((r) => r.trend === 'trend' && r.direction === 'down'));
  assert.ok(share(rs, (r) => r.trendConfidence === 1) > 0.8);
});

test('2017 is calm: never volatile, at least three days in four calm', () => {
  const rs = between('2017-01-01', '2017-12-31');
  assert.equal(
    share(rs, (r) => r.volatility === 'volatile'),
    0,
  );
  assert.ok(share(rs, (r) => r.volatility === 'calm') >= 0.75, String(share(rs, (r) => r.volatility === 'calm')));
});

test('August 2009 trends up; April-May 2015 ranges', () => {
  const up = between('2009-08-01', '2009-08-31');
  assert.ok(up.every((r) => r.trend === 'trend' && r.direction === 'up'));
  const flat = between('2015-04-01', '2015-05-29');
  assert.ok(flat.every((r) => r.trend === 'range' && r.adx! < 20));
});

test('uncertain is its own state: exactly the readings below the confidence threshold', () => {
  const after = readings.slice(300);
  const uncertain = after.filter((r) => r.trend === 'uncertain');
  assert.ok(uncertain.length > 100, 'the data has unclear stretches');
  for (const r of after) {
    assert.equal(r.trend === 'uncertain', r.trendConfidence < 0.5);
    assert.equal(r.volatility === 'uncertain', r.volatilityConfidence < 0.5);
    assert.ok(
      r.trendConfidence >= 0 && r.trendConfidence <= 1 && r.volatilityConfidence >= 0 && r.volatilityConfidence <= 1,
    );
  }
  // A stricter threshold leaves more undecided; none leaves only the exact midpoints.
  const strict = detectRegimes(
    bars.map((b) => b.num),
    { minConfidence: 0.9 },
  ).slice(300);
  assert.ok(strict.filter((r) => r.trend === 'uncertain').length > uncertain.length);
  const loose = detectRegimes(
    bars.map((b) => b.num),
    { minConfidence: 0 },
  ).slice(300);
  assert.equal(loose.filter((r) => r.trend === 'uncertain').length, 0);
});

test('before the indicators have their history the state is uncertain with confidence 0', () => {
  assert.deepEqual(
    [readings[0]!.trend, readings[0]!.trendConfidence, readings[0]!.volatility, readings[0]!.volatilityConfidence],
    ['uncertain', 0, 'uncertain', 0],
  );
  assert.equal(readings[26]!.adx, null);
  assert.notEqual(readings[27]!.adx, null);
  assert.equal(readings[270]!.volPercentile, null); // 251 volatility values so far
  assert.notEqual(readings[271]!.volPercentile, null);
});

test('synthetic: a steady climb is a confident up-trend; a tight zigzag is a range', () => {
  const climb: RegimeBar[] = Array.from({ length: 80 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100.5 + i }));
  const last = detectRegimes(climb).at(-1)!;
  assert.deepEqual([last.trend, last.direction, last.trendConfidence], ['trend', 'up', 1]);
  assert.ok(last.adx! > 90);
  const zigzag: RegimeBar[] = Array.from({ length: 80 }, (_, i) => ({
    high: 101 + (i % 2),
    low: 99 + (i % 2),
    close: 100 + (i % 2),
  }));
  const flat = detectRegimes(zigzag).at(-1)!;
  assert.deepEqual([flat.trend, flat.trendConfidence], ['range', 1]);
});
