/**
 * OpenAPI 3.1 generated from the route schemas (@fastify/swagger), served at `/docs` (Swagger UI)
 * and `/docs/json`. Registered before the routes so every route is collected. Routes outside
 * `/api/` need no credentials; the document says so route by route.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'riskgate API',
        version: '1',
        description:
          'Trading risk gateway: accounts, risk, orders, admin (DESIGN §6). Errors are {"error":{"code":"ERR_…","message":"…"}}.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...schema, security: [] }, url }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
