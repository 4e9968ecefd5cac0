/**
 * Multi-instrument backtests (docs/backtest.md "Several instruments"): one account trades several
 * symbols at once through one paper exchange and one risk engine, so account-wide rules (daily
 * loss, open contracts, …) see every symbol together. The bars of all symbols are merged on one
 * timeline by time; at each time, for the symbols with a bar there, in the order of the feeds:
 *   1. the paper engine fills their working orders against their bars,
 *   2. their closes reach the risk engine; its decisions are enforced,
 *   3. each symbol's strategy (one instance per symbol) sees its bar,
 *   4. the account's equity is marked (every open position at its symbol's latest close).
 * After the last time, working orders are cancelled and each position closes at its last close.
 * Quotes (`runQuotes`) step one quote at a time, each for its own symbol.
 */
import { fromInt, parseFixed, type Fixed } from '../domain/money.ts';
import type { Instrument, Quote } from '../adapters/broker.ts';
import { PaperExchange, type AccountView, type SymbolState } from '../adapters/paper/exchange.ts';
import type { PositionBook, RoundTrip } from '../adapters/paper/positions.ts';
import { InstrumentTable } from '../adapters/paper/instruments.ts';
import { isoOf } from '../domain/events.ts';
import { AppError } from '../errors.ts';
import type { BacktestOptions } from './engine.ts';
import { legContext } from './portfolio-context.ts';
import { BacktestRiskGate, createBacktestEngine } from './risk-gate.ts';
import { enforceDecisions } from './enforce.ts';
import { computeStats } from './stats.ts';
import { toTradeRecord } from './trade-record.ts';
import { CapitalStop } from './capital-stop.ts';
import type { BacktestResult, BacktestStats, Bar, Strategy, StrategyContext } from './types.ts';

export interface SymbolFeed {
  readonly symbol: string;
  /** The symbol's bars (empty in a quote run). */
  readonly bars: readonly Bar[];
  /** Default: the built-in table by root, else a point-value-1 instrument with tick 0.01. */
  readonly instrument?: Instrument | undefined;
}

export type PortfolioOptions = Omit<BacktestOptions, 'symbol' | 'instrument' | 'preTrade'>;

/** One symbol's share of a portfolio run. */
export interface SymbolSummary {
  /** Bars (or quotes) of this symbol. */
  readonly bars: number;
  /**
   * The backtest stats of this symbol's P&L on the account's capital: its equity is the capital
   * plus the symbol's closed trades' net P&L plus its open position's unrealized P&L (entry fees
   * of an open position count when it closes); exposure is over the portfolio's timeline.
   */
  readonly stats: BacktestStats;
}

export interface PortfolioResult extends BacktestResult {
  /** Per symbol, in the order of the feeds. */
  readonly symbols: Readonly<Record<string, SymbolSummary>>;
}

/** A feed's place in the run: its cursor, its strategy, its position and its P&L so far. */
export interface Leg {
  readonly feed: SymbolFeed;
  readonly symbol: string;
  readonly state: SymbolState;
  readonly book: PositionBook;
  readonly strategy: Strategy;
  ctx: StrategyContext;
  /** Index of this symbol's current bar (-1 before its first). */
  index: number;
  lastFillIndex: number;
  /** The latest price of the symbol (bar close or quote mark), as exact and as number, and its time. */
  mark: Fixed | undefined;
  markNum: number;
  markTs: number;
  realizedNum: number;
  realizedExact: Fixed;
  tradePnls: number[];
  curve: Float64Array;
  exposed: number;
}

function resolveInstrument(table: InstrumentTable, feed: SymbolFeed): Instrument {
  const inst = feed.instrument ??
    table.find(feed.symbol) ?? {
      symbol: feed.symbol,
      tickSize: parseFixed('0.01'),
      tickValue: parseFixed('0.01'),
      currency: 'USD',
    };
  return { ...inst, symbol: feed.symbol };
}

