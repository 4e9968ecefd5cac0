/**
 * The live parts of a trading node: the broker (from the adapter registry by `broker.kind`, or
 * injected), the gateway around the recovered engine, the reconciler, the paper market feed and
 * the demo trader, and the timers that drive them. Built by `TradingNode.build`; the node owns
 * it and exposes only commands, queries and the bus.
 */
import type { BrokerAdapter, Quote } from '../adapters/broker.ts';
import { brokerEntry, brokerKinds, type BrokerEntry, type BrokerFactoryContext } from '../adapters/registry.ts';
import type { RawConfig } from '../config/schema.ts';
import { parseFixed } from '../domain/money.ts';
import type { Decision } from '../engine/decision.ts';
import type { Enforcement } from '../engine/enforcer.ts';
import { AppError } from '../errors.ts';
import type { DemoTraderOptions } from './demo-trader.ts';
import { Gateway, type GatewayOptions } from './gateway.ts';
import { recoverGatewayState, restoreGateway, type GatewayRecord } from './gateway-recovery.ts';
import { MarketFeed, ticksFromBars, type Tick } from './market-feed.ts';
import type { PersistentEngine } from './persistent-engine.ts';
import { Reconciler, type Mismatch } from './reconcile.ts';
import { parseDuration } from '../risk/config-types.ts';
import { BUNDLED_SP500 } from './bundled-data.ts';

import { MIN_FEED_INTERVAL_MS } from './feed-limits.ts';

export interface RuntimeOptions {
  /** A broker instead of the registry's (tests, fault injection). */
  readonly broker?: BrokerAdapter;
  readonly random?: () => number;
  /** Enforcements are journaled, the broker is never called for them. */
  readonly dryRun?: boolean;
  /** Paper market feed: default the bundled S&P closes as MES and ES, one quote per second; false = none. */
  readonly feed?:
    false | { readonly ticks?: readonly Tick[]; readonly symbols?: readonly string[]; readonly intervalMs?: number };
  /** Engine timers and due enforcements (default 250 ms), reconcile passes (config `reconcile.interval`, default 30 s), journal commits (1 s). */
  readonly tickMs?: number;
  readonly reconcileMs?: number;
  readonly commitMs?: number;
  readonly enforcement?: GatewayOptions['enforcement'];
  readonly newOrderLane?: GatewayOptions['newOrderLane'];
  /** A scripted trader on the first paper account (quick start); off unless set. */
  readonly demoTrader?: false | DemoTraderOptions;
  /** The config was given by the user (a changed one is applied to an existing store). */
  readonly configGiven?: boolean;
}

export interface RuntimeHooks {
  onEvent(raw: Readonly<Record<string, unknown>>): void;
  /** The engine stepped that event (positions and P&L include it). */
  onStepped?(raw: Readonly<Record<string, unknown>>): void;
  onDecision(d: Decision): void;
  onEnforcement(e: Enforcement, note: string): void;
  onReconcileMismatch?(account: string, mismatches: readonly Mismatch[], tradingState: string): void;
  /** Marks went stale or fresh again (optional). */
  onMarks?(account: string): void;
  onError(err: unknown): void;
}

type PaperFeedable = BrokerAdapter & { feedQuote(q: Quote): void };

export class NodeRuntime {
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  /** Started and not stopped (the broker connected and subscribed). */
  connected = false;
  private resumed = 0;

  private constructor(
    private readonly store: PersistentEngine,
    readonly broker: BrokerAdapter,
    readonly brokerKind: string,
    readonly gateway: Gateway,
    readonly reconciler: Reconciler,
    readonly feed: MarketFeed | undefined,
    private readonly opts: RuntimeOptions,
    private readonly hooks: RuntimeHooks,
  ) {}

