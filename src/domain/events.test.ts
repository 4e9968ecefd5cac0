import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalIsoMs, EventFieldError, isoOf, parseEvent, parseTimestamp } from './events.ts';

test('canonicalIsoMs: equals Date.parse on the canonical form and round-trips through isoOf', () => {
  const samples = [
    '2026-03-02T14:30:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2000-02-29T00:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '0100-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ];
  for (const s of samples) {
    assert.equal(canonicalIsoMs(s), Date.parse(s), s);
    assert.equal(isoOf(canonicalIsoMs(s)), s, s);
  }
  // A generated sweep of instants: every millisecond field and month length.
  for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000 * 3 + 3_723_456) {
    const s = new Date(t).toISOString();
    assert.equal(canonicalIsoMs(s), t, s);
  }
});

test('canonicalIsoMs: anything else is NaN, and parseTimestamp still parses the valid ones', () => {
  const others = [
    '2026-03-02T14:30:00Z',
    '2026-03-02T14:30:00.000+00:00',
    '2026-03-02T14:30:00.0000Z',
    '2026-02-29T00:00:00.000Z',
    '2100-02-29T00:00:00.000Z',
    '2026-03-02T24:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-03-00T00:00:00.000Z',
    '0050-01-01T00:00:00.000Z',
    '2026-03-02 14:30:00.000Z',
    '2026-03-02T14:3a:00.000Z',
    '2026-03-02T14:30:60.000Z',
  ];
  for (const s of others) assert.ok(Number.isNaN(canonicalIsoMs(s)), s);
  for (const s of [
    '2026-03-02T14:30:00Z',
    '2026-03-02T14:30:00.000+00:00',
    '2026-03-02T15:30:00.000+01:00',
    '0050-01-01T00:00:00.000Z',
  ]) {
    assert.equal(parseTimestamp(s), Date.parse(s), s);
  }
});

test('canonicalIsoMs: runs of times within a minute (read from seconds on) equal Date.parse', () => {
  for (const start of [
    Date.UTC(2026, 2, 8, 7, 59, 0),
    Date.UTC(1969, 11, 31, 23, 58, 0),
    Date.UTC(2024, 1, 29, 23, 59, 0),
  ]) {
    for (let t = start; t < start + 180_000; t += 997) {
      const s = new Date(t).toISOString();
      assert.equal(canonicalIsoMs(s), t, s);
    }
  }
  canonicalIsoMs('2026-03-02T14:30:00.000Z');
  for (const s of [
    '2026-03-02T14:30:60.000Z',
    '2026-03-02T14:30:5a.000Z',
    '2026-03-02T14:30:00.00aZ',
    '2026-03-02T14:30:00,000Z',
    '2026-03-02T14:30:00.000z',
  ]) {
    assert.ok(Number.isNaN(canonicalIsoMs(s)), s);
  }
  assert.equal(canonicalIsoMs('2026-03-02T14:30:59.999Z'), Date.parse('2026-03-02T14:30:59.999Z'));
});

test('isoOf: exactly Date#toISOString, for any time in any order (the day prefix it keeps never leaks)', () => {
  const time = fc.oneof(
    fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
    fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 3) }), // runs within a day and across midnight
    fc.constantFrom(
      0,
      -1,
      86_399_999,
      86_400_000,
      -62_167_219_200_000,
      253_402_300_799_999,
      -62_167_219_200_001,
      253_402_300_800_000,
      1.5,
      -0.5,
    ),
    fc.double({ min: -1e15, max: 1e15, noNaN: true }),
  );
  fc.assert(
    fc.property(fc.array(time, { minLength: 1, maxLength: 30 }), (ts) => {
      for (const t of ts) assert.equal(isoOf(t), new Date(t).toISOString(), String(t));
    }),
    { numRuns: 2000 },
  );
  assert.throws(() => isoOf(NaN), RangeError);
});

test('parseEvent: an order_update carries what it changes; absent fields stay undefined', () => {
  const e = parseEvent({
    ts: '2026-03-02T14:30:00.000Z',
    type: 'order_update',
    account: 'A1',
    orderId: 'o1',
    qty: 2,
    stopPrice: '17990.25',
  });
  assert.deepEqual(e, {
    type: 'order_update',
    ts: '2026-03-02T14:30:00.000Z',
    t: Date.parse('2026-03-02T14:30:00.000Z'),
    account: 'A1',
    orderId: 'o1',
    qty: 2_000_000_000_000_000_000n,
    price: undefined,
    stopPrice: 17_990_250_000_000_000_000_000n,
  });
  const priceOnly = parseEvent({
    ts: '2026-03-02T14:30:00.000Z',
    type: 'order_update',
    account: 'A1',
    orderId: 'o1',
    price: '18000.5',
  });
  assert.equal(priceOnly.type === 'order_update' && priceOnly.qty, undefined);
});

test('parseEvent: a bad order_update names its field', () => {
  const base = { ts: '2026-03-02T14:30:00.000Z', type: 'order_update', account: 'A1', orderId: 'o1' };
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ ...base, qty: 0 }, 'qty', /must be positive/],
    [{ ...base, qty: 1.5 }, 'qty', /positive integer or a decimal string/],
    [{ ...base, price: 18000.25 }, 'price', /decimal string/],
    [{ ...base, stopPrice: 'abc' }, 'stopPrice', /not an exact decimal/],
    [{ ...base, orderId: '', qty: 1 }, 'orderId', /non-empty string/],
    [{ ...base, account: undefined, qty: 1 }, 'account', /non-empty string/],
    [base, 'qty', /at least one of qty, price, stopPrice/],
  ];
  for (const [raw, field, reason] of cases) {
    assert.throws(
      () => parseEvent(raw),
      (err: unknown) => err instanceof EventFieldError && err.field === field && reason.test(err.reason),
      JSON.stringify(raw),
    );
  }
});
