import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { div, divRound, formatFixed, formatRounded, fromInt, mul, parseFixed, SCALE } from './money.ts';

test('parses and formats decimal strings exactly', () => {
  for (const [input, out] of [
    ['18000.25', '18000.25'],
    ['-954.280', '-954.28'],
    ['0.000000000000000001', '0.000000000000000001'],
    ['2.10', '2.1'],
    ['-0', '0'],
    ['.5', '0.5'],
    ['+3', '3'],
    ['123456789012345678901234567890.5', '123456789012345678901234567890.5'],
  ]) {
    assert.equal(formatFixed(parseFixed(input!)), out, input);
  }
});

test('rejects anything that is not an exact decimal', () => {
  for (const bad of ['', '1e5', 'abc', '1.2.3', '0x10', ' 1', '1,5', 'NaN', '.', '-', '0.0000000000000000001']) {
    assert.throws(() => parseFixed(bad), /not an exact decimal/, bad);
  }
  // Extra zeros past 18 decimals lose nothing.
  assert.equal(parseFixed('1.50000000000000000000'), parseFixed('1.5'));
});

test('division rounds as asked', () => {
  assert.equal(divRound(5n, 2n, 'half-even'), 2n);
  assert.equal(divRound(7n, 2n, 'half-even'), 4n);
  assert.equal(divRound(-5n, 2n, 'half-even'), -2n);
  assert.equal(divRound(5n, 2n, 'half-up'), 3n);
  assert.equal(divRound(-5n, 2n, 'floor'), -3n);
  assert.equal(divRound(-5n, 2n, 'ceil'), -2n);
  assert.equal(divRound(-5n, 2n, 'down'), -2n);
  assert.equal(formatFixed(div(fromInt(1), fromInt(3))), '0.333333333333333333');
  assert.equal(formatRounded(parseFixed('5225.0000000005'), 9), '5225');
  assert.equal(formatRounded(parseFixed('5225.0000000015'), 9), '5225.000000002');
  assert.throws(() => divRound(1n, 0n, 'down'), RangeError);
});

const decimalArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }))
  .map(([units, places]) => units * 10n ** BigInt(18 - places));

test('property: parse(format(x)) == x and + − are exact', () => {
  fc.assert(
    fc.property(decimalArb, decimalArb, (a, b) => {
      assert.equal(parseFixed(formatFixed(a)), a);
      assert.equal(parseFixed(formatFixed(a + b)) - b, a);
    }),
  );
});

test('property: multiplication of short decimals is exact and commutative', () => {
  fc.assert(
    fc.property(decimalArb, fc.integer({ min: -1000, max: 1000 }), (a, n) => {
      assert.equal(mul(a, fromInt(n)), a * BigInt(n));
      assert.equal(mul(a, fromInt(n)), mul(fromInt(n), a));
      if (n !== 0) assert.equal(div(mul(a, fromInt(n)), fromInt(n)), a);
    }),
  );
  assert.equal(SCALE, 10n ** 18n);
});

test('property: any short decimal string parses to the same value as the exact digit-string reading', () => {
  // Reference: integer and fraction digits read as BigInt text (the general path's arithmetic).
  const reference = (text: string): bigint => {
    const neg = text.startsWith('-');
    const [int, frac = ''] = (neg ? text.slice(1) : text).split('.');
    const v = BigInt(int!) * 10n ** 18n + BigInt((frac + '0'.repeat(18)).slice(0, 18));
    return neg ? -v : v;
  };
  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const decimalText = fc
    .tuple(fc.boolean(), digits(1, 16), fc.option(digits(1, 18), { nil: undefined }))
    .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);
  fc.assert(
    fc.property(decimalText, (text) => {
      assert.equal(parseFixed(text), reference(text), text);
    }),
    { numRuns: 3000 },
  );
  for (const bad of ['-', '.', '.5x', '1..2', '--1', '1-', '+']) assert.throws(() => parseFixed(bad), Error, bad);
});

test('formatFixed: the shortest exact decimal, as integer and fraction parts print it', () => {
  // An independent oracle: integer part and 18-digit fraction by division, trailing zeros cut.
  const oracle = (v: bigint): string => {
    const a = v < 0n ? -v : v;
    const frac = (a % SCALE).toString().padStart(18, '0').replace(/0+$/, '');
    const body = frac ? `${a / SCALE}.${frac}` : `${a / SCALE}`;
    return v < 0n ? `-${body}` : body;
  };
  for (const v of [0n, 1n, -1n, SCALE, -SCALE, SCALE / 10n, 10n * SCALE, 123n * 10n ** 40n])
    assert.equal(formatFixed(v), oracle(v), String(v));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer().map((n) => BigInt(n) * 10n ** 16n),
      ),
      (v) => assert.equal(formatFixed(v), oracle(v)),
    ),
    { numRuns: 5000 },
  );
});
