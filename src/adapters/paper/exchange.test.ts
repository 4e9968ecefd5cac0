import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed as px, fromInt } from '../../domain/money.ts';
import type { OrderRequest } from '../broker.ts';
import { PaperExchange, type PaperExchangeOptions } from './exchange.ts';

// MNQ: tick 0.25, tick value 0.50 → point value 2.
const T0 = Date.UTC(2026, 2, 2, 14, 30);
const MIN = 60_000;
let k = 0;
function setup(opts: PaperExchangeOptions = {}) {
  const ex = new PaperExchange({ accounts: [{ id: 'A1', balance: px('10000') }], ...opts });
  let t = T0;
  const bar = (o: string, h: string, l: string, c: string) =>
    ex.onBar('MNQ', { ts: (t += MIN), open: px(o), high: px(h), low: px(l), close: px(c) });
  const place = (r: Partial<OrderRequest>) =>
    ex.place({
      account: 'A1',
      clientOrderId: `c${++k}`,
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
      ...r,
    });
  return { ex, bar, place };
}

describe('paper exchange on bars', () => {
  it('fills a market order at the next bar open, with adverse slippage in ticks', () => {
    const { ex, bar, place } = setup({ slippageTicks: 2 });
    bar('100', '101', '99', '100.5');
    const o = place({});
    assert.equal(ex.order('A1', o.orderId).status, 'working');
    bar('102', '103', '101', '102.5');
    const f = ex.fills('A1');
    assert.equal(f.length, 1);
    assert.equal(f[0]?.price, px('102.5')); // 102 + 2 × 0.25
    assert.equal(f[0]?.ts, T0 + 2 * MIN);
  });

  it('fills a buy limit at its price when touched, at the open when the bar gaps through it', () => {
    const { ex, bar, place } = setup({ slippageTicks: 4 });
    place({ type: 'limit', limitPrice: px('99.25') });
    place({ type: 'limit', limitPrice: px('97') });
    bar('100', '100.5', '99', '99.5'); // first limit touched on the way down
    bar('96', '98', '95.5', '97.5'); // second: gap below the limit → open, no slippage on limits
    assert.deepEqual(
      ex.fills('A1').map((f) => f.price),
      [px('99.25'), px('96')],
    );
  });

  it('fills a sell stop at the open on a gap and at the stop otherwise, minus slippage', () => {
    const { ex, bar, place } = setup({ slippageTicks: 1 });
    place({ side: 'sell', type: 'stop', stopPrice: px('98') });
    bar('97', '99', '96', '98.5');
    place({ side: 'sell', type: 'stop', stopPrice: px('99.5') });
    bar('100', '100.5', '98.5', '99');
    assert.deepEqual(
      ex.fills('A1').map((f) => f.price),
      [px('96.75'), px('99.25')],
    );
  });

  it('stop-limit: triggers at the stop, then fills only at the limit or better along the bar path', () => {
    const { ex, bar, place } = setup();
    const a = place({ type: 'stop_limit', stopPrice: px('105'), limitPrice: px('105.5') });
    const b = place({ type: 'stop_limit', stopPrice: px('105'), limitPrice: px('104.5') });
    const c = place({ type: 'stop_limit', stopPrice: px('105'), limitPrice: px('103') });
    bar('100', '106', '99', '104'); // up bar: 100 → 99 → 106 → 104
    assert.equal(ex.order('A1', a.orderId).avgFillPrice, px('105'));
    assert.equal(ex.order('A1', b.orderId).avgFillPrice, px('104.5'));
    assert.equal(ex.order('A1', c.orderId).status, 'working'); // triggered, limit not reached
    bar('103.5', '104', '102.5', '103');
    assert.equal(ex.order('A1', c.orderId).avgFillPrice, px('103'));
  });

  it('trailing stop follows the best price and triggers on the pullback', () => {
    const { ex, bar, place } = setup({ slippageTicks: 1 });
    bar('100', '100', '100', '100');
    place({}); // long 1
    bar('100', '100', '100', '100');
    const t = place({ side: 'sell', type: 'trailing_stop', trailAmount: px('2') });
    bar('100', '103', '99.5', '102'); // best 103 → stop 101
    assert.equal(ex.order('A1', t.orderId).stopPrice, px('101'));
    bar('101.5', '101.75', '100', '100.25'); // down to 100 crosses 101
    const f = ex.fills('A1');
    assert.equal(f[1]?.price, px('100.75'));
    assert.equal(ex.positionQty('A1', 'MNQ'), 0n);
  });

  it('short side mirrors: buy trailing stop and sell stop-limit', () => {
    const { ex, bar, place } = setup();
    bar('100', '100', '100', '100');
    place({ side: 'sell' }); // short 1 at the next open
    bar('100', '100', '100', '100');
    const t = place({ side: 'buy', type: 'trailing_stop', trailAmount: px('1.5') });
    bar('100', '100.5', '97', '97.5'); // down bar: 100 → 100.5 → 97 → 97.5; best 97 → stop 98.5
    assert.equal(ex.order('A1', t.orderId).stopPrice, px('98.5'));
    bar('98', '99', '97.75', '98.75'); // up bar: 98 → 97.75 (best 97) → 99 crosses 98.5
    assert.equal(ex.order('A1', t.orderId).avgFillPrice, px('98.5'));
    const sl = place({ side: 'sell', type: 'stop_limit', stopPrice: px('95'), limitPrice: px('94.5') });
    bar('96', '96.5', '94', '94.25'); // down: 96 → 96.5 → 94 (trigger 95, limit 94.5 ≤ 95 → fills at 95) → 94.25
    assert.equal(ex.order('A1', sl.orderId).avgFillPrice, px('95'));
  });

  it('modify moves a resting order; OCO siblings shrink on a partial fill', () => {
    const { ex, place } = setup();
    const a = place({ side: 'sell', type: 'limit', limitPrice: px('110'), qty: fromInt(3), ocoGroup: 'g' });
    const b = place({ side: 'sell', type: 'stop', stopPrice: px('90'), qty: fromInt(3), ocoGroup: 'g' });
    ex.modify('A1', a.orderId, { limitPrice: px('105') });
    ex.onQuote({ symbol: 'MNQ', ts: T0, bid: px('105'), ask: px('105.25'), bidSize: fromInt(1), askSize: fromInt(5) });
    assert.equal(ex.order('A1', a.orderId).filledQty, fromInt(1));
    assert.equal(ex.order('A1', b.orderId).qty, fromInt(2));
    ex.onQuote({
      symbol: 'MNQ',
      ts: T0 + 1,
      bid: px('105'),
      ask: px('105.25'),
      bidSize: fromInt(5),
      askSize: fromInt(5),
    });
    assert.equal(ex.order('A1', a.orderId).status, 'filled');
    assert.equal(ex.order('A1', b.orderId).status, 'cancelled');
    assert.throws(() => ex.modify('A1', a.orderId, { limitPrice: px('106') }), /ERR_BROKER_REJECTED|filled/);
  });

  it('bracket: the exit reached first along the path fills, its OCO sibling is cancelled', () => {
    for (const [bars, exit] of [
      [['100', '111', '94', '96'], '110'], // down bar: high first → target
      [['100', '111', '94', '105'], '95'], // up bar: low first → stop
    ] as const) {
      const { ex, bar, place } = setup();
      bar('100', '100', '100', '100');
      place({ bracket: { stopLoss: px('95'), takeProfit: px('110') } });
      bar(bars[0], bars[1], bars[2], bars[3]);
      const fills = ex.fills('A1');
      assert.deepEqual(
        fills.map((f) => [f.side, f.price]),
        [
          ['buy', px('100')],
          ['sell', px(exit)],
        ],
      );
      assert.deepEqual(ex.openOrders('A1'), []);
      assert.equal(ex.positionQty('A1', 'MNQ'), 0n);
      assert.equal(ex.accountState('A1').balance, px('10000') + (px(exit) - px('100')) * 2n);
    }
  });

  it('reduce-only: clipped to the position, remainder cancelled; never opens', () => {
    const { ex, bar, place } = setup();
    bar('100', '100', '100', '100');
    place({});
    bar('100', '100', '100', '100');
    const r = place({ side: 'sell', qty: fromInt(3), reduceOnly: true });
    bar('101', '101', '101', '101');
    assert.equal(ex.order('A1', r.orderId).filledQty, fromInt(1));
    assert.equal(ex.order('A1', r.orderId).status, 'cancelled');
    assert.equal(ex.positionQty('A1', 'MNQ'), 0n);
    const s = place({ side: 'sell', reduceOnly: true });
    bar('101', '101', '101', '101');
    assert.equal(ex.order('A1', s.orderId).status, 'cancelled');
    assert.equal(ex.positionQty('A1', 'MNQ'), 0n);
  });

  it('charges the fee per contract on each fill', () => {
    const { ex, bar, place } = setup({ feePerContract: px('0.37') });
    bar('100', '100', '100', '100');
    place({ qty: fromInt(3) });
    bar('100', '100', '100', '100');
    assert.equal(ex.fills('A1')[0]?.fee, px('1.11'));
    assert.equal(ex.accountState('A1').balance, px('9998.89'));
  });

  it('pre-trade hook rejections are order states naming the rule', () => {
    const { ex, place } = setup({
      preTrade: (o) =>
        o.qty > fromInt(2) ? { allow: false, rule: 'RULE-016', reason: 'max order size 2' } : { allow: true },
    });
    const o = place({ qty: fromInt(3) });
    assert.equal(o.status, 'rejected');
    assert.equal(o.reason, 'RULE-016: max order size 2');
    assert.equal(place({ qty: fromInt(2) }).status, 'working');
    assert.equal(ex.openOrders('A1').length, 1);
  });

  it('rejects orders in symbols without an instrument', () => {
    const { ex } = setup();
    const o = ex.place({
      account: 'A1',
      clientOrderId: 'u1',
      symbol: 'ZZZ',
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
    });
    assert.equal(o.status, 'rejected');
    assert.match(o.reason ?? '', /ERR_INSTRUMENT_UNKNOWN/);
  });
});

