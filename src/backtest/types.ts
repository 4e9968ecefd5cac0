/**
 * The backtest vocabulary: bars, the strategy interface (what a `--strategy file.ts` module
 * exports, see docs/backtest.md) and results. Prices are exact `Fixed`; statistics are numbers.
 */
import { formatFixed, type Fixed } from '../domain/money.ts';
import type { Order, OrderRequest, Quote } from '../adapters/broker.ts';

export interface Bar {
  /** Bar start, epoch ms UTC. */
  readonly ts: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly volume: Fixed | undefined;
  /**
   * The same prices as JS numbers (nearest double), made once at load time: for indicators and
   * other analytics, which may use numbers. Orders, fills and P&L always use the exact fields.
   */
  readonly num: BarNumbers;
}

export interface BarNumbers {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** NaN when the data has no volume. */
  readonly volume: number;
}

/** A bar from exact prices (numbers derived from them). */
export function makeBar(ts: number, open: Fixed, high: Fixed, low: Fixed, close: Fixed, volume?: Fixed): Bar {
  // Via the exact decimal text, so each number is the double nearest to the price (as parseFloat).
  const n = (x: Fixed) => Number(formatFixed(x));
  return {
    ts,
    open,
    high,
    low,
    close,
    volume,
    num: {
      open: n(open),
      high: n(high),
      low: n(low),
      close: n(close),
      volume: volume === undefined ? Number.NaN : n(volume),
    },
  };
}

export type Qty = Fixed | number | string;

/** An order from a strategy: the backtester fills in account, symbol and the idempotency key. */
export type StrategyOrder = Omit<OrderRequest, 'account' | 'symbol' | 'clientOrderId' | 'qty'> & {
  readonly qty?: Qty;
  readonly symbol?: string;
  readonly clientOrderId?: string;
};

export interface StrategyContext {
  readonly symbol: string;
  /** Index of the current bar (or quote) in the data. */
  readonly index: number;
  /** The bar `n` bars before the current one (0 = current); undefined before the start. No peeking ahead. */
  barsAgo(n: number): Bar | undefined;
  /** Signed position (+ long, − short). */
  readonly position: Fixed;
  /** Cash + unrealized P&L at the latest price. */
  readonly equity: Fixed;
  readonly params: Readonly<Record<string, string>>;
  /** Index of the bar on which the latest fill happened (-1 before any fill). */
  readonly lastFillIndex: number;
  /** Market buy / sell of `qty` (default 1), filling at the next bar's open (or the current quote). */
  buy(qty?: Qty): Order;
  sell(qty?: Qty): Order;
  /** Any order type: limit, stop, stop_limit, trailing_stop, OCO groups, brackets, reduce-only. */
  submit(order: StrategyOrder): Order;
  cancel(orderId: string): Order;
  cancelAll(): void;
  /** Market order (reduce-only) that flattens the position; undefined when flat. */
  closePosition(): Order | undefined;
  openOrders(): Order[];
  /** Number of working orders (cheaper than openOrders().length). */
  readonly pendingOrders: number;
}

export interface Strategy {
  onBar(bar: Bar, ctx: StrategyContext): void;
  /** Quote-driven backtests call this instead of onBar. */
  onQuote?(quote: Quote, ctx: StrategyContext): void;
}

export interface StrategyParamSpec {
  readonly default: string;
  readonly description: string;
}

/** What a strategy module exports (default export, or a named export `strategy`). */
export interface StrategyDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, StrategyParamSpec>>;
  create(params: Readonly<Record<string, string>>): Strategy;
}

/** One closed round trip (a FIFO lot portion), as printed in `--report json`. */
export interface TradeRecord {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly qty: number | string;
  readonly entryTime: string;
  readonly entryPrice: string;
  readonly exitTime: string;
  readonly exitPrice: string;
  /** Net: gross realized minus the fees of both fills attributed to this portion. */
  readonly pnl: string;
}

export interface BacktestStats {
  readonly trades: number;
  readonly netPnl: string;
  readonly totalReturnPct: number;
  readonly maxDrawdownPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly winRate: number;
  readonly profitFactor: number | null;
  readonly exposurePct: number;
  readonly cagrPct: number | null;
}

/** A rejected strategy order, one entry per rejecting rule (as in the replay report). */
export interface Rejection {
  readonly rule: string;
  /** ISO-8601 UTC time of the rejection. */
  readonly ts: string;
  readonly orderId: string;
  readonly reason: string;
}

/** First breach of a rule per trading day (the risk engine's day book, as in the replay report). */
export interface BreachRecord {
  /** Trading day label (YYYY-MM-DD in the config's timezone and reset time). */
  readonly day: string;
  readonly rule: string;
  readonly ts: string;
  readonly action: string;
  readonly symbol?: string;
  readonly until?: string;
}

/** When and why a backtest account stopped trading (its equity fell to 0 or below). */
export interface CapitalStopRecord {
  /** ISO-8601 UTC time of the mark that found the capital lost. */
  readonly ts: string;
  /** The equity at that mark (decimal string, ≤ 0). */
  readonly equity: string;
  readonly reason: string;
}

/** Equity marked at each bar's close: parallel arrays (no object per bar). */
export interface EquityCurve {
  readonly ts: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

export interface BacktestResult {
  readonly symbol: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  readonly capital: Fixed;
  readonly trades: TradeRecord[];
  readonly stats: BacktestStats;
  readonly bars: number;
  readonly equity: EquityCurve;
  readonly rejections: Rejection[];
  /** Whether the risk engine ran (a config was given): the reports then list rejections and breaches. */
  readonly risk: boolean;
  readonly breaches: BreachRecord[];
  /** Reduce-only orders the backtester placed to enforce close / trim decisions. */
  readonly enforcements: number;
  /** Set when the account lost its capital: it stopped trading there. */
  readonly stopped?: CapitalStopRecord;
}
