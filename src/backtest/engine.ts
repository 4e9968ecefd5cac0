/**
 * The backtester (DESIGN §5 `backtest`): feeds historical bars (or quotes) through the paper
 * matching engine and lets a strategy trade on them. Per bar, in this order:
 *   1. the paper engine fills working orders against the bar (market orders at its open),
 *   2. the strategy sees the completed bar and may place / cancel orders (they can only fill from
 *      the next bar on: a strategy deciding on a close never trades at that close),
 *   3. equity is marked at the bar's close.
 * After the last bar, working orders are cancelled and an open position is closed at the last
 * bar's close. Every new order passes the pre-trade hook first (default: allow all) — the engine
 * kernel plugs the risk engine in here, so backtests run "with the same rules".
 */
import { AppError } from '../errors.ts';
import { fromInt, parseFixed, type Fixed } from '../domain/money.ts';
import type { Instrument, Order, PreTradeHook, Quote } from '../adapters/broker.ts';
import type { PlaceRequest } from '../adapters/paper/order-state.ts';
import { PaperExchange, type AccountView, type SymbolState } from '../adapters/paper/exchange.ts';
import type { PositionBook, RoundTrip } from '../adapters/paper/positions.ts';
import { InstrumentTable } from '../adapters/paper/instruments.ts';
import { computeStats } from './stats.ts';
import { toTradeRecord } from './trade-record.ts';
import type { BacktestResult, Bar, Qty, Rejection, Strategy, StrategyContext, StrategyOrder } from './types.ts';

export interface BacktestOptions {
  readonly symbol: string;
  /** Defaults: the built-in table by root, else a point-value-1 instrument with tick 0.01. */
  readonly instrument?: Instrument;
  readonly capital?: Fixed;
  readonly slippageTicks?: number;
  readonly feePerContract?: Fixed;
  readonly preTrade?: PreTradeHook;
  readonly params?: Readonly<Record<string, string>>;
  readonly strategyName?: string;
  /** Sharpe/Sortino annualisation; default: observed bars per year of the data. */
  readonly periodsPerYear?: number;
  /** Called every `progressEvery` bars (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
}

const ACCOUNT = 'BACKTEST';

const ONE_LOT = fromInt(1);

function toQty(q: Qty | undefined): Fixed {
  if (q === undefined || q === 1) return ONE_LOT;
  if (typeof q === 'bigint') return q;
  if (typeof q === 'number' && Number.isSafeInteger(q)) return fromInt(q);
  try {
    return parseFixed(String(q));
  } catch {
    throw new AppError('ERR_BACKTEST_INPUT', `strategy order qty is not a decimal: ${String(q)}`);
  }
}

/** One backtest run: the exchange, the strategy's context and the equity record. */
export class BacktestSession {
  readonly exchange: PaperExchange;
  private readonly symbol: string;
  private index = -1;
  private lastFillIndex = -1;
  private readonly capital: Fixed;
  private equityTs: number[] | Float64Array = [];
  private equityValues: number[] | Float64Array = [];
  private readonly symbolState: SymbolState;
  private readonly accountView: AccountView;
  private readonly book: PositionBook;
  private exposedBars = 0;
  private readonly rejections: Rejection[] = [];
  private history: readonly Bar[] = [];
  readonly ctx: StrategyContext;

  constructor(private readonly options: BacktestOptions) {
    this.symbol = options.symbol;
    this.capital = options.capital ?? fromInt(10000);
    const instruments = new InstrumentTable();
    const inst = options.instrument ??
      instruments.find(options.symbol) ?? {
        symbol: options.symbol,
        tickSize: parseFixed('0.01'),
        tickValue: parseFixed('0.01'),
        currency: 'USD',
      };
    instruments.add({ ...inst, symbol: options.symbol });
    this.exchange = new PaperExchange({
      accounts: [{ id: ACCOUNT, balance: this.capital }],
      instruments,
      slippageTicks: options.slippageTicks,
      feePerContract: options.feePerContract,
      preTrade: options.preTrade,
    });
    this.exchange.onFill(() => {
      this.lastFillIndex = this.index;
    });
    this.symbolState = this.exchange.symbolState(this.symbol);
    this.accountView = this.exchange.accountView(ACCOUNT);
    this.book = this.exchange.positionBook(ACCOUNT, this.symbol) as PositionBook;
    this.ctx = this.makeContext(options.params ?? {});
  }

  private makeContext(params: Readonly<Record<string, string>>): StrategyContext {
    // The context's getters need the live session; an alias is clearer than binding each one.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const s = this;
    const ex = this.exchange;
    const submit = (o: StrategyOrder): Order => {
      const req: PlaceRequest = {
        account: ACCOUNT,
        clientOrderId: o.clientOrderId, // none: the order id is the key (nothing can retry it)
        symbol: o.symbol ?? s.symbol,
        side: o.side,
        qty: toQty(o.qty),
        type: o.type,
        limitPrice: o.limitPrice,
        stopPrice: o.stopPrice,
        trailAmount: o.trailAmount,
        reduceOnly: o.reduceOnly,
        ocoGroup: o.ocoGroup,
        bracket: o.bracket,
      };
      const placed = ex.place(req);
      if (placed.status === 'rejected')
        s.rejections.push({
          time: new Date(ex.time).toISOString(),
          clientOrderId: placed.clientOrderId,
          reason: placed.reason ?? 'rejected',
        });
      return placed;
    };
    return {
      symbol: s.symbol,
      params,
      get index() {
        return s.index;
      },
      get lastFillIndex() {
        return s.lastFillIndex;
      },
      get position() {
        return s.book.qty;
      },
      get equity() {
        return ex.equity(ACCOUNT);
      },
      barsAgo: (n) => (n >= 0 ? s.history[s.index - n] : undefined),
      buy: (qty) => submit({ side: 'buy', type: 'market', qty }),
      sell: (qty) => submit({ side: 'sell', type: 'market', qty }),
      submit,
      cancel: (id) => ex.cancel(ACCOUNT, id),
      cancelAll: () => {
        for (const o of ex.openOrders(ACCOUNT)) ex.cancel(ACCOUNT, o.orderId);
      },
      closePosition: () => {
        const p = ex.positionQty(ACCOUNT, s.symbol);
        if (p === 0n) return undefined;
        return submit({ side: p > 0n ? 'sell' : 'buy', type: 'market', qty: p > 0n ? p : -p, reduceOnly: true });
      },
      openOrders: () => ex.openOrders(ACCOUNT),
      get pendingOrders() {
        return s.accountView.workingCount;
      },
    };
  }

