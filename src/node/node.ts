/**
 * The trading node (DESIGN §1): the one application layer. Built from a validated config plus
 * ports (a broker from the adapter registry by `broker.kind`, the store in a data dir, a clock, a
 * logger), it owns the lifecycle recover → reconcile → run → drain, offers commands and queries,
 * and publishes every decision, fill, order change, position change, risk change and lock on its
 * bus. The CLI, the server and the tests use only this surface.
 *
 *   TradingNode.open(opts)   recover the store (data-dir lock held): queries, lock/unlock, config
 *   TradingNode.build(opts)  … plus the broker, gateway, reconciler and (paper) market feed
 *   node.start()             connect, reconcile once, run timers and feed
 *   node.stop(reason)        drain: stop feeds and timers, finish enforcement runs, snapshot, close
 */
import { NodePublisher } from './publisher.ts';
import { existsSync } from 'node:fs';
import type { RawConfig } from '../config/schema.ts';
import { sameRules } from '../config/tightening.ts';
import { resolveRules } from '../config/rules.ts';
import { isoOf } from '../domain/events.ts';
import type { Decision } from '../engine/decision.ts';
import type { EngineMode } from '../engine/risk-engine.ts';
import { hasAccount, positionQty } from '../engine/views.ts';
import { DemoTrader, type DemoTraderPort } from './demo-trader.ts';
import { StrategyHostRunner } from './strategy-host-node.ts';
import { AppError } from '../errors.ts';
import { NodeBus } from './bus.ts';
import { silentLogger, type Logger } from './logger.ts';
import { PersistentEngine, journalPath } from './persistent-engine.ts';
import type { ConfigChangeAudit } from './config-diff.ts';
import { ReadModels } from './read-models.ts';
import { NodeQueries } from './queries.ts';
import { brokerOf, NodeRuntime } from './runtime.ts';
import type { ModifyResult, NewOrder, SubmitResult } from './gateway.ts';
import type { Order, OrderChanges } from '../adapters/broker.ts';
import type { Enforcement } from '../engine/enforcer.ts';
import type { Mismatch } from './reconcile.ts';
import type { DailyReport } from './daily-report.ts';
import { accountDays, calendarOf, dailyReportOf } from './reports.ts';
import { journalView, type JournalFilter, type JournalRecordView } from './journal-view.ts';
import type { TradingNodeOptions } from './node-options.ts';

export type { JournalRecordView } from './journal-view.ts';
export type { TradingNodeOptions } from './node-options.ts';

export class TradingNode {
  readonly bus: NodeBus;
  readonly log: Logger;
  readonly queries: NodeQueries;
  private readonly models: ReadModels;
  private readonly publisher: NodePublisher;
  private readonly now: () => number;
  private runtime: NodeRuntime | undefined;
  private demo: DemoTrader | undefined;
  private strategies: StrategyHostRunner | undefined;
  private closed = false;
  private readonly readOnly: boolean;
  private readonly dataDirPath: string;

  private constructor(
    private readonly store: PersistentEngine,
    readonly fresh: boolean,
    opts: TradingNodeOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.bus = new NodeBus(opts.streamEpoch);
    this.log = opts.logger ?? silentLogger();
    this.models = new ReadModels(1000, (symbol) => store.engine.instruments.find(symbol));
    this.queries = new NodeQueries(store.engine, this.models, () => this.runtime?.gateway);
    this.publisher = new NodePublisher(this.bus, this.models, this.queries, this.log, this.now, () =>
      isoOf(this.eventTime()),
    );
    this.readOnly = opts.readOnly ?? false;
    this.dataDirPath = opts.dataDir;
  }

  /** Recovers the store in the data dir (creating it from the config when new); no broker. */
  static open(opts: TradingNodeOptions): TradingNode {
    const fresh = !existsSync(journalPath(opts.dataDir));
    if (fresh && (!opts.config || opts.readOnly))
      throw new AppError(
        'ERR_FILE_NOT_FOUND',
        `no riskgate store in ${opts.dataDir} (expected ${journalPath(opts.dataDir)}); \`riskgate start --data-dir ${opts.dataDir}\` creates one`,
      );
    const store = PersistentEngine.open(opts.dataDir, {
      ...(fresh ? { config: opts.config, mode: opts.mode ?? 'enforce', execution: 'broker' } : {}),
      ...(opts.owner ? { owner: opts.owner } : {}),
      ...(opts.readOnly ? { readOnly: true } : {}),
    });
    const node = new TradingNode(store, fresh, opts);
    try {
      node.log.info(
        { dataDir: opts.dataDir, fresh, headSeq: store.journal.head().seq, recovered: store.recovered },
        `${fresh ? 'new' : 'existing'} store ${opts.dataDir}: recovered ${store.recovered.records} record(s) after snapshot seq ${store.recovered.snapshotSeq}`,
      );
      node.warmReadModels(opts.warmRecords ?? 100_000);
      if (
        !fresh &&
        opts.config &&
        opts.configGiven &&
        store.engine.rawConfig &&
        !sameRules(store.engine.rawConfig, opts.config)
      )
        node.changeConfig(opts.config, { actor: 'start', reason: 'the config given at start differs' });
    } catch (err) {
      store.close();
      throw err;
    }
    return node;
  }

