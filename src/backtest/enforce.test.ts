import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromInt, parseFixed as px } from '../domain/money.ts';
import type { Decision } from '../engine/decision.ts';
import { PaperExchange } from '../adapters/paper/exchange.ts';
import { enforceDecisions } from './enforce.ts';

const T0 = Date.UTC(2026, 2, 2, 14, 30);
const MIN = 60_000;

function setup() {
  const ex = new PaperExchange({ accounts: [{ id: 'A1', balance: px('10000') }] });
  let t = T0;
  const bar = (o: string) =>
    ex.onBar('MNQ', { ts: (t += MIN), open: px(o), high: px(o) + fromInt(1), low: px(o) - fromInt(1), close: px(o) });
  return { ex, bar };
}

const decision = (outcomes: Decision['outcomes']): Decision => ({
  t: T0,
  ts: new Date(T0).toISOString(),
  account: 'A1',
  kind: 'breach',
  rule: 'RULE-001',
  action: 'trim',
  reason: 'test',
  outcomes,
});

describe('backtest enforcement of engine decisions', () => {
  it('trim: working orders of the symbol are cancelled, a reduce-only order brings the position to toQty', () => {
    const { ex, bar } = setup();
    bar('18000');
    ex.place({ account: 'A1', clientOrderId: 'entry', symbol: 'MNQ', side: 'buy', qty: fromInt(3), type: 'market' });
    bar('18001'); // fills 3 long at the open
    const target = ex.place({
      account: 'A1',
      clientOrderId: 'tp',
      symbol: 'MNQ',
      side: 'sell',
      qty: fromInt(3),
      type: 'limit',
      limitPrice: px('18100'),
    });
    assert.equal(ex.positionQty('A1', 'MNQ'), fromInt(3));
    const placed = enforceDecisions(ex, 'A1', [decision([{ kind: 'trim', symbol: 'MNQ', toQty: fromInt(1) }])]);
    assert.equal(placed, 1);
    assert.equal(ex.order('A1', target.orderId).status, 'cancelled');
    const [trim] = ex.openOrders('A1');
    assert.deepEqual([trim?.side, trim?.qty, trim?.reduceOnly], ['sell', fromInt(2), true]);
    bar('18002');
    assert.equal(ex.positionQty('A1', 'MNQ'), fromInt(1));
    // Already at or under the limit: nothing more to do.
    assert.equal(enforceDecisions(ex, 'A1', [decision([{ kind: 'trim', symbol: 'MNQ', toQty: fromInt(1) }])]), 0);
  });

  it('move_stop: the working stop takes the new price and later fills there', () => {
    const { ex, bar } = setup();
    bar('18000');
    ex.place({ account: 'A1', clientOrderId: 'entry', symbol: 'MNQ', side: 'buy', qty: fromInt(1), type: 'market' });
    bar('18000');
    const stop = ex.place({
      account: 'A1',
      clientOrderId: 'stop',
      symbol: 'MNQ',
      side: 'sell',
      qty: fromInt(1),
      type: 'stop',
      stopPrice: px('17990'),
    });
    assert.equal(
      enforceDecisions(ex, 'A1', [decision([{ kind: 'move_stop', orderId: stop.orderId, stopPrice: px('17999.75') }])]),
      0,
    );
    assert.equal(ex.order('A1', stop.orderId).stopPrice, px('17999.75'));
    ex.onBar('MNQ', { ts: T0 + 10 * MIN, open: px('18003'), high: px('18004'), low: px('17995'), close: px('17996') });
    const exit = ex.fills('A1').at(-1);
    assert.equal(exit?.orderId, stop.orderId);
    assert.equal(exit?.price, px('17999.75'), 'filled at the moved stop, not the original 17990');
    assert.equal(ex.positionQty('A1', 'MNQ'), 0n);
  });
});
