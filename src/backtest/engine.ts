/**
 * The backtester (DESIGN §5 `backtest`): feeds historical bars (or quotes) through the paper
 * matching engine and lets a strategy trade on them. Per bar, in this order:
 *   1. the paper engine fills working orders against the bar (market orders at its open),
 *   2. the strategy sees the completed bar and may place / cancel orders (they can only fill from
 *      the next bar on: a strategy deciding on a close never trades at that close),
 *   3. equity is marked at the bar's close.
 * After the last bar, working orders are cancelled and an open position is closed at the last
 * bar's close.
 *
 * With a riskgate config (or a `RiskEngine`) the risk engine runs inside the backtest, "with the
 * same rules" (risk-gate.ts): every order passes its pre-trade check, every fill and every bar
 * close is an engine event, and its close / trim / cancel decisions are enforced between step 1
 * and step 2 (enforce.ts). Without one, the optional `preTrade` hook is the only check.
 */
import { AppError } from '../errors.ts';
import { fromInt, parseFixed, type Fixed } from '../domain/money.ts';
import type { Instrument, Order, PreTradeHook, Quote } from '../adapters/broker.ts';
import type { PlaceRequest } from '../adapters/paper/order-state.ts';
import { PaperExchange, type AccountView, type SymbolState } from '../adapters/paper/exchange.ts';
import type { PositionBook, RoundTrip } from '../adapters/paper/positions.ts';
import { InstrumentTable } from '../adapters/paper/instruments.ts';
import type { RawConfig } from '../config/schema.ts';
import type { RiskEngine } from '../engine/risk-engine.ts';
import { isoOf } from '../domain/events.ts';
import { BacktestRiskGate, createBacktestEngine } from './risk-gate.ts';
import { enforceDecisions } from './enforce.ts';
import { computeStats } from './stats.ts';
import { toTradeRecord } from './trade-record.ts';
import { CapitalStop } from './capital-stop.ts';
import type { BacktestResult, Bar, Qty, Rejection, Strategy, StrategyContext, StrategyOrder } from './types.ts';

