/**
 * Alerts for a running node: `startAlerts(node, config.alerts, logger, now)` subscribes a router to
 * the node's bus and sends held-back digests every 30 s. Returns undefined when no channel is
 * configured.
 */
import type { Logger } from '../node/logger.ts';
import type { NodeBus } from '../node/bus.ts';
import type { AlertsConfig } from './config.ts';
import { AlertRouter, type AlertRouterOptions } from './router.ts';
import { DeliveryLog } from './delivery-log.ts';
import { BudgetWatch, MarksWatch, type BudgetConfig } from './watchers.ts';
import type { Fixed } from '../domain/money.ts';

export { AlertRouter } from './router.ts';
export type { AlertsConfig } from './config.ts';

export interface RunningAlerts {
  readonly router: AlertRouter;
  /** Reports metered spending (e.g. market data priced per GB) against `budget`. */
  spend(amount: Fixed, what?: string): void;
  /** Raises the `marks_stale` alerts due now (a timer does so every few seconds). */
  checkMarks(): void;
  stop(): void;
}

const DIGEST_TICK_MS = 30_000;
const MARKS_TICK_MS = 5_000;

export function startAlerts(
  node: { readonly bus: NodeBus },
  config: AlertsConfig | undefined,
  logger: Logger,
  now: () => number = Date.now,
  opts: Pick<AlertRouterOptions, 'env' | 'delivery'> & {
    /** Where per-channel delivery records are kept (`alert-deliveries.json`). */
    readonly dataDir?: string;
    /** `budget` of the config. */
    readonly budget?: BudgetConfig;
  } = {},
): RunningAlerts | undefined {
  if (!config || config.channels.length === 0) return undefined;
  const { dataDir, budget: budgetConfig, ...routerOpts } = opts;
  const log = dataDir ? new DeliveryLog(dataDir, now) : undefined;
  const router = new AlertRouter(config, {
    logger,
    now,
    ...routerOpts,
    ...(log ? { delivery: { ...routerOpts.delivery, onOutcome: (c, a, ok) => log.record(c, a, ok) } } : {}),
  });
  const detach = router.attach(node);
  const marks = new MarksWatch(config.marksStaleAfter);
  const budget = new BudgetWatch(budgetConfig);
  const detachMarks = node.bus.subscribe((m) => marks.observe(m, now()));
  const checkMarks = (): void => {
    for (const d of marks.check(now())) router.raise(d);
  };
  const timer = setInterval(() => router.tick(), DIGEST_TICK_MS);
  const marksTimer = setInterval(checkMarks, MARKS_TICK_MS);
  timer.unref();
  marksTimer.unref();
  logger.info({ channels: router.stats().map((s) => s.channel) }, `alerts: ${config.channels.length} channel(s)`);
  return {
    router,
    spend: (amount, what) => {
      for (const d of budget.spend(amount, now(), what)) router.raise(d);
    },
    checkMarks,
    stop: () => {
      clearInterval(timer);
      clearInterval(marksTimer);
      detachMarks();
      detach();
      router.close();
    },
  };
}
