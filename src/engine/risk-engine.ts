/**
 * The risk engine kernel (DESIGN §1–§3): evolves account state from events, fires event-time
 * timers, runs every enabled rule and returns typed decisions. Deterministic: the event time is
 * the clock; nothing here reads the wall clock or draws random numbers.
 */
import { divRound, formatFixed, ZERO, type Fixed } from '../domain/money.ts';
import type { InstrumentTable } from '../domain/instrument.ts';
import { instrumentFromSpec } from '../domain/instrument.ts';
import type { TradingCalendar } from '../domain/calendar.ts';
import type { Position } from '../domain/position.ts';
import type { AccountEvent, EngineEvent, FillEvent, OrderEvent, OrderStatusEvent, QuoteEvent } from '../domain/events.ts';
import { isoOf } from '../domain/events.ts';
import { AppError } from '../errors.ts';
import { newAccountState, setBalance, type AccountState, type Lock } from '../risk/account.ts';
import { NONE, type Breach, type Distance, type FillFacts, type Rejection, type RuleContext, type RuleId, type Trigger } from '../risk/rule.ts';
import { rulesResolver, type ActiveRule } from '../config/rules.ts';
import type { RawConfig } from '../config/schema.ts';
import { TimerQueue, type Timer } from './timers.ts';
import { equityCeiling, observeEquity, RuleIndex, rulesOn, type RuleListInfo } from './rule-index.ts';
import { DayBook } from './day-book.ts';
import { endOfDaySummary } from './end-of-day.ts';
import { decideBreaches } from './breach-decisions.ts';
import { preTradeRejections, type OrderCheckEnv } from './pre-trade.ts';
import { Valuations } from './valuations.ts';
import { QuietBands } from './quiet-bands.ts';
import type { Decision } from './decision.ts';
import { bookFill, bookOrder } from './account-events.ts';
import { equityOf } from '../risk/watermark.ts';
import { hasOpenPosition } from '../risk/measures.ts';
import { expireLock, expireLocksUntil, releaseCanTradeLocks, setLock } from './locks.ts';

export type EngineMode = 'shadow' | 'enforce';

export interface EngineOptions {
  calendar: TradingCalendar;
  instruments: InstrumentTable;
  /** Enabled rules of an account (global + its overrides). */
  rulesFor(account: string): readonly ActiveRule[];
  mode?: EngineMode;
  /** Initial balance of accounts first seen in a fill/order. */
  defaultBalance?: Fixed;
  /**
   * End-of-day summary decisions at each reset (default on: the journal tells how each day
   * ended). A backtest, which journals nothing, turns them off.
   */
  endOfDaySummaries?: boolean;
  /**
   * Skip quote evaluations that cannot find anything (quiet-bands.ts; default on). Off only to
   * test that the bands change nothing.
   */
  quietBands?: boolean;
}

export interface AccountRecord {
  readonly state: AccountState;
  readonly book: DayBook;
  readonly rules: readonly ActiveRule[];
}

export class RiskEngine {
  readonly mode: EngineMode;
  readonly accounts = new Map<string, AccountRecord>();
  readonly marks = new Map<string, Fixed>();
  readonly lastFillPrice = new Map<string, Fixed>();
  readonly timers = new TimerQueue();
  private readonly opts: EngineOptions;
  private currentDay: { label: string; start: number; end: number } | undefined;
  private lastT = -Infinity;
  private readonly endOfDaySummaries: boolean;
  private readonly quietBandsOn: boolean;
  eventsProcessed = 0;
  /** Account × quote evaluations skipped inside quiet bands (quiet-bands.ts). */
  quietQuotes = 0;

  constructor(opts: EngineOptions) {
    this.opts = opts;
    this.mode = opts.mode ?? 'shadow';
    this.endOfDaySummaries = opts.endOfDaySummaries ?? true;
    this.quietBandsOn = opts.quietBands ?? true;
  }

