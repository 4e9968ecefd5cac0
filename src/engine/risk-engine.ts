/**
 * The risk engine kernel (DESIGN §1–§3): evolves account state from events, fires event-time
 * timers, runs every enabled rule and returns typed decisions. This file holds the clock (timers,
 * trading-day resets) and what each event does; engine-core.ts what the engine keeps and how it
 * runs the rules. Deterministic: the event time is the clock; nothing here reads the wall clock
 * or draws random numbers.
 */
import { divRound, formatFixed, ZERO, type Fixed } from '../domain/money.ts';
import { instrumentFromSpec } from '../domain/instrument.ts';
import type {
  AccountEvent,
  EngineEvent,
  FillEvent,
  OrderEvent,
  OrderStatusEvent,
  OrderUpdateEvent,
  QuoteEvent,
} from '../domain/events.ts';
import { isoOf } from '../domain/events.ts';
import { AppError } from '../errors.ts';
import { NONE } from '../risk/rule.ts';
import type { RawConfig } from '../config/schema.ts';
import type { Timer } from './timers.ts';
import { endOfDaySummary } from './end-of-day.ts';
import type { Decision } from './decision.ts';
import { bookFill, bookOrder, bookOrderUpdate } from './account-events.ts';
import { updatedOrder } from './pre-trade.ts';
import { EngineCore, type AccountRecord, type EngineOptions } from './engine-core.ts';
import { equityOf } from '../risk/watermark.ts';
import { setBalance } from '../risk/account.ts';
import { observeEquity } from './rule-index.ts';
import { hasOpenPosition } from '../risk/measures.ts';
import { expireLock, expireLocksUntil, releaseCanTradeLocks } from './locks.ts';

export type { AccountRecord, EngineMode, EngineOptions } from './engine-core.ts';

export class RiskEngine extends EngineCore {
  private readonly endOfDaySummaries: boolean;
  private readonly idleResets: boolean;
  eventsProcessed = 0;
  /** Account × quote evaluations skipped inside quiet bands (quiet-bands.ts). */
  quietQuotes = 0;
  /** Daily resets not fired one by one: idle accounts, collapsed into one step (`skipIdleResets`). */
  idleResetSteps = 0;
  /** Fills not booked because their account had booked their fillId already (fill-ids.ts). */
  duplicateFills = 0;

  constructor(opts: EngineOptions) {
    super(opts);
    this.endOfDaySummaries = opts.endOfDaySummaries ?? true;
    this.idleResets = opts.idleResets ?? true;
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
      case 'order_update':
        this.onOrderUpdate(event, out);
        break;
      case 'account':
        this.onAccount(event, out);
        break;
      case 'instrument':
        this.quiet.clear(); // tick values change valuations
        this.opts.instruments.set(
          instrumentFromSpec({
            symbol: event.symbol,
            tickSize: formatFixed(event.tickSize),
            tickValue: formatFixed(event.tickValue),
            currency: event.currency,
          }),
        );
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
    if (t < this.lastT)
      throw new AppError('ERR_EVENT_OUT_OF_ORDER', `event at ${isoOf(t)} is earlier than ${isoOf(this.lastT)}`);
    this.lastT = t;
    if (!this.currentDay) {
      this.currentDay = this.opts.calendar.dayOf(t);
      this.timers.push({ deadline: this.currentDay.end, kind: 'reset' });
    }
    for (let timer = this.timers.popDue(t); timer; timer = this.timers.popDue(t))
      if (timer.kind !== 'reset' || !this.skipIdleResets(timer.deadline, t)) this.fire(timer, out);
  }

  /**
   * A reset that would change nothing costs a calendar step per trading day (20 years of daily
   * bars cross ~7,400): when every account is idle — flat, no locks, nothing booked today, no fill
   * ids to forget, no rule following equity, no end-of-day summary to write — and no other timer
   * is due before the event at `t`, the resets up to `t` only move the day on, so the engine goes
   * to `t`'s trading day at once. Decisions and state are those of firing each reset.
   */
  private skipIdleResets(at: number, t: number): boolean {
    if (!this.idleResets) return false;
    const next = this.timers.peekDeadline();
    if (next !== undefined && next <= t) return false;
    for (const rec of this.accounts.values()) if (!this.idleAtReset(rec, at)) return false;
    this.currentDay = this.opts.calendar.dayOf(t);
    this.timers.push({ deadline: this.currentDay.end, kind: 'reset' });
    this.idleResetSteps++;
    for (const rec of this.accounts.values()) rec.state.day = { ...rec.state.day, label: this.currentDay.label };
    return true;
  }

