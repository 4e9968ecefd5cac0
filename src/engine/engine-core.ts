/**
 * What the risk engine (risk-engine.ts) keeps and how it runs the rules on it: account records,
 * marks, timers, quiet bands, the one rule context refilled per evaluation, and the pre-trade
 * checks. risk-engine.ts adds the event-time clock and what each event does. Deterministic: the
 * event time is the clock; nothing here reads the wall clock or draws random numbers.
 */
import { ZERO, type Fixed } from '../domain/money.ts';
import type { InstrumentTable } from '../domain/instrument.ts';
import type { TradingCalendar } from '../domain/calendar.ts';
import type { Position } from '../domain/position.ts';
import type { OrderEvent, OrderUpdateEvent } from '../domain/events.ts';
import { newAccountState, type AccountState, type Lock } from '../risk/account.ts';
import type { Breach, Distance, FillFacts, Rejection, RuleContext, RuleId, Trigger } from '../risk/rule.ts';
import { rulesResolver, type ActiveRule } from '../config/rules.ts';
import type { RawConfig } from '../config/schema.ts';
import { TimerQueue } from './timers.ts';
import { equityCeiling, observeEquity, RuleIndex, rulesOn, type RuleListInfo } from './rule-index.ts';
import { DayBook } from './day-book.ts';
import { decideBreaches } from './breach-decisions.ts';
import { preTradeRejections, updatedOrder, type OrderCheckEnv } from './pre-trade.ts';
import { Valuations } from './valuations.ts';
import { QuietBands } from './quiet-bands.ts';
import type { Decision } from './decision.ts';
import { FillIds } from './fill-ids.ts';
// RULE-014's high-water marks and the account's balance (kept in a small pure module).
import { equityOf } from '../risk/watermark.ts';
import { setLock } from './locks.ts';

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
  /**
   * Collapse the daily resets of idle accounts into one step (risk-engine.ts `skipIdleResets`;
   * default on). Off only to test that this changes nothing.
   */
  idleResets?: boolean;
}

export interface AccountRecord {
  readonly state: AccountState;
  readonly book: DayBook;
  readonly rules: readonly ActiveRule[];
  /** Fill ids booked lately (a venue's resent fill is not booked twice). */
  readonly fillIds: FillIds;
}

export class EngineCore {
  readonly mode: EngineMode;
  readonly accounts = new Map<string, AccountRecord>();
  readonly marks = new Map<string, Fixed>();
  readonly lastFillPrice = new Map<string, Fixed>();
  readonly timers = new TimerQueue();
  protected readonly opts: EngineOptions;
  protected currentDay: { label: string; start: number; end: number } | undefined;
  protected lastT = -Infinity;
  protected readonly quietBandsOn: boolean;

  constructor(opts: EngineOptions) {
    this.opts = opts;
    this.mode = opts.mode ?? 'shadow';
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

  /** An account's record, created on first use. Callers may change it: its quiet bands are dropped. */
  account(id: string): AccountRecord {
    const rec = this.recordOf(id);
    this.quiet.forget(rec.state);
    return rec;
  }

  /** An account's record, created on first use; the caller tells its quiet bands what it changes. */
  protected recordOf(id: string): AccountRecord {
    let rec = this.accounts.get(id);
    if (!rec) {
      const rules = this.opts.rulesFor(id);
      const state = newAccountState(
        id,
        this.opts.defaultBalance ?? ZERO,
        this.currentDay?.label ?? '',
        this.ruleIndex.info(rules).states,
      );
      rec = { state, book: new DayBook(), rules, fillIds: new FillIds() };
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

  /** The rejections an order would get (empty = allowed). Risk-reducing orders always pass. */
  preTrade(rec: AccountRecord, e: OrderEvent, replaces?: string): Rejection[] {
    const env = this.orderEnv;
    env.instruments = this.opts.instruments;
    env.nextReset = this.currentDay?.end ?? this.opts.calendar.nextReset(e.t);
    env.timezone = this.opts.calendar.zone;
    env.configOf = this.configLookup(rec);
    return preTradeRejections(rec.state, rec.rules, e, env, replaces);
  }

  /**
   * The rejections a change of a working order would get (empty = allowed), without changing
   * anything: the check a user's modify passes before it is routed. A change that adds no
   * exposure (pre-trade.ts `updatedOrder`), or of an order the engine does not know as working,
   * is never rejected.
   */
  preTradeUpdate(account: string, update: OrderUpdateEvent): Rejection[] {
    const rec = this.accounts.get(account);
    const order = rec?.state.orders.get(update.orderId);
    if (!rec || !order || order.rejected) return [];
    const checked = updatedOrder(order, update);
    return checked === undefined ? [] : this.preTrade(rec, checked, order.orderId);
  }

  protected readonly valuations = new Valuations();
  protected readonly quiet = new QuietBands();
  private readonly hasQuoteMark = (symbol: string): boolean => this.marks.has(symbol);
  private readonly boundMarkOf = (s: string): Fixed | undefined => this.markOf(s);
  protected readonly boundUnrealizedOf = (p: Position): Fixed => this.unrealizedOf(p);
  /** The pre-trade check's view of the engine, refilled per order (`preTradeRejections`). */
  private readonly orderEnv: { -readonly [K in keyof OrderCheckEnv]: OrderCheckEnv[K] } = {
    instruments: undefined as unknown as InstrumentTable,
    nextReset: 0,
    timezone: undefined,
    markOf: this.boundMarkOf,
    unrealizedOf: this.boundUnrealizedOf,
    configOf: undefined,
  };
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

  protected info(rec: AccountRecord): RuleListInfo {
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
  private context(
    rec: AccountRecord,
    trigger: Trigger,
    now: number,
    symbol?: string,
    fill?: FillFacts,
    timer?: RuleContext['timer'],
    equity?: Fixed,
  ): RuleContext {
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
  protected evaluate(
    rec: AccountRecord,
    trigger: Trigger,
    now: number,
    out: Decision[],
    symbol?: string,
    fill?: FillFacts,
    timer?: RuleContext['timer'],
  ): void {
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
        for (const t of rule.timers(ctx, config))
          this.timers.push({
            kind: 'rule',
            account: rec.state.id,
            rule: t.rule,
            key: t.key,
            deadline: t.deadline,
            data: t.data,
          });
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
  protected recordQuiet(rec: AccountRecord, now: number, symbol: string): boolean {
    const info = this.info(rec);
    const ctx = this.context(rec, 'quote', now, symbol);
    return this.quiet.record(
      ctx,
      rulesOn(info, rec.rules, 'quote'),
      this.hasQuoteMark,
      equityCeiling(rec.state, info.equityStates),
      true,
    );
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
