/**
 * The paper matching engine: a deterministic simulated venue. There is no wall clock: time is
 * the `ts` of the last bar or quote fed in, and nothing is random, so the same data and orders
 * always give the same fills. Synchronous on purpose: the backtester drives it in a tight loop;
 * `PaperBroker` (adapter.ts) wraps it in the async `BrokerAdapter` interface.
 *
 * Fill model (docs/backtest.md): bars fill along the path in bar-path.ts; quotes fill buys at the
 * ask and sells at the bid (else at `last`), at most the quoted size, stops trigger on `last` (else
 * the side's quote). Market, stop and trailing-stop fills pay `slippageTicks` adverse ticks;
 * limit fills never slip. Fees are `feePerContract` × filled qty.
 *
 * Orders returned by this class are live read-only views (they change as the order works); the
 * `PaperBroker` adapter hands out frozen snapshots. Listeners always receive snapshots.
 *
 * Its parts: order-book.ts (ids, per-symbol working orders and marks), matching.ts (where and at
 * what price an order fills), contingent.ts (OCO and bracket follow-ups of a fill), ledger.ts and
 * positions.ts (what a fill does to an account), listeners.ts (subscribers).
 */
import { AppError } from '../../errors.ts';
import { fromInt, mul, type Fixed } from '../../domain/money.ts';
import {
  allowAll,
  type BrokerAccountState,
  type BrokerPosition,
  type Fill,
  type Order,
  type OrderChanges,
  type PreTradeHook,
  type Quote,
} from '../broker.ts';
import type { BarPrices } from './bar-path.ts';
import { afterFill, type ContingentVenue } from './contingent.ts';
import { InstrumentTable } from './instruments.ts';
import { subscribe, VenueListeners, type Listener } from './listeners.ts';
import { matchAlongBar, matchQuote, type LiveQuote } from './matching.ts';
import { OrderBook, type SymbolState } from './order-book.ts';
import {
  addFill,
  applyChanges,
  flattenRequest,
  sameRequest,
  validateRequest,
  type PlaceRequest,
  type WorkingOrder,
} from './order-state.ts';
import { PaperLedger, type AccountBook, type AccountView, type PaperAccountConfig } from './ledger.ts';
import type { PositionBook, RoundTrip } from './positions.ts';

export type { AccountView, PaperAccountConfig } from './ledger.ts';
export type { SymbolState } from './order-book.ts';

export interface PaperExchangeOptions {
  readonly accounts?: readonly PaperAccountConfig[];
  readonly instruments?: InstrumentTable;
  /** Adverse ticks on market / stop / trailing-stop fills (default 0). */
  readonly slippageTicks?: number;
  /** Fee per contract per fill, account currency (default 0). */
  readonly feePerContract?: Fixed;
  /** Pre-trade check on every new order (not on bracket children, which only reduce risk). */
  readonly preTrade?: PreTradeHook;
  /**
   * The owner's order gate (the backtester's risk engine): sees every order the exchange is about
   * to work, with its order id, and returns a rejection reason or undefined. Bracket children pass
   * through it too (so the owner can track them) but are never rejected: they only reduce risk.
   * Cheaper than `preTrade`: no account snapshot is built.
   */
  readonly admit?: (o: WorkingOrder, child: boolean) => string | undefined;
  /** Called when an order leaves the book (filled or cancelled): no snapshot, for hot loops. */
  readonly onDone?: (o: WorkingOrder) => void;
}

export interface Bar extends BarPrices {
  readonly ts: number;
}

export class PaperExchange {
  private now = 0;
  private readonly ledger: PaperLedger;
  private readonly book: OrderBook;
  private readonly listeners = new VenueListeners();
  private readonly slippageTicks: bigint;
  private readonly feePerContract: Fixed;
  private readonly preTrade: PreTradeHook;
  private readonly admit: PaperExchangeOptions['admit'];
  private readonly onDone: PaperExchangeOptions['onDone'];
  private readonly contingent: ContingentVenue;

  constructor(options: PaperExchangeOptions = {}) {
    this.book = new OrderBook(options.instruments ?? new InstrumentTable());
    this.slippageTicks = BigInt(options.slippageTicks ?? 0);
    this.feePerContract = options.feePerContract ?? 0n;
    this.preTrade = options.preTrade ?? allowAll;
    this.admit = options.admit;
    this.onDone = options.onDone;
    this.ledger = new PaperLedger((symbol) => this.book.symbol(symbol).instrument);
    this.contingent = this.contingentVenue();
    for (const a of options.accounts ?? [{ id: 'PAPER-1', balance: fromInt(50000) }]) this.addAccount(a);
  }

  addAccount(a: PaperAccountConfig): void {
    this.ledger.add(a);
  }

  get time(): number {
    return this.now;
  }

  // ── subscriptions ────────────────────────────────────────────────────────────
  onFill(l: Listener<Fill>): () => void {
    return subscribe(this.listeners.fills, l);
  }
  onOrder(l: Listener<Order>): () => void {
    return subscribe(this.listeners.orders, l);
  }
  onQuoteEvent(l: Listener<Quote>): () => void {
    return subscribe(this.listeners.quotes, l);
  }

