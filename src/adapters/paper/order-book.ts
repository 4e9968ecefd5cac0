/**
 * The paper venue's books of orders: order ids and the index by id, and per symbol its latest
 * mark, live quote and working orders. It records where orders are; the exchange decides what
 * happens to them.
 */
import type { Fixed } from '../../domain/money.ts';
import type { Instrument } from '../broker.ts';
import type { InstrumentTable } from './instruments.ts';
import type { LiveQuote } from './matching.ts';
import { newOrder, type PlaceRequest, type WorkingOrder } from './order-state.ts';

/** Everything the venue keeps per symbol, found with one lookup (hot path of a backtest). */
export interface SymbolState {
  readonly symbol: string;
  readonly instrument: Instrument | undefined;
  mark: Fixed | undefined;
  live: LiveQuote | undefined;
  readonly working: WorkingOrder[];
}

export class OrderBook {
  private seq = 0;
  /** By sequence number: order ids are `P<seq>`, so a lookup is an index, not a hash. */
  private readonly orders: WorkingOrder[] = [];
  private readonly symbols = new Map<string, SymbolState>();

  constructor(private readonly instruments: InstrumentTable) {}

  /** A new order under the next id, found by `byId` from now on (not working yet). */
  create(req: PlaceRequest, ts: number, parentOrderId?: string): WorkingOrder {
    const o = newOrder(req, `P${++this.seq}`, this.seq, ts, parentOrderId);
    this.orders[o.seq] = o;
    return o;
  }

  byId(orderId: string): WorkingOrder | undefined {
    if (orderId.charCodeAt(0) !== 80 /* P */) return undefined;
    const o = this.orders[Number(orderId.slice(1))];
    return o && o.orderId === orderId ? o : undefined;
  }

  /** The symbol's state (created on first use). */
  symbol(symbol: string): SymbolState {
    let st = this.symbols.get(symbol);
    if (!st)
      this.symbols.set(
        symbol,
        (st = { symbol, instrument: this.instruments.find(symbol), mark: undefined, live: undefined, working: [] }),
      );
    return st;
  }

  /** Latest mark of a symbol, undefined before its first price. */
  markOf(symbol: string): Fixed | undefined {
    return this.symbols.get(symbol)?.mark;
  }

  /** Working orders of an account (optionally of one symbol), in placement order. */
  working(account: string, symbol?: string): WorkingOrder[] {
    const out: WorkingOrder[] = [];
    for (const st of this.symbols.values())
      for (const o of st.working)
        if (o.account === account && o.status === 'working' && (symbol === undefined || o.symbol === symbol))
          out.push(o);
    return out.sort((x, y) => x.seq - y.seq);
  }

  /** Takes `o` off its symbol's working list; false when it was not on it. */
  remove(o: WorkingOrder): boolean {
    const list = this.symbol(o.symbol).working;
    const i = list.indexOf(o);
    if (i < 0) return false;
    if (i === list.length - 1) list.pop();
    else list.splice(i, 1);
    return true;
  }
}
