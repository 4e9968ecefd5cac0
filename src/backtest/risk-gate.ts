/**
 * The risk engine inside a backtest (DESIGN §5 "with the same rules"): the same `RiskEngine` the
 * gateway runs, fed from the paper exchange. Every order the exchange is about to work becomes an
 * order event (the engine's pre-trade check decides it; rejected orders never work), every paper
 * fill a fill event and every bar close a quote event (`last` = close). The engine's decisions
 * are queued and enforced by the backtester between bars (`BacktestSession.enforce`).
 *
 * Events are built here, not parsed: their parts come from the exchange, already exact and valid.
 * Their ISO `ts` is computed only when the engine asks for it (a breach or rejection), so the
 * per-bar path does no date formatting.
 */
import type { Fixed } from '../domain/money.ts';
import { isoOf, type FillEvent, type OrderEvent, type OrderStatusEvent, type QuoteEvent } from '../domain/events.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { Decision } from '../engine/decision.ts';
import type { RiskEngine } from '../engine/risk-engine.ts';
import { firstBreachesByDay } from '../engine/views.ts';
import type { RawConfig } from '../config/schema.ts';
import { createEngine } from '../engine/factory.ts';
import type { Fill, Quote } from '../adapters/broker.ts';
import type { WorkingOrder } from '../adapters/paper/order-state.ts';
import type { BreachRecord } from './types.ts';

/** One pre-trade rejection, as listed in the backtest result (one entry per rejecting rule). */
export interface RiskRejection {
  readonly rule: string;
  readonly t: number;
  readonly orderId: string;
  readonly reason: string;
}

/**
 * The risk engine of a backtest: what `createEngine(config, 'enforce')` (src/engine/factory.ts)
 * builds, without end-of-day summary decisions (a backtest journals nothing; its result lists the
 * days' breaches and rejections from the engine's day book).
 */
export function createBacktestEngine(config: RawConfig): RiskEngine {
  return createEngine(config, 'enforce', { endOfDaySummaries: false });
}

/** Base of the events built here: `ts` is formatted on demand. */
class Timed {
  constructor(readonly t: number) {}
  get ts(): string {
    return isoOf(this.t);
  }
}

class MarketQuote extends Timed implements QuoteEvent {
  readonly type = 'quote' as const;
  constructor(
    t: number,
    readonly symbol: string,
    readonly bid: Fixed | undefined,
    readonly ask: Fixed | undefined,
    readonly last: Fixed | undefined,
  ) {
    super(t);
  }
}

class PaperFill extends Timed implements FillEvent {
  readonly type = 'fill' as const;
  readonly account: string;
  readonly orderId: string;
  readonly fillId: string;
  readonly symbol: string;
  readonly side: FillEvent['side'];
  readonly qty: Fixed;
  readonly price: Fixed;
  readonly fee: Fixed;
  constructor(f: Fill) {
    super(f.ts);
    this.account = f.account;
    this.orderId = f.orderId;
    this.fillId = f.fillId;
    this.symbol = f.symbol;
    this.side = f.side;
    this.qty = f.qty;
    this.price = f.price;
    this.fee = f.fee;
  }
}

class PaperOrder extends Timed implements OrderEvent {
  readonly type = 'order' as const;
  readonly account: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderEvent['side'];
  readonly qty: Fixed;
  readonly orderType: OrderEvent['orderType'];
  readonly price: Fixed | undefined;
  readonly stopPrice: Fixed | undefined;
  readonly reduceOnly: boolean;
  constructor(o: WorkingOrder, t: number) {
    super(t);
    this.account = o.account;
    this.orderId = o.orderId;
    this.symbol = o.symbol;
    this.side = o.side;
    this.qty = o.qty - o.filledQty;
    this.orderType = o.type;
    this.price = o.limitPrice;
    // A bracket's stop-loss is the entry's attached stop (what RULE-015 measures the loss to).
    this.stopPrice = o.stopPrice ?? o.bracket?.stopLoss;
    this.reduceOnly = o.reduceOnly;
  }
}