  // ── queries ──────────────────────────────────────────────────────────────────
  accountState(account: string): BrokerAccountState {
    return this.ledger.state(account);
  }

  setCanTrade(account: string, canTrade: boolean): void {
    this.account(account).canTrade = canTrade;
  }

  order(account: string, orderId: string): Order {
    return this.own(account, orderId);
  }

  openOrders(account: string, symbol?: string): Order[] {
    return this.book.working(account, symbol);
  }

  /** Number of working orders of an account (cheap: no snapshots). */
  openOrderCount(account: string): number {
    return this.account(account).workingCount;
  }

  accountView(account: string): AccountView {
    return this.account(account);
  }

  /** The symbol's state (created on first use). */
  symbolState(symbol: string): SymbolState {
    return this.book.symbol(symbol);
  }

  /** The account's position book in a symbol (created flat on first use); undefined if no instrument. */
  positionBook(account: string, symbol: string): PositionBook | undefined {
    return this.ledger.book(account, symbol);
  }

  positions(account: string): BrokerPosition[] {
    return this.ledger.positions(account);
  }

  /** Signed position qty (fast path for strategies). */
  positionQty(account: string, symbol: string): Fixed {
    return this.ledger.positionQty(account, symbol);
  }

  fills(account: string, sinceTs?: number): Fill[] {
    return this.ledger.fills(account, sinceTs);
  }

  roundTrips(account: string): readonly RoundTrip[] {
    return this.ledger.roundTrips(account);
  }

  /** Cash balance + unrealized P&L at the latest marks. */
  equity(account: string): Fixed {
    return this.ledger.equity(account, (symbol) => this.book.markOf(symbol));
  }

  // ── orders ───────────────────────────────────────────────────────────────────
  /**
   * Places an order; a known `clientOrderId` returns the order placed with it (idempotent retry).
   * `trusted`: the caller built the request itself from valid parts (the backtester's market
   * orders), so the structural checks are skipped.
   */
  place(req: PlaceRequest, trusted = false): Order {
    if (!trusted) validateRequest(req, false);
    const acct = this.account(req.account);
    const key = req.clientOrderId;
    if (key !== undefined) {
      const seen = acct.byKey.get(key);
      if (seen) {
        if (!sameRequest(seen, req))
          throw new AppError(
            'ERR_ORDER_CONFLICT',
            `clientOrderId ${key} was already used for a different order (${seen.orderId})`,
          );
        return seen;
      }
    }
    const o = this.book.create(req, this.now);
    if (key !== undefined) acct.byKey.set(key, o);
    const rejection = this.rejectionOf(req, acct, o.clientOrderId) ?? this.admit?.(o, false);
    if (rejection) {
      o.status = 'rejected';
      o.reason = rejection;
      this.listeners.order(o);
      return o;
    }
    this.activate(o);
    return o;
  }

  cancel(account: string, orderId: string, reason?: string): Order {
    const o = this.own(account, orderId);
    if (o.status === 'working') this.finish(o, 'cancelled', reason);
    return o;
  }

  modify(account: string, orderId: string, changes: OrderChanges): Order {
    const o = this.own(account, orderId);
    if (o.status !== 'working')
      throw new AppError('ERR_BROKER_REJECTED', `order ${orderId} is ${o.status}, cannot modify`);
    applyChanges(o, changes);
    o.updatedTs = this.now;
    this.listeners.order(o);
    const live = this.book.symbol(o.symbol).live;
    if (live) this.matchQuote(o, live);
    return o;
  }

  /** Closes a position at a given price (end of a backtest: the last bar's close), without slippage. */
  flatten(account: string, symbol: string, price: Fixed, ts: number): void {
    for (const o of this.openOrders(account, symbol)) this.cancel(account, o.orderId, 'flatten');
    const qty = this.positionQty(account, symbol);
    if (qty === 0n) return;
    this.now = ts;
    const o = this.book.create(flattenRequest(account, symbol, qty, ts), ts);
    this.listeners.order(o);
    this.fill(o, o.qty, price);
  }

  // ── market data ──────────────────────────────────────────────────────────────
  onBar(symbol: string, bar: Bar): void {
    this.onSymbolBar(this.book.symbol(symbol), bar);
  }

  /** onBar without the symbol lookup (the backtester's per-bar call). */
  onSymbolBar(st: SymbolState, bar: Bar): void {
    this.now = bar.ts;
    st.mark = bar.close;
    st.live = undefined;
    const list = st.working;
    if (list.length === 0) return;
    if (list.length === 1 && (list[0] as WorkingOrder).type === 'market' && !(list[0] as WorkingOrder).bracket) {
      // The common case of a bar backtest: one market order, filled at the open.
      const o = list[0] as WorkingOrder;
      this.fill(o, o.qty - o.filledQty, this.slip(o, bar.open));
      return;
    }
    this.matchBar(list, bar);
  }

  /** Working orders along the bar's path (kept out of onSymbolBar so the per-bar call stays small). */
  private matchBar(list: WorkingOrder[], bar: Bar): void {
    matchAlongBar(list, bar, this.slipper, this.filler);
  }