  private readonly quoteTs: number[] = [];
  private readonly quoteEquity: number[] = [];

  private mark(ts: number): void {
    const e = this.exchange.equity(ACCOUNT);
    this.quoteTs.push(ts);
    this.quoteEquity.push(Number(e) / 1e18);
    if (this.book.qty !== 0n) this.exposedBars++;
  }

  runBars(bars: readonly Bar[], strategy: Strategy): BacktestResult {
    return this.result(this.simulateBars(bars, strategy));
  }

  /**
   * The simulation alone (the bench times this): every bar through the matching engine and the
   * strategy, equity marked, the position closed out at the end. Returns the number of bars.
   */
  simulateBars(bars: readonly Bar[], strategy: Strategy): number {
    this.history = bars;
    const every = this.options.progressEvery ?? 1000;
    const progress = this.options.onProgress;
    const n = bars.length;
    // The hot loop: no bigint arithmetic and no lookups per bar, only when orders work or fill.
    // Typed arrays: their storage is off the JS heap, so the GC never copies them.
    const times = new Float64Array(n);
    const equity = new Float64Array(n);
    const ex = this.exchange;
    const st = this.symbolState;
    const acct = this.accountView;
    const book = this.book;
    const ctx = this.ctx;
    let exposed = 0;
    for (let i = 0; i < n; i++) {
      const bar = bars[i] as Bar;
      this.index = i;
      ex.onSymbolBar(st, bar);
      strategy.onBar(bar, ctx);
      const q = book.qtyNum;
      times[i] = bar.ts;
      equity[i] = q === 0 ? acct.balanceNum : acct.balanceNum + book.unrealizedNum(bar.num.close);
      if (q !== 0) exposed++;
      if (progress !== undefined && (i + 1) % every === 0) progress(i + 1, n);
    }
    this.equityTs = times;
    this.equityValues = equity;
    this.exposedBars = exposed;
    const last = bars[bars.length - 1];
    if (last) this.closeOut(last.close, last.ts);
    progress?.(bars.length, bars.length);
    return n;
  }

  /** Round trips closed so far (exact values; `result()` formats them as trade records). */
  roundTrips(): readonly RoundTrip[] {
    return this.exchange.roundTrips(ACCOUNT);
  }

  runQuotes(quotes: Iterable<Quote>, strategy: Strategy): BacktestResult {
    let n = 0;
    let lastMark: Fixed | undefined;
    let lastTs = 0;
    for (const q of quotes) {
      this.index = n++;
      this.exchange.onQuote(q);
      strategy.onQuote?.(q, this.ctx);
      this.mark(q.ts);
      lastMark = q.last ?? (q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2n : lastMark);
      lastTs = q.ts;
    }
    this.equityTs = this.quoteTs;
    this.equityValues = this.quoteEquity;
    if (lastMark !== undefined) this.closeOut(lastMark, lastTs);
    return this.result(n);
  }

  /** End of data: cancel what is working and close the position at the last price. */
  private closeOut(price: Fixed, ts: number): void {
    this.exchange.flatten(ACCOUNT, this.symbol, price, ts);
    // Replace the last equity mark with the flattened account (fees of the close included).
    if (this.equityValues.length > 0)
      this.equityValues[this.equityValues.length - 1] = Number(this.exchange.equity(ACCOUNT)) / 1e18;
  }

  /** Trade records and statistics of the run (report formatting: not part of the timed loop). */
  result(count: number): BacktestResult {
    const roundTrips = this.exchange.roundTrips(ACCOUNT);
    const trades = roundTrips.map(toTradeRecord);
    const finalEquity = this.exchange.equity(ACCOUNT);
    const stats = computeStats({
      capital: this.capital,
      finalEquity,
      equity: this.equityValues,
      times: this.equityTs,
      tradePnls: roundTrips.map((t) => Number(t.grossPnl - t.fees) / 1e18),
      exposedBars: this.exposedBars,
      periodsPerYear: this.options.periodsPerYear,
    });
    return {
      symbol: this.symbol,
      strategy: this.options.strategyName ?? 'custom',
      params: this.ctx.params,
      capital: this.capital,
      trades,
      stats,
      bars: count,
      equity: { ts: this.equityTs, values: this.equityValues },
      rejections: this.rejections,
    };
  }
}

export function runBacktest(bars: readonly Bar[], strategy: Strategy, options: BacktestOptions): BacktestResult {
  return new BacktestSession(options).runBars(bars, strategy);
}

export function runQuoteBacktest(
  quotes: Iterable<Quote>,
  strategy: Strategy,
  options: BacktestOptions,
): BacktestResult {
  return new BacktestSession(options).runQuotes(quotes, strategy);
}
