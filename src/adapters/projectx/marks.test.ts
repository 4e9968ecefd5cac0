import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/money.ts';
import { MarkWatch } from './marks.ts';

describe('MarkWatch', () => {
  const setup = (staleAfterMs: number) => {
    let t = 1_000;
    const w = new MarkWatch({ staleAfterMs, now: () => t });
    return { w, advance: (ms: number) => (t += ms) };
  };
  const q = (ts: number, bid = '100') => ({ symbol: 'MNQ', ts, bid: parseFixed(bid) });

  it('a down hub makes every mark stale until it is back', () => {
    const { w, advance } = setup(0);
    w.hubDown('socket closed');
    advance(2_000);
    assert.deepEqual(w.reasons(), ['market hub down for 2s (socket closed)']);
    w.hubUp();
    assert.deepEqual(w.reasons(), []);
  });

  it('a tracked symbol without a quote past the limit is stale; a quote makes it fresh', () => {
    const { w, advance } = setup(500);
    w.track('MNQ');
    advance(400);
    assert.deepEqual(w.reasons(), []);
    advance(200);
    assert.deepEqual(w.reasons(), ['MNQ: no quote for 1s']);
    assert.equal(w.accept(q(5), 'quote'), true);
    assert.deepEqual(w.reasons(), []);
    assert.equal(w.quoteFresh('MNQ'), true);
  });

  it('drops a price older than one already delivered', () => {
    const { w } = setup(0);
    assert.equal(w.accept(q(10), 'quote'), true);
    assert.equal(w.accept(q(9), 'trade'), false);
    assert.equal(w.accept(q(10, '101'), 'quote'), true);
  });

  it('a trade print keeps marks fresh but is not a quote', () => {
    const { w, advance } = setup(500);
    w.track('MNQ');
    w.accept({ symbol: 'MNQ', ts: 1, last: parseFixed('99') }, 'trade');
    advance(100);
    assert.deepEqual(w.reasons(), []);
    assert.equal(w.quoteFresh('MNQ'), false);
  });
});
