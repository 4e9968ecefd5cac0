/**
 * `GET /metrics` (DESIGN §6): Prometheus text from a registry of this server's own (never
 * prom-client's global one, so two servers in one process do not mix). Served without auth like
 * /health: it carries counts and latencies only, no account ids, balances or positions.
 *
 * What it measures comes from the node's bus (decisions, enforcement steps, order updates), the
 * node's counters (events processed, journal head and uncommitted records, read at scrape time),
 * the HTTP hooks (latency by route and status) and the WebSocket plugin (`setWsClients`).
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TradingNode } from '../node/node.ts';
import type { BusMessage } from '../node/bus.ts';

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly decisions: Counter<'rule' | 'action' | 'kind'>;
  private readonly enforcements: Counter<'kind' | 'status'>;
  private readonly enforcementLatency: Histogram<'kind'>;
  private readonly orderUpdates: Counter<'status'>;
  private readonly busMessages: Counter<'channel'>;
  private readonly wsClients: Gauge;
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  /** Request time of enforcements not yet confirmed or failed, by key. */
  private readonly requestedAt = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(private readonly node: TradingNode) {
    const registers = [this.registry];
    let counted = 0;
    new Counter({
      name: 'riskgate_events_processed_total',
      help: 'Events (quotes, fills, orders, account updates, timers) the risk engine processed since the store was created',
      registers,
      collect() {
        const n = node.stats().eventsProcessed;
        if (n > counted) this.inc(n - counted);
        counted = Math.max(counted, n);
      },
    });
    new Gauge({
      name: 'riskgate_journal_head_seq',
      help: 'Sequence number of the last journal record',
      registers,
      collect() {
        this.set(node.stats().journalHeadSeq);
      },
    });
    new Gauge({
      name: 'riskgate_journal_pending_records',
      help: 'Journal records appended but not yet committed (journal lag)',
      registers,
      collect() {
        this.set(node.stats().journalPending);
      },
    });
    this.decisions = new Counter({
      name: 'riskgate_decisions_total',
      help: 'Risk decisions (breaches, rejections, unlocks, admin actions) by rule and action',
      labelNames: ['rule', 'action', 'kind'],
      registers,
    });
    this.enforcements = new Counter({
      name: 'riskgate_enforcement_steps_total',
      help: 'Enforcement status changes (requested, acknowledged, confirmed, failed, …)',
      labelNames: ['kind', 'status'],
      registers,
    });
    this.enforcementLatency = new Histogram({
      name: 'riskgate_enforcement_latency_seconds',
      help: 'Time from an enforcement being requested to the broker confirming it',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.orderUpdates = new Counter({
      name: 'riskgate_order_updates_total',
      help: 'Order updates reported by the broker, by resulting status',
      labelNames: ['status'],
      registers,
    });
    this.busMessages = new Counter({
      name: 'riskgate_bus_messages_total',
      help: 'Messages the node published per account channel',
      labelNames: ['channel'],
      registers,
    });
    this.wsClients = new Gauge({ name: 'riskgate_ws_clients', help: 'Connected WebSocket clients', registers });
    this.http = new Histogram({
      name: 'riskgate_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.unsubscribe = node.bus.subscribe((m) => this.onBus(m));
  }

  setWsClients(n: number): void {
    this.wsClients.set(n);
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  close(): void {
    this.unsubscribe();
  }

  private onBus(m: BusMessage): void {
    if (m.channel === 'quotes') return;
    this.busMessages.inc({ channel: m.channel });
    const d = m.data;
    if (m.channel === 'violations')
      this.decisions.inc({ rule: String(d.rule ?? ''), action: String(d.action ?? ''), kind: String(d.kind ?? '') });
    else if (m.channel === 'orders' && typeof d.status === 'string') this.orderUpdates.inc({ status: d.status });
    else if (m.channel === 'enforcements')
      this.onEnforcement(String(d.key), String(d.kind), String(d.status), Date.parse(m.ts));
  }

  private onEnforcement(key: string, kind: string, status: string, t: number): void {
    this.enforcements.inc({ kind, status });
    if (status === 'requested') {
      if (!this.requestedAt.has(key)) this.requestedAt.set(key, t);
      return;
    }
    if (status !== 'confirmed' && status !== 'failed') return;
    const from = this.requestedAt.get(key);
    this.requestedAt.delete(key);
    if (status === 'confirmed' && from !== undefined && Number.isFinite(t))
      this.enforcementLatency.observe({ kind }, Math.max(0, t - from) / 1000);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServerMetrics;
  }
}

/** Sets the WebSocket clients gauge of a server (for the WebSocket plugin). */
export function setWsClients(app: FastifyInstance, n: number): void {
  app.metrics.setWsClients(n);
}

/** `GET /metrics` and the HTTP latency hook. */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics()),
  );
}

export function registerMetrics(app: FastifyInstance, node: TradingNode): ServerMetrics {
  const metrics = new ServerMetrics(node);
  app.decorate('metrics', metrics);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => metrics.close());
  // The WebSocket plugin registers after this one: read its client count at each scrape.
  app.addHook('onRequest', async (req) => {
    if (req.url === '/metrics' && app.hasDecorator('streams'))
      metrics.setWsClients((app as unknown as { streams: { clients: number } }).streams.clients);
  });
  return metrics;
}
