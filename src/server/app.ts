/**
 * The HTTP API (DESIGN §6): a thin fastify shell over the trading node. Routes parse, ask the
 * node (commands, queries) and format; nothing here knows how the engine keeps its state.
 * Features are plugins: errors (one catalog), auth (API keys, JWT), then the route groups.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TradingNode } from '../node/node.ts';
import { frameworkErrors, registerErrors } from './errors.ts';
import { registerAuth, type Authenticator } from './auth.ts';
import { accountRoutes } from './routes/accounts.ts';
import { reportRoutes } from './routes/reports.ts';
import { healthRoutes } from './routes/health.ts';
import { streamRoutes, type StreamOptions } from './ws.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { apiKeyRoutes } from './routes/apikeys.ts';
import { backtestRoutes } from './routes/backtests.ts';
import { configRoutes } from './routes/config.ts';
import { controlRoutes } from './routes/controls.ts';
import { instrumentRoutes } from './routes/instruments.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { historicalRoutes } from './routes/historical.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { orderRoutes } from './routes/orders.ts';
import { labelRoutes } from './routes/labels.ts';
import { auditRoutes } from './routes/audit.ts';
import { strategyRoutes } from './routes/strategies.ts';
import { Workspace } from './workspace.ts';
import { replayJobs, replayRoutes } from './routes/replays.ts';
import { researchJobs, researchRoutes } from './routes/research.ts';
import type { JobRegistry } from './jobs.ts';
import type { ReplayJobInput } from './replay-job.ts';
import type { ResearchInput } from './research-job.ts';
import type { ApiKeyStore } from './api-keys.ts';
import { BacktestJobs } from './backtests.ts';
import { registerRateLimits, RateLimiter, type RateLimitConfig } from './rate-limit.ts';
import { metricsRoutes, registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { dashboardRoutes } from './dashboard.ts';

export interface ServerOptions {
  readonly node: TradingNode;
  readonly auth: Authenticator;
  /** Log requests through the node's logger (default: no request logs). */
  readonly logRequests?: boolean;
  /** `GET /ws` tuning (buffer, heartbeat, flow control); defaults suit production. */
  readonly ws?: StreamOptions;
  /** The data dir's API keys, for the admin key routes (absent: those routes answer 503). */
  readonly apiKeys?: ApiKeyStore;
  /** Backtest jobs (default: one at a time, each on a worker thread). */
  readonly backtests?: BacktestJobs;
  /** Replay jobs (default: one at a time, each on a worker thread). */
  readonly replays?: JobRegistry<ReplayJobInput>;
  /** Research jobs (default: one at a time, each on its own worker pool). */
  readonly research?: JobRegistry<ResearchInput>;
  /** Worker threads of one research job (default 2). */
  readonly researchWorkers?: number;
  /** Saved strategies and chart labels (default: `<data dir>/workspace.db` of the node, closed with the server). */
  readonly workspace?: Workspace;
  /** `server.rateLimits` of the config (default 600 requests per minute per principal). */
  readonly rateLimits?: RateLimitConfig;
  /** Clock of the rate limiter (tests). */
  readonly now?: () => number;
  /** Directory of the built dashboard (default web/dist); false serves no dashboard. */
  readonly dashboardDir?: string | false;
}

declare module 'fastify' {
  interface FastifyInstance {
    node: TradingNode;
    apiKeys: ApiKeyStore | undefined;
    backtests: BacktestJobs;
    replays: JobRegistry<ReplayJobInput>;
    research: JobRegistry<ResearchInput>;
    researchWorkers: number;
    workspace: Workspace;
  }
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logRequests ? (opts.node.log as unknown as boolean) : false,
    // Ids up to 10 kB are refused by route schemas, not by the router; bodies stay small.
    routerOptions: { maxParamLength: 10_000 },
    bodyLimit: 1_048_576,
    frameworkErrors,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
  });
  app.decorate('node', opts.node);
  app.decorate('apiKeys', opts.apiKeys);
  app.decorate('backtests', opts.backtests ?? new BacktestJobs());
  app.decorate('replays', opts.replays ?? replayJobs());
  app.decorate('research', opts.research ?? researchJobs());
  app.decorate('researchWorkers', opts.researchWorkers ?? 2);
  const workspace = opts.workspace ?? Workspace.open(opts.node.dataDir);
  app.decorate('workspace', workspace);
  if (!opts.workspace) app.addHook('onClose', async () => workspace.close());
  registerErrors(app);
  registerAuth(app, opts.auth);
  registerRateLimits(app, new RateLimiter(opts.rateLimits, opts.now));
  registerMetrics(app, opts.node);
  await registerOpenApi(app);
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  for (const routes of [
    accountRoutes,
    orderRoutes,
    controlRoutes,
    configRoutes,
    instrumentRoutes,
    analyticsRoutes,
    apiKeyRoutes,
    backtestRoutes,
    calendarRoutes,
    historicalRoutes,
    indicatorRoutes,
    reportRoutes,
    replayRoutes,
    researchRoutes,
    strategyRoutes,
    labelRoutes,
    auditRoutes,
  ]) {
    await app.register(routes, { prefix: '/api/v1' });
  }
  await app.register(streamRoutes, { ...opts.ws, auth: opts.auth });
  if (opts.dashboardDir !== false) await app.register(dashboardRoutes(opts.dashboardDir));
  return app;
}
