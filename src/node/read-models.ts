/**
 * Read models of the trading node: recent fills, orders and violations per account, folded from
 * the same DESIGN §4 events and decisions the journal holds (live as they happen, and from the
 * journal's tail when the node starts). Queries answer from here, never from the engine's maps.
 * Each list keeps the newest `limit` entries per account, so a node running for months stays small.
 */
import { formatFixed, parseFixed } from '../domain/money.ts';
import { decisionJson, type Decision } from '../engine/decision.ts';

export interface FillView {
  readonly ts: string;
  readonly account: string;
  readonly orderId: string;
  readonly fillId?: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number | string;
  readonly price: string;
  readonly fee: string;
}

export interface OrderView {
  readonly orderId: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number | string;
  readonly orderType: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly reduceOnly: boolean;
  status: 'working' | 'filled' | 'cancelled' | 'rejected';
  /** Filled quantity as a decimal string. */
  filledQty: string;
  readonly placedAt: string;
  updatedAt: string;
  /** Rules that rejected it (pre-trade), when any. */
  rejectedBy?: string[];
}

/** Breaches, rejections, admin actions and lock changes, as the journal's decision records hold them. */
export type ViolationView = Readonly<Record<string, unknown>>;

class Bounded<T> {
  private readonly items = new Map<string, T[]>();
  constructor(private readonly limit: number) {}
  push(account: string, item: T): void {
    let list = this.items.get(account);
    if (!list) this.items.set(account, (list = []));
    list.push(item);
    if (list.length > this.limit * 1.25) list.splice(0, list.length - this.limit);
  }
  /** Newest first. */
  list(account: string, limit = this.limit): T[] {
    const list = this.items.get(account) ?? [];
    return list.slice(Math.max(0, list.length - Math.min(limit, this.limit))).reverse();
  }
}

export class ReadModels {
  private readonly fills: Bounded<FillView>;
  private readonly violations: Bounded<ViolationView>;
  private readonly orders = new Map<string, Map<string, OrderView>>();
  private readonly limit: number;

  constructor(limit = 1000) {
    this.limit = limit;
    this.fills = new Bounded(limit);
    this.violations = new Bounded(limit);
  }

  /** Folds one DESIGN §4 event (as journaled). Returns what changed, for the bus. */
  applyEvent(raw: Readonly<Record<string, unknown>>): { fill?: FillView; order?: OrderView } {
    const account = typeof raw.account === 'string' ? raw.account : undefined;
    if (!account) return {};
    const ts = String(raw.ts);
    switch (raw.type) {
      case 'fill': {
        const fill: FillView = {
          ts,
          account,
          orderId: String(raw.orderId),
          ...(raw.fillId !== undefined ? { fillId: String(raw.fillId) } : {}),
          symbol: String(raw.symbol),
          side: String(raw.side),
          qty: raw.qty as number | string,
          price: String(raw.price),
          fee: raw.fee === undefined ? '0' : String(raw.fee),
        };
        this.fills.push(account, fill);
        const order = this.ordersOf(account).get(fill.orderId);
        if (order) {
          const filled = parseFixed(order.filledQty) + parseFixed(String(fill.qty));
          order.filledQty = formatFixed(filled);
          if (filled >= parseFixed(String(order.qty))) order.status = 'filled';
          order.updatedAt = ts;
        }
        return { fill, ...(order ? { order } : {}) };
      }
      case 'order': {
        const order: OrderView = {
          orderId: String(raw.orderId),
          account,
          symbol: String(raw.symbol),
          side: String(raw.side),
          qty: raw.qty as number | string,
          orderType: String(raw.orderType ?? 'market'),
          ...(raw.price !== undefined ? { price: String(raw.price) } : {}),
          ...(raw.stopPrice !== undefined ? { stopPrice: String(raw.stopPrice) } : {}),
          reduceOnly: raw.reduceOnly === true,
          status: 'working',
          filledQty: '0',
          placedAt: ts,
          updatedAt: ts,
        };
        this.putOrder(account, order);
        return { order };
      }
      case 'order_update': {
        const order = this.ordersOf(account).get(String(raw.orderId));
        if (!order) return {};
        const changed: OrderView = {
          ...order,
          ...(raw.qty !== undefined ? { qty: raw.qty as number | string } : {}),
          ...(raw.price !== undefined ? { price: String(raw.price) } : {}),
          ...(raw.stopPrice !== undefined ? { stopPrice: String(raw.stopPrice) } : {}),
          updatedAt: ts,
        };
        this.ordersOf(account).set(changed.orderId, changed);
        return { order: changed };
      }
      case 'order_status': {
        const order = this.ordersOf(account).get(String(raw.orderId));
        if (!order) return {};
        order.status = raw.status as OrderView['status'];
        order.updatedAt = ts;
        return { order };
      }
      default:
        return {};
    }
  }

  /** Folds a decision (live). */
  applyDecision(d: Decision): ViolationView | undefined {
    return this.applyDecisionJson(decisionJson(d));
  }

  /** Folds a decision record (journal form): rejections mark their order; all but summaries and stop moves are violations. */
  applyDecisionJson(v: Readonly<Record<string, unknown>>): ViolationView | undefined {
    if (v.kind === 'summary' || v.kind === 'stop_move' || v.account === '*' || typeof v.account !== 'string')
      return undefined;
    if (v.kind === 'rejection' && typeof v.orderId === 'string') {
      const order = this.ordersOf(v.account).get(v.orderId);
      if (order) order.rejectedBy = [...(order.rejectedBy ?? []), String(v.rule)];
    }
    this.violations.push(v.account, v);
    return v;
  }

  fillsOf(account: string, limit?: number): FillView[] {
    return this.fills.list(account, limit);
  }

  violationsOf(account: string, limit?: number): ViolationView[] {
    return this.violations.list(account, limit);
  }

  /** Recent orders, newest first; `status` filters (e.g. working). */
  ordersOfAccount(account: string, status?: OrderView['status']): OrderView[] {
    const all = [...this.ordersOf(account).values()].reverse();
    return (status ? all.filter((o) => o.status === status) : all).map((o) => ({ ...o }));
  }

  private ordersOf(account: string): Map<string, OrderView> {
    let m = this.orders.get(account);
    if (!m) this.orders.set(account, (m = new Map()));
    return m;
  }

  private putOrder(account: string, order: OrderView): void {
    const m = this.ordersOf(account);
    m.delete(order.orderId);
    m.set(order.orderId, order);
    if (m.size <= this.limit) return;
    // Forget the oldest finished orders; working ones stay however old (a GTC order for weeks).
    for (const [id, o] of m) {
      if (m.size <= this.limit) break;
      if (o.status !== 'working') m.delete(id);
    }
  }
}
