/**
 * Fill and order events of the ProjectX adapter, fed from REST until the user hub lands: after
 * each of the adapter's own actions it reads the account's trades and the acted-on order, and an
 * optional timer polls open orders and trades. Each fill is delivered once (by fill id) and an
 * order update only when the order changed, so a repeated read never repeats an event.
 */
import type { Fill, Order, Quote, Unsubscribe } from '../broker.ts';

type Listener<T> = (value: T) => void;

function add<T>(set: Set<Listener<T>>, l: Listener<T>): Unsubscribe {
  set.add(l);
  return () => {
    set.delete(l);
  };
}

export class EventFeed {
  readonly fills = new Set<Listener<Fill>>();
  readonly orders = new Set<Listener<Order>>();
  readonly quotes = new Set<Listener<Quote>>();
  private readonly seenFills = new Set<string>();
  private readonly orderState = new Map<string, string>();

  onFill(l: Listener<Fill>): Unsubscribe {
    return add(this.fills, l);
  }
  onOrder(l: Listener<Order>): Unsubscribe {
    return add(this.orders, l);
  }
  onQuote(l: Listener<Quote>): Unsubscribe {
    return add(this.quotes, l);
  }

  get wantsEvents(): boolean {
    return this.fills.size > 0 || this.orders.size > 0;
  }

  /** Fills already known when the feed starts are history, not events. */
  prime(fills: readonly Fill[], orders: readonly Order[]): void {
    for (const f of fills) this.seenFills.add(f.fillId);
    for (const o of orders) this.orderState.set(o.orderId, stateKey(o));
  }

  fill(f: Fill): void {
    if (this.seenFills.has(f.fillId)) return;
    this.seenFills.add(f.fillId);
    for (const l of [...this.fills]) l(f);
  }

  order(o: Order): void {
    const key = stateKey(o);
    if (this.orderState.get(o.orderId) === key) return;
    this.orderState.set(o.orderId, key);
    for (const l of [...this.orders]) l(o);
  }

  quote(q: Quote): void {
    for (const l of [...this.quotes]) l(q);
  }

  clear(): void {
    this.fills.clear();
    this.orders.clear();
    this.quotes.clear();
  }
}

function stateKey(o: Order): string {
  return `${o.status}|${o.filledQty}|${o.qty}|${o.limitPrice ?? ''}|${o.stopPrice ?? ''}|${o.updatedTs}`;
}