export interface BacktestOptions {
  readonly symbol: string;
  /** Defaults: the built-in table by root, else a point-value-1 instrument with tick 0.01. */
  readonly instrument?: Instrument;
  readonly capital?: Fixed;
  readonly slippageTicks?: number;
  readonly feePerContract?: Fixed;
  readonly preTrade?: PreTradeHook;
  /** Risk rules: a validated riskgate config (its engine runs in enforce mode), or an engine. */
  readonly config?: RawConfig;
  readonly riskEngine?: RiskEngine;
  /** The account the strategy trades as (per-account rule overrides of the config apply). */
  readonly account?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly strategyName?: string;
  /** Sharpe/Sortino annualisation; default: observed bars per year of the data. */
  readonly periodsPerYear?: number;
  /** Called every `progressEvery` bars (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
}

const DEFAULT_ACCOUNT = 'BACKTEST';

const ONE_LOT = fromInt(1);

/** A strategy's order quantity as an exact `Fixed` (default one unit). */
export function toQty(q: Qty | undefined): Fixed {
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
  readonly account: string;
  private readonly instrument: Instrument;
  /** The risk engine's seat in this run (created at the first bar: its clock starts there). */
  private gate: BacktestRiskGate | undefined;
  private readonly riskEngine: RiskEngine | undefined;
  private enforcements = 0;
  private readonly capitalStop = new CapitalStop();

  constructor(private readonly options: BacktestOptions) {
    this.symbol = options.symbol;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.riskEngine = options.riskEngine ?? (options.config ? createBacktestEngine(options.config) : undefined);
    this.capital = options.capital ?? fromInt(10000);
    const instruments = new InstrumentTable();
    const inst = options.instrument ??
      instruments.find(options.symbol) ?? {
        symbol: options.symbol,
        tickSize: parseFixed('0.01'),
        tickValue: parseFixed('0.01'),
        currency: 'USD',
      };
    this.instrument = { ...inst, symbol: options.symbol };
    instruments.add(this.instrument);
    const risky = this.riskEngine !== undefined;
    this.exchange = new PaperExchange({
      accounts: [{ id: this.account, balance: this.capital }],
      instruments,
      slippageTicks: options.slippageTicks,
      feePerContract: options.feePerContract,
      preTrade: options.preTrade,
      admit: risky ? (o) => this.gateAt(this.exchange.time).admit(o, this.exchange.time) : undefined,
      onDone: risky ? (o) => this.gate?.done(o) : undefined,
    });
    this.exchange.onFill(
      risky
        ? (f) => {
            this.lastFillIndex = this.index;
            this.gateAt(f.ts).fill(f);
          }
        : () => {
            this.lastFillIndex = this.index;
          },
    );
    this.symbolState = this.exchange.symbolState(this.symbol);
    this.accountView = this.exchange.accountView(this.account);
    this.book = this.exchange.positionBook(this.account, this.symbol) as PositionBook;
    this.ctx = this.makeContext(options.params ?? {});
  }

  private makeContext(params: Readonly<Record<string, string>>): StrategyContext {
    // The context's getters need the live session; an alias is clearer than binding each one.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const s = this;
    const ex = this.exchange;
    const place = (o: StrategyOrder, trusted: boolean): Order => {
      const req: PlaceRequest = {
        account: s.account,
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
      // Orders built here from valid parts (buy / sell / closePosition) skip re-validation.
      if (trusted && req.qty <= 0n)
        throw new AppError('ERR_INPUT_INVALID', `order.qty: must be a positive Fixed, got ${String(o.qty)}`);
      const placed = ex.place(req, trusted);
      // The risk engine lists its own rejections (one per rule); the plain hook's are listed here.
      if (placed.status === 'rejected' && s.gate === undefined) {
        const reason = placed.reason ?? 'rejected';
        const colon = reason.indexOf(':');
        s.rejections.push({
          rule: colon > 0 ? reason.slice(0, colon) : reason,
          ts: isoOf(ex.time),
          orderId: placed.orderId,
          reason,
        });
      }
      return placed;
    };
    const submit = (o: StrategyOrder): Order => place(o, false);
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
        return ex.equity(s.account);
      },
      barsAgo: (n) => (n >= 0 ? s.history[s.index - n] : undefined),
      buy: (qty) => place({ side: 'buy', type: 'market', qty }, true),
      sell: (qty) => place({ side: 'sell', type: 'market', qty }, true),
      submit,
      cancel: (id) => ex.cancel(s.account, id),
      cancelAll: () => {
        for (const o of ex.openOrders(s.account)) ex.cancel(s.account, o.orderId);
      },
      closePosition: () => {
        const p = ex.positionQty(s.account, s.symbol);
        if (p === 0n) return undefined;
        return place({ side: p > 0n ? 'sell' : 'buy', type: 'market', qty: p > 0n ? p : -p, reduceOnly: true }, true);
      },
      openOrders: () => ex.openOrders(s.account),
      get pendingOrders() {
        return s.accountView.workingCount;
      },
    };
  }

  /** The risk gate, created on first use at the data's first time (the engine's clock starts there). */
  private gateAt(t: number): BacktestRiskGate {
    if (this.gate === undefined) {
      // Only reached when the run has a risk engine (the exchange hooks are set only then).
      const engine = this.riskEngine as RiskEngine;
      this.gate = new BacktestRiskGate(engine, this.account, this.instrument, this.capital, t);
    }
    return this.gate;
  }

  /** Carries out the risk engine's pending close / trim / cancel decisions (enforce.ts). */
  private enforce(gate: BacktestRiskGate): void {
    const decisions = gate.pending.splice(0, gate.pending.length);
    this.enforcements += enforceDecisions(this.exchange, this.account, decisions);
  }

  private readonly quoteTs: number[] = [];
  private readonly quoteEquity: number[] = [];

