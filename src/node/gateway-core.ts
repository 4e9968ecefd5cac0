/**
 * The core of the live loop (gateway.ts): gateway time, one entry point into the engine and the
 * journal, enforcement runs (the Enforcer and queued broker calls, never two at once), trading
 * states and the ids remembered between broker and engine. Gateway adds the broker's streams,
 * user orders and venue-side order changes on top. See docs/node.md.
 */
import type { BrokerAccountState, BrokerAdapter, Order, OrderRequest } from '../adapters/broker.ts';
import { isoOf, parseEvent } from '../domain/events.ts';
import { formatFixed } from '../domain/money.ts';
import { Enforcer, enforcementsFor, type Enforcement, type EnforcerOptions } from '../engine/enforcer.ts';
import type { Decision } from '../engine/decision.ts';
import type { JournalSink } from '../engine/journal-port.ts';
import { GatewayIds } from './gateway-ids.ts';
import { step, type ReplayInput } from '../engine/step.ts';
import type { RiskEngine } from '../engine/risk-engine.ts';
import { activeLocks, canTradeOf, hasAccount, nextDeadline, workingOrderIds } from '../engine/views.ts';
import { accountEvent, type RawEvent } from './gateway-events.ts';
import { NewOrderLane, stateOf, TradingFlags, type StateReasons, type TradingState } from './gateway-state.ts';

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
  /** After the engine stepped the event and its decisions went out: views now include it. */
  readonly onStepped?: (raw: RawEvent) => void;
  readonly onError?: (err: unknown) => void;
  /** The broker's marks went stale or came back fresh (the account's risk view changed). */
  readonly onMarks?: (account: string) => void;
}

/** A user's new order (the client order id is generated when left out). */
export type NewOrder = Omit<OrderRequest, 'clientOrderId'> & { readonly clientOrderId?: string };

export type SubmitResult =
  | { readonly status: 'routed'; readonly order: Order; readonly reduceOnly: boolean }
  | {
      readonly status: 'rejected';
      readonly clientOrderId: string;
      readonly codes: readonly string[];
      readonly rules: readonly string[];
      readonly reasons: readonly string[];
    };

export type ModifyResult =
  | { readonly status: 'routed'; readonly order: Order }
  | {
      readonly status: 'rejected';
      readonly orderId: string;
      readonly codes: readonly string[];
      readonly rules: readonly string[];
      readonly reasons: readonly string[];
    };

export abstract class GatewayCore {
  readonly engine: RiskEngine;
  readonly broker: BrokerAdapter;
  readonly journal: JournalSink;
  readonly enforcer: Enforcer;
  readonly flags = new TradingFlags();
  readonly lane: NewOrderLane;
  protected readonly opts: GatewayOptions;
  private readonly stepFn: StepFn;
  private lastT = -Infinity;
  /** 'stale' while the broker's marks were stale at the last journaled change, else '' (one record per change). */
  private marksStaleSeen = '';
  // Remembered order and fill ids age out at trading-day resets (recent.ts), except those of
  // working orders, so a gateway running for months does not grow without bound.
  protected readonly ids = new GatewayIds();
  /** The engine's trading day when the remembered ids were last rotated. */
  private idsDay: string | undefined;
  protected readonly unsubscribe: (() => void)[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  protected idSeq = 0;
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

  /** Reports the broker's account state: the balance only for an account the engine has not seen (it is the equity base). */
  async syncAccount(account: string): Promise<void> {
    this.applyAccountState(await this.broker.getAccount(account));
  }

  /** An account state the broker reported (read or pushed): applied when it changes what the engine knows. */
  applyAccountState(s: BrokerAccountState): void {
    const account = s.account;
    const fresh = !hasAccount(this.engine, account);
    if (!fresh && canTradeOf(this.engine, account) === s.canTrade) return;
    this.apply(accountEvent(account, this.advance(), s.canTrade, fresh ? s.balance : undefined));
  }

  /** Fires due engine timers (lock ends, grace periods, resets) and runs due enforcements. */
  async tick(): Promise<void> {
    this.fireDueTimers(this.advance());
    this.noteMarks();
    await this.kick();
  }

  /** Why the broker's marks are stale now (a live venue feed that is down or silent), else empty. */
  marksStale(): readonly string[] {
    return this.broker.feedHealth?.().marksStale ?? [];
  }

  /** Journals each account's trading state when marks go stale or come back fresh. */
  private noteMarks(): void {
    const stale = this.marksStale();
    const key = stale.length > 0 ? 'stale' : '';
    if (key === this.marksStaleSeen) return;
    this.marksStaleSeen = key;
    for (const account of this.opts.accounts)
      this.record('trading_state', account, {
        state: this.tradingState(account),
        reason: stale.length > 0 ? `marks stale: ${stale.join('; ')}` : 'marks fresh again',
        stateReasons: [...this.reasons(account).halted, ...this.reasons(account).reducing],
      });
    for (const account of this.opts.accounts) this.opts.onMarks?.(account);
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
    this.opts.onStepped?.(raw);
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
    this.journal.append(
      account === undefined
        ? { ts, kind, body: { ts, ...body } }
        : { ts, kind, account, body: { ts, account, ...body } },
    );
  }

  protected fireDueTimers(t: number): void {
    const due = nextDeadline(this.engine);
    if (due !== undefined && due <= t) this.apply({ ts: isoOf(t), type: 'clock' });
  }

  protected onDecisions(decisions: readonly Decision[]): void {
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
    this.record('enforcement', e.account, {
      key: e.key,
      kind: e.kind,
      rule: e.rule,
      ...(e.symbol ? { symbol: e.symbol } : {}),
      ...(e.toQty !== undefined ? { toQty: formatFixed(e.toQty) } : {}),
      status: e.status,
      attempts: e.attempts,
      note,
      ...(e.lastError ? { lastError: e.lastError } : {}),
      ...(this.opts.dryRun ? { dryRun: true } : {}),
    });
    this.journal.flush?.(); // durable before the broker call that follows (group-commit journals buffer)
    this.opts.onEnforcement?.(e, note);
  }

  private enforcementFailed(e: Enforcement, message: string): void {
    this.flags.halt(e.account, `enforcement:${e.key}`, message);
    this.alert(e.account, {
      rule: e.rule,
      reason: message,
      enforcement: e.key,
      ...(e.symbol ? { symbol: e.symbol } : {}),
    });
  }

  /** Journals an alert decision (kind `alert`). */
  alert(account: string, body: { rule: string; reason: string; symbol?: string } & Record<string, unknown>): void {
    this.record('alert', account, {
      kind: 'alert',
      action: 'alert',
      ...body,
      outcomes: [{ kind: 'alert', message: body.reason }],
    });
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
    // No new risk is decided on old prices: opening orders wait for fresh marks.
    const stale = this.marksStale();
    if (stale.length > 0) reducing.push(`marks stale: ${stale.join('; ')}`);
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

  /** Queues a broker call for the kick loop (skipped in dry run); a failure becomes an alert. */
  protected queue(account: string, what: string, call: () => Promise<unknown>): void {
    if (this.opts.dryRun) return;
    this.actions.push(async () => {
      try {
        this.journal.flush?.();
        await call();
      } catch (err) {
        this.alert(account, {
          rule: 'GATEWAY',
          reason: `${what} failed: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    });
    queueMicrotask(() => void this.kick());
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

  protected guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  /** RULE-012 moved a stop in the engine: the broker's order follows (gateway.ts). */
  protected abstract moveStops(d: Decision): void;
}