class OrderDone extends Timed implements OrderStatusEvent {
  readonly type = 'order_status' as const;
  constructor(
    t: number,
    readonly account: string,
    readonly orderId: string,
    readonly status: OrderStatusEvent['status'],
  ) {
    super(t);
  }
}

export class BacktestRiskGate {
  /** Decisions not yet enforced (breaches with close / trim / cancel / move-stop outcomes). */
  readonly pending: Decision[] = [];
  readonly rejections: RiskRejection[] = [];
  /** Orders the engine knows as working: only those get an order_status when they finish. */
  private readonly known = new Set<string>();
  private time = 0;

  constructor(
    readonly engine: RiskEngine,
    readonly account: string,
    instrument: Instrument | readonly Instrument[],
    capital: Fixed,
    startTs: number,
  ) {
    // The backtest's instruments win over the engine's table, so both books value P&L alike.
    for (const i of Array.isArray(instrument) ? instrument : [instrument])
      engine.process({
        type: 'instrument',
        t: startTs,
        ts: isoOf(startTs),
        symbol: i.symbol,
        tickSize: i.tickSize,
        tickValue: i.tickValue,
        currency: i.currency,
      });
    engine.process({ type: 'account', t: startTs, ts: isoOf(startTs), account, canTrade: true, balance: capital });
    this.time = startTs;
  }

  /**
   * The exchange's order gate: the order becomes an order event and goes through the engine's
   * pre-trade check (`process` → `preTrade`, so the engine's day book lists rejections as a
   * replay would). A rejection keeps the order off the book. Reduce-only and risk-reducing orders
   * are never rejected by the engine: exits are not blocked.
   */
  admit(o: WorkingOrder, t: number): string | undefined {
    this.time = t;
    const decisions = this.engine.process(new PaperOrder(o, t));
    let reasons: string | undefined;
    for (const d of decisions) {
      if (d.kind === 'rejection' && d.orderId === o.orderId) {
        this.rejections.push({ rule: d.rule, t, orderId: o.orderId, reason: d.reason });
        reasons = reasons === undefined ? `${d.rule}: ${d.reason}` : `${reasons}; ${d.rule}: ${d.reason}`;
      } else if (d.kind === 'breach' || d.kind === 'stop_move') this.pending.push(d);
    }
    if (reasons === undefined) {
      this.known.add(o.orderId);
      return undefined;
    }
    // Withdrawn at once, so the rejected order never counts as working in the engine.
    this.engine.process(new OrderDone(t, this.account, o.orderId, 'rejected'));
    return reasons;
  }

  fill(f: Fill): void {
    this.time = f.ts;
    this.collect(this.engine.process(new PaperFill(f)));
  }

  /** An order left the book: cancelled orders must stop counting as working in the engine. */
  done(o: WorkingOrder): void {
    if (!this.known.delete(o.orderId)) return;
    if (o.status === 'filled') return; // the engine drops filled orders on their last fill
    this.engine.process(new OrderDone(this.time, this.account, o.orderId, 'cancelled'));
  }

  /** A bar's close as a quote (marks positions; quote-driven rules evaluate). */
  close(symbol: string, price: Fixed, t: number): void {
    this.time = t;
    this.collect(this.engine.process(new MarketQuote(t, symbol, undefined, undefined, price)));
  }

  /** A quote of a quote-driven backtest. */
  quote(q: Quote): void {
    this.time = q.ts;
    this.collect(this.engine.process(new MarketQuote(q.ts, q.symbol, q.bid, q.ask, q.last)));
  }

  private collect(decisions: Decision[]): void {
    for (const d of decisions) if (d.kind === 'breach' || d.kind === 'stop_move') this.pending.push(d);
  }

  /** First breach per rule per trading day, in time order (the engine's day book). */
  breaches(): BreachRecord[] {
    return firstBreachesByDay(this.engine, this.account);
  }
}