  static async create(
    store: PersistentEngine,
    opts: RuntimeOptions,
    now: () => number,
    hooks: RuntimeHooks,
  ): Promise<NodeRuntime> {
    const config: RawConfig = store.engine.rawConfig ?? store.config;
    const { kind, entry } = brokerOf(config);
    const ctx: BrokerFactoryContext = {
      section: config.broker,
      paperAccounts: (config.paper?.accounts ?? [{ id: 'PAPER-1', balance: '50000' }]).map((a) => ({
        id: a.id,
        balance: parseFixed(a.balance),
      })),
      now,
    };
    const broker = opts.broker ?? (await entry.create(ctx));
    const accounts = entry.accounts(ctx);
    const gateway = new Gateway({
      engine: store.engine,
      journal: store.journal,
      broker,
      accounts,
      now,
      dryRun: opts.dryRun ?? false,
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.enforcement ? { enforcement: opts.enforcement } : {}),
      ...((opts.newOrderLane ?? config.newOrders) ? { newOrderLane: opts.newOrderLane ?? config.newOrders } : {}),
      step: (input) => store.process(input),
      onEvent: (raw) => hooks.onEvent(raw),
      onStepped: (raw) => hooks.onStepped?.(raw),
      onDecision: (d) => hooks.onDecision(d),
      onEnforcement: (e, note) => hooks.onEnforcement(e, note),
      onError: (err) => hooks.onError(err),
      onMarks: (account) => hooks.onMarks?.(account),
    });
    const feed = paperFeed(broker, opts, now);
    const reconciler = new Reconciler(gateway, {
      onMismatch: (account, mismatches, state) => hooks.onReconcileMismatch?.(account, mismatches, state),
    });
    const reconcileMs = opts.reconcileMs ?? (config.reconcile ? parseDuration(config.reconcile.interval) : 30_000);
    const rt = new NodeRuntime(store, broker, kind, gateway, reconciler, feed, { ...opts, reconcileMs }, hooks);
    rt.resumed = restoreGateway(gateway, recoverGatewayState(store.journal.iterate() as Iterable<GatewayRecord>));
    return rt;
  }

  get accounts(): readonly string[] {
    return this.gateway.accounts;
  }

  /** Connects and subscribes, reconciles once, then runs timers and feed. Returns the enforcements resumed. */
  async start(opts: { feed?: boolean } = {}): Promise<number> {
    await this.gateway.start();
    this.connected = true;
    await this.reconciler.runOnce(this.accounts);
    this.reconciler.start(this.accounts, this.opts.reconcileMs ?? 30_000, this.hooks.onError);
    // The tick timer keeps the process alive while the node runs (the others do not hold it).
    this.every(this.opts.tickMs ?? 250, () => void this.gateway.tick().catch(this.hooks.onError)).ref();
    this.every(this.opts.commitMs ?? 1000, () => this.store.commit());
    if (opts.feed !== false) this.feed?.start();
    return this.resumed;
  }

  async stop(): Promise<void> {
    this.connected = false;
    this.feed?.stop();
    this.reconciler.stop();
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.gateway.stop();
    await this.broker.disconnect();
    this.store.commit();
  }

  private every(ms: number, fn: () => void): ReturnType<typeof setInterval> {
    const t = setInterval(() => {
      try {
        fn();
      } catch (err) {
        this.hooks.onError(err);
      }
    }, ms);
    t.unref();
    this.timers.push(t);
    return t;
  }
}

/** The registry entry of the config's `broker.kind` (paper when there is no broker section); never a fallback. */
export function brokerOf(config: RawConfig): { kind: string; entry: BrokerEntry } {
  const kind = typeof config.broker?.kind === 'string' ? config.broker.kind : 'paper';
  const entry = brokerEntry(kind);
  if (!entry)
    throw new AppError(
      'ERR_CONFIG_INVALID',
      `broker.kind: unknown broker kind ${JSON.stringify(kind)}; known kinds: ${brokerKinds().join(', ')}`,
    );
  return { kind, entry };
}

function paperFeed(broker: BrokerAdapter, opts: RuntimeOptions, now: () => number): MarketFeed | undefined {
  if (opts.feed === false || typeof (broker as Partial<PaperFeedable>).feedQuote !== 'function') return undefined;
  const feed = opts.feed ?? {};
  const intervalMs = feed.intervalMs ?? 1000;
  if (!(intervalMs >= MIN_FEED_INTERVAL_MS))
    throw new AppError(
      'ERR_INPUT_INVALID',
      `feed interval: at least ${MIN_FEED_INTERVAL_MS} ms (got ${intervalMs}): every quote is journaled`,
    );
  return new MarketFeed({
    broker: broker as PaperFeedable,
    ticks: feed.ticks ?? ticksFromBars(BUNDLED_SP500),
    symbols: feed.symbols ?? ['MES', 'ES'],
    now,
    intervalMs,
  });
}