  get instruments(): InstrumentTable {
    return this.opts.instruments;
  }

  get dayLabel(): string | undefined {
    return this.currentDay?.label;
  }

  get nextReset(): number | undefined {
    return this.currentDay?.end;
  }

  /** The engine clock (for snapshots): current trading day and last event time. */
  get clock(): { day: { label: string; start: number; end: number } | undefined; lastT: number } {
    return { day: this.currentDay, lastT: this.lastT };
  }

  /** Restores the clock from a snapshot (the reset timer comes back with the timer queue). */
  restoreClock(day: { label: string; start: number; end: number } | undefined, lastT: number): void {
    this.currentDay = day;
    this.lastT = lastT;
  }

  /** Decisions of the event being processed (reused: most events decide nothing). */
  private readonly scratch: Decision[] = [];

  /**
   * Processes one event: fires due timers, applies it, evaluates rules. Returns its decisions: a
   * new array, or a shared frozen empty one when there are none.
   */
  process(event: EngineEvent): Decision[] {
    const out = this.scratch;
    if (out.length !== 0) out.length = 0; // an earlier event may have failed half-way
    this.advanceTo(event.t, out);
    this.eventsProcessed++;
    switch (event.type) {
      case 'fill':
        this.onFill(event, out);
        break;
      case 'quote':
        this.onQuote(event, out);
        break;
      case 'order':
        this.onOrder(event, out);
        break;
      case 'order_status':
        this.onOrderStatus(event);
        break;
      case 'account':
        this.onAccount(event, out);
        break;
      case 'instrument':
        this.quiet.clear(); // tick values change valuations
        this.opts.instruments.set(instrumentFromSpec({ symbol: event.symbol, tickSize: formatFixed(event.tickSize), tickValue: formatFixed(event.tickValue), currency: event.currency }));
        break;
      case 'clock':
        break;
    }
    if (out.length === 0) return NONE;
    const decisions = out.slice();
    out.length = 0;
    return decisions;
  }

  /** Fires every timer due at or before `t` (deadline order, ts = deadline). */
  advanceTo(t: number, out: Decision[]): void {
    if (t < this.lastT) throw new AppError('ERR_EVENT_OUT_OF_ORDER', `event at ${isoOf(t)} is earlier than ${isoOf(this.lastT)}`);
    this.lastT = t;
    if (!this.currentDay) {
      this.currentDay = this.opts.calendar.dayOf(t);
      this.timers.push({ deadline: this.currentDay.end, kind: 'reset' });
    }
    for (let timer = this.timers.popDue(t); timer; timer = this.timers.popDue(t)) this.fire(timer, out);
  }

  private fire(timer: Timer, out: Decision[]): void {
    switch (timer.kind) {
      case 'reset':
        this.reset(timer.deadline, out);
        break;
      case 'lock_expire': {
        const rec = timer.account ? this.accounts.get(timer.account) : undefined;
        if (rec) {
          this.quiet.forget(rec.state);
          expireLock(rec.state, timer.rule ?? '', timer.deadline);
        }
        break;
      }
      case 'config':
        // A loosening config change takes effect at the trading-day boundary (DESIGN §1 inv. 4).
        this.replaceRules(timer.data as RawConfig);
        break;
      case 'rule': {
        const rec = timer.account ? this.accounts.get(timer.account) : undefined;
        if (rec) {
          // No band to drop: a rule's timer changes the account only through a lock (which drops them).
          this.evaluate(rec, 'timer', timer.deadline, out, undefined, undefined, { rule: timer.rule ?? '', key: timer.key ?? '', data: timer.data });
        }
        break;
      }
    }
  }

