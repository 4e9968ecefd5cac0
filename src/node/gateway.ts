/**
 * The live loop (DESIGN §1, the imperative shell around the pure engine). It connects a
 * BrokerAdapter to the risk engine:
 *
 *   broker quotes / fills / order updates / account state ──▶ `step` (engine + journal)
 *   breach decisions ──▶ enforcementsFor ──▶ Enforcer (journaled, kind `enforcement`) ──▶ broker
 *   user orders ──▶ trading state + new-order lane + engine pre-trade ──▶ rejected | broker
 *
 * Every event enters the engine through one function with the shape of `replay.step` (the
 * persistent engine wrapper can be injected), at a gateway time that never goes backwards:
 * max(previous, the venue's timestamp or the injected clock). Engine order ids are the client
 * order ids; broker order ids are mapped back on every update and fill. See docs/gateway.md.
 */
import type { BrokerAdapter, Order, OrderChanges, OrderRequest } from '../adapters/broker.ts';
import { isoOf, parseEvent, type OrderUpdateEvent } from '../domain/events.ts';
import { formatFixed, type Fixed } from '../domain/money.ts';
import { Enforcer, enforcementsFor, type Enforcement, type EnforcerOptions } from '../engine/enforcer.ts';
import type { Decision } from '../engine/decision.ts';
import type { JournalSink } from '../engine/journal-port.ts';
import { GatewayIds } from './gateway-ids.ts';
import { step, type ReplayInput } from '../engine/step.ts';
import type { RiskEngine } from '../engine/risk-engine.ts';
import { activeLocks, canTradeOf, hasAccount, nextDeadline, positionQty, workingOrderIds, workingOrders } from '../engine/views.ts';
import { accountEvent, fillEvent, orderEvent, orderStatusEvent, orderUpdateEvent, quoteEvent, type RawEvent } from './gateway-events.ts';
import { isRiskReducing, NewOrderLane, stateOf, TradingFlags, type StateReasons, type TradingState } from './gateway-state.ts';

/** How an event enters the engine: `replay.step` or the persistent engine's equivalent. */
export type StepFn = (input: ReplayInput) => Decision[];

export interface GatewayOptions {
  readonly engine: RiskEngine;
  readonly journal: JournalSink;
  readonly broker: BrokerAdapter;
  /** Accounts the gateway watches (account state at start, reconcile). */
  readonly accounts: readonly string[];
  /** Wall clock in ms, injected (a manual clock in tests). */
  readonly now: () => number;
  readonly random?: () => number;
  /** Enforcement decisions are journaled, the broker is never called for them. */
  readonly dryRun?: boolean;
  readonly enforcement?: Pick<EnforcerOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>;
  /** New-order lane (opening orders only): tokens per second and burst. Default 20/s, 20. */
  readonly newOrderLane?: { readonly perSecond: number; readonly burst: number };
  /** Default: `replay.step(engine, journal, input)`. */
  readonly step?: StepFn;
  readonly onDecision?: (d: Decision) => void;
  readonly onEnforcement?: (e: Enforcement, note: string) => void;
  readonly onEvent?: (raw: RawEvent) => void;
  readonly onError?: (err: unknown) => void;
}

/** A user's new order (the client order id is generated when left out). */
export type NewOrder = Omit<OrderRequest, 'clientOrderId'> & { readonly clientOrderId?: string };

export type SubmitResult =
  | { readonly status: 'routed'; readonly order: Order; readonly reduceOnly: boolean }
  | { readonly status: 'rejected'; readonly clientOrderId: string; readonly codes: readonly string[]; readonly rules: readonly string[]; readonly reasons: readonly string[] };

export type ModifyResult =
  | { readonly status: 'routed'; readonly order: Order }
  | { readonly status: 'rejected'; readonly orderId: string; readonly codes: readonly string[]; readonly rules: readonly string[]; readonly reasons: readonly string[] };

