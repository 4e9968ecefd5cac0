/**
 * Broker objects → engine events, in the event-log format of DESIGN §4 (decimal strings, ISO
 * times), so what the live loop journals reads exactly like a replay input and can be replayed.
 */
import { formatFixed, type Fixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { Fill, Order, OrderChanges, Quote } from '../adapters/broker.ts';

export type RawEvent = Record<string, unknown>;

/** A quantity as the event log writes it: a JSON integer when whole, else a decimal string. */
export function qtyJson(q: Fixed): number | string {
  const s = formatFixed(q);
  return /^\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : s;
}

const opt = (k: string, v: Fixed | undefined): RawEvent => (v === undefined ? {} : { [k]: formatFixed(v) });

export function quoteEvent(q: Quote, t: number): RawEvent {
  return {
    ts: isoOf(t),
    type: 'quote',
    symbol: q.symbol,
    ...opt('bid', q.bid),
    ...opt('ask', q.ask),
    ...opt('last', q.last),
  };
}

export function fillEvent(f: Fill, orderId: string, t: number): RawEvent {
  return {
    ts: isoOf(t),
    type: 'fill',
    account: f.account,
    orderId,
    fillId: f.fillId,
    symbol: f.symbol,
    side: f.side,
    qty: qtyJson(f.qty),
    price: formatFixed(f.price),
    fee: formatFixed(f.fee),
  };
}

/** An order as the engine sees it (`orderId` is the engine's id: the client order id). */
export function orderEvent(
  o: Pick<Order, 'account' | 'symbol' | 'side' | 'qty' | 'type' | 'limitPrice' | 'stopPrice' | 'reduceOnly'>,
  orderId: string,
  t: number,
): RawEvent {
  return {
    ts: isoOf(t),
    type: 'order',
    account: o.account,
    orderId,
    symbol: o.symbol,
    side: o.side,
    qty: qtyJson(o.qty),
    orderType: o.type,
    ...opt('price', o.limitPrice),
    ...opt('stopPrice', o.stopPrice),
    ...(o.reduceOnly ? { reduceOnly: true } : {}),
  };
}

/**
 * A change of a working order (DESIGN §4 `order_update`): what a broker reports changed at the
 * venue, or a user's modify before it is routed (`engine.preTradeUpdate`). `qty` is the new total.
 */
export function orderUpdateEvent(
  account: string,
  orderId: string,
  changes: Pick<OrderChanges, 'qty' | 'limitPrice' | 'stopPrice'>,
  t: number,
): RawEvent {
  return {
    ts: isoOf(t),
    type: 'order_update',
    account,
    orderId,
    ...(changes.qty === undefined ? {} : { qty: qtyJson(changes.qty) }),
    ...opt('price', changes.limitPrice),
    ...opt('stopPrice', changes.stopPrice),
  };
}

export function orderStatusEvent(
  account: string,
  orderId: string,
  status: 'working' | 'filled' | 'cancelled' | 'rejected',
  t: number,
): RawEvent {
  return { ts: isoOf(t), type: 'order_status', account, orderId, status };
}

export function accountEvent(
  account: string,
  t: number,
  canTrade: boolean | undefined,
  balance: Fixed | undefined,
): RawEvent {
  return {
    ts: isoOf(t),
    type: 'account',
    account,
    ...(canTrade === undefined ? {} : { canTrade }),
    ...opt('balance', balance),
  };
}