/** The times of all feeds' bars, merged and without duplicates. */
function timeline(feeds: readonly SymbolFeed[]): Float64Array {
  const all = new Set<number>();
  for (const f of feeds) for (const b of f.bars) all.add(b.ts);
  return Float64Array.from(all).sort();
}

export class PortfolioSession {
  readonly exchange: PaperExchange;
  readonly account: string;
  private readonly capital: Fixed;
  private readonly legs: Leg[];
  private readonly bySymbol = new Map<string, Leg>();
  private readonly accountView: AccountView;
  private readonly gate: BacktestRiskGate | undefined;
  private readonly risky: boolean;
  private readonly stop = new CapitalStop();
  private enforcements = 0;
  private tripsSeen = 0;

  constructor(
    feeds: readonly SymbolFeed[],
    makeStrategy: (symbol: string) => Strategy,
    private readonly options: PortfolioOptions,
    /** When the risk engine's clock starts (default: the first bar's time). */
    startTs?: number,
  ) {
    if (feeds.length === 0) throw new AppError('ERR_BACKTEST_INPUT', 'a portfolio backtest needs at least one symbol');
    const seen = new Set<string>();
    for (const f of feeds) {
      if (seen.has(f.symbol)) throw new AppError('ERR_BACKTEST_INPUT', `symbol ${f.symbol} is given twice`);
      seen.add(f.symbol);
    }
    this.account = options.account ?? 'BACKTEST';
    this.capital = options.capital ?? fromInt(10000);
    const engine = options.riskEngine ?? (options.config ? createBacktestEngine(options.config) : undefined);
    this.risky = engine !== undefined;
    const table = new InstrumentTable();
    const instruments = feeds.map((f) => resolveInstrument(table, f));
    for (const i of instruments) table.add(i);
    const first = startTs ?? Math.min(...feeds.map((f) => f.bars[0]?.ts ?? Number.POSITIVE_INFINITY));
    this.gate =
      engine === undefined || !Number.isFinite(first)
        ? undefined
        : new BacktestRiskGate(engine, this.account, instruments, this.capital, first);
    this.exchange = new PaperExchange({
      accounts: [{ id: this.account, balance: this.capital }],
      instruments: table,
      slippageTicks: options.slippageTicks,
      feePerContract: options.feePerContract,
      admit: this.gate ? (o) => this.gate?.admit(o, this.exchange.time) : undefined,
      onDone: this.gate ? (o) => this.gate?.done(o) : undefined,
    });
    this.exchange.onFill((f) => {
      const leg = this.bySymbol.get(f.symbol);
      if (leg) leg.lastFillIndex = leg.index;
      this.gate?.fill(f);
    });
    this.accountView = this.exchange.accountView(this.account);
    const params = options.params ?? {};
    this.legs = feeds.map((feed) => this.leg(feed, makeStrategy(feed.symbol), params));
  }

  private leg(feed: SymbolFeed, strategy: Strategy, params: Readonly<Record<string, string>>): Leg {
    const leg: Leg = {
      feed,
      symbol: feed.symbol,
      state: this.exchange.symbolState(feed.symbol),
      book: this.exchange.positionBook(this.account, feed.symbol) as PositionBook,
      strategy,
      ctx: undefined as unknown as StrategyContext,
      index: -1,
      lastFillIndex: -1,
      mark: undefined,
      markNum: 0,
      markTs: 0,
      realizedNum: 0,
      realizedExact: 0n,
      tradePnls: [],
      curve: new Float64Array(0),
      exposed: 0,
    };
    leg.ctx = legContext(this.exchange, this.account, leg, params);
    this.bySymbol.set(feed.symbol, leg);
    return leg;
  }

