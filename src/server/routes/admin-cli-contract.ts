/**
 * Minimal admin routes the CLI talks to (`riskgate admin lock|unlock`, `config apply`) while a
 * node runs: `POST /api/v1/admin/accounts/:id/lock|unlock` with `{"reason"}` answering the
 * account's risk (as `GET /api/v1/accounts/:id/risk`), and `PUT /api/v1/config` with the config as
 * JSON answering `{"decisions":[…]}` (stricter keys now, the rest at the next reset). Admin only.
 * Stand-in until the full admin and config routes take their place.
 */
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../../config/schema.ts';
import { decisionJson } from '../../engine/decision.ts';
import { AppError } from '../../errors.ts';
import { requireRole } from '../auth.ts';

const accountParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;
const reasonBody = { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } }, additionalProperties: false } as const;

export async function adminCliContractRoutes(app: FastifyInstance): Promise<void> {
  for (const action of ['lock', 'unlock'] as const) {
    app.post<{ Params: { id: string }; Body: { reason: string } }>(`/admin/accounts/:id/${action}`, { schema: { params: accountParams, body: reasonBody } }, async (req) => {
      const p = requireRole(req, 'admin');
      const account = req.params.id;
      if (!app.node.queries.risk(account)) throw new AppError('ERR_ACCOUNT_UNKNOWN', `unknown account ${account.slice(0, 100)}`);
      if (action === 'lock') app.node.lock(account, req.body.reason, `api:${p.id}`);
      else app.node.unlock(account, req.body.reason, `api:${p.id}`);
      return app.node.queries.risk(account);
    });
  }
  app.put('/config', { schema: { body: { type: 'object' } } }, async (req) => {
    requireRole(req, 'admin');
    const parsed = configSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('ERR_CONFIG_INVALID', `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    return { decisions: app.node.changeConfig(parsed.data).map(decisionJson) };
  });
}
