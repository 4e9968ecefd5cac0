import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed as px } from '../../domain/money.ts';
import { PositionBook } from './positions.ts';

describe('position book (FIFO lots)', () => {
  it('closes the oldest lot first and flips the rest into a new lot', () => {
    const b = new PositionBook('MNQ', px('2'));
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
    assert.equal(b.lots[0]?.fee, px('0.1'));
    assert.equal(b.unrealized(px('104')), px('2'));
  });

  it('short round trip realizes entry − exit', () => {
    const b = new PositionBook('ES', px('50'));
    b.apply(px('-2'), px('5000.25'), 0n, 1);
    const [r] = b.apply(px('2'), px('4999'), 0n, 2);
    assert.equal(r?.grossPnl, px('125'));
    assert.equal(b.qty, 0n);
  });
});
