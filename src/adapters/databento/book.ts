/**
 * Limit order book rebuilt from MBO (market-by-order) records, per instrument and publisher —
 * the L3 view (every resting order in queue priority) and the L2 view (aggregated price levels).
 *
 * Semantics follow Databento's documented book-building example ("Constructing a limit order
 * book from MBO", databento.com/docs) and its "Standards and conventions" for flags:
 * - `A` add: a new resting order joins the back of its price level.
 * - `C` cancel: reduces the order by `size` (partial cancel); at zero the order leaves the book.
 * - `M` modify: a price change or a size increase loses queue priority (back of the new level);
 *   a size decrease keeps it. A modify of an unknown order is treated as an add.
 * - `R` clear: empties the book (e.g. the start of a snapshot or a session reset).
 * - `T` trade, `F` fill, `N` none: no book change (fills arrive as separate C/M records).
 * - F_TOB (0x40): the publisher sends only top of book; the record replaces its whole side with
 *   one level (UNDEF_PRICE = side empty).
 * - F_LAST (0x80): last record of an event. Between records of one event the book may be
 *   transiently crossed or incomplete; read it only when `apply` returns true.
 */
import { AppError } from '../../errors.ts';
import { FLAGS, UNDEF_PRICE, type MboRecord } from './schemas.ts';

export type BookSide = 'A' | 'B';

/** One MBO update with numeric fields parsed (prices in 1e-9 units). */
export interface MboUpdate {
  orderId: bigint;
  price: bigint;
  size: number;
  side: BookSide | 'N';
  action: 'A' | 'C' | 'M' | 'R' | 'T' | 'F' | 'N';
  flags: number;
  tsEvent: string;
}

export interface BookOrder {
  orderId: bigint;
  price: bigint;
  size: number;
  side: BookSide;
  /** ts_event of the record that gave the order its current queue position. */
  tsEvent: string;
}

export interface PriceLevel {
  /** 1e-9 fixed-point price. */
  price: bigint;
  size: number;
  count: number;
}

const UNDEF = BigInt(UNDEF_PRICE);

export function mboUpdateOf(record: MboRecord): MboUpdate {
  return {
    orderId: BigInt(record.order_id),
    price: BigInt(record.price),
    size: record.size,
    side: (record.side ?? 'N') as MboUpdate['side'],
    action: (record.action ?? 'N') as MboUpdate['action'],
    flags: record.flags,
    tsEvent: record.hd.ts_event,
  };
}

interface Level {
  price: bigint;
  /** Insertion order = queue priority (Map iteration order is insertion order). */
  orders: Map<bigint, BookOrder>;
  size: number;
}

/** Price levels of one side, kept sorted ascending (best bid = last, best ask = first). */
class SideBook {
  readonly levels = new Map<bigint, Level>();
  readonly prices: bigint[] = [];

  level(price: bigint, create: boolean): Level | undefined {
    let lvl = this.levels.get(price);
    if (!lvl && create) {
      lvl = { price, orders: new Map(), size: 0 };
      this.levels.set(price, lvl);
      this.prices.splice(this.insertionIndex(price), 0, price);
    }
    return lvl;
  }

  dropIfEmpty(lvl: Level): void {
    if (lvl.orders.size > 0 || lvl.size > 0) return;
    this.levels.delete(lvl.price);
    this.prices.splice(this.insertionIndex(lvl.price), 1);
  }

  clear(): void {
    this.levels.clear();
    this.prices.length = 0;
  }

  private insertionIndex(price: bigint): number {
    let lo = 0;
    let hi = this.prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.prices[mid] as bigint) < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface OrderBookOptions {
  /** Throw on updates that contradict the book (cancel of an unknown order, ...). Default false:
   * such updates are skipped and counted, since files often start mid-session without a snapshot. */
  strict?: boolean;
}

export class OrderBook {
  private readonly bidSide = new SideBook();
  private readonly askSide = new SideBook();
  private readonly orders = new Map<bigint, BookOrder>();
  private readonly strict: boolean;
  /** Updates that did not fit the book (non-strict mode). */
  skipped = 0;

  constructor(options: OrderBookOptions = {}) {
    this.strict = options.strict === true;
  }

  /** Applies one update; true when it ends an event (F_LAST), i.e. the book is consistent. */
  apply(u: MboUpdate): boolean {
    switch (u.action) {
      case 'R':
        this.clear();
        break;
      case 'A':
        this.add(u);
        break;
      case 'C':
        this.cancel(u);
        break;
      case 'M':
        this.modify(u);
        break;
      default:
        break; // T, F, N: trades and fills do not change resting orders by themselves
    }
    return (u.flags & FLAGS.LAST) !== 0;
  }

  bestBid(): PriceLevel | undefined {
    return this.depth('B', 1)[0];
  }

  bestAsk(): PriceLevel | undefined {
    return this.depth('A', 1)[0];
  }

