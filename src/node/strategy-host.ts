/**
 * The strategy host (docs/research.md "Live selection"): runs candidate strategies inside a paper
 * node and re-selects them on a schedule. Marks of one symbol become bars (bar-builder.ts); at each
 * bar close every candidate is backtested alone over the held bars (strategy-virtual.ts); when a
 * selection is due the selector scores them and allocates (the same `selectAt` as `riskgate
 * research select`); then the account is moved to the target position
 *
 *   target = round(Σ over the active set of weight × the candidate's intended position)
 *
 * through `submitOrder`, so every order passes the node's risk rules. A candidate that drops out
 * of the active set leaves the sum: its share is closed by the same orders. No clock of its own.
 */
import { Cron } from 'croner';
import type { BacktestOptions } from '../backtest/engine.ts';
import { observedPeriodsPerYear } from '../backtest/stats.ts';
import type { Bar } from '../backtest/types.ts';
import { isoOf } from '../domain/events.ts';
import { formatFixed, fromInt, toNumber, type Fixed } from '../domain/money.ts';
import { detectRegimes } from '../research/regime.ts';
import { selectAt, type Candidate, type Selection } from '../research/select.ts';
import type { SelectorSettings } from '../research/selector.ts';
import { BarBuilder } from './bar-builder.ts';
import type { NewOrder, SubmitResult } from './gateway.ts';
import { runVirtualBooks, type VirtualBook } from './strategy-virtual.ts';

/** What the host uses of the node: one command and two queries, plus publishing. */
export interface StrategyHostPort {
  submitOrder(order: NewOrder): Promise<SubmitResult>;
  positionQty(account: string, symbol: string): Fixed;
  /** Working orders of the account in the symbol (the host waits for its own to finish). */
  workingOrders(account: string, symbol: string): number;
  publish(account: string, data: Readonly<Record<string, unknown>>): void;
  say(message: string): void;
}

export interface StrategyHostOptions {
  readonly account: string;
  readonly symbol: string;
  readonly barMs: number;
  /** Selections on the first bar close of each `everyMs` slot (UTC epoch-aligned). */
  readonly everyMs: number;
  /** A cron pattern (UTC; croner syntax, seconds optional): when given, a slot ends at each of its fire times instead. */
  readonly schedule?: string;
  readonly candidates: readonly Candidate[];
  readonly settings: SelectorSettings;
  /** Each candidate's virtual capital (its backtest's). */
  readonly capital: Fixed;
  readonly periodsPerYear?: number;
  readonly now: () => number;
}

export interface LiveSelection extends Selection {
  readonly account: string;
  readonly symbol: string;
  /** Bars the candidates were scored on (held bars, of which `lookback` are the window). */
  readonly bars: number;
  /** Each candidate's intended position (as if it traded alone). */
  readonly positions: Readonly<Record<string, string>>;
  /** The account's target position in the symbol at the selection. */
  readonly target: string;
}

export interface OrderOutcome {
  readonly at: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly reduceOnly: boolean;
  readonly status: 'routed' | 'rejected';
  readonly rules: readonly string[];
  readonly reasons: readonly string[];
}

/** Held bars: the lookback plus room for the candidates' warm-up. */
export const heldBars = (lookback: number): number => Math.max(2 * lookback, lookback + 500);

export class StrategyHost {
  private readonly builder: BarBuilder;
  private readonly bars: Bar[] = [];
  private latest: LiveSelection | undefined;
  private weights: Readonly<Record<string, number>> = {};
  private slot = Number.NaN;
  private target: number | undefined;
  private readonly outcomes: OrderOutcome[] = [];
  private queue: Promise<void> = Promise.resolve();
  private n = 0;

  constructor(
    private readonly port: StrategyHostPort,
    private readonly opts: StrategyHostOptions,
  ) {
    this.builder = new BarBuilder(opts.barMs);
    this.cron = opts.schedule === undefined ? undefined : new Cron(opts.schedule, { timezone: 'UTC', paused: true });
  }

  private readonly cron: Cron | undefined;

  /** A mark of the host's symbol at the clock's time; a completed bar is processed in turn. */
  onMark(price: Fixed): Promise<void> {
    return this.closed(this.builder.add(price, this.opts.now()));
  }

  /** Completes the open bar once the clock passed its end (the node calls this every second). */
  tick(): Promise<void> {
    return this.closed(this.builder.closeUpTo(this.opts.now()));
  }

  /** The latest selection (undefined before the first), the target and the latest order outcomes. */
  status(): Readonly<Record<string, unknown>> {
    const o = this.opts;
    return {
      account: o.account,
      symbol: o.symbol,
      barIntervalMs: o.barMs,
      everyMs: o.everyMs,
      schedule: o.schedule ?? null,
      candidates: o.candidates.map((c) => c.id),
      barsHeld: this.bars.length,
      lookback: o.settings.lookback,
      target: this.target === undefined ? null : String(this.target),
      selection: this.latest ?? null,
      orders: [...this.outcomes],
    };
  }