  /** Recovers the store and builds the live parts: broker (adapter registry), gateway, reconciler, feed. */
  static async build(opts: TradingNodeOptions): Promise<TradingNode> {
    if (opts.config) brokerOf(opts.config); // an unknown broker kind fails before the store is touched
    const node = TradingNode.open(opts);
    try {
      if (opts.readOnly) throw new AppError('ERR_INPUT_INVALID', 'a read-only node cannot connect to a broker');
      if (node.store.simulate && node.store.engine.mode === 'enforce') {
        throw new AppError(
          'ERR_CONFIG_INVALID',
          `${opts.dataDir} holds an ingested (simulated-execution) history; start the gateway with a new --data-dir`,
        );
      }
      const rt = await NodeRuntime.create(node.store, opts, node.now, {
        onEvent: (raw) => node.publisher.onEvent(raw),
        onStepped: (raw) => node.publisher.onStepped(raw),
        onDecision: (d) => node.publisher.onDecision(d),
        onEnforcement: (e, note) => node.publisher.onEnforcement(e, note),
        onReconcileMismatch: (account, mismatches, state) =>
          node.publisher.onReconcileMismatch(account, mismatches, state),
        onMarks: (account) => node.publisher.onMarks(account),
        onError: (err) => {
          node.log.error({ err }, `gateway error: ${err instanceof Error ? err.message : String(err)}`);
          opts.onError?.(err);
        },
      });
      node.runtime = rt;
      if (opts.demoTrader && rt.accounts[0])
        node.demo = new DemoTrader(node.demoPort(), rt.accounts[0], opts.demoTrader);
      const config = node.store.engine.rawConfig;
      if (config) node.strategies = await StrategyHostRunner.create(node, config, rt.accounts, node.now);
    } catch (err) {
      node.close();
      throw err;
    }
    return node;
  }

  get accounts(): readonly string[] {
    return this.runtime?.accounts ?? this.queries.accounts().map((a) => a.account);
  }

  get mode(): EngineMode {
    return this.store.engine.mode;
  }

  /** The config in force (stricter keys of a pending change included); undefined before one is set. */
  get config(): RawConfig | undefined {
    return this.store.engine.rawConfig;
  }

  get dataDir(): string {
    return this.dataDirPath;
  }

  /** The live parts, for the smoke test's checks and the paper feed (undefined on an offline node). */
  get live(): NodeRuntime | undefined {
    return this.runtime;
  }

  /** `/ready`: the store is open and, for a live node, the broker is connected and subscribed. */
  readiness(): { ready: boolean; store: boolean; broker: 'connected' | 'disconnected' | 'none' } {
    const store = !this.closed;
    const broker = !this.runtime ? 'none' : this.runtime.connected ? 'connected' : 'disconnected';
    return { ready: store && broker === 'connected', store, broker };
  }