  onQuote(q: Quote): void {
    this.now = q.ts;
    const mark = q.last ?? (q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2n : undefined);
    const st = this.book.symbol(q.symbol);
    if (mark !== undefined) st.mark = mark;
    const live: LiveQuote = { quote: q, askLeft: q.askSize, bidLeft: q.bidSize };
    st.live = live;
    this.listeners.quote(q);
    const list = st.working;
    if (list.length === 0) return;
    // A copy: fills remove orders from the list; bracket children match on activation.
    for (const o of [...list]) if (o.status === 'working') this.matchQuote(o, live);
  }

  // ── internals ────────────────────────────────────────────────────────────────
  private rejectionOf(req: PlaceRequest, acct: AccountBook, key: string): string | undefined {
    if (!this.book.symbol(req.symbol).instrument)
      return `ERR_INSTRUMENT_UNKNOWN: no instrument for symbol ${req.symbol}`;
    if (!acct.canTrade && !req.reduceOnly) return `account ${acct.id} cannot trade`;
    if (this.preTrade === allowAll) return undefined;
    const d = this.preTrade(
      { ...req, clientOrderId: key },
      {
        account: this.accountState(acct.id),
        positions: this.positions(acct.id),
        openOrders: this.openOrders(acct.id),
        ts: this.now,
      },
    );
    return d.allow ? undefined : `${d.rule}: ${d.reason}`;
  }

  private activate(o: WorkingOrder): void {
    const st = this.book.symbol(o.symbol);
    st.working.push(o);
    this.account(o.account).workingCount++;
    this.listeners.order(o);
    if (st.live) this.matchQuote(o, st.live);
  }

  private readonly slipper = (o: WorkingOrder, price: Fixed): Fixed => this.slip(o, price);

  private slip(o: WorkingOrder, price: Fixed): Fixed {
    if (this.slippageTicks === 0n) return price;
    const tick = this.book.symbol(o.symbol).instrument?.tickSize ?? 0n;
    return o.side === 'buy' ? price + tick * this.slippageTicks : price - tick * this.slippageTicks;
  }

  private matchQuote(o: WorkingOrder, live: LiveQuote): void {
    matchQuote(o, live, this.slipper, this.filler);
  }

  private readonly filler = (o: WorkingOrder, qty: Fixed, price: Fixed): Fixed => this.fill(o, qty, price);

  /** Executes `qty` of `o` at `price`; returns the qty actually filled (reduce-only may clip it). */
  private fill(o: WorkingOrder, wanted: Fixed, price: Fixed): Fixed {
    const acct = this.account(o.account);
    const book = this.positionBook(o.account, o.symbol);
    if (!book) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `no instrument for symbol ${o.symbol}`);
    let qty = wanted;
    if (o.reduceOnly) {
      const reduces = o.side === 'buy' ? book.qty < 0n : book.qty > 0n;
      if (!reduces) {
        this.finish(o, 'cancelled', 'reduce-only: no position to reduce');
        return 0n;
      }
      const held = book.qty < 0n ? -book.qty : book.qty;
      if (qty > held) qty = held;
    }
    const fee = this.feePerContract === 0n ? 0n : mul(this.feePerContract, qty);
    const fill = this.ledger.record(acct, book, o.orderId, o.side, qty, price, fee, this.now);
    addFill(o, qty, price, this.now);
    if (o.filledQty >= o.qty) this.finish(o, 'filled');
    else if (o.reduceOnly && book.qty === 0n)
      this.finish(o, 'cancelled', 'reduce-only: position closed, remainder cancelled');
    else this.listeners.order(o);
    this.listeners.fill(fill);
    if (o.ocoGroup !== undefined || o.bracket) afterFill(this.contingent, o, qty);
    return qty;
  }

  private finish(o: WorkingOrder, status: 'filled' | 'cancelled', reason?: string): void {
    o.status = status;
    o.reason = reason;
    o.updatedTs = this.now;
    if (this.book.remove(o)) this.account(o.account).workingCount--;
    this.onDone?.(o);
    this.listeners.order(o);
  }

  /** The exchange as OCO groups and brackets see it (contingent.ts). */
  private contingentVenue(): ContingentVenue {
    return {
      now: () => this.now,
      working: (symbol) => this.book.symbol(symbol).working,
      order: (orderId) => this.book.byId(orderId),
      cancel: (o, reason) => this.finish(o, 'cancelled', reason),
      changed: (o) => this.listeners.order(o),
      placeExit: (parent, req) => {
        const child = this.book.create(req, this.now, parent.orderId);
        this.account(parent.account).byKey.set(req.clientOrderId, child);
        parent.children.push(child.orderId);
        this.admit?.(child, true); // never a rejection: exits are not blocked
        this.activate(child);
      },
    };
  }

  private account(id: string): AccountBook {
    return this.ledger.account(id);
  }

  private own(account: string, orderId: string): WorkingOrder {
    const o = this.book.byId(orderId);
    if (!o || o.account !== account)
      throw new AppError('ERR_ORDER_UNKNOWN', `unknown order ${orderId} for account ${account}`);
    return o;
  }
}
