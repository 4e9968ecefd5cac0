import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/money.ts';
import { runBacktest } from '../engine.ts';
import { makeBar, type Bar } from '../types.ts';
import { orb } from './orb.ts';

const bar = (iso: string, o: string, h: string, l: string, c: string): Bar =>
  makeBar(Date.parse(iso), parseFixed(o), parseFixed(h), parseFixed(l), parseFixed(c));

describe('orb strategy', () => {
  it('enters on the breakout of the opening range, exits at the target or at the end', () => {
    const bars = [
      bar('2026-03-02T14:30:00Z', '100', '101', '99.5', '100.5'),
      bar('2026-03-02T14:45:00Z', '100.5', '101.5', '100', '101'), // range 99.5 .. 101.5
      bar('2026-03-02T15:00:00Z', '101.2', '102', '101', '101.8'), // buy stop 101.5 fills
      bar('2026-03-02T15:15:00Z', '102', '103.75', '101.9', '103'), // target 103.5 fills
      bar('2026-03-03T14:30:00Z', '100', '100.5', '99', '99.5'),
      bar('2026-03-03T14:45:00Z', '99.5', '100', '99.25', '99.75'), // range 99 .. 100.5
      bar('2026-03-03T15:00:00Z', '99.1', '99.2', '98', '98.2'), // sell stop 99 fills; data ends
    ];
    const r = runBacktest(
      bars,
      orb.create({ rangeMinutes: '30', timezone: 'UTC', qty: '1', targetMultiple: '1', flatAt: '' }),
      { symbol: 'TEST' },
    );
    assert.deepEqual(
      r.trades.map((t) => [t.side, t.entryTime, t.entryPrice, t.exitTime, t.exitPrice, t.pnl]),
      [
        ['long', '2026-03-02T15:00:00.000Z', '101.5', '2026-03-02T15:15:00.000Z', '103.5', '2'],
        ['short', '2026-03-03T15:00:00.000Z', '99', '2026-03-03T15:00:00.000Z', '98.2', '0.8'],
      ],
    );
    assert.equal(r.stats.netPnl, '2.8');
  });

  it('the stop loss of the bracket exits a failed breakout; flatAt closes the session', () => {
    const bars = [
      bar('2026-03-02T14:30:00Z', '100', '101', '99', '100'),
      bar('2026-03-02T15:00:00Z', '100', '100.5', '99.5', '100'), // spacing 30m: range = first bar (rangeMinutes 30) → done here
      bar('2026-03-02T15:30:00Z', '100.8', '101.2', '98.5', '98.8'), // down bar: high first (buy stop 101 fills), then low → SL 99
      bar('2026-03-02T16:00:00Z', '99', '99.5', '98.9', '99.2'),
      bar('2026-03-02T20:00:00Z', '99.2', '99.4', '99', '99.1'),
    ];
    const r = runBacktest(
      bars,
      orb.create({ rangeMinutes: '30', timezone: 'UTC', qty: '1', targetMultiple: '0', flatAt: '19:00' }),
      { symbol: 'TEST' },
    );
    assert.deepEqual(
      r.trades.map((t) => [t.side, t.entryPrice, t.exitPrice, t.pnl]),
      [['long', '101', '99', '-2']],
    );
    assert.equal(r.rejections.length, 0);
  });

  it('rejects bad parameters with the parameter named', () => {
    assert.throws(
      () => orb.create({ rangeMinutes: '0', timezone: 'UTC', qty: '1', targetMultiple: '1', flatAt: '' }),
      /rangeMinutes/,
    );
    assert.throws(
      () => orb.create({ rangeMinutes: '30', timezone: 'Mars/Base', qty: '1', targetMultiple: '1', flatAt: '' }),
      /timezone/,
    );
    assert.throws(
      () => orb.create({ rangeMinutes: '30', timezone: 'UTC', qty: '1', targetMultiple: '1', flatAt: '25h' }),
      /flatAt/,
    );
  });
});
