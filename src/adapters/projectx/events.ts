/**
 * Fill and order events of the ProjectX adapter. They arrive from the user hub, from REST reads
 * after the adapter's own actions, from the resync after every hub reconnect and from an optional
 * poll, so the same fact often arrives more than once and sometimes out of order. Each fill is
 * delivered once (by fill id). An order update is delivered only when it moves the order forward:
 * nothing after a final status (filled, cancelled, rejected), and no working update with less
 * filled or an older update time than one already delivered.
 */
import type { BrokerAccountState, Fill, Order, Quote, Unsubscribe } from '../broker.ts';
import type { Fixed } from '../../domain/money.ts';

type Listener<T> = (value: T) => void;

function add<T>(set: Set<Listener<T>>, l: Listener<T>): Unsubscribe {
  set.add(l);
  return () => {
    set.delete(l);
  };
}

interface OrderMark {
  readonly account: string;
  readonly key: string;
  readonly final: boolean;
  readonly filled: Fixed;
  readonly updatedTs: number;
}

function markOf(o: Order): OrderMark {
  return {
    account: o.account,
    key: `${o.status}|${o.filledQty}|${o.qty}|${o.limitPrice ?? ''}|${o.stopPrice ?? ''}|${o.updatedTs}`,
    final: o.status !== 'working',
    filled: o.filledQty,
    updatedTs: o.updatedTs,
  };
}

/** Whether `next` moves an order known as `prev` forward (see the header). */
export function movesForward(prev: OrderMark | undefined, next: OrderMark): boolean {
  if (!prev) return true;
  if (prev.final || prev.key === next.key) return false;
  if (next.final) return true;
  return next.filled >= prev.filled && next.updatedTs >= prev.updatedTs;
}

export class EventFeed {
  readonly fills = new Set<Listener<Fill>>();
  readonly orders = new Set<Listener<Order>>();
  readonly quotes = new Set<Listener<Quote>>();
  readonly accounts = new Set<Listener<BrokerAccountState>>();
  private readonly seenFills = new Set<string>();
  private readonly orderState = new Map<string, OrderMark>();
  /** Events dropped as already seen or out of date (for tests and diagnostics). */
  duplicates = 0;

  onFill(l: Listener<Fill>): Unsubscribe {
    return add(this.fills, l);
  }
  onOrder(l: Listener<Order>): Unsubscribe {
    return add(this.orders, l);
  }
  onQuote(l: Listener<Quote>): Unsubscribe {
    return add(this.quotes, l);
  }
  onAccount(l: Listener<BrokerAccountState>): Unsubscribe {
    return add(this.accounts, l);
  }

  account(s: BrokerAccountState): void {
    for (const l of [...this.accounts]) l(s);
  }

  get wantsEvents(): boolean {
    return this.fills.size > 0 || this.orders.size > 0;
  }

  /** Fills already known when the feed starts are history, not events. */
  prime(fills: readonly Fill[], orders: readonly Order[]): void {
    for (const f of fills) this.seenFills.add(f.fillId);
    for (const o of orders) this.orderState.set(o.orderId, markOf(o));
  }

  fill(f: Fill): void {
    if (this.seenFills.has(f.fillId)) {
      this.duplicates++;
      return;
    }
    this.seenFills.add(f.fillId);
    for (const l of [...this.fills]) l(f);
  }

  order(o: Order): void {
    const next = markOf(o);
    if (!movesForward(this.orderState.get(o.orderId), next)) {
      this.duplicates++;
      return;
    }
    this.orderState.set(o.orderId, next);
    for (const l of [...this.orders]) l(o);
  }

  /** Ids of the account's orders last delivered (or primed) as working. */
  workingOrders(account: string): string[] {
    const out: string[] = [];
    for (const [id, m] of this.orderState) if (m.account === account && !m.final) out.push(id);
    return out;
  }

  quote(q: Quote): void {
    for (const l of [...this.quotes]) l(q);
  }

  clear(): void {
    this.fills.clear();
    this.orders.clear();
    this.quotes.clear();
    this.accounts.clear();
  }
}
