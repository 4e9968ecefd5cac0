/**
 * Live-looking prices for the paper broker (DESIGN §5 `riskgate start`: "paper broker fed by
 * bundled real market data when no broker is configured"). Replays a price series at a chosen
 * speed, stamping each quote with the injected clock (the data's own dates are history; what the
 * gateway needs is "now"):
 *   - bars (data-bundled/sp500-2000.csv, daily S&P 500): one quote per bar at its close, or the
 *     four points of the paper engine's intrabar path (open → low/high → close) with `intrabar`;
 *   - quotes of an event log (examples/demo/events.ndjson), in file order.
 * Prices are rounded to the symbol's tick (bid = price, ask = bid + 1 tick, last = bid), so the
 * S&P index level reads as an ES / MES price. Deterministic: `step()` emits the next quote(s)
 * from the clock you inject; `start()` only adds a timer around `step()`.
 */
import { readFileSync } from 'node:fs';
import type { Quote } from '../adapters/broker.ts';
import { barPath } from '../adapters/paper/bar-path.ts';
import { InstrumentTable } from '../adapters/paper/instruments.ts';
import { loadBars } from '../backtest/bars-file.ts';
import { divRound, parseFixed, type Fixed } from '../domain/money.ts';
import { AppError } from '../errors.ts';

/** One price of the series; `symbol` set when the source names it (event logs). */
export interface Tick {
  readonly symbol?: string;
  readonly price?: Fixed;
  readonly bid?: Fixed;
  readonly ask?: Fixed;
}

export interface MarketFeedOptions {
  readonly broker: { feedQuote(q: Quote): void };
  readonly ticks: readonly Tick[];
  /** Symbols a source without symbols is quoted as (default ['MES', 'ES']). */
  readonly symbols?: readonly string[];
  readonly now: () => number;
  /** Milliseconds between steps for `start()` (default 1000). */
  readonly intervalMs?: number;
  /** Start over at the end (default true: a demo runs all day). */
  readonly loop?: boolean;
  readonly instruments?: InstrumentTable;
  /** Timer, injected in tests (default setInterval, unref'd). */
  readonly schedule?: (fn: () => void, ms: number) => () => void;
}

/** Ticks of a bars file: closes, or the intrabar path of each bar. */
export function ticksFromBars(path: string, opts: { intrabar?: boolean; from?: number } = {}): Tick[] {
  const bars = loadBars(path).slice(opts.from ?? 0);
  return bars.flatMap((b) => (opts.intrabar ? barPath(b).map((price) => ({ price })) : [{ price: b.close }]));
}

/** Ticks of the quote events of an NDJSON event log (other events skipped). */
export function ticksFromEventLog(path: string): Tick[] {
  const out: Tick[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new AppError('ERR_EVENT_MALFORMED', `${path} line ${i + 1}: not JSON`);
    }
    if (o.type !== 'quote' || typeof o.symbol !== 'string') continue;
    const f = (k: string): Fixed | undefined => (typeof o[k] === 'string' ? parseFixed(o[k] as string) : undefined);
    out.push({ symbol: o.symbol, price: f('last'), bid: f('bid'), ask: f('ask') });
  }
  if (out.length === 0) throw new AppError('ERR_INPUT_INVALID', `${path}: no quote events`);
  return out;
}

export class MarketFeed {
  private i = 0;
  private cancel: (() => void) | undefined;
  private readonly instruments: InstrumentTable;
  private readonly symbols: readonly string[];
  quotesSent = 0;

  constructor(private readonly opts: MarketFeedOptions) {
    if (opts.ticks.length === 0) throw new AppError('ERR_INPUT_INVALID', 'market feed: no prices');
    this.instruments = opts.instruments ?? new InstrumentTable();
    this.symbols = opts.symbols ?? ['MES', 'ES'];
  }

  /** Index of the next tick. */
  get position(): number {
    return this.i;
  }

  get running(): boolean {
    return this.cancel !== undefined;
  }

  /** Feeds the next tick (one quote per symbol); undefined when the series ended (loop off). */
  step(): Quote[] | undefined {
    if (this.i >= this.opts.ticks.length) {
      if (this.opts.loop === false) return undefined;
      this.i = 0;
    }
    const tick = this.opts.ticks[this.i++]!;
    const ts = this.opts.now();
    const quotes = (tick.symbol ? [tick.symbol] : this.symbols).map((symbol) => this.quote(symbol, tick, ts));
    for (const q of quotes) this.opts.broker.feedQuote(q);
    this.quotesSent += quotes.length;
    return quotes;
  }

  start(): void {
    if (this.cancel) return;
    const ms = this.opts.intervalMs ?? 1000;
    const schedule =
      this.opts.schedule ??
      ((fn: () => void, every: number) => {
        const h = setInterval(fn, every);
        h.unref?.();
        return () => clearInterval(h);
      });
    this.cancel = schedule(() => {
      if (this.step() === undefined) this.stop();
    }, ms);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private quote(symbol: string, tick: Tick, ts: number): Quote {
    if (tick.bid !== undefined || tick.ask !== undefined) {
      return {
        symbol,
        ts,
        ...(tick.bid !== undefined ? { bid: tick.bid } : {}),
        ...(tick.ask !== undefined ? { ask: tick.ask } : {}),
        ...(tick.price !== undefined ? { last: tick.price } : {}),
      };
    }
    const tickSize = this.instruments.find(symbol)?.tickSize;
    const price = tick.price!;
    if (!tickSize) return { symbol, ts, bid: price, ask: price, last: price };
    const bid = divRound(price, tickSize, 'half-even') * tickSize;
    return { symbol, ts, bid, ask: bid + tickSize, last: bid };
  }
}
