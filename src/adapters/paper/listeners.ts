/** The paper venue's subscribers: fills, order changes (as frozen snapshots) and quotes. */
import type { Fill, Order, Quote } from '../broker.ts';
import { snapshot, type WorkingOrder } from './order-state.ts';

export type Listener<T> = (value: T) => void;

export class VenueListeners {
  readonly fills: Listener<Fill>[] = [];
  readonly orders: Listener<Order>[] = [];
  readonly quotes: Listener<Quote>[] = [];

  /** Publishes an order change; no snapshot is built when no one listens (backtest hot loop). */
  order(o: WorkingOrder): void {
    if (this.orders.length === 0) return;
    const s = snapshot(o);
    for (const l of this.orders) l(s);
  }

  fill(f: Fill): void {
    for (const l of this.fills) l(f);
  }

  quote(q: Quote): void {
    for (const l of this.quotes) l(q);
  }
}

/** Adds `l` to `list`; returns the call that removes it. */
export function subscribe<T>(list: Listener<T>[], l: Listener<T>): () => void {
  list.push(l);
  return () => {
    const i = list.indexOf(l);
    if (i >= 0) list.splice(i, 1);
  };
}