export class Gateway {
  readonly engine: RiskEngine;
  readonly broker: BrokerAdapter;
  readonly journal: JournalSink;
  readonly enforcer: Enforcer;
  readonly flags = new TradingFlags();
  readonly lane: NewOrderLane;
  private readonly opts: GatewayOptions;
  private readonly stepFn: StepFn;
  private lastT = -Infinity;
  // Remembered order and fill ids age out at trading-day resets (recent.ts), except those of
  // working orders, so a gateway running for months does not grow without bound.
  private readonly ids = new GatewayIds();
  /** The engine's trading day when the remembered ids were last rotated. */
  private idsDay: string | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private idSeq = 0;
  /** Broker calls decided outside the Enforcer (cancels of orders riskgate rejects, stop moves), run in the kick loop. */
  private readonly actions: (() => Promise<void>)[] = [];

  constructor(opts: GatewayOptions) {
    this.opts = opts;
    this.engine = opts.engine;
    this.broker = opts.broker;
    this.journal = opts.journal;
    this.stepFn = opts.step ?? ((input) => step(opts.engine, opts.journal, input));
    this.lastT = opts.engine.clock.lastT; // a restored engine's clock: events never go behind it
    this.lane = new NewOrderLane(opts.newOrderLane?.perSecond ?? 20, opts.newOrderLane?.burst ?? 20);
    this.enforcer = new Enforcer({
      broker: opts.broker,
      now: opts.now,
      ...(opts.random ? { random: opts.random } : {}),
      ...opts.enforcement,
      dryRun: opts.dryRun ?? false,
      record: (e, note) => this.recordEnforcement(e, note),
      alert: (e, message) => this.enforcementFailed(e, message),
    });
  }