describe('paper exchange on quotes', () => {
  it('partially fills by the quoted size, sharing it between orders in priority order', () => {
    const { ex, place } = setup();
    const a = place({ type: 'limit', limitPrice: px('100'), qty: fromInt(5) });
    const b = place({ type: 'limit', limitPrice: px('100'), qty: fromInt(2) });
    ex.onQuote({ symbol: 'MNQ', ts: T0, bid: px('99.75'), ask: px('100'), bidSize: fromInt(9), askSize: fromInt(3) });
    assert.equal(ex.order('A1', a.orderId).filledQty, fromInt(3));
    assert.equal(ex.order('A1', a.orderId).status, 'working');
    assert.equal(ex.order('A1', b.orderId).filledQty, 0n);
    ex.onQuote({
      symbol: 'MNQ',
      ts: T0 + 1,
      bid: px('99.75'),
      ask: px('100'),
      bidSize: fromInt(9),
      askSize: fromInt(10),
    });
    assert.equal(ex.order('A1', a.orderId).status, 'filled');
    assert.equal(ex.order('A1', b.orderId).status, 'filled');
    assert.equal(ex.positionQty('A1', 'MNQ'), fromInt(7));
  });

  it('a stop triggers on last and fills at the side of the book, a trailing stop tracks last', () => {
    const { ex, place } = setup();
    ex.onQuote({ symbol: 'MNQ', ts: T0, bid: px('100'), ask: px('100.25'), last: px('100') });
    place({}); // long 1 at 100.25
    const t = place({ side: 'sell', type: 'trailing_stop', trailAmount: px('1') });
    ex.onQuote({ symbol: 'MNQ', ts: T0 + 1, bid: px('102'), ask: px('102.25'), last: px('102.25') });
    assert.equal(ex.order('A1', t.orderId).stopPrice, px('101.25'));
    ex.onQuote({ symbol: 'MNQ', ts: T0 + 2, bid: px('101'), ask: px('101.25'), last: px('101.25') });
    assert.equal(ex.order('A1', t.orderId).status, 'filled');
    assert.equal(ex.order('A1', t.orderId).avgFillPrice, px('101'));
  });

  it('is deterministic: the same inputs give the same fills', () => {
    const run = () => {
      const { ex, bar, place } = setup({ slippageTicks: 1, feePerContract: px('0.1') });
      for (let i = 0; i < 50; i++) {
        const p = 100 + ((i * 7) % 11);
        if (i % 5 === 0)
          place({
            side: i % 10 === 0 ? 'buy' : 'sell',
            type: i % 3 === 0 ? 'market' : 'stop',
            stopPrice: px(String(p)),
            bracket: { stopLoss: px('80'), takeProfit: px('130') },
          });
        bar(String(p), String(p + 3), String(p - 3), String(p + 1));
      }
      return ex.fills('A1').map((f) => ({ ...f, orderId: f.orderId.replace(/\d+/, '') }));
    };
    assert.deepEqual(run(), run());
  });
});
