/**
 * Slippage per fill in the read models: given quotes, orders and fills as journaled, then each
 * fill carries its expected price and how much worse it filled, in ticks and money.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentTable } from '../domain/instrument.ts';
import { ReadModels } from './read-models.ts';

const table = new InstrumentTable();
const order = (orderId: string, orderType: string, side: string, extra: Record<string, string> = {}) => ({
  ts: '2026-03-03T15:00:00.000Z',
  type: 'order',
  account: 'A1',
  orderId,
  symbol: 'MNQZ6',
  side,
  qty: 3,
  orderType,
  ...extra,
});
const fill = (orderId: string, side: string, price: string) => ({
  ts: '2026-03-03T15:00:01.000Z',
  type: 'fill',
  account: 'A1',
  orderId,
  fillId: `f-${orderId}`,
  symbol: 'MNQZ6',
  side,
  qty: 3,
  price,
});

test('market orders against the mark at placement, stops against their stop, changed limits against the new limit', () => {
  const m = new ReadModels(1000, (s) => table.find(s));
  m.applyEvent({ ts: '2026-03-03T15:00:00.000Z', type: 'quote', symbol: 'MNQZ6', bid: '18000.00', ask: '18000.50' });
  m.applyEvent(order('mkt', 'market', 'buy'));
  const f1 = m.applyEvent(fill('mkt', 'buy', '18000.75')).fill!;
  // Mid 18000.25; bought 0.50 higher = 2 ticks × 3 contracts × 0.50.
  assert.deepEqual([f1.expectedPrice, f1.slippageTicks, f1.slippage], ['18000.25', '2', '3']);
  m.applyEvent(order('stp', 'stop', 'sell', { stopPrice: '17990' }));
  const f2 = m.applyEvent(fill('stp', 'sell', '17989.25')).fill!;
  assert.deepEqual([f2.expectedPrice, f2.slippageTicks, f2.slippage], ['17990', '3', '4.5']);
  m.applyEvent(order('lmt', 'limit', 'buy', { price: '17950' }));
  m.applyEvent({ ts: '2026-03-03T15:00:00.500Z', type: 'order_update', account: 'A1', orderId: 'lmt', price: '17960' });
  const f3 = m.applyEvent(fill('lmt', 'buy', '17959.50')).fill!;
  assert.deepEqual([f3.expectedPrice, f3.slippageTicks, f3.slippage], ['17960', '-2', '-3']);
  assert.equal(m.fillsOf('A1')[0]?.slippage, '-3', 'kept in the read model');
});

test('a fill of an order never seen, or of an unknown instrument, carries no slippage', () => {
  const m = new ReadModels(1000, () => undefined);
  m.applyEvent(order('o', 'limit', 'buy', { price: '1' }));
  assert.equal(m.applyEvent(fill('o', 'buy', '1')).fill!.slippage, undefined);
  const n = new ReadModels(1000, (s) => table.find(s));
  assert.equal(n.applyEvent(fill('ghost', 'buy', '1')).fill!.expectedPrice, undefined);
});