  /** A trading-day boundary: daily figures restart, position rules re-evaluate with ts = reset. */
  private reset(at: number, out: Decision[]): void {
    this.currentDay = this.opts.calendar.dayOf(at);
    this.timers.push({ deadline: this.currentDay.end, kind: 'reset' });
    this.quiet.clear();
    for (const rec of this.accounts.values()) {
      const st = rec.state;
      if (this.endOfDaySummaries) {
        const summary = endOfDaySummary(rec, at);
        if (summary) out.push(summary);
      }
      st.day = { label: this.currentDay.label, grossRealized: ZERO, fees: ZERO, fills: 0 };
      expireLocksUntil(st, at);
      const { equityStates } = this.info(rec);
      if (equityStates.length !== 0) observeEquity(st, equityStates, equityOf(st, this.boundUnrealizedOf), 'reset');
      if (hasOpenPosition(st)) this.evaluate(rec, 'reset', at, out);
    }
  }

  /** An account's record, created on first use. Callers may change it: its quiet bands are dropped. */
  account(id: string): AccountRecord {
    const rec = this.recordOf(id);
    this.quiet.forget(rec.state);
    return rec;
  }

  /** An account's record, created on first use; the caller tells its quiet bands what it changes. */
  private recordOf(id: string): AccountRecord {
    let rec = this.accounts.get(id);
    if (!rec) {
      const rules = this.opts.rulesFor(id);
      const state = newAccountState(id, this.opts.defaultBalance ?? ZERO, this.currentDay?.label ?? '', this.ruleIndex.info(rules).states);
      rec = { state, book: new DayBook(), rules };
      this.accounts.set(id, rec);
    }
    return rec;
  }

  markOf(symbol: string): Fixed | undefined {
    return this.marks.get(symbol) ?? this.lastFillPrice.get(symbol);
  }

  unrealizedOf(pos: Position): Fixed {
    const mark = this.markOf(pos.symbol);
    return mark === undefined ? ZERO : this.valuations.unrealizedAt(pos, mark);
  }

  private onAccount(e: AccountEvent, out: Decision[]): void {
    const rec = this.account(e.account);
    if (e.canTrade !== undefined) rec.state.canTrade = e.canTrade;
    if (e.balance !== undefined) setBalance(rec.state, e.balance);
    if (e.canTrade === true) releaseCanTradeLocks(rec.state, e.t, out);
    this.evaluate(rec, 'account', e.t, out);
  }

  private onQuote(e: QuoteEvent, out: Decision[]): void {
    let mark: Fixed | undefined;
    if (e.last !== undefined) mark = e.last;
    else if (e.bid !== undefined && e.ask !== undefined) mark = divRound(e.bid + e.ask, 2n, 'half-even');
    if (mark === undefined) return;
    this.marks.set(e.symbol, mark);
    for (const rec of this.accounts.values()) {
      const p = rec.state.positions.get(e.symbol);
      if (p === undefined || p.qty === ZERO) continue;
      // Inside the position's quiet band; or, its band dropped or stale since (a fill, an order …),
      // inside the bands of the account as it is now: this quote finds nothing, no need to evaluate it.
      if (this.quiet.holds(p, mark, this.valuations) || (this.quietBandsOn && this.quiet.wants(p) && this.recordQuiet(rec, e.t, e.symbol) && this.quiet.holds(p, mark, this.valuations))) {
        this.quietQuotes++;
        continue;
      }
      this.evaluate(rec, 'quote', e.t, out, e.symbol);
    }
  }

