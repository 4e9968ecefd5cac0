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

export { AlertRouter } from './router.ts';
export type { AlertsConfig } from './config.ts';

export interface RunningAlerts {
  readonly router: AlertRouter;
  stop(): void;
}

const DIGEST_TICK_MS = 30_000;

export function startAlerts(
  node: { readonly bus: NodeBus },
  config: AlertsConfig | undefined,
  logger: Logger,
  now: () => number = Date.now,
  opts: Pick<AlertRouterOptions, 'env' | 'delivery'> & { readonly dataDir?: string } = {},
): RunningAlerts | undefined {
  if (!config || config.channels.length === 0) return undefined;
  const { dataDir, ...routerOpts } = opts;
  const log = dataDir ? new DeliveryLog(dataDir, now) : undefined;
  const router = new AlertRouter(config, {
    logger,
    now,
    ...routerOpts,
    ...(log ? { delivery: { ...routerOpts.delivery, onOutcome: (c, a, ok) => log.record(c, a, ok) } } : {}),
  });
  const detach = router.attach(node);
  const timer = setInterval(() => router.tick(), DIGEST_TICK_MS);
  timer.unref();
  logger.info({ channels: router.stats().map((s) => s.channel) }, `alerts: ${config.channels.length} channel(s)`);
  return {
    router,
    stop: () => {
      clearInterval(timer);
      detach();
      router.close();
    },
  };
}
