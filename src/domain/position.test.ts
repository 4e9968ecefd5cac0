import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { divRound, formatFixed, fromInt, parseFixed, ZERO, mul } from './money.ts';
import { InstrumentTable, instrumentFromSpec } from './instrument.ts';
import {
  applyFill,
  avgPrice,
  moneyForPoints,
  newPosition,
  unrealizedAt,
  unrealizedPnl,
  wholeValuation,
} from './position.ts';

const table = new InstrumentTable();
const MES = table.find('MES')!;
const p = parseFixed;

test('FIFO partial close and flip realize per lot (DESIGN §2)', () => {
  const pos = newPosition('MES', MES);
  applyFill(pos, 'buy', fromInt(1), p('5200'), 1);
  applyFill(pos, 'buy', fromInt(1), p('5210'), 2);
  applyFill(pos, 'buy', fromInt(1), p('5230'), 3);
  const r1 = applyFill(pos, 'sell', fromInt(2), p('5220'), 4);
  // closes 5200 (+20 × 5) and 5210 (+10 × 5)
  assert.equal(formatFixed(r1.realized), '150');
  assert.equal(formatFixed(pos.qty), '1');
  const r2 = applyFill(pos, 'sell', fromInt(3), p('5225'), 5);
  // closes 5230 (−5 × 5), opens short 2 at 5225
  assert.equal(formatFixed(r2.realized), '-25');
  assert.equal(formatFixed(r2.closedQty), '1');
  assert.equal(formatFixed(r2.openedQty), '2');
  assert.equal(formatFixed(pos.qty), '-2');
  assert.equal(avgPrice(pos), '5225');
  assert.equal(formatFixed(unrealizedPnl(pos, p('5235.25'))), '-102.5');
  assert.equal(pos.openedAt, 5);
});

test('short positions realize negated and avgPrice is a display value', () => {
  const nq = newPosition('NQ', table.find('NQ')!);
  applyFill(nq, 'sell', fromInt(1), p('19000'), 1);
  applyFill(nq, 'sell', fromInt(2), p('19000.25'), 2);
  assert.equal(avgPrice(nq), '19000.166666667');
  const r = applyFill(nq, 'buy', fromInt(2), p('18990'), 3);
  assert.equal(formatFixed(r.realized), String(10 * 20 + 10.25 * 20));
  assert.equal(formatFixed(nq.qty), '-1');
});

test('point value needs no rounding for odd tick sizes', () => {
  const odd = { symbol: 'ODD', tickSize: p('0.3'), tickValue: p('1'), currency: 'USD' };
  // 0.9 points = 3 ticks = 3.00
  assert.equal(formatFixed(moneyForPoints(p('0.9'), fromInt(1), odd)), '3');
});

test('fractional crypto quantities', () => {
  const btc = { symbol: 'BTCUSD', tickSize: p('0.01'), tickValue: p('0.01'), currency: 'USD' };
  const pos = newPosition('BTCUSD', btc);
  applyFill(pos, 'buy', p('0.00123'), p('65000.5'), 1);
  const r = applyFill(pos, 'sell', p('0.0002'), p('66000.5'), 2);
  assert.equal(formatFixed(r.realized), '0.2');
  assert.equal(formatFixed(pos.qty), '0.00103');
});

/** Random fill sequences: realized + unrealized must equal the cash-flow P&L (DESIGN §2). */
test('property: realized + unrealized == cash-flow P&L for any fill sequence', () => {
  const fillArb = fc.record({
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    qty: fc.integer({ min: 1, max: 7 }),
    ticks: fc.integer({ min: 70000, max: 90000 }),
  });
  fc.assert(
    fc.property(
      fc.array(fillArb, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 70000, max: 90000 }),
      (fills, markTicks) => {
        const inst = table.find('MNQ')!;
        const pos = newPosition('MNQ', inst);
        let realized = ZERO;
        let cash = ZERO; // Σ −signedQty × price, in points × qty
        for (const f of fills) {
          const price = mul(fromInt(f.ticks), inst.tickSize);
          realized += applyFill(pos, f.side, fromInt(f.qty), price, 0).realized;
          cash += (f.side === 'buy' ? -1n : 1n) * mul(price, fromInt(f.qty));
        }
        const mark = mul(fromInt(markTicks), inst.tickSize);
        const cashFlowPnl = moneyForPoints(cash + mul(mark, pos.qty), fromInt(1), inst);
        assert.equal(realized + unrealizedPnl(pos, mark), cashFlowPnl);
        // Open lots always add up to the position.
        const lotSum = pos.lots.reduce((s, l) => s + l.qty, ZERO);
        assert.equal(lotSum, pos.qty < ZERO ? -pos.qty : pos.qty);
      },
    ),
  );
});

test('property: the division-free valuation equals unrealizedPnl whenever it applies', () => {
  // MYM: point value 0.5, not whole; the odd one exercises the fallback.
  const instruments = [
    ...['MNQ', 'ES', 'CL', 'MES', 'MYM'].map((s) => table.find(s)!),
    instrumentFromSpec({ symbol: 'ODD', tickSize: '0.3', tickValue: '0.7' }),
  ];
  // Mostly whole quantities: the whole-unit case needs every fill of a sequence to be whole.
  const fillArb = fc.record({
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    qty: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 9 }).map(String) },
      fc.constantFrom('0.5', '1.25', '0.001'),
    ),
    ticks: fc.integer({ min: 1000, max: 900000 }),
  });
  let applied = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...instruments),
      fc.array(fillArb, { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1000, max: 900000 }),
      (inst, fills, markTicks) => {
        const pos = newPosition(inst.symbol, inst);
        for (const f of fills) applyFill(pos, f.side, p(f.qty), mul(fromInt(f.ticks), inst.tickSize), 0);
        const v = wholeValuation(pos);
        const whole = pos.qty !== ZERO && pos.qty % fromInt(1) === ZERO && inst.tickValue % inst.tickSize === ZERO;
        assert.equal(v !== undefined, whole);
        if (v === undefined) return;
        applied++;
        const mark = mul(fromInt(markTicks), inst.tickSize);
        assert.equal(unrealizedAt(v, mark), unrealizedPnl(pos, mark));
      },
    ),
    { numRuns: 500 },
  );
  assert.ok(applied > 50, `the whole-unit case came up ${applied} times`);
});

test('property: moneyForPoints equals diff × qty × tickValue / tickSize for whole and fractional quantities', () => {
  const instruments = [
    ...['MNQ', 'ES', 'CL', 'MYM', 'GC'].map((s) => table.find(s)!),
    instrumentFromSpec({ symbol: 'ODD', tickSize: '0.3', tickValue: '0.7' }),
  ];
  const reference = (diff: bigint, qty: bigint, tickValue: bigint, tickSize: bigint) =>
    divRound(diff * qty * tickValue, tickSize * 10n ** 18n, 'half-even');
  fc.assert(
    fc.property(
      fc.constantFrom(...instruments),
      fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
      fc.oneof(
        fc.integer({ min: 1, max: 500 }).map((n) => fromInt(n)),
        fc.bigInt({ min: 1n, max: 10n ** 21n }),
      ),
      (inst, diff, qty) => {
        assert.equal(moneyForPoints(diff, qty, inst), reference(diff, qty, inst.tickValue, inst.tickSize));
      },
    ),
    { numRuns: 1000 },
  );
});