  /** Counters for `/metrics`: events the engine processed, the journal head and records not yet committed. */
  stats(): { eventsProcessed: number; journalHeadSeq: number; journalPending: number } {
    if (this.closed) return { eventsProcessed: 0, journalHeadSeq: 0, journalPending: 0 };
    return {
      eventsProcessed: this.store.engine.eventsProcessed,
      journalHeadSeq: this.store.journal.head().seq,
      journalPending: this.store.journal.pendingCount,
    };
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────
  /** Connects the broker, reconciles once, then runs timers and (unless `feed: false`) the market feed. */
  async start(opts: { feed?: boolean } = {}): Promise<void> {
    const rt = this.requireRuntime('start');
    const resumed = await rt.start(opts);
    this.store.commit(); // what start-up learned from the broker is readable beside the node at once
    this.demo?.start();
    this.strategies?.start();
    this.log.info(
      { accounts: rt.accounts, brokerKind: rt.brokerKind, mode: this.mode, rules: this.rulesOf(rt.accounts[0]) },
      `running: ${rt.brokerKind} broker, accounts ${rt.accounts.join(', ')}; ${this.mode} mode; rules ${this.rulesOf(rt.accounts[0]).join(', ') || 'none (add risk.rules to the config)'}; ${resumed} enforcement(s) resumed`,
    );
    const config = this.store.engine.rawConfig;
    const caps = config ? brokerOf(config).entry.capabilities : undefined;
    if (
      caps &&
      !caps.venueDailyLossLimit &&
      rt.brokerKind !== 'paper' &&
      this.rulesOf(rt.accounts[0]).includes('RULE-003')
    )
      this.log.warn({ brokerKind: rt.brokerKind }, `daily loss limit not mirrored at the venue: ${caps.note}`);
  }

  /** Drains: stops feed and timers, lets enforcement runs finish, snapshots and closes the store. */
  async stop(reason = 'stop'): Promise<void> {
    if (this.closed) return;
    this.demo?.stop();
    this.strategies?.stop();
    await this.runtime?.stop();
    if (!this.readOnly) this.store.snapshot();
    this.close();
    this.log.info({ reason }, `stopped (${reason}); journal committed and snapshotted`);
  }

  /** Commits what the journal holds pending (the runtime does so every second). */
  commit(): void {
    if (!this.closed && !this.readOnly) this.store.commit();
  }

  /** Closes the store without draining (an offline node, or after a failed build). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.store.close();
  }

  // ── commands ────────────────────────────────────────────────────────────────
  /** Pre-trade check, trading state and new-order lane, then the broker. */
  async submitOrder(order: NewOrder): Promise<SubmitResult> {
    return this.requireRuntime('submitOrder').gateway.submitOrder(order);
  }

  /** A change that adds exposure is pre-trade checked; one that only reduces risk never blocked. */
  async modifyOrder(account: string, orderId: string, changes: OrderChanges): Promise<ModifyResult> {
    return this.requireRuntime('modifyOrder').gateway.modifyOrder(account, orderId, changes);
  }

  /** Never blocked (invariant 1). */
  async cancelOrder(account: string, orderId: string): Promise<Order> {
    return this.requireRuntime('cancelOrder').gateway.cancelOrder(account, orderId);
  }

  /** Cancel every working order and close every position, through the enforcement machinery. */
  async flatten(account: string, reason: string): Promise<Enforcement[]> {
    this.requireAccount(account);
    return this.requireRuntime('flatten').gateway.flatten(account, reason);
  }

  /** Admin lock until an admin unlocks (journaled with who and why). */
  lock(account: string, reason: string, actor = 'admin'): Decision[] {
    return this.admin('lock', account, reason, actor);
  }

  /** Admin early unlock of every lock (journaled); a HALTED account is resumed too. */
  unlock(account: string, reason: string, actor = 'admin'): Decision[] {
    const out = this.admin('unlock', account, reason, actor);
    const gw = this.runtime?.gateway;
    if (gw && gw.tradingState(account) === 'HALTED') gw.resume(account, `${actor}: ${reason}`);
    return out;
  }

  /** Stricter keys apply now, the complete config from the next trading-day reset (invariant 4). */
  changeConfig(next: RawConfig, audit?: ConfigChangeAudit): Decision[] {
    this.requireWritable('changeConfig');
    const decisions = this.store.changeConfig(next, this.eventTime(), audit);
    for (const d of decisions) this.publisher.onDecision(d);
    return decisions;
  }

  /** Admin: clears a HALTED account's causes (e.g. a failed enforcement handled by hand); journaled. */
  resume(account: string, reason: string, actor = 'admin'): void {
    this.requireAccount(account);
    if (!reason.trim()) throw new AppError('ERR_INPUT_INVALID', 'reason: required (it is journaled with the action)');
    this.requireRuntime('resume').gateway.resume(account, `${actor}: ${reason}`);
  }

  /** Fires due engine timers (grace periods, lock ends, resets) and runs due enforcements now (the runtime does so every tick). */
  async tick(): Promise<void> {
    await this.requireRuntime('tick').gateway.tick();
  }

  /** Runs a reconcile pass over every account now (the runtime does so every `reconcileMs`): account state, positions, working orders. */
  async reconcile(): Promise<Mismatch[]> {
    const rt = this.requireRuntime('reconcile');
    return rt.reconciler.runOnce(rt.accounts);
  }

  /** Resolves when no enforcement or queued broker call is in progress. */
  async idle(): Promise<void> {
    await this.runtime?.gateway.idle();
  }

  /**
   * The audit trail: journal records (events, decisions, enforcements, admin actions, trading
   * states) committed so far, oldest first, optionally of one kind and account.
   */
  journal(filter: JournalFilter = {}): JournalRecordView[] {
    this.commit();
    return journalView(this.store.journal.iterate(filter.fromSeq ?? 1), filter);
  }

  /** The daily report of an account for a trading day (default: the current one), issue 18. */
  dailyReport(account: string, date?: string): DailyReport {
    this.requireAccount(account);
    this.commit();
    return dailyReportOf(this.store, this.dataDirPath, account, date, this.now());
  }

  /** The engine's current trading day (label, start, end), after its last event or reset. */
  get tradingDay(): { label: string; start: number; end: number } | undefined {
    const day = this.store.engine.clock.day;
    return day ? { ...day } : undefined;
  }

  /** The label of the trading day containing `t` (epoch ms), in the store's calendar. */
  dayLabelAt(t: number): string {
    return calendarOf(this.store).dayOf(t).label;
  }

  /** Trading days on which the journal holds events of the account (the shadow days of a shadow store). */
  tradingDays(account: string): string[] {
    this.commit();
    return accountDays(this.store, this.dataDirPath, account);
  }

  /** The strategy host's latest selection, target and orders on the account (undefined: no host there). */
  strategySelection(account: string): Readonly<Record<string, unknown>> | undefined {
    this.requireAccount(account);
    return this.strategies?.account === account ? this.strategies.host.status() : undefined;
  }

  // ── internals ───────────────────────────────────────────────────────────────
  private admin(action: 'lock' | 'unlock', account: string, reason: string, actor: string): Decision[] {
    this.requireWritable(action);
    if (!reason.trim()) throw new AppError('ERR_INPUT_INVALID', 'reason: required (it is journaled with the action)');
    this.requireAccount(account);
    const decisions = this.store.admin({ action, account, reason, t: this.eventTime(), actor });
    for (const d of decisions) this.publisher.onDecision(d);
    return decisions;
  }

  /** Event time for a node action: the gateway's (never backwards), else wall clock after the store's last event. */
  private eventTime(): number {
    const gw = this.runtime?.gateway;
    if (gw) return gw.advance();
    const last = this.store.engine.clock.lastT;
    const t = this.now();
    return Number.isFinite(last) && t < last ? last : t;
  }

  private demoPort(): DemoTraderPort {
    return {
      submitOrder: (o) => this.submitOrder(o),
      cancelOrder: (account, id) => this.cancelOrder(account, id),
      positionQty: (account, symbol) => positionQty(this.store.engine, account, symbol),
      mark: (symbol) => this.store.engine.markOf(symbol),
      say: (message) => this.log.info({ demo: true }, message),
    };
  }

  private requireAccount(account: string): void {
    if (!hasAccount(this.store.engine, account) && !(this.runtime?.accounts.includes(account) ?? false)) {
      throw new AppError(
        'ERR_ACCOUNT_UNKNOWN',
        `unknown account ${account} (known: ${this.accounts.join(', ') || 'none'})`,
      );
    }
  }

  private requireWritable(what: string): void {
    if (this.closed) throw new AppError('ERR_NODE_OFFLINE', `${what}: the node is stopped`);
    if (this.readOnly) throw new AppError('ERR_INPUT_INVALID', `${what}: this node was opened read-only`);
  }

  private requireRuntime(what: string): NodeRuntime {
    if (this.closed) throw new AppError('ERR_NODE_OFFLINE', `${what}: the node is stopped`);
    if (!this.runtime) throw new AppError('ERR_NODE_OFFLINE', `${what}: this node is not connected to a broker`);
    return this.runtime;
  }

  private rulesOf(account: string | undefined): string[] {
    const config = this.store.engine.rawConfig;
    return account && config ? resolveRules(config, account).map((r) => r.rule.id) : [];
  }

  private warmReadModels(records: number): void {
    const head = this.store.journal.head().seq;
    for (const rec of this.store.journal.iterate(Math.max(1, head - records + 1))) {
      if (rec.kind === 'event') this.models.applyEvent(rec.body as Record<string, unknown>);
      else if (rec.kind === 'decision') this.models.applyDecisionJson(rec.body as Record<string, unknown>);
    }
  }
}
