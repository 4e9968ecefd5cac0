/**
 * One account's trading day folded from its journal's events (DESIGN §4 objects): the fills with
 * their slippage, the unrealized P&L at the end of the day (or now) and the day's maximum drawdown.
 * Pure over the records it is given, in journal order; the day book of the engine supplies the
 * headline figures (realized, fees, breaches, rejections), this adds what the book does not keep.
 *
 * Slippage of a fill (issue 18) = how much worse than expected it filled, + when worse: expected
 * is the order's limit price (limit, stop-limit), its stop price (stop, trailing stop) or, for a
 * market order, the mark when it was placed. Buys fill worse above, sells below. Ticks are the
 * price difference over the tick size; money is the difference on the fill's quantity.
 */
import { div, formatFixed, parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import { applyFill, moneyForPoints, newPosition, unrealizedPnl, type Position } from '../domain/position.ts';
import type { Instrument } from '../domain/instrument.ts';
import { canonicalIsoMs } from '../domain/events.ts';

export interface LedgerFill {
  readonly ts: string;
  readonly orderId: string;
  readonly fillId?: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly orderType?: string;
  /** Undefined when no expected price is known (an order seen first at its fill, no mark yet). */
  readonly expectedPrice?: string;
  readonly slippageTicks?: string;
  readonly slippage?: string;
}

export interface DayLedgerResult {
  readonly fills: LedgerFill[];
  readonly unrealizedPnl: string;
  readonly maxDrawdown: string;
  readonly slippage: { readonly fills: number; readonly ticks: string; readonly money: string };
}

interface ExpectedOrder {
  orderType: string;
  expected: Fixed | undefined;
}

type Raw = Record<string, unknown>;

/** The price a fill is measured against: the limit (limit, stop-limit), the stop (stop, trailing stop), else `mark`. */
export function expectedPriceOf(
  orderType: string,
  price: string | undefined,
  stopPrice: string | undefined,
  mark: Fixed | undefined,
): Fixed | undefined {
  if ((orderType === 'limit' || orderType === 'stop_limit') && price) return parseFixed(price);
  if ((orderType === 'stop' || orderType === 'trailing_stop') && stopPrice) return parseFixed(stopPrice);
  return mark;
}

/** How much worse than expected a fill is (+ worse): in ticks, and in money on its quantity. */
export function slippageOf(
  side: 'buy' | 'sell',
  expected: Fixed,
  price: Fixed,
  qty: Fixed,
  instrument: Instrument,
): { ticks: Fixed; money: Fixed } {
  const worse = side === 'buy' ? price - expected : expected - price;
  return { ticks: div(worse, instrument.tickSize), money: moneyForPoints(worse, qty, instrument) };
}
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const qtyText = (v: unknown): string => (typeof v === 'number' ? String(v) : (str(v) ?? '0'));

export class DayLedger {
  private readonly marks = new Map<string, Fixed>();
  private readonly orders = new Map<string, ExpectedOrder>();
  private readonly positions = new Map<string, Position>();
  private readonly fills: LedgerFill[] = [];
  private dayNet = ZERO;
  private peak: Fixed | undefined;
  private drawdown = ZERO;
  private slipTicks = ZERO;
  private slipMoney = ZERO;
  private slipFills = 0;

  constructor(
    private readonly account: string,
    /** Trading-day bounds, epoch ms: [start, end). */
    private readonly start: number,
    private readonly end: number,
    private readonly instrumentOf: (symbol: string) => Instrument | undefined,
  ) {}

  /** Folds one journal event (any account: quotes and other accounts' fills move marks). */
  apply(e: Raw): void {
    const ts = str(e.ts);
    if (!ts) return;
    const t = canonicalIsoMs(ts);
    if (t >= this.end) return;
    if (t >= this.start) this.peak ??= this.equity(); // the day opens at the equity carried in
    switch (e.type) {
      case 'quote':
        this.onQuote(e, t);
        return;
      case 'order':
        if (e.account === this.account) this.onOrder(e);
        return;
      case 'order_update':
        if (e.account === this.account) this.onOrderUpdate(e);
        return;
      case 'fill':
        this.onFill(e, ts, t);
        return;
      default:
        return;
    }
  }

  result(): DayLedgerResult {
    this.peak ??= this.equity();
    return {
      fills: this.fills,
      unrealizedPnl: formatFixed(this.unrealized()),
      maxDrawdown: formatFixed(this.drawdown),
      slippage: { fills: this.slipFills, ticks: formatFixed(this.slipTicks), money: formatFixed(this.slipMoney) },
    };
  }

  private onQuote(e: Raw, t: number): void {
    const symbol = str(e.symbol);
    const last = str(e.last);
    const bid = str(e.bid);
    const ask = str(e.ask);
    if (!symbol) return;
    if (last) this.marks.set(symbol, parseFixed(last));
    else if (bid && ask) this.marks.set(symbol, (parseFixed(bid) + parseFixed(ask)) / 2n);
    else return;
    if (t >= this.start && this.positions.get(symbol)?.qty) this.track();
  }

  private onOrder(e: Raw): void {
    const orderId = str(e.orderId);
    const symbol = str(e.symbol);
    if (!orderId || !symbol) return;
    const orderType = str(e.orderType) ?? 'market';
    this.orders.set(orderId, { orderType, expected: this.expectedOf(orderType, e, this.marks.get(symbol)) });
  }

  private onOrderUpdate(e: Raw): void {
    const o = this.orders.get(str(e.orderId) ?? '');
    if (!o || o.orderType === 'market') return;
    o.expected = this.expectedOf(o.orderType, e, o.expected);
  }

  private expectedOf(orderType: string, e: Raw, fallback: Fixed | undefined): Fixed | undefined {
    return expectedPriceOf(orderType, str(e.price), str(e.stopPrice), fallback);
  }

  private onFill(e: Raw, ts: string, t: number): void {
    const symbol = str(e.symbol);
    const price = str(e.price);
    const side = e.side === 'sell' ? 'sell' : 'buy';
    if (!symbol || !price) return;
    const fillPrice = parseFixed(price);
    if (!this.marks.has(symbol) || e.account !== this.account) this.marks.set(symbol, fillPrice);
    if (e.account !== this.account) return;
    const instrument = this.instrumentOf(symbol);
    if (!instrument) return;
    const qty = parseFixed(qtyText(e.qty));
    const fee = str(e.fee) ? parseFixed(str(e.fee)!) : ZERO;
    let pos = this.positions.get(symbol);
    if (!pos) this.positions.set(symbol, (pos = newPosition(symbol, instrument)));
    const { realized } = applyFill(pos, side, qty, fillPrice, t);
    if (t < this.start) return;
    this.dayNet += realized - fee;
    this.fills.push(this.fillEntry(e, ts, side, qty, fillPrice, instrument));
    this.track();
  }

  private fillEntry(e: Raw, ts: string, side: 'buy' | 'sell', qty: Fixed, price: Fixed, inst: Instrument): LedgerFill {
    const orderId = str(e.orderId) ?? '';
    const order = this.orders.get(orderId);
    const base = {
      ts,
      orderId,
      ...(str(e.fillId) ? { fillId: str(e.fillId)! } : {}),
      symbol: str(e.symbol)!,
      side,
      qty: formatFixed(qty),
      price: formatFixed(price),
      fee: formatFixed(str(e.fee) ? parseFixed(str(e.fee)!) : ZERO),
      ...(order ? { orderType: order.orderType } : {}),
    };
    if (!order?.expected) return base;
    const { ticks, money } = slippageOf(side, order.expected, price, qty, inst);
    this.slipFills++;
    this.slipTicks += ticks;
    this.slipMoney += money;
    return {
      ...base,
      expectedPrice: formatFixed(order.expected),
      slippageTicks: formatFixed(ticks),
      slippage: formatFixed(money),
    };
  }

  private unrealized(): Fixed {
    let sum = ZERO;
    for (const [symbol, p] of this.positions) {
      const mark = this.marks.get(symbol);
      if (p.qty !== ZERO && mark !== undefined) sum += unrealizedPnl(p, mark);
    }
    return sum;
  }

  private equity(): Fixed {
    return this.dayNet + this.unrealized();
  }

  /** Drawdown of the day: the deepest fall of (day net realized + unrealized) from its high. */
  private track(): void {
    const eq = this.equity();
    if (this.peak === undefined || eq > this.peak) this.peak = eq;
    if (this.peak - eq > this.drawdown) this.drawdown = this.peak - eq;
  }
}
