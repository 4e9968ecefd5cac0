/**
 * Admin API keys under `/api/v1/admin/apikeys` (DESIGN §6): list (never a secret or hash), create
 * (the key is in this answer only) and revoke by id. The same store as `riskgate admin apikey`.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { ROLES } from '../api-keys.ts';
import { needs } from '../guards.ts';
import { accountId, token } from '../schemas.ts';

interface CreateBody {
  role: (typeof ROLES)[number];
  accounts?: string[];
  label?: string;
  tier?: string;
}

const createSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['role'],
  properties: {
    role: { type: 'string', enum: ROLES },
    accounts: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: accountId },
    label: { type: 'string', maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]*$' },
    tier: token,
  },
} as const;

export async function apiKeyRoutes(app: FastifyInstance): Promise<void> {
  const store = () => {
    if (!app.apiKeys) throw new AppError('ERR_APIKEYS_UNAVAILABLE', 'this server has no API key store');
    return app.apiKeys;
  };
  app.addHook('preValidation', needs('admin'));

  app.get('/admin/apikeys', async () => ({ keys: store().list() }));

  app.post<{ Body: CreateBody }>('/admin/apikeys', { schema: { body: createSchema } }, async (req, reply) => {
    const b = req.body;
    if (b.role === 'admin' && b.accounts)
      throw new AppError('ERR_INPUT_INVALID', 'body.accounts: an admin key sees every account; leave accounts out');
    const { key, info } = store().create({
      role: b.role,
      ...(b.accounts ? { accounts: b.accounts } : {}),
      ...(b.label ? { label: b.label } : {}),
      ...(b.tier ? { tier: b.tier } : {}),
    });
    return reply.status(201).send({ key, info });
  });

  app.delete<{ Params: { id: string } }>(
    '/admin/apikeys/:id',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: { type: 'string', pattern: '^[0-9a-f]{12}$' } },
        },
      },
    },
    async (req) => {
      const id = req.params.id;
      if (!store().revoke(id)) throw new AppError('ERR_APIKEY_UNKNOWN', `unknown API key ${id}`);
      return {
        revoked: store()
          .list()
          .find((k) => k.id === id),
      };
    },
  );
}
