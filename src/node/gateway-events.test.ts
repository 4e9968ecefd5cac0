import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../domain/money.ts';
import { parseEvent } from '../domain/events.ts';
import { orderUpdateEvent } from './gateway-events.ts';

test('orderUpdateEvent: a broker change reads back as the order_update of the event log', () => {
  const t = Date.parse('2026-04-07T14:00:00.000Z');
  const raw = orderUpdateEvent('A1', 'o1', { qty: parseFixed('3'), stopPrice: parseFixed('17990.25') }, t);
  assert.deepEqual(raw, {
    ts: '2026-04-07T14:00:00.000Z',
    type: 'order_update',
    account: 'A1',
    orderId: 'o1',
    qty: 3,
    stopPrice: '17990.25',
  });
  assert.deepEqual(parseEvent(raw), {
    type: 'order_update',
    ts: '2026-04-07T14:00:00.000Z',
    t,
    account: 'A1',
    orderId: 'o1',
    qty: parseFixed('3'),
    price: undefined,
    stopPrice: parseFixed('17990.25'),
  });
  assert.deepEqual(orderUpdateEvent('A1', 'o1', { limitPrice: parseFixed('18000.5') }, t), {
    ts: '2026-04-07T14:00:00.000Z',
    type: 'order_update',
    account: 'A1',
    orderId: 'o1',
    price: '18000.5',
  });
});