  private idleAtReset(rec: AccountRecord, at: number): boolean {
    const st = rec.state;
    const day = st.day;
    return (
      day.fills === 0 &&
      day.grossRealized === ZERO &&
      day.fees === ZERO &&
      st.locks.size === 0 &&
      rec.fillIds.size === 0 &&
      !hasOpenPosition(st) &&
      this.info(rec).equityStates.length === 0 &&
      (!this.endOfDaySummaries || endOfDaySummary(rec, at) === undefined)
    );
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
          this.evaluate(rec, 'timer', timer.deadline, out, undefined, undefined, {
            rule: timer.rule ?? '',
            key: timer.key ?? '',
            data: timer.data,
          });
        }
        break;
      }
    }
  }

  /** A trading-day boundary: daily figures restart, position rules re-evaluate with ts = reset. */
  private reset(at: number, out: Decision[]): void {
    this.currentDay = this.opts.calendar.dayOf(at);
    this.timers.push({ deadline: this.currentDay.end, kind: 'reset' });
    for (const rec of this.accounts.values()) {
      const st = rec.state;
      if (this.endOfDaySummaries) {
        const summary = endOfDaySummary(rec, at);
        if (summary) out.push(summary);
      }
      st.day = { label: this.currentDay.label, grossRealized: ZERO, fees: ZERO, fills: 0 };
      rec.fillIds.rotate();
      const locks = st.locks.size;
      expireLocksUntil(st, at);
      const { equityStates } = this.info(rec);
      // Bands depend on the positions, their orders, the config, the locks and equity-following
      // rule state (quiet-bands.ts), not on the day's figures: they outlive a reset that expires
      // no lock in an account without such state.
      if (st.locks.size !== locks || equityStates.length !== 0) this.quiet.forget(st);
      if (equityStates.length !== 0) observeEquity(st, equityStates, equityOf(st, this.boundUnrealizedOf), 'reset');
      if (hasOpenPosition(st)) this.evaluate(rec, 'reset', at, out);
    }
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
      if (
        this.quiet.holds(p, mark, this.valuations) ||
        (this.quietBandsOn &&
          this.quiet.wants(p) &&
          this.recordQuiet(rec, e.t, e.symbol) &&
          this.quiet.holds(p, mark, this.valuations))
      ) {
        this.quietQuotes++;
        continue;
      }
      this.evaluate(rec, 'quote', e.t, out, e.symbol);
    }
  }

  private onFill(e: FillEvent, out: Decision[]): void {
    const instrument = this.opts.instruments.find(e.symbol);
    if (!instrument)
      throw new AppError('ERR_INSTRUMENT_UNKNOWN', `fill ${e.fillId || e.orderId}: unknown instrument ${e.symbol}`, {
        symbol: e.symbol,
      });
    const rec = this.recordOf(e.account);
    // A venue resends fills after a reconnect (DESIGN §4): one that was booked is not booked again.
    if (e.fillId !== '' && !rec.fillIds.book(e.fillId)) {
      this.duplicateFills++;
      return;
    }
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

  /**
   * A change of a working order at the venue (DESIGN §4): checked like a new order when it adds
   * exposure; one riskgate would have rejected is answered by cancelling the order. An order the
   * engine does not know as working (never seen, or ended) has nothing to change.
   */
  private onOrderUpdate(e: OrderUpdateEvent, out: Decision[]): void {
    const rec = this.accounts.get(e.account);
    const order = rec?.state.orders.get(e.orderId);
    if (!rec || !order) return;
    // An order riskgate already rejected or cancelled stays so, whatever the venue changes.
    const checked = order.rejected ? undefined : updatedOrder(order, e);
    const rejections = checked === undefined ? NONE : this.preTrade(rec, checked, order.orderId);
    bookOrderUpdate(rec, order, e, checked, rejections, out);
    this.quiet.changed(rec.state, order.symbol, false); // RULE-012 reads the working stops of the order's symbol
  }
}
