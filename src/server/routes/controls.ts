/**
 * Account controls (DESIGN §6): a trader's flatten of its account, and the admin lock and unlock
 * (reason required, journaled with the key id as actor). Answers carry what the node did: the
 * enforcements started, or the account's risk after the lock change.
 */
import type { FastifyInstance } from 'fastify';
import { emptyBody, needs } from '../guards.ts';
import { formatFixed } from '../../domain/money.ts';
import type { Enforcement } from '../../engine/enforcer.ts';
import { decisionJson } from '../../engine/decision.ts';
import { requireRole, visibleAccount } from '../auth.ts';
import { idParams, reason, requiredReason } from '../schemas.ts';

interface ControlReq {
  Params: { id: string };
  Body: { reason?: string } | undefined;
}

const optionalReason = { type: 'object', additionalProperties: false, properties: { reason } } as const;
const requiredReasonBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason },
} as const;

export function enforcementJson(e: Enforcement): Record<string, unknown> {
  return {
    key: e.key,
    account: e.account,
    kind: e.kind,
    rule: e.rule,
    ...(e.symbol ? { symbol: e.symbol } : {}),
    ...(e.toQty !== undefined ? { toQty: formatFixed(e.toQty) } : {}),
    status: e.status,
    attempts: e.attempts,
    ...(e.lastError ? { lastError: e.lastError } : {}),
  };
}

export async function controlRoutes(app: FastifyInstance): Promise<void> {
  // The body of a flatten is optional: a bare POST is the common case.
  app.post<ControlReq>(
    '/accounts/:id/flatten',
    { schema: { params: idParams, body: optionalReason }, preValidation: [needs('trader'), emptyBody] },
    async (req, reply) => {
      const p = requireRole(req, 'trader');
      const account = visibleAccount(req, req.params.id);
      const why = req.body?.reason?.trim() || 'manual flatten';
      const enforcements = await app.node.flatten(account, `${p.id}: ${why}`);
      return reply.status(202).send({ account, enforcements: enforcements.map(enforcementJson) });
    },
  );

  for (const action of ['lock', 'unlock'] as const) {
    app.post<ControlReq>(
      `/admin/accounts/:id/${action}`,
      { schema: { params: idParams, body: requiredReasonBody }, preValidation: [needs('admin'), emptyBody] },
      async (req) => {
        const p = requireRole(req, 'admin');
        const account = visibleAccount(req, req.params.id);
        const why = requiredReason(req.body?.reason);
        const actor = `api:${p.id}`; // the audit trail says the action came over the API, with which key
        const decisions = action === 'lock' ? app.node.lock(account, why, actor) : app.node.unlock(account, why, actor);
        return { account, action, decisions: decisions.map(decisionJson), risk: app.node.queries.risk(account) };
      },
    );
  }
}
