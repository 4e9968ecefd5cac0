/**
 * The paper system `riskgate start` and `riskgate smoke` run when no broker is configured
 * (DESIGN §5): paper broker with the config's `paper.accounts` (default PAPER-1, 50000), the risk
 * engine in enforce mode, the live gateway, the reconciler, and the bundled S&P data as the market
 * feed. `createPaperSystem` only builds; `start` connects, reconciles once, and starts the timers
 * (feed, engine timers + due enforcements, periodic reconcile); `stop` undoes it.
 */
import { fileURLToPath } from 'node:url';
import { PaperBroker } from '../adapters/paper/index.ts';
import type { RawConfig } from '../config/schema.ts';
import { parseFixed } from '../domain/money.ts';
import type { JournalSink } from '../engine/journal-port.ts';
import { createEngine } from '../engine/factory.ts';
import type { RiskEngine } from '../engine/risk-engine.ts';
import { Gateway, type GatewayOptions } from './gateway.ts';
import { MarketFeed, ticksFromBars, type Tick } from './market-feed.ts';
import { Reconciler } from './reconcile.ts';

export const BUNDLED_SP500 = fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url));

export interface PaperSystemOptions {
  readonly config: RawConfig;
  readonly journal: JournalSink;
  /** Default: a new engine from the config in enforce mode (pass the persistent engine's). */
  readonly engine?: RiskEngine;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly dryRun?: boolean;
  /** Market feed: default the bundled S&P closes as MES and ES, one quote per second. */
  readonly feed?: { readonly ticks?: readonly Tick[]; readonly symbols?: readonly string[]; readonly intervalMs?: number };
  /** Engine timers and due enforcements (default 250 ms), reconcile passes (default 30 s). */
  readonly tickMs?: number;
  readonly reconcileMs?: number;
  readonly gateway?: Partial<Pick<GatewayOptions, 'step' | 'onDecision' | 'onEnforcement' | 'onEvent' | 'onError' | 'enforcement' | 'newOrderLane'>>;
}

export interface PaperSystem {
  readonly accounts: readonly string[];
  readonly broker: PaperBroker;
  readonly engine: RiskEngine;
  readonly gateway: Gateway;
  readonly feed: MarketFeed;
  readonly reconciler: Reconciler;
  /** Connects and subscribes, reconciles once, then starts feed and timers. */
  start(opts?: { feed?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function createPaperSystem(opts: PaperSystemOptions): PaperSystem {
  const now = opts.now ?? Date.now;
  const paperAccounts = (opts.config.paper?.accounts ?? [{ id: 'PAPER-1', balance: '50000' }]).map((a) => ({ id: a.id, balance: parseFixed(a.balance) }));
  const accounts = paperAccounts.map((a) => a.id);
  const broker = new PaperBroker({ accounts: paperAccounts });
  const engine = opts.engine ?? createEngine(opts.config, 'enforce');
  const gateway = new Gateway({ engine, journal: opts.journal, broker, accounts, now, dryRun: opts.dryRun ?? false, ...(opts.random ? { random: opts.random } : {}), ...opts.gateway });
  const feed = new MarketFeed({ broker, ticks: opts.feed?.ticks ?? ticksFromBars(BUNDLED_SP500), symbols: opts.feed?.symbols ?? ['MES', 'ES'], now, intervalMs: opts.feed?.intervalMs ?? 1000 });
  const reconciler = new Reconciler(gateway);
  let tick: ReturnType<typeof setInterval> | undefined;
  const onError = (err: unknown): void => opts.gateway?.onError?.(err);
  return {
    accounts,
    broker,
    engine,
    gateway,
    feed,
    reconciler,
    async start(startOpts = {}) {
      await gateway.start();
      await reconciler.runOnce(accounts);
      reconciler.start(accounts, opts.reconcileMs ?? 30_000, onError);
      tick = setInterval(() => void gateway.tick().catch(onError), opts.tickMs ?? 250);
      tick.unref?.();
      if (startOpts.feed !== false) feed.start();
    },
    async stop() {
      feed.stop();
      reconciler.stop();
      if (tick) clearInterval(tick);
      await gateway.stop();
      await broker.disconnect();
    },
  };
}
