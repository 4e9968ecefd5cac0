/**
 * The HTTP API (DESIGN §6): a thin fastify shell over the trading node. Routes parse, ask the
 * node (commands, queries) and format; nothing here knows how the engine keeps its state.
 * Features are plugins: errors (one catalog), auth (API keys, JWT), then the route groups.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TradingNode } from '../node/node.ts';
import { registerErrors } from './errors.ts';
import { registerAuth, type Authenticator } from './auth.ts';
import { accountRoutes } from './routes/accounts.ts';
import { healthRoutes } from './routes/health.ts';
import { registerRateLimits, RateLimiter, type RateLimitConfig } from './rate-limit.ts';
import { metricsRoutes, registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { adminCliContractRoutes } from './routes/admin-cli-contract.ts';

export interface ServerOptions {
  readonly node: TradingNode;
  readonly auth: Authenticator;
  /** Log requests through the node's logger (default: no request logs). */
  readonly logRequests?: boolean;
  /** `server.rateLimits` of the config (default 600 requests per minute per principal). */
  readonly rateLimits?: RateLimitConfig;
  /** Clock of the rate limiter (tests). */
  readonly now?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    node: TradingNode;
  }
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logRequests ? (opts.node.log as unknown as boolean) : false,
    // Ids up to 10 kB are refused by route schemas, not by the router; bodies stay small.
    routerOptions: { maxParamLength: 10_000 },
    bodyLimit: 1_048_576,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
  });
  app.decorate('node', opts.node);
  registerErrors(app);
  registerAuth(app, opts.auth);
  registerRateLimits(app, new RateLimiter(opts.rateLimits, opts.now));
  registerMetrics(app, opts.node);
  await registerOpenApi(app);
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(accountRoutes, { prefix: '/api/v1' });
  // Stand-in admin lock/unlock and PUT /config for the CLI (see the file); the full routes replace it.
  await app.register(adminCliContractRoutes, { prefix: '/api/v1' });
  return app;
}