  private mark(ts: number): void {
    const e = this.exchange.equity(this.account);
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
    const symbol = this.symbol;
    const gate = this.riskEngine !== undefined && n > 0 ? this.gateAt((bars[0] as Bar).ts) : undefined;
    const stop = this.capitalStop;
    let exposed = 0;
    for (let i = 0; i < n; i++) {
      const bar = bars[i] as Bar;
      this.index = i;
      ex.onSymbolBar(st, bar);
      if (gate !== undefined) {
        // The bar's close reaches the risk engine before the strategy decides on it; decisions
        // taken on the fills and on the close are enforced first (their orders fill next bar).
        gate.close(symbol, bar.close, bar.ts);
        if (gate.pending.length > 0) this.enforce(gate);
      }
      // The strategy's orders fill from the next bar on: this bar's equity is the same before and after it.
      let q = book.qtyNum;
      let e = q === 0 ? acct.balanceNum : acct.balanceNum + book.unrealizedNum(bar.num.close);
      if (stop.record === undefined && !stop.check(ex, this.account, symbol, e, bar.close, bar.ts))
        strategy.onBar(bar, ctx);
      else if (q !== 0) {
        q = book.qtyNum; // closed by the stop
        e = acct.balanceNum;
      }
      times[i] = bar.ts;
      equity[i] = e;
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
    return this.exchange.roundTrips(this.account);
  }

  runQuotes(quotes: Iterable<Quote>, strategy: Strategy, total?: number): BacktestResult {
    const every = this.options.progressEvery ?? 1000;
    const progress = this.options.onProgress;
    let n = 0;
    let lastMark: Fixed | undefined;
    let lastTs = 0;
    for (const q of quotes) {
      this.index = n++;
      this.exchange.onQuote(q);
      if (this.riskEngine !== undefined) {
        const gate = this.gateAt(q.ts);
        gate.quote(q);
        if (gate.pending.length > 0) this.enforce(gate);
      }
      lastMark = q.last ?? (q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2n : lastMark);
      if (!this.stoppedAt(lastMark, q.ts)) strategy.onQuote?.(q, this.ctx);
      this.mark(q.ts);
      lastTs = q.ts;
      if (progress !== undefined && n % every === 0) progress(n, total ?? n);
    }
    progress?.(n, total ?? n);
    this.equityTs = this.quoteTs;
    this.equityValues = this.quoteEquity;
    if (lastMark !== undefined) this.closeOut(lastMark, lastTs);
    return this.result(n);
  }

  /** Whether the account has stopped (checked at a quote's mark: see capital-stop.ts). */
  private stoppedAt(mark: Fixed | undefined, ts: number): boolean {
    const stop = this.capitalStop;
    if (stop.record !== undefined) return true;
    if (mark === undefined) return false;
    return stop.check(
      this.exchange,
      this.account,
      this.symbol,
      Number(this.exchange.equity(this.account)) / 1e18,
      mark,
      ts,
    );
  }

  /** End of data: cancel what is working and close the position at the last price. */
  private closeOut(price: Fixed, ts: number): void {
    this.exchange.flatten(this.account, this.symbol, price, ts);
    // Replace the last equity mark with the flattened account (fees of the close included).
    if (this.equityValues.length > 0)
      this.equityValues[this.equityValues.length - 1] = Number(this.exchange.equity(this.account)) / 1e18;
  }

  /** Trade records and statistics of the run (report formatting: not part of the timed loop). */
  result(count: number): BacktestResult {
    const roundTrips = this.exchange.roundTrips(this.account);
    const trades = roundTrips.map(toTradeRecord);
    const finalEquity = this.exchange.equity(this.account);
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
      rejections: this.gate
        ? this.gate.rejections.map((r) => ({ rule: r.rule, ts: isoOf(r.t), orderId: r.orderId, reason: r.reason }))
        : this.rejections,
      risk: this.riskEngine !== undefined,
      breaches: this.gate?.breaches() ?? [],
      enforcements: this.enforcements,
      ...(this.capitalStop.record ? { stopped: this.capitalStop.record } : {}),
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
  if (!strategy.onQuote) {
    const name = options.strategyName === undefined ? 'the strategy' : `strategy ${options.strategyName}`;
    throw new AppError(
      'ERR_BACKTEST_INPUT',
      `${name} has no onQuote: quote data needs a strategy that trades on quotes`,
    );
  }
  return new BacktestSession(options).runQuotes(quotes, strategy, Array.isArray(quotes) ? quotes.length : undefined);
}
