import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromInt, parseFixed } from '../../domain/money.ts';
import type { Fill, Order } from '../broker.ts';
import { EventFeed } from './events.ts';

const order = (over: Partial<Order>): Order => ({
  orderId: '9000',
  clientOrderId: 'c1',
  account: 'TX1',
  symbol: 'MNQ',
  side: 'buy',
  qty: fromInt(2),
  filledQty: fromInt(0),
  avgFillPrice: undefined,
  type: 'limit',
  limitPrice: parseFixed('90'),
  stopPrice: undefined,
  trailAmount: undefined,
  reduceOnly: false,
  ocoGroup: undefined,
  parentOrderId: undefined,
  status: 'working',
  reason: undefined,
  createdTs: 1,
  updatedTs: 1,
  ...over,
});

describe('EventFeed', () => {
  it('delivers each fill once', () => {
    const feed = new EventFeed();
    const got: Fill[] = [];
    feed.onFill((f) => got.push(f));
    const f: Fill = {
      fillId: '501',
      orderId: '9000',
      account: 'TX1',
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(1),
      price: parseFixed('100'),
      fee: 0n,
      ts: 5,
    };
    feed.fill(f);
    feed.fill({ ...f });
    assert.equal(got.length, 1);
    assert.equal(feed.duplicates, 1);
  });

  it('moves an order forward only: nothing after a final status, no older or less-filled update', () => {
    const feed = new EventFeed();
    const got: string[] = [];
    feed.onOrder((o) => got.push(`${o.status}:${o.filledQty / 10n ** 18n}`));
    feed.order(order({}));
    feed.order(order({ filledQty: fromInt(1), updatedTs: 3 }));
    feed.order(order({ updatedTs: 2 })); // older, less filled
    feed.order(order({ status: 'filled', filledQty: fromInt(2), updatedTs: 4 }));
    feed.order(order({ filledQty: fromInt(1), updatedTs: 5 })); // after the final status
    feed.order(order({ status: 'filled', filledQty: fromInt(2), updatedTs: 4 })); // the same again
    assert.deepEqual(got, ['working:0', 'working:1', 'filled:2']);
    assert.deepEqual(feed.workingOrders('TX1'), []);
  });

  it('a modify (new price, same fill) is forward', () => {
    const feed = new EventFeed();
    let n = 0;
    feed.onOrder(() => n++);
    feed.order(order({}));
    feed.order(order({ limitPrice: parseFixed('91'), updatedTs: 2 }));
    assert.equal(n, 2);
    assert.deepEqual(feed.workingOrders('TX1'), ['9000']);
  });
});
