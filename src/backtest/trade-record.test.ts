import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, parseFixed } from '../domain/money.ts';
import { decimalString, qtyJson, toTradeRecord } from './trade-record.ts';

describe('trade records', () => {
  it('decimalString prints exactly what money.formatFixed prints', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (v) => decimalString(v) === formatFixed(v)),
    );
    for (const s of ['0', '-0.000000000000000001', '1455.219971', '-954.28', '805', '0.5'])
      assert.equal(decimalString(parseFixed(s)), s);
  });

  it('quantities are JSON integers when whole, decimal strings otherwise', () => {
    assert.equal(qtyJson(parseFixed('3')), 3);
    assert.equal(qtyJson(parseFixed('0.015')), '0.015');
  });

  it('formats a round trip with ISO times and net P&L after fees', () => {
    const t = toTradeRecord({
      symbol: 'MNQ',
      side: 'short',
      qty: parseFixed('2'),
      entryTs: Date.UTC(2026, 2, 2, 14, 30),
      entryPrice: parseFixed('18000.25'),
      exitTs: Date.UTC(2026, 2, 2, 15, 0),
      exitPrice: parseFixed('17990'),
      grossPnl: parseFixed('41'),
      fees: parseFixed('0.74'),
    });
    assert.deepEqual(t, {
      symbol: 'MNQ',
      side: 'short',
      qty: 2,
      entryTime: '2026-03-02T14:30:00.000Z',
      entryPrice: '18000.25',
      exitTime: '2026-03-02T15:00:00.000Z',
      exitPrice: '17990',
      pnl: '40.26',
    });
  });
});