  /** Up to `levels` aggregated levels of a side, best first (L2 / MBP-N view). */
  depth(side: BookSide, levels: number): PriceLevel[] {
    const book = this.sideOf(side);
    const out: PriceLevel[] = [];
    const n = book.prices.length;
    for (let i = 0; i < n && out.length < levels; i++) {
      const price = book.prices[side === 'B' ? n - 1 - i : i] as bigint;
      const lvl = book.levels.get(price) as Level;
      out.push({ price, size: lvl.size, count: lvl.orders.size || (lvl.size > 0 ? 1 : 0) });
    }
    return out;
  }

  /** The resting orders at one price in queue priority (L3 view). */
  ordersAt(side: BookSide, price: bigint): BookOrder[] {
    return [...(this.sideOf(side).levels.get(price)?.orders.values() ?? [])].map((o) => ({ ...o }));
  }

  order(orderId: bigint): BookOrder | undefined {
    const o = this.orders.get(orderId);
    return o ? { ...o } : undefined;
  }

  clear(): void {
    this.bidSide.clear();
    this.askSide.clear();
    this.orders.clear();
  }

  private sideOf(side: BookSide): SideBook {
    return side === 'B' ? this.bidSide : this.askSide;
  }

  private reject(u: MboUpdate, why: string): void {
    if (this.strict) {
      throw new AppError('ERR_DBN_CORRUPT', `MBO ${u.action} of order ${u.orderId} at ts_event ${u.tsEvent}: ${why}`);
    }
    this.skipped++;
  }

  private add(u: MboUpdate): void {
    if (u.side !== 'A' && u.side !== 'B') return this.reject(u, `side ${u.side} cannot rest in the book`);
    if ((u.flags & FLAGS.TOB) !== 0) {
      const side = this.sideOf(u.side);
      for (const lvl of side.levels.values()) for (const id of lvl.orders.keys()) this.orders.delete(id);
      side.clear();
      if (u.price !== UNDEF) (side.level(u.price, true) as Level).size = u.size;
      return;
    }
    if (this.orders.has(u.orderId)) return this.reject(u, 'order id already in the book');
    this.rest({ orderId: u.orderId, price: u.price, size: u.size, side: u.side, tsEvent: u.tsEvent });
  }

  private rest(order: BookOrder): void {
    const lvl = this.sideOf(order.side).level(order.price, true) as Level;
    lvl.orders.set(order.orderId, order);
    lvl.size += order.size;
    this.orders.set(order.orderId, order);
  }

  private unrest(order: BookOrder): void {
    const side = this.sideOf(order.side);
    const lvl = side.level(order.price, false);
    if (!lvl) return;
    lvl.orders.delete(order.orderId);
    lvl.size -= order.size;
    side.dropIfEmpty(lvl);
    this.orders.delete(order.orderId);
  }

  private cancel(u: MboUpdate): void {
    const order = this.orders.get(u.orderId);
    if (!order) return this.reject(u, 'unknown order');
    if (order.side !== u.side) return this.reject(u, `side ${u.side} differs from the order's ${order.side}`);
    if (u.size > order.size) return this.reject(u, `cancels ${u.size} of an order of ${order.size}`);
    if (u.size === order.size) return this.unrest(order);
    order.size -= u.size;
    (this.sideOf(order.side).level(order.price, false) as Level).size -= u.size;
  }

  private modify(u: MboUpdate): void {
    const order = this.orders.get(u.orderId);
    if (!order) return this.add(u);
    if (order.side !== u.side) return this.reject(u, `side ${u.side} differs from the order's ${order.side}`);
    if (order.price !== u.price || u.size > order.size) {
      // Loses priority: leaves its level and joins the back of the (possibly same) level.
      this.unrest(order);
      if (u.size > 0) this.rest({ ...order, price: u.price, size: u.size, tsEvent: u.tsEvent });
      return;
    }
    const lvl = this.sideOf(order.side).level(order.price, false) as Level;
    lvl.size += u.size - order.size;
    order.size = u.size;
    if (order.size === 0) this.unrest(order);
  }
}

/** Books of every instrument (and publisher) in an MBO stream. */
export class MarketBooks {
  private readonly books = new Map<string, OrderBook>();

  constructor(private readonly options: OrderBookOptions = {}) {}

  /** Applies an MBO record to its instrument's book; returns that book and the F_LAST verdict. */
  apply(record: MboRecord): { book: OrderBook; eventComplete: boolean } {
    const key = `${record.hd.instrument_id}:${record.hd.publisher_id}`;
    let book = this.books.get(key);
    if (!book) {
      book = new OrderBook(this.options);
      this.books.set(key, book);
    }
    return { book, eventComplete: book.apply(mboUpdateOf(record)) };
  }

  book(instrumentId: number, publisherId: number): OrderBook | undefined {
    return this.books.get(`${instrumentId}:${publisherId}`);
  }
}
