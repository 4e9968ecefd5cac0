import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { atr, bollinger, ema, macd, rsi, sma, vwap, type Bar } from './indicators.ts';

interface Case {
  id: string;
  params: Record<string, number>;
  input: { close: number[]; high?: number[]; low?: number[] };
  expected: unknown;
  first_output_index: number;
  verified_in_python: { tolerance: number };
}

const dir = new URL('../../../shared/data/indicators/', import.meta.url);
const load = (name: string): Case[] =>
  (JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { cases: Case[] }).cases;
const pick = (name: string, id: string): Case => load(name).find((c) => c.id === id)!;
const generated = JSON.parse(readFileSync(new URL('generated-sp500-2000-first300.json', dir), 'utf8')) as {
  input: { high: number[]; low: number[]; close: number[] };
  'trading-signals@8.3.0': Record<string, unknown>;
};
const ts = generated['trading-signals@8.3.0'];
const bars = (c: { high?: number[]; low?: number[]; close: number[] }): Bar[] =>
  c.close.map((close, i) => ({ high: c.high![i]!, low: c.low![i]!, close }));

/** Compares an aligned actual series with a case's expected values (numbers or toFixed strings). */
function assertSeries(actual: (number | null)[], expected: unknown[], first: number, tol: number, label: string): void {
  assert.ok(expected.length > 0);
  expected.forEach((e, i) => {
    const a = actual[first + i];
    if (e === null) return assert.equal(a, null, `${label}[${first + i}] should be null`);
    assert.ok(
      typeof a === 'number' && Math.abs(a - Number(e)) <= tol,
      `${label}[${first + i}]: ${String(a)} vs ${String(e)}`,
    );
  });
  assert.ok(
    actual.slice(0, first).every((v) => v === null),
    `${label}: values before index ${first}`,
  );
}

test('SMA: technicalindicators SMA(10) raw doubles and trading-signals SMA(5)', () => {
  for (const c of [pick('sma.json', 'technicalindicators-sma-10'), pick('sma.json', 'trading-signals-sma-5-tulip')]) {
    assertSeries(
      sma(c.input.close, c.params.period!),
      c.expected as unknown[],
      c.first_output_index,
      c.verified_in_python.tolerance,
      c.id,
    );
  }
});

test('EMA: first-value seeded (trading-signals) and SMA seeded (technicalindicators)', () => {
  const t = pick('ema.json', 'trading-signals-ema-5-tulip');
  assertSeries(
    ema(t.input.close, 5, 'first'),
    t.expected as unknown[],
    t.first_output_index,
    t.verified_in_python.tolerance,
    t.id,
  );
  const s = pick('ema.json', 'technicalindicators-ema-9');
  assertSeries(ema(s.input.close, 9, 'sma'), s.expected as unknown[], s.first_output_index, 1e-9, s.id);
});

test('RSI: Wilder RSI(14) (2-dp reference), the no-losses edge and RSI(5)', () => {
  for (const id of [
    'technicalindicators-rsi-14-wilder',
    'technicalindicators-rsi-14-no-losses-edge',
    'trading-signals-rsi-5-tulip',
  ]) {
    const c = pick('rsi.json', id);
    assertSeries(
      rsi(c.input.close, c.params.period!),
      c.expected as unknown[],
      c.first_output_index,
      c.verified_in_python.tolerance,
      id,
    );
  }
});

test('MACD(2,5,9) trading-signals convention: macd, signal and histogram', () => {
  const c = pick('macd.json', 'trading-signals-macd-2-5-9-tulip');
  const out = macd(c.input.close, c.params.short!, c.params.long!, c.params.signal!);
  const e = c.expected as Record<'macd' | 'signal' | 'histogram', unknown[]>;
  for (const k of ['macd', 'signal', 'histogram'] as const) {
    assertSeries(
      out.map((v) => (v === null ? null : v[k])),
      e[k],
      0,
      c.verified_in_python.tolerance,
      `${c.id}.${k}`,
    );
  }
});

test('Bollinger(20,2) and (10,2): population standard deviation', () => {
  const c = pick('bbands.json', 'trading-signals-bbands-20-2');
  const out = bollinger(c.input.close, 20, 2);
  const e = c.expected as Record<'lower' | 'middle' | 'upper', unknown[]>;
  for (const k of ['lower', 'middle', 'upper'] as const) {
    assertSeries(
      out.map((v) => (v === null ? null : v[k])),
      e[k],
      0,
      1e-9,
      `${c.id}.${k}`,
    );
  }
  const t = pick('bbands.json', 'technicalindicators-bbands-10-2');
  const out10 = bollinger(t.input.close, 10, 2);
  for (const k of ['lower', 'middle', 'upper'] as const) {
    const exp = (t.expected as Record<string, number>[]).map((x) => x[k]);
    assertSeries(
      out10.map((v) => (v === null ? null : v[k])),
      exp,
      t.first_output_index,
      1e-9,
      `${t.id}.${k}`,
    );
  }
});

test('ATR(5) with TR0 = high − low', () => {
  const c = pick('atr.json', 'trading-signals-atr-5-tulip');
  assertSeries(
    atr(bars(c.input), 5),
    c.expected as unknown[],
    c.first_output_index,
    c.verified_in_python.tolerance,
    c.id,
  );
});

test('300 real S&P 500 days: SMA20, EMA20, RSI14, MACD(12,26,9), BB(20,2), ATR14 match trading-signals 8.3.0', () => {
  const close = generated.input.close;
  assertSeries(sma(close, 20), ts.sma20 as unknown[], 0, 1e-9, 'sma20');
  // trading-signals returns EMA from index 0; our series starts at the stable index 19.
  assertSeries(ema(close, 20).slice(19), (ts.ema20 as unknown[]).slice(19), 0, 1e-9, 'ema20');
  assert.equal(ema(close, 20)[18], null);
  assertSeries(rsi(close, 14), ts.rsi14 as unknown[], 0, 1e-9, 'rsi14');
  const m = macd(close, 12, 26, 9);
  const em = ts.macd_12_26_9 as Record<'macd' | 'signal' | 'histogram', unknown[]>;
  for (const k of ['macd', 'signal', 'histogram'] as const)
    assertSeries(
      m.map((v) => (v === null ? null : v[k])),
      em[k],
      0,
      1e-9,
      k,
    );
  const bb = bollinger(close, 20, 2);
  const eb = ts.bb_20_2 as Record<'lower' | 'middle' | 'upper', unknown[]>;
  for (const k of ['lower', 'middle', 'upper'] as const)
    assertSeries(
      bb.map((v) => (v === null ? null : v[k])),
      eb[k],
      0,
      1e-9,
      k,
    );
  assertSeries(atr(bars(generated.input), 14), ts.atr14 as unknown[], 0, 1e-9, 'atr14');
});

test('VWAP accumulates typical price × volume and resets each session', () => {
  const out = vwap([
    { high: 11, low: 9, close: 10, volume: 100, session: 'd1' },
    { high: 13, low: 11, close: 12, volume: 300, session: 'd1' },
    { high: 21, low: 19, close: 20, volume: 0, session: 'd2' },
    { high: 22, low: 19, close: 19, volume: 50, session: 'd2' },
  ]);
  assert.deepEqual(out, [10, (10 * 100 + 12 * 300) / 400, null, 20]);
});