  private onFill(e: FillEvent, out: Decision[]): void {
    const instrument = this.opts.instruments.find(e.symbol);
    if (!instrument) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `fill ${e.fillId || e.orderId}: unknown instrument ${e.symbol}`, { symbol: e.symbol });
    const rec = this.recordOf(e.account);
    const orderSymbol = rec.state.orders.get(e.orderId)?.symbol;
    const fill = bookFill(rec, e, instrument, this.mode);
    // The fill's position, its order and the account's equity changed; the other positions' bands stay, stale.
    if (orderSymbol === undefined || orderSymbol === e.symbol) this.quiet.changed(rec.state, e.symbol, true);
    else this.quiet.forget(rec.state);
    if (fill === undefined) return;
    this.lastFillPrice.set(e.symbol, e.price);
    this.evaluate(rec, 'fill', e.t, out, e.symbol, fill);
  }

  private onOrderStatus(e: OrderStatusEvent): void {
    if (e.status === 'working') return;
    const st = this.accounts.get(e.account)?.state;
    const order = st?.orders.get(e.orderId);
    if (!st || !order) return;
    this.quiet.changed(st, order.symbol, false); // RULE-012 reads the working stops of the order's symbol
    st.orders.delete(e.orderId);
  }

  /** Pre-trade check (DESIGN §3): opening orders only; every rejecting rule is reported. */
  private onOrder(e: OrderEvent, out: Decision[]): void {
    const rec = this.recordOf(e.account);
    const replaced = rec.state.orders.get(e.orderId)?.symbol;
    bookOrder(rec, e, this.preTrade(rec, e), out);
    if (replaced === undefined || replaced === e.symbol) this.quiet.changed(rec.state, e.symbol, false);
    else this.quiet.forget(rec.state);
  }

  /** The rejections an order would get (empty = allowed). Risk-reducing orders always pass. */
  preTrade(rec: AccountRecord, e: OrderEvent): Rejection[] {
    const env = this.orderEnv;
    env.instruments = this.opts.instruments;
    env.nextReset = this.currentDay?.end ?? this.opts.calendar.nextReset(e.t);
    env.timezone = this.opts.calendar.zone;
    env.configOf = this.configLookup(rec);
    return preTradeRejections(rec.state, rec.rules, e, env);
  }

  private readonly valuations = new Valuations();
  private readonly quiet = new QuietBands();
  private readonly hasQuoteMark = (symbol: string): boolean => this.marks.has(symbol);
  private readonly boundMarkOf = (s: string): Fixed | undefined => this.markOf(s);
  private readonly boundUnrealizedOf = (p: Position): Fixed => this.unrealizedOf(p);
  /** The pre-trade check's view of the engine, refilled per order (`preTradeRejections`). */
  private readonly orderEnv: { -readonly [K in keyof OrderCheckEnv]: OrderCheckEnv[K] } = { instruments: undefined as unknown as InstrumentTable, nextReset: 0, timezone: undefined, markOf: this.boundMarkOf, unrealizedOf: this.boundUnrealizedOf, configOf: undefined };
  private readonly evalCtx: { -readonly [K in keyof RuleContext]: RuleContext[K] } = {
    now: 0,
    trigger: 'account',
    account: undefined as unknown as AccountState,
    instruments: undefined as unknown as InstrumentTable,
    nextReset: 0,
    timezone: undefined,
    markOf: this.boundMarkOf,
    unrealizedOf: this.boundUnrealizedOf,
    configOf: undefined,
    symbol: undefined,
    fill: undefined,
    timer: undefined,
    equity: undefined,
  };

  private readonly ruleIndex = new RuleIndex();

  private info(rec: AccountRecord): RuleListInfo {
    return this.ruleIndex.info(rec.rules);
  }

  /** `ctx.configOf` of an account: the parsed config of another enabled rule (RULE-015 reads 003/014). */
  private configLookup(rec: AccountRecord): (id: RuleId) => unknown {
    return this.info(rec).configOf;
  }

  /**
   * The one rule context object, refilled per evaluation (no allocation per quote × account):
   * rules read it during their call and keep no reference, and evaluations never nest.
   */
  private context(rec: AccountRecord, trigger: Trigger, now: number, symbol?: string, fill?: FillFacts, timer?: RuleContext['timer'], equity?: Fixed): RuleContext {
    const ctx = this.evalCtx;
    ctx.now = now;
    ctx.trigger = trigger;
    ctx.account = rec.state;
    ctx.instruments = this.opts.instruments;
    ctx.nextReset = this.currentDay?.end ?? this.opts.calendar.nextReset(now);
    ctx.timezone = this.opts.calendar.zone;
    ctx.configOf = this.info(rec).configOf;
    ctx.symbol = symbol;
    ctx.fill = fill;
    ctx.timer = timer;
    ctx.equity = equity; // equity rules read it instead of a second pass over the positions
    return ctx;
  }

  /** Runs the account's rules for a trigger and turns breaches into decisions and state changes. */
  private evaluate(rec: AccountRecord, trigger: Trigger, now: number, out: Decision[], symbol?: string, fill?: FillFacts, timer?: RuleContext['timer']): void {
    // States that follow equity (RULE-014's intraday high-water mark), only where a rule needs them.
    const info = this.info(rec);
    let equity: Fixed | undefined;
    if ((trigger === 'fill' || trigger === 'quote') && info.equityStates.length !== 0) {
      equity = equityOf(rec.state, this.boundUnrealizedOf);
      observeEquity(rec.state, info.equityStates, equity, 'evaluation');
    }
    const rules = rulesOn(info, rec.rules, trigger);
    if (rules.length === 0) return;
    const ctx = this.context(rec, trigger, now, symbol, fill, timer, equity);
    let breaches: Breach[] | undefined;
    for (const { rule, config } of rules) {
      if (trigger === 'timer' && ctx.timer && ctx.timer.rule !== rule.id) continue;
      if (rule.evaluate) {
        const b = rule.evaluate(ctx, config);
        if (b.length) (breaches ??= []).push(...b);
      }
      if (rule.timers) {
        for (const t of rule.timers(ctx, config)) this.timers.push({ kind: 'rule', account: rec.state.id, rule: t.rule, key: t.key, deadline: t.deadline, data: t.data });
      }
    }
    if (trigger === 'quote' && this.quietBandsOn) {
      // A quote outside its band: new bands from here, or none while rules are firing.
      if (breaches) this.quiet.forget(rec.state);
      else this.quiet.record(ctx, rules, this.hasQuoteMark, equityCeiling(rec.state, info.equityStates));
    }
    if (breaches) decideBreaches(rec, breaches, now, out, (lock) => this.lock(rec, lock));
  }

  /** Records an account's quiet bands as of now (see quiet-bands.ts); false when it has none. */
  private recordQuiet(rec: AccountRecord, now: number, symbol: string): boolean {
    const info = this.info(rec);
    const ctx = this.context(rec, 'quote', now, symbol);
    return this.quiet.record(ctx, rulesOn(info, rec.rules, 'quote'), this.hasQuoteMark, equityCeiling(rec.state, info.equityStates), true);
  }

  /** Sets or tightens a lock: a later `until` replaces an earlier one, never the reverse. */
  lock(rec: AccountRecord, lock: Lock): void {
    this.quiet.forget(rec.state);
    setLock(rec.state, lock, this.timers);
  }

  /** The raw config in force (rule changes replace it; see config-change.ts). */
  rawConfig: RawConfig | undefined;

  /** Puts a config's rules in force now, for existing and future accounts. */
  replaceRules(config: RawConfig): void {
    this.rawConfig = config;
    const rulesFor = rulesResolver(config);
    this.opts.rulesFor = rulesFor;
    this.quiet.clear();
    // A new record object also drops the cached configOf lookup of the old rules.
    for (const [id, rec] of this.accounts) this.accounts.set(id, { ...rec, rules: rulesFor(id) });
  }

  /** Every enabled rule's distance to its limit for an account (API, dashboard, status). */
  distances(rec: AccountRecord, now: number): Distance[] {
    const ctx = this.context(rec, 'account', now);
    const out: Distance[] = [];
    for (const { rule, config } of rec.rules) if (rule.distanceToLimit) out.push(...rule.distanceToLimit(ctx, config));
    return out;
  }
}
