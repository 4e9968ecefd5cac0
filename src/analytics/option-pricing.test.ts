import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseGreeksCsv, splitCsvLine } from './greeks-csv.ts';
import { valueOption, type OptionSpec } from './option-pricing.ts';
import { impliedVolatility, noArbitrageBounds } from './implied-vol.ts';
import { isAppError } from '../errors.ts';
import fc from 'fast-check';

const csvUrl = new URL('../../../shared/data/options/greeks_reference.csv', import.meta.url);
const csvText = readFileSync(csvUrl, 'utf8');

/** Expected columns of the reference file, keyed by id. */
function referenceRows(): Map<string, Record<string, string>> {
  const lines = csvText.trim().split(/\r?\n/);
  const header = splitCsvLine(lines[0]!);
  const out = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    out.set(cells[0]!, Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  }
  return out;
}

/** README tolerance: |actual − expected| <= max(1e-6·|expected|, 1e-8). */
function assertClose(actual: number, expected: number, label: string): void {
  const tol = Math.max(1e-6 * Math.abs(expected), 1e-8);
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: got ${actual}, expected ${expected} (tol ${tol})`);
}

test('every row of greeks_reference.csv: price and greeks within 1e-6 rel / 1e-8 abs of QuantLib', () => {
  const expected = referenceRows();
  const rows = parseGreeksCsv(csvText);
  assert.equal(rows.length, 60);
  for (const row of rows) {
    const e = expected.get(row.id)!;
    const v = valueOption(row.spec);
    for (const k of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho'] as const) {
      assertClose(v[k], Number(e[k]), `${row.id} ${k}`);
    }
  }
});

test('implied vol round trip: every iv_check_price row recovers sigma within 1e-6', () => {
  const rows = parseGreeksCsv(csvText).filter((r) => r.ivCheckPrice !== undefined);
  assert.ok(rows.length >= 28);
  for (const row of rows) {
    const iv = impliedVolatility(row.spec, row.ivCheckPrice!);
    assert.ok(Math.abs(iv - row.spec.volatility) <= 1e-6, `${row.id}: iv ${iv} vs sigma ${row.spec.volatility}`);
  }
});

test('put-call parity holds for bsm with dividends and for black76', () => {
  const base = { strike: 95, timeToExpiry: 0.75, rate: 0.04, volatility: 0.3 };
  const bsmCall = valueOption({ ...base, model: 'bsm', type: 'call', underlying: 100, dividendYield: 0.02 });
  const bsmPut = valueOption({ ...base, model: 'bsm', type: 'put', underlying: 100, dividendYield: 0.02 });
  assert.ok(
    Math.abs(bsmCall.price - bsmPut.price - (100 * Math.exp(-0.02 * 0.75) - 95 * Math.exp(-0.04 * 0.75))) < 1e-12,
  );
  const b76Call = valueOption({ ...base, model: 'black76', type: 'call', underlying: 100, dividendYield: 0 });
  const b76Put = valueOption({ ...base, model: 'black76', type: 'put', underlying: 100, dividendYield: 0 });
  assert.ok(Math.abs(b76Call.price - b76Put.price - Math.exp(-0.04 * 0.75) * 5) < 1e-12);
});

test('greeks agree with finite differences of the price (theta per year of calendar time)', () => {
  const spec: OptionSpec = {
    model: 'bsm',
    type: 'put',
    underlying: 102,
    strike: 100,
    timeToExpiry: 0.4,
    rate: 0.03,
    dividendYield: 0.015,
    volatility: 0.27,
  };
  const v = valueOption(spec);
  const p = (s: Partial<OptionSpec>): number => valueOption({ ...spec, ...s }).price;
  const h = 1e-4;
  assert.ok(Math.abs((p({ underlying: 102 + h }) - p({ underlying: 102 - h })) / (2 * h) - v.delta) < 1e-7);
  assert.ok(Math.abs((p({ volatility: 0.27 + h }) - p({ volatility: 0.27 - h })) / (2 * h) - v.vega) < 1e-6);
  assert.ok(Math.abs((p({ rate: 0.03 + h }) - p({ rate: 0.03 - h })) / (2 * h) - v.rho) < 1e-6);
  assert.ok(Math.abs(-(p({ timeToExpiry: 0.4 + h }) - p({ timeToExpiry: 0.4 - h })) / (2 * h) - v.theta) < 1e-5);
});

test('implied vol converges deep OTM, deep ITM and one day to expiry', () => {
  const cases: OptionSpec[] = [
    {
      model: 'bsm',
      type: 'call',
      underlying: 100,
      strike: 160,
      timeToExpiry: 0.25,
      rate: 0.05,
      dividendYield: 0,
      volatility: 0.45,
    },
    {
      model: 'bsm',
      type: 'put',
      underlying: 100,
      strike: 140,
      timeToExpiry: 0.5,
      rate: 0.01,
      dividendYield: 0.03,
      volatility: 0.6,
    },
    {
      model: 'black76',
      type: 'call',
      underlying: 18000,
      strike: 18100,
      timeToExpiry: 1 / 365,
      rate: 0.05,
      dividendYield: 0,
      volatility: 0.18,
    },
    {
      model: 'black76',
      type: 'put',
      underlying: 18000,
      strike: 17000,
      timeToExpiry: 2,
      rate: 0,
      dividendYield: 0,
      volatility: 2.5,
    },
  ];
  for (const spec of cases) {
    const price = valueOption(spec).price;
    const iv = impliedVolatility(spec, price);
    assert.ok(Math.abs(iv - spec.volatility) < 1e-7, `${JSON.stringify(spec)} → ${iv}`);
  }
});

test('price outside the no-arbitrage bounds → ERR_ANALYTICS_NO_SOLUTION', () => {
  const spec: OptionSpec = {
    model: 'bsm',
    type: 'call',
    underlying: 100,
    strike: 90,
    timeToExpiry: 0.5,
    rate: 0.05,
    dividendYield: 0,
    volatility: 0.2,
  };
  const { lower, upper } = noArbitrageBounds(spec);
  for (const price of [lower - 0.01, lower, upper, upper + 1, -1]) {
    assert.throws(
      () => impliedVolatility(spec, price),
      (err: unknown) => isAppError(err) && err.code === 'ERR_ANALYTICS_NO_SOLUTION',
      `price ${price}`,
    );
  }
});

test('bad rows are rejected naming the row, id and field', () => {
  const bad =
    'id,model,type,S_or_F,K,T,r,q,sigma\na,bsm,call,100,100,1,0.05,0,0.2\nb,bsm,call,100,100,1,0.05,0,0.2\nref-003,bsm,call,100,0,1,0.05,0,0.2\n';
  assert.throws(() => parseGreeksCsv(bad), /row 3 \(id ref-003\): K must be > 0/);
  assert.throws(
    () => parseGreeksCsv('id,model,type,S_or_F,K,T,r,q,sigma\nx,bsm,swap,1,1,1,0,0,0.2\n'),
    /row 1 \(id x\): type must be/,
  );
  assert.throws(() => parseGreeksCsv('id,model,type,S_or_F,K,T,r,q\n'), /missing column\(s\): sigma/);
  assert.throws(
    () => parseGreeksCsv('id,model,type,S_or_F,K,T,r,q,sigma\nx,bsm,call,1,1,abc,0,0,0.2\n'),
    /row 1 \(id x\): T is not a number/,
  );
});

test('property: implied vol round-trips on well-conditioned random options (README criteria)', () => {
  fc.assert(
    fc.property(
      fc.record({
        model: fc.constantFrom('bsm' as const, 'black76' as const),
        type: fc.constantFrom('call' as const, 'put' as const),
        logMoneyness: fc.double({ min: -1, max: 1, noNaN: true }),
        days: fc.integer({ min: 1, max: 1095 }),
        rate: fc.double({ min: 0, max: 0.1, noNaN: true }),
        q: fc.double({ min: 0, max: 0.05, noNaN: true }),
        sigma: fc.double({ min: 0.02, max: 3, noNaN: true }),
      }),
      (p) => {
        const spec: OptionSpec = {
          model: p.model,
          type: p.type,
          underlying: 100,
          strike: 100 * Math.exp(p.logMoneyness),
          timeToExpiry: p.days / 365,
          rate: p.rate,
          dividendYield: p.model === 'bsm' ? p.q : 0,
          volatility: p.sigma,
        };
        const v = valueOption(spec);
        const atmVega = valueOption({ ...spec, strike: 100 }).vega;
        const timeValue = v.price - noArbitrageBounds(spec).lower;
        fc.pre(v.vega >= 0.02 * atmVega && timeValue >= 1e-4 * 100);
        return Math.abs(impliedVolatility(spec, v.price) - p.sigma) <= 1e-6;
      },
    ),
    { numRuns: 2000, seed: 20240102 },
  );
});