  /** The accounts this gateway serves. */
  get accounts(): readonly string[] {
    return this.opts.accounts;
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────
  /** Connects, subscribes to the broker's streams and reports each account's state to the engine. */
  async start(): Promise<void> {
    await this.broker.connect();
    // After a restart the engine (rebuilt from the journal) already holds working orders: they are
    // known, and the broker's open orders give back the broker id → engine id mapping.
    for (const id of workingOrderIds(this.engine)) this.ids.known.add(id);
    for (const account of this.opts.accounts) {
      for (const o of await this.broker.searchOpenOrders(account)) {
        this.ids.engineIds.set(o.orderId, o.clientOrderId);
        this.ids.brokerIds.set(o.clientOrderId, o.orderId);
      }
    }
    this.unsubscribe.push(
      this.broker.onQuote((q) => this.guard(() => this.apply(quoteEvent(q, this.advance(q.ts))))),
      this.broker.onOrder((o) => this.guard(() => this.onBrokerOrder(o))),
      this.broker.onFill((f) => this.guard(() => {
        const key = `${f.account}|${f.fillId}`;
        if (this.ids.seenFills.has(key)) return; // a venue may replay fills after a reconnect
        this.ids.seenFills.add(key);
        this.apply(fillEvent(f, this.ids.engineIds.get(f.orderId) ?? f.orderId, this.advance(f.ts)));
      })),
    );
    for (const account of this.opts.accounts) await this.syncAccount(account);
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.idle();
  }

  /** Reports the broker's account state: the balance only for an account the engine has not seen (it is the equity base). */
  async syncAccount(account: string): Promise<void> {
    const s = await this.broker.getAccount(account);
    const fresh = !hasAccount(this.engine, account);
    if (!fresh && canTradeOf(this.engine, account) === s.canTrade) return;
    this.apply(accountEvent(account, this.advance(), s.canTrade, fresh ? s.balance : undefined));
  }

  /** Fires due engine timers (lock ends, grace periods, resets) and runs due enforcements. */
  async tick(): Promise<void> {
    this.fireDueTimers(this.advance());
    await this.kick();
  }

  /** Resolves when no enforcement run is in progress. */
  async idle(): Promise<void> {
    await new Promise((r) => setImmediate(r)); // let kicks queued by the last callbacks start
    while (this.running) await this.running;
  }

  // ── the engine side ─────────────────────────────────────────────────────────
  /** Gateway time: never earlier than the previous event or record. */
  advance(sourceTs?: number): number {
    const t = Math.max(this.lastT, sourceTs ?? this.opts.now());
    this.lastT = t;
    return t;
  }

  /** Feeds one event (DESIGN §4 object) through the engine and journal; acts on its decisions. */
  apply(raw: RawEvent): Decision[] {
    const event = parseEvent(raw);
    this.lastT = Math.max(this.lastT, event.t);
    this.opts.onEvent?.(raw);
    const decisions = this.stepFn({ event, raw });
    if (this.engine.dayLabel !== this.idsDay) this.rotateIds();
    this.onDecisions(decisions);
    return decisions;
  }

  /** A new trading day: ids not seen for a whole day are forgotten, working orders' ids kept. */
  private rotateIds(): void {
    const first = this.idsDay === undefined;
    this.idsDay = this.engine.dayLabel;
    if (first) return;
    this.ids.rotate(workingOrderIds(this.engine));
  }

  /** How many order and fill ids the gateway remembers (diagnostics; bounded by two days' worth). */
  rememberedIds(): number {
    return this.ids.size;
  }

  /** Appends a gateway record (enforcement, alert, trading state) at gateway time. */
  record(kind: string, account: string | undefined, body: Record<string, unknown>): void {
    const t = this.advance();
    // Timers due by now fire first, so the engine's timer decisions never land behind this record.
    this.fireDueTimers(t);
    const ts = isoOf(t);
    this.journal.append(account === undefined ? { ts, kind, body: { ts, ...body } } : { ts, kind, account, body: { ts, account, ...body } });
  }

  private fireDueTimers(t: number): void {
    const due = nextDeadline(this.engine);
    if (due !== undefined && due <= t) this.apply({ ts: isoOf(t), type: 'clock' });
  }

  private onDecisions(decisions: readonly Decision[]): void {
    let enforce = false;
    for (const d of decisions) {
      this.opts.onDecision?.(d);
      if (this.engine.mode !== 'enforce') continue;
      if (d.kind === 'stop_move') this.moveStops(d);
      if (d.kind !== 'breach') continue;
      for (const e of enforcementsFor(d)) {
        this.enforcer.request(e);
        enforce = true;
      }
    }
    // After the current call stack: a decision may arrive inside a broker callback.
    if (enforce) queueMicrotask(() => void this.kick());
  }

  /** Drives the enforcer (and queued cancels) until nothing is due; never two runs at once. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.enforcer.run();
        for (let a = this.actions.shift(); a; a = this.actions.shift()) await a();
      } while (this.again);
    })()
      .catch((err: unknown) => this.opts.onError?.(err))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private recordEnforcement(e: Enforcement, note: string): void {
    // Journal first (invariant 2): this runs before every broker call the enforcer makes.
    this.record('enforcement', e.account, { key: e.key, kind: e.kind, rule: e.rule, ...(e.symbol ? { symbol: e.symbol } : {}), ...(e.toQty !== undefined ? { toQty: formatFixed(e.toQty) } : {}), status: e.status, attempts: e.attempts, note, ...(e.lastError ? { lastError: e.lastError } : {}), ...(this.opts.dryRun ? { dryRun: true } : {}) });
    this.journal.flush?.(); // durable before the broker call that follows (group-commit journals buffer)
    this.opts.onEnforcement?.(e, note);
  }

  private enforcementFailed(e: Enforcement, message: string): void {
    this.flags.halt(e.account, `enforcement:${e.key}`, message);
    this.alert(e.account, { rule: e.rule, reason: message, enforcement: e.key, ...(e.symbol ? { symbol: e.symbol } : {}) });
  }

  /** Journals an alert decision (kind `alert`). */
  alert(account: string, body: { rule: string; reason: string; symbol?: string } & Record<string, unknown>): void {
    this.record('alert', account, { kind: 'alert', action: 'alert', ...body, outcomes: [{ kind: 'alert', message: body.reason }] });
  }

  // ── trading state ──────────────────────────────────────────────────────────
  reasons(account: string): StateReasons {
    const reducing: string[] = [];
    const now = Math.max(this.lastT, this.opts.now());
    for (const lock of activeLocks(this.engine, account, now)) reducing.push(`${lock.rule} ${lock.kind}`);
    const pending = this.enforcer.pendingFor(account);
    if (pending.length) reducing.push(`${pending.length} enforcement(s) pending`);
    const probation = this.flags.probationReason(account);
    if (probation) reducing.push(probation);
    return { halted: this.flags.haltReasons(account), reducing };
  }

  tradingState(account: string): TradingState {
    return stateOf(this.reasons(account));
  }

  /** Admin: clears HALTED causes (e.g. after a failed enforcement was handled by hand); journaled. */
  resume(account: string, reason: string): void {
    this.flags.clearHalt(account);
    this.record('trading_state', account, { state: this.tradingState(account), reason: `resumed: ${reason}` });
  }

  // ── user orders ─────────────────────────────────────────────────────────────
  /**
   * A new order: trading state and new-order lane (opening orders only), the engine's pre-trade
   * check (the order event is recorded either way), then the broker. Risk-reducing orders skip the
   * state and lane gates and go to the broker reduce-only.
   */
  async submitOrder(req: NewOrder): Promise<SubmitResult> {
    const clientOrderId = req.clientOrderId ?? `gw-${this.advance()}-${++this.idSeq}`;
    const t = this.advance();
    this.fireDueTimers(t);
    const reducing = isRiskReducing(positionQty(this.engine, req.account, req.symbol), req);
    const raw = orderEvent({ ...req, type: req.type, limitPrice: req.limitPrice, stopPrice: req.stopPrice, reduceOnly: req.reduceOnly ?? false }, clientOrderId, t);
    const event = parseEvent(raw);
    if (event.type !== 'order') throw new Error('unreachable');
    const ruleRejections = this.engine.mode === 'enforce' ? this.engine.preTrade(this.engine.account(req.account), event) : [];
    if (!reducing && ruleRejections.length === 0) {
      const gate = this.gate(req.account, t);
      if (gate) {
        this.record('gateway_decision', req.account, { kind: 'rejection', rule: 'GATEWAY', action: 'reject', symbol: req.symbol, orderId: clientOrderId, reason: gate.reason, outcomes: [{ kind: 'reject', orderId: clientOrderId, code: gate.code }] });
        return { status: 'rejected', clientOrderId, codes: [gate.code], rules: ['GATEWAY'], reasons: [gate.reason] };
      }
    }
    this.ids.known.add(clientOrderId);
    const decisions = this.apply(raw);
    const rejected = decisions.filter((d) => d.kind === 'rejection' && d.orderId === clientOrderId);
    if (rejected.length > 0 && this.engine.mode === 'enforce') {
      this.ids.ended.add(clientOrderId);
      this.apply(orderStatusEvent(req.account, clientOrderId, 'rejected', this.advance()));
      const codes = rejected.flatMap((d) => d.outcomes.flatMap((o) => (o.kind === 'reject' ? [o.code] : [])));
      return { status: 'rejected', clientOrderId, codes, rules: rejected.map((d) => d.rule), reasons: rejected.map((d) => d.reason) };
    }
    const reduceOnly = reducing || (req.reduceOnly ?? false);
    let order: Order;
    this.journal.flush?.(); // the order event is durable before the order leaves
    try {
      order = await this.broker.placeOrder({ ...req, clientOrderId, reduceOnly });
    } catch (err) {
      if (!this.ids.ended.has(clientOrderId)) {
        this.ids.ended.add(clientOrderId);
        this.apply(orderStatusEvent(req.account, clientOrderId, 'rejected', this.advance()));
      }
      throw err;
    }
    this.onBrokerOrder(order);
    return { status: 'routed', order, reduceOnly };
  }

  /**
   * Changes a working order (riskgate's or the broker's id). A change that adds exposure is
   * pre-trade checked like a new order (enforce mode) and refused when a rule rejects it; the
   * venue's confirmed change then enters the engine as an `order_update` (DESIGN §4).
   */
  async modifyOrder(account: string, orderId: string, changes: OrderChanges): Promise<ModifyResult> {
    const t = this.advance();
    this.fireDueTimers(t);
    const engineId = this.ids.engineIds.get(orderId) ?? orderId;
    if (this.engine.mode === 'enforce') {
      const update = parseEvent(orderUpdateEvent(account, engineId, changes, t)) as OrderUpdateEvent;
      const rejections = this.engine.preTradeUpdate(account, update);
      if (rejections.length > 0) {
        for (const r of rejections) this.record('gateway_decision', account, { kind: 'rejection', rule: r.rule, action: 'reject', orderId: engineId, reason: `modify refused: ${r.reason}`, outcomes: [{ kind: 'reject', orderId: engineId, code: r.code }] });
        return { status: 'rejected', orderId: engineId, codes: rejections.map((r) => r.code), rules: rejections.map((r) => r.rule), reasons: rejections.map((r) => r.reason) };
      }
    }
    this.journal.flush?.();
    const order = await this.broker.modifyOrder(account, this.ids.brokerIds.get(engineId) ?? orderId, changes);
    this.onBrokerOrder(order);
    return { status: 'routed', order };
  }

  /** Cancels are never blocked (invariant 1): straight to the broker (riskgate's or the broker's order id). */
  async cancelOrder(account: string, orderId: string): Promise<Order> {
    const order = await this.broker.cancelOrder(account, this.ids.brokerIds.get(orderId) ?? orderId);
    this.onBrokerOrder(order);
    return order;
  }

  /** A manual flatten of an account: the same enforcement machinery as a rule's close_all. */
  async flatten(account: string, reason: string): Promise<Enforcement[]> {
    const ts = isoOf(this.advance());
    const out = enforcementsFor({ account, rule: 'MANUAL', ts, outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }] }).map((e) => this.enforcer.request(e));
    this.record('gateway_decision', account, { kind: 'manual', rule: 'MANUAL', action: 'close_all', reason, outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }] });
    await this.kick();
    return out;
  }

  private gate(account: string, t: number): { code: string; reason: string } | undefined {
    const r = this.reasons(account);
    const state = stateOf(r);
    if (state !== 'ACTIVE') return { code: `TRADING_STATE_${state}`, reason: `account ${account} is ${state} (${[...r.halted, ...r.reducing].join('; ')}): only risk-reducing orders pass` };
    if (!this.lane.take(t)) return { code: 'RATE_LIMITED', reason: 'new-order lane is empty (too many new orders); cancels and closes are not limited' };
    return undefined;
  }

  // ── broker order updates ────────────────────────────────────────────────────
  private onBrokerOrder(o: Order): void {
    const id = o.clientOrderId;
    this.ids.engineIds.set(o.orderId, id);
    this.ids.brokerIds.set(id, o.orderId);
    if (!this.ids.known.has(id)) {
      if (o.status === 'rejected') return; // never worked: nothing for the engine to know
      this.ids.known.add(id);
      // An order riskgate did not route (enforcement, bracket child, the venue's own UI).
      const ds = this.apply(orderEvent(o, id, this.advance(o.updatedTs)));
      if (this.engine.mode === 'enforce' && o.status === 'working' && ds.some((d) => d.kind === 'rejection' && d.orderId === id)) {
        this.queue(o.account, `cancel of ${o.orderId}, rejected by riskgate`, () => this.broker.cancelOrder(o.account, o.orderId)); // riskgate would have rejected it
      }
    }
    else if (o.status === 'working') this.applyVenueChange(o, id);
    // A filled order leaves the engine with its last fill (its status precedes the fill here).
    if ((o.status === 'cancelled' || o.status === 'rejected') && !this.ids.ended.has(id)) {
      this.ids.ended.add(id);
      this.apply(orderStatusEvent(o.account, id, o.status, this.advance(o.updatedTs)));
    }
  }

  /**
   * A working order changed at the venue (qty, limit or stop price): the engine learns it as an
   * `order_update`; one riskgate would have rejected is cancelled (enforce mode), journaled first.
   */
  private applyVenueChange(o: Order, id: string): void {
    const held = workingOrders(this.engine, o.account).find((w) => w.orderId === id);
    if (!held || held.rejected) return;
    const changes: { qty?: Fixed; limitPrice?: Fixed; stopPrice?: Fixed } = {};
    if (o.qty !== held.qty) changes.qty = o.qty;
    if (o.limitPrice !== undefined && o.limitPrice !== held.price) changes.limitPrice = o.limitPrice;
    if (o.stopPrice !== undefined && o.stopPrice !== held.stopPrice) changes.stopPrice = o.stopPrice;
    if (Object.keys(changes).length === 0) return;
    const ds = this.apply(orderUpdateEvent(o.account, id, changes, this.advance(o.updatedTs)));
    if (this.engine.mode !== 'enforce' || !ds.some((d) => d.outcomes.some((x) => x.kind === 'cancel_order'))) return;
    const ts = isoOf(this.advance());
    this.record('enforcement', o.account, { key: `${o.account}|cancel_order|${id}|${ts}`, kind: 'cancel_order', rule: ds.find((d) => d.kind === 'rejection')?.rule ?? 'GATEWAY', symbol: o.symbol, orderId: id, status: 'requested', attempts: 0, note: `cancel ${o.orderId}: its change at the venue was rejected by riskgate`, ...(this.opts.dryRun ? { dryRun: true } : {}) });
    this.queue(o.account, `cancel of ${o.orderId}, changed at the venue beyond the rules`, () => this.broker.cancelOrder(o.account, o.orderId));
  }

  /** Queues a broker call for the kick loop (skipped in dry run); a failure becomes an alert. */
  private queue(account: string, what: string, call: () => Promise<unknown>): void {
    if (this.opts.dryRun) return;
    this.actions.push(async () => {
      try {
        this.journal.flush?.();
        await call();
      } catch (err) {
        this.alert(account, { rule: 'GATEWAY', reason: `${what} failed: ${err instanceof Error ? err.message : String(err)}` });
      }
    });
    queueMicrotask(() => void this.kick());
  }

  /** RULE-012: the engine moved a stop (it already holds the new price); the broker's order follows. */
  private moveStops(d: Decision): void {
    for (const o of d.outcomes) {
      if (o.kind !== 'move_stop') continue;
      const brokerId = this.ids.brokerIds.get(o.orderId);
      const stopPrice = formatFixed(o.stopPrice);
      this.record('enforcement', d.account, { key: `${d.account}|${d.rule}|${d.ts}|move_stop|${o.orderId}`, kind: 'move_stop', rule: d.rule, ...(d.symbol ? { symbol: d.symbol } : {}), orderId: o.orderId, stopPrice, status: 'requested', attempts: 0, note: brokerId ? `modify ${brokerId} stop ${stopPrice}` : 'no broker order known', ...(this.opts.dryRun ? { dryRun: true } : {}) });
      if (brokerId) this.queue(d.account, `move stop of ${brokerId} to ${stopPrice}`, () => this.broker.modifyOrder(d.account, brokerId, { stopPrice: o.stopPrice }));
    }
  }

  /** The engine id of a broker order (reconcile), else undefined. */
  engineIdOf(brokerOrderId: string): string | undefined {
    return this.ids.engineIds.get(brokerOrderId);
  }

  /** Marks an engine order as known / ended (reconcile corrections). */
  noteOrder(engineId: string, ended: boolean): void {
    this.ids.known.add(engineId);
    if (ended) this.ids.ended.add(engineId);
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
