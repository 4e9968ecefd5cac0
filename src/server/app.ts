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
import { streamRoutes, type StreamOptions } from './ws.ts';

export interface ServerOptions {
  readonly node: TradingNode;
  readonly auth: Authenticator;
  /** Log requests through the node's logger (default: no request logs). */
  readonly logRequests?: boolean;
  /** `GET /ws` tuning (buffer, heartbeat, flow control); defaults suit production. */
  readonly ws?: StreamOptions;
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
    maxParamLength: 10_000,
    bodyLimit: 1_048_576,
    ajv: { customOptions: { allErrors: false, coerceTypes: false, removeAdditional: false } },
  });
  app.decorate('node', opts.node);
  registerErrors(app);
  registerAuth(app, opts.auth);
  await app.register(healthRoutes);
  await app.register(accountRoutes, { prefix: '/api/v1' });
  await app.register(streamRoutes, { ...opts.ws, auth: opts.auth });
  return app;
}
