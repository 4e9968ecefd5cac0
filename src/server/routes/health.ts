/**
 * `GET /health` (liveness: no auth, answers without touching the store or broker) and `GET /ready`
 * (the node's store and broker are up). DESIGN §6.
 */
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    const r = app.node.readiness();
    return reply.status(r.ready ? 200 : 503).send(r);
  });
}
