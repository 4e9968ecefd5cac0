/**
 * Read models of the trading node: recent fills, orders and violations per account, folded from
 * the same DESIGN §4 events and decisions the journal holds (live as they happen, and from the
 * journal's tail when the node starts). Queries answer from here, never from the engine's maps.
 * Each list keeps the newest `limit` entries per account, so a node running for months stays small.
 */
import { formatFixed, parseFixed, type Fixed } from '../domain/money.ts';
import type { Instrument } from '../domain/instrument.ts';
import { expectedPriceOf, slippageOf } from './day-ledger.ts';
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
  /** The price it was expected at (see day-ledger.ts), and how much worse it filled: + worse. */
  readonly expectedPrice?: string;
  readonly slippageTicks?: string;
  readonly slippage?: string;
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
  /** Limit or stop price, or the mark when a market order was placed (slippage is measured against it). */
  expectedPrice?: string;
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
  private readonly marks = new Map<string, Fixed>();
  private readonly limit: number;

  constructor(
    limit = 1000,
    private readonly instrumentOf: (symbol: string) => Instrument | undefined = () => undefined,
  ) {
    this.limit = limit;
    this.fills = new Bounded(limit);
    this.violations = new Bounded(limit);
  }

  /** Folds one DESIGN §4 event (as journaled). Returns what changed, for the bus. */
  applyEvent(raw: Readonly<Record<string, unknown>>): { fill?: FillView; order?: OrderView } {
    if (raw.type === 'quote') {
      this.applyQuote(raw);
      return {};
    }
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
        const order = this.ordersOf(account).get(fill.orderId);
        if (!this.marks.has(fill.symbol)) this.marks.set(fill.symbol, parseFixed(fill.price));
        const withSlippage = this.slippage(fill, order);
        this.fills.push(account, withSlippage);
        if (order) {
          const filled = parseFixed(order.filledQty) + parseFixed(String(fill.qty));
          order.filledQty = formatFixed(filled);
          if (filled >= parseFixed(String(order.qty))) order.status = 'filled';
          order.updatedAt = ts;
        }
        return { fill: withSlippage, ...(order ? { order } : {}) };
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
          ...this.expected(String(raw.orderType ?? 'market'), raw, this.marks.get(String(raw.symbol))),
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
          ...(order.orderType === 'market' ? {} : this.expected(order.orderType, raw, undefined)),
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

  private applyQuote(raw: Readonly<Record<string, unknown>>): void {
    const symbol = typeof raw.symbol === 'string' ? raw.symbol : undefined;
    if (!symbol) return;
    if (typeof raw.last === 'string') this.marks.set(symbol, parseFixed(raw.last));
    else if (typeof raw.bid === 'string' && typeof raw.ask === 'string')
      this.marks.set(symbol, (parseFixed(raw.bid) + parseFixed(raw.ask)) / 2n);
  }

  private expected(
    orderType: string,
    raw: Readonly<Record<string, unknown>>,
    mark: Fixed | undefined,
  ): { expectedPrice?: string } {
    const p = (v: unknown) => (v === undefined ? undefined : String(v));
    const e = expectedPriceOf(orderType, p(raw.price), p(raw.stopPrice), mark);
    return e === undefined ? {} : { expectedPrice: formatFixed(e) };
  }

  private slippage(fill: FillView, order: OrderView | undefined): FillView {
    const instrument = this.instrumentOf(fill.symbol);
    if (!order?.expectedPrice || !instrument) return fill;
    const s = slippageOf(
      fill.side === 'sell' ? 'sell' : 'buy',
      parseFixed(order.expectedPrice),
      parseFixed(fill.price),
      parseFixed(String(fill.qty)),
      instrument,
    );
    return {
      ...fill,
      expectedPrice: order.expectedPrice,
      slippageTicks: formatFixed(s.ticks),
      slippage: formatFixed(s.money),
    };
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
