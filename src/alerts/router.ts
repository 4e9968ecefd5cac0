/**
 * The alert router: routes each alert to the channels whose filters accept it (minimum severity,
 * kinds, accounts), throttles per channel, and hands it to that channel's delivery queue. `raise`
 * never waits for a receiver. The clock is the caller's (`now`, epoch ms), so throttling is
 * deterministic under test.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../node/logger.ts';
import type { NodeBus } from '../node/bus.ts';
import { alertKey, severityRank, type Alert } from './alert.ts';
import { buildTransport, type AlertTransport } from './channels.ts';
import type { AlertChannelConfig, AlertsConfig } from './config.ts';
import { ChannelDelivery, type DeliveryOptions, type DeliveryStats } from './delivery.ts';
import { BusAlertSource, type AlertDraft } from './sources.ts';
import { ChannelThrottle, type Suppressed } from './throttle.ts';

export interface AlertRouterOptions {
  readonly logger: Logger;
  /** The clock (epoch ms) for alert times and throttling. */
  readonly now: () => number;
  /** Where `secretEnv` / `passEnv` / `urlEnv` are looked up (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly delivery?: DeliveryOptions;
}

interface Channel {
  readonly config: AlertChannelConfig;
  readonly throttle: ChannelThrottle;
  readonly delivery: ChannelDelivery;
}

export class AlertRouter {
  private readonly channels: Channel[];
  private readonly source = new BusAlertSource();
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(config: AlertsConfig, opts: AlertRouterOptions) {
    this.now = opts.now;
    this.logger = opts.logger;
    const env = opts.env ?? process.env;
    const unixSeconds = (): number => Math.floor(this.now() / 1000);
    this.channels = config.channels.map((c, i) => {
      const transport: AlertTransport = buildTransport(c, i, opts.logger, env, unixSeconds);
      return {
        config: c,
        throttle: new ChannelThrottle(config.cooldown, config.maxPerHour),
        delivery: new ChannelDelivery(transport, opts.logger, opts.delivery),
      };
    });
  }

  /** Subscribes to a node's bus; the returned function unsubscribes. */
  attach(node: { readonly bus: NodeBus }): () => void {
    return node.bus.subscribe((m) => {
      for (const draft of this.source.alertsOf(m)) this.raise(draft);
    });
  }

  /** Raises an alert (also for sources off the bus: reconciliation, stale marks, budget). */
  raise(draft: AlertDraft): Alert {
    const alert: Alert = {
      ...draft,
      id: randomUUID(),
      ts: new Date(this.now()).toISOString(),
      key: draft.key ?? alertKey(draft.kind, draft.account, draft.rule),
    };
    const t = this.now();
    for (const ch of this.channels) {
      if (!routes(ch.config, alert)) continue;
      this.flushDigest(ch, t);
      if (ch.throttle.admit(alert, t)) ch.delivery.enqueue(alert);
    }
    return alert;
  }

  /** Sends the digests whose window has reopened; call it now and then (startAlerts does, every 30 s). */
  tick(): void {
    const t = this.now();
    for (const ch of this.channels) this.flushDigest(ch, t);
  }

  /** Resolves once every channel has nothing queued or in flight. */
  async idle(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.delivery.idle()));
  }

  close(): void {
    for (const c of this.channels) c.delivery.close();
  }

  stats(): (DeliveryStats & { held: number })[] {
    return this.channels.map((c) => ({ ...c.delivery.stats(), held: c.throttle.heldCount() }));
  }

  private flushDigest(ch: Channel, t: number): void {
    const held = ch.throttle.takeDigest(t);
    if (held.length === 0) return;
    const digest = digestAlert(held, ch.delivery.transport.name, t);
    this.logger.info(
      { channel: ch.delivery.transport.name, alertId: digest.id },
      `alert digest to ${ch.delivery.transport.name}: ${digest.message}`,
    );
    ch.delivery.enqueue(digest);
  }
}

function routes(c: AlertChannelConfig, a: Alert): boolean {
  if (severityRank(a.severity) < severityRank(c.minSeverity)) return false;
  if (c.kinds && !c.kinds.includes(a.kind)) return false;
  return !c.accounts || c.accounts.includes(a.account);
}

function digestAlert(held: readonly Suppressed[], channel: string, t: number): Alert {
  const total = held.reduce((n, s) => n + s.count, 0);
  const accounts = [...new Set(held.map((s) => s.account))];
  const severity = held.reduce(
    (top, s) => (severityRank(s.severity) > severityRank(top) ? s.severity : top),
    held[0]!.severity,
  );
  const parts = held.map((s) => `${s.count}× ${s.kind} ${s.account}${s.rule ? ` ${s.rule}` : ''}`);
  return {
    id: randomUUID(),
    ts: new Date(t).toISOString(),
    kind: 'digest',
    severity,
    account: accounts.length === 1 ? accounts[0]! : '*',
    message: `${total} alert(s) held back by throttling: ${parts.join(', ')}`,
    data: {
      total,
      suppressed: held.map((s) => ({
        kind: s.kind,
        account: s.account,
        ...(s.rule ? { rule: s.rule } : {}),
        severity: s.severity,
        count: s.count,
        firstTs: s.firstTs,
        lastTs: s.lastTs,
        lastMessage: s.lastMessage,
      })),
    },
    key: `digest|${channel}`,
  };
}