  get selection(): LiveSelection | undefined {
    return this.latest;
  }

  /** Bars are processed one at a time, in order (a slow broker never interleaves two rebalances). */
  private closed(bar: Bar | undefined): Promise<void> {
    if (bar === undefined) return this.queue;
    this.queue = this.queue.then(() => this.onBar(bar)).catch((err: unknown) => this.port.say(errorText(err)));
    return this.queue;
  }

  private async onBar(bar: Bar): Promise<void> {
    this.bars.push(bar);
    const keep = heldBars(this.opts.settings.lookback);
    if (this.bars.length > keep) this.bars.splice(0, this.bars.length - keep);
    if (this.bars.length < this.opts.settings.lookback) return;
    const books = runVirtualBooks(this.bars, this.opts.candidates, this.base());
    const slot = this.slotAt(this.opts.now());
    if (slot !== this.slot) {
      this.slot = slot;
      this.select(books);
    }
    await this.rebalance(books);
  }

  /** The selection slot `t` falls in: its epoch-aligned period, or the cron fire time that ends it. */
  private slotAt(t: number): number {
    if (!this.cron) return Math.floor(t / this.opts.everyMs);
    return this.cron.nextRun(new Date(t))?.getTime() ?? Number.POSITIVE_INFINITY;
  }

  private base(): BacktestOptions {
    return { symbol: this.opts.symbol, capital: this.opts.capital };
  }

  private select(books: readonly VirtualBook[]): void {
    const o = this.opts;
    const times = Float64Array.from(this.bars, (b) => b.ts);
    const ppy = o.periodsPerYear ?? observedPeriodsPerYear(times) ?? 252;
    const regimes = detectRegimes(this.bars.map((b) => b.num));
    const input = { bars: this.bars, base: this.base(), candidates: o.candidates, settings: o.settings };
    const returns = books.map((b) => b.returns);
    const sel = selectAt(this.bars.length, input, returns, regimes, ppy);
    this.weights = sel.allocation.weights;
    const positions = Object.fromEntries(o.candidates.map((c, i) => [c.id, formatFixed(books[i]!.position)]));
    this.latest = {
      ...sel,
      account: o.account,
      symbol: o.symbol,
      bars: this.bars.length,
      positions,
      target: String(this.targetOf(books)),
    };
    this.port.publish(o.account, { event: 'strategy_selection', ...this.latest });
    this.port.say(
      `strategy selection on ${o.account} ${o.symbol}: active ${sel.active.join(', ') || 'none'}; target ${this.latest.target}`,
    );
  }

  private targetOf(books: readonly VirtualBook[]): number {
    let sum = 0;
    this.opts.candidates.forEach((c, i) => {
      const w = this.weights[c.id];
      if (w !== undefined) sum += w * toNumber(books[i]!.position);
    });
    return Math.round(sum) + 0; // + 0: no negative zero
  }

  /** Moves the account toward the target: reduce-only first (never blocked), then the opening part. */
  private async rebalance(books: readonly VirtualBook[]): Promise<void> {
    if (this.latest === undefined) return;
    const { account, symbol } = this.opts;
    const target = this.targetOf(books);
    this.target = target;
    if (this.port.workingOrders(account, symbol) > 0) return; // our last orders are still on their way
    const current = Math.trunc(toNumber(this.port.positionQty(account, symbol)));
    if (current === target) return;
    const sameSide = current !== 0 && Math.sign(current) === Math.sign(target);
    const kept = sameSide ? Math.sign(current) * Math.min(Math.abs(current), Math.abs(target)) : 0;
    if (kept !== current) {
      const r = await this.order(current > 0 ? 'sell' : 'buy', Math.abs(current - kept), true);
      if (r.status === 'rejected') return;
    }
    const add = target - kept;
    if (add !== 0) await this.order(add > 0 ? 'buy' : 'sell', Math.abs(add), false);
  }

  private async order(side: 'buy' | 'sell', qty: number, reduceOnly: boolean): Promise<SubmitResult> {
    const { account, symbol, now } = this.opts;
    const r = await this.port.submitOrder({
      account,
      symbol,
      side,
      qty: fromInt(qty),
      type: 'market',
      reduceOnly,
      clientOrderId: `sel-${now().toString(36)}-${++this.n}`,
    });
    const rejected = r.status === 'rejected';
    this.outcomes.push({
      at: isoOf(now()),
      side,
      qty: String(qty),
      reduceOnly,
      status: r.status,
      rules: rejected ? r.rules : [],
      reasons: rejected ? r.reasons : [],
    });
    if (this.outcomes.length > 20) this.outcomes.shift();
    if (rejected) this.port.say(`strategy host: ${side} ${qty} ${symbol} rejected by ${r.rules.join(', ')}`);
    return r;
  }
}

function errorText(err: unknown): string {
  return `strategy host: ${err instanceof Error ? err.message : String(err)}`;
}