  /** Every bar of every feed, in time order; returns the result. */
  run(): PortfolioResult {
    const times = timeline(this.legs.map((l) => l.feed));
    const n = times.length;
    const rec = this.recorder(n);
    const stepping: Leg[] = [];
    for (let i = 0; i < n; i++) {
      const t = times[i] as number;
      stepping.length = 0;
      for (const leg of this.legs) if (leg.feed.bars[leg.index + 1]?.ts === t) stepping.push(leg);
      for (const leg of stepping) {
        leg.index++;
        const bar = leg.feed.bars[leg.index] as Bar;
        leg.mark = bar.close;
        leg.markNum = bar.num.close;
        leg.markTs = bar.ts;
        this.exchange.onSymbolBar(leg.state, bar);
      }
      if (this.gate !== undefined) for (const leg of stepping) this.gate.close(leg.symbol, leg.mark as Fixed, t);
      this.enforce();
      if (!this.stop.checkMarks(this.exchange, this.account, this.equityNum(), this.marks(), t))
        for (const leg of stepping) leg.strategy.onBar(leg.feed.bars[leg.index] as Bar, leg.ctx);
      rec.mark(i);
    }
    return rec.finish(times);
  }

  /**
   * Quotes of the feeds' symbols (others are skipped), in time order: each quote fills its
   * symbol's working orders, reaches the risk engine, is shown to its symbol's strategy
   * (`onQuote`), and marks the account's equity.
   */
  runQuotes(all: readonly Quote[]): PortfolioResult {
    if (this.legs.some((l) => l.strategy.onQuote === undefined)) {
      const name = this.options.strategyName === undefined ? 'the strategy' : `strategy ${this.options.strategyName}`;
      throw new AppError(
        'ERR_BACKTEST_INPUT',
        `${name} has no onQuote: quote data needs a strategy that trades on quotes`,
      );
    }
    const quotes = all.filter((q) => this.bySymbol.has(q.symbol));
    const n = quotes.length;
    const rec = this.recorder(n);
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const q = quotes[i] as Quote;
      const leg = this.bySymbol.get(q.symbol) as Leg;
      leg.index++;
      times[i] = q.ts;
      this.exchange.onQuote(q);
      this.gate?.quote(q);
      this.enforce();
      const mark = q.last ?? (q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2n : leg.mark);
      if (mark !== undefined) {
        leg.mark = mark;
        leg.markNum = Number(mark) / 1e18;
        leg.markTs = q.ts;
      }
      if (!this.stop.checkMarks(this.exchange, this.account, this.equityNum(), this.marks(), q.ts))
        leg.strategy.onQuote?.(q, leg.ctx);
      rec.mark(i);
    }
    return rec.finish(times);
  }

  /** Equity marks of the account and of each symbol, step by step, then the result. */
  private recorder(n: number) {
    const equity = new Float64Array(n);
    for (const leg of this.legs) leg.curve = new Float64Array(n);
    const progress = this.options.onProgress;
    const every = this.options.progressEvery ?? 1000;
    const capital = Number(this.capital) / 1e18;
    let exposed = 0;
    return {
      mark: (i: number): void => {
        this.collectTrips();
        equity[i] = this.equityNum();
        let open = false;
        for (const leg of this.legs) {
          const m = leg.mark === undefined ? 0 : leg.book.unrealizedNum(leg.markNum);
          leg.curve[i] = capital + leg.realizedNum + m;
          if (leg.book.qtyNum !== 0) {
            leg.exposed++;
            open = true;
          }
        }
        if (open) exposed++;
        if (progress !== undefined && (i + 1) % every === 0) progress(i + 1, n);
      },
      finish: (times: Float64Array): PortfolioResult => {
        this.closeOut(equity);
        progress?.(n, n);
        return this.result(times, equity, exposed);
      },
    };
  }

  /** The risk engine's close / trim / cancel decisions, carried out. */
  private enforce(): void {
    const gate = this.gate;
    if (gate !== undefined && gate.pending.length > 0)
      this.enforcements += enforceDecisions(this.exchange, this.account, gate.pending.splice(0, gate.pending.length));
  }

  private equityNum(): number {
    let e = this.accountView.balanceNum;
    for (const leg of this.legs) if (leg.mark !== undefined) e += leg.book.unrealizedNum(leg.markNum);
    return e;
  }

  private marks(): Map<string, Fixed> {
    const m = new Map<string, Fixed>();
    for (const leg of this.legs) if (leg.mark !== undefined) m.set(leg.symbol, leg.mark);
    return m;
  }

  /** Books the round trips closed since the last call to their symbols. */
  private collectTrips(): void {
    const trips = this.exchange.roundTrips(this.account);
    for (; this.tripsSeen < trips.length; this.tripsSeen++) {
      const trip = trips[this.tripsSeen] as RoundTrip;
      const leg = this.bySymbol.get(trip.symbol);
      if (leg === undefined) continue;
      const pnl = trip.grossPnl - trip.fees;
      leg.realizedExact += pnl;
      leg.realizedNum += Number(pnl) / 1e18;
      leg.tradePnls.push(Number(pnl) / 1e18);
    }
  }

  /** End of data: each position closes at its symbol's last close; the last marks follow. */
  private closeOut(equity: Float64Array): void {
    for (const leg of this.legs)
      if (leg.mark !== undefined) this.exchange.flatten(this.account, leg.symbol, leg.mark, leg.markTs);
    this.collectTrips();
    const last = equity.length - 1;
    if (last < 0) return;
    equity[last] = Number(this.exchange.equity(this.account)) / 1e18;
    for (const leg of this.legs) leg.curve[last] = Number(this.capital + leg.realizedExact) / 1e18;
  }

  private result(times: Float64Array, equity: Float64Array, exposed: number): PortfolioResult {
    const trips = this.exchange.roundTrips(this.account);
    const finalEquity = this.exchange.equity(this.account);
    const stats = computeStats({
      capital: this.capital,
      finalEquity,
      equity,
      times,
      tradePnls: trips.map((t) => Number(t.grossPnl - t.fees) / 1e18),
      exposedBars: exposed,
      periodsPerYear: this.options.periodsPerYear,
    });
    const symbols: Record<string, SymbolSummary> = {};
    for (const leg of this.legs)
      symbols[leg.symbol] = {
        bars: leg.index + 1,
        stats: computeStats({
          capital: this.capital,
          finalEquity: this.capital + leg.realizedExact,
          equity: leg.curve,
          times,
          tradePnls: leg.tradePnls,
          exposedBars: leg.exposed,
          periodsPerYear: this.options.periodsPerYear,
        }),
      };
    return {
      symbol: this.legs.map((l) => l.symbol).join(','),
      strategy: this.options.strategyName ?? 'custom',
      params: this.options.params ?? {},
      capital: this.capital,
      trades: trips.map(toTradeRecord),
      stats,
      bars: times.length,
      equity: { ts: times, values: equity },
      rejections: (this.gate?.rejections ?? []).map((r) => ({
        rule: r.rule,
        ts: isoOf(r.t),
        orderId: r.orderId,
        reason: r.reason,
      })),
      risk: this.risky,
      breaches: this.gate?.breaches() ?? [],
      enforcements: this.enforcements,
      ...(this.stop.record ? { stopped: this.stop.record } : {}),
      symbols,
    };
  }
}

/** One account trading every symbol of the quotes, each with its own instance of the strategy. */
export function runPortfolioQuoteBacktest(
  quotes: readonly Quote[],
  symbols: readonly { symbol: string; instrument?: Instrument | undefined }[],
  makeStrategy: (symbol: string) => Strategy,
  options: PortfolioOptions,
): PortfolioResult {
  const feeds = symbols.map((s) => ({ ...s, bars: [] as Bar[] }));
  return new PortfolioSession(feeds, makeStrategy, options, quotes[0]?.ts).runQuotes(quotes);
}

/** One account trading every feed's symbol, each with its own instance of the strategy. */
export function runPortfolioBacktest(
  feeds: readonly SymbolFeed[],
  makeStrategy: (symbol: string) => Strategy,
  options: PortfolioOptions,
): PortfolioResult {
  return new PortfolioSession(feeds, makeStrategy, options).run();
}
