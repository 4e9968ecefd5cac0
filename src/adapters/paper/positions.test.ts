import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed as px } from '../../domain/money.ts';
import { instrumentFromSpec } from '../../domain/instrument.ts';
import { PositionBook } from './positions.ts';

const MNQ = instrumentFromSpec({ symbol: 'MNQ', tickSize: '0.25', tickValue: '0.50' }); // point value 2
const ES = instrumentFromSpec({ symbol: 'ES', tickSize: '0.25', tickValue: '12.50' }); // point value 50

describe('position book (FIFO lots)', () => {
  it('closes the oldest lot first and flips the rest into a new lot', () => {
    const b = new PositionBook('MNQ', MNQ);
    b.apply(px('1'), px('100'), 0n, 1);
    b.apply(px('1'), px('102'), 0n, 2);
    const closed = b.apply(px('-3'), px('105'), px('0.3'), 3);
    assert.deepEqual(
      closed.map((r) => [r.side, r.qty, r.entryPrice, r.grossPnl, r.fees]),
      [
        ['long', px('1'), px('100'), px('10'), px('0.1')],
        ['long', px('1'), px('102'), px('6'), px('0.1')],
      ],
    );
    assert.equal(b.qty, px('-1'));
    assert.equal(b.avgPrice(), px('105'));
    assert.equal(b.lotEntries[0]?.fee, px('0.1'));
    assert.equal(b.unrealized(px('104')), px('2'));
  });

  it('short round trip realizes entry − exit', () => {
    const b = new PositionBook('ES', ES);
    b.apply(px('-2'), px('5000.25'), 0n, 1);
    const [r] = b.apply(px('2'), px('4999'), 0n, 2);
    assert.equal(r?.grossPnl, px('125'));
    assert.equal(b.qty, 0n);
  });
});

describe('position book over the domain position', () => {
  it('realizes what the risk engine realizes for an odd point value (no rounded point value)', () => {
    const odd = instrumentFromSpec({ symbol: 'ODD', tickSize: '0.3', tickValue: '1' });
    const b = new PositionBook('ODD', odd);
    b.apply(px('1'), px('100'), 0n, 1);
    const [r] = b.apply(px('-1'), px('100.9'), 0n, 2);
    // 0.9 points = 3 ticks = 3.00 exactly (a rounded point value 3.333… would give 2.999…)
    assert.equal(r?.grossPnl, px('3'));
    assert.equal(b.position.qty, 0n);
    assert.equal(b.lotEntries.length, 0);
  });

  it('keeps one entry per open lot, with entry time, through partial closes', () => {
    const b = new PositionBook('MNQ', MNQ);
    b.apply(px('2'), px('100'), px('0.2'), 1);
    b.apply(px('1'), px('101'), 0n, 2);
    const closed = b.apply(px('-1'), px('103'), 0n, 3);
    assert.deepEqual(
      closed.map((r) => [r.entryTs, r.qty, r.fees]),
      [[1, px('1'), px('0.1')]],
    );
    assert.deepEqual(
      b.lotEntries.map((e) => [e.ts, e.fee]),
      [
        [1, px('0.1')],
        [2, 0n],
      ],
    );
    assert.equal(b.position.lots.length, 2);
    assert.equal(b.qtyNum, 2);
  });
});
