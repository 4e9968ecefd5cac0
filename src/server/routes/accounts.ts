/**
 * Account reads (DESIGN §6): the accounts the caller may see, and per account its risk, positions,
 * orders, fills, violations and the strategy host's selection. A foreign or missing account is the same 404.
 */
import type { FastifyInstance } from 'fastify';
import { maySee, visibleAccount } from '../auth.ts';
import { AppError } from '../../errors.ts';

const accountParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
const limitQuery = {
  type: 'object',
  properties: { limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
  additionalProperties: false,
} as const;

/** In `shadow` nothing is enforced: a non-ACTIVE state is what riskgate would do, not what it does. */
const modeSchema = {
  type: 'string',
  enum: ['shadow', 'enforce'],
  description: "The store's execution mode (`riskgate start --mode`): shadow watches and journals, enforce acts.",
} as const;
const stateSchema = { type: 'string', enum: ['ACTIVE', 'REDUCING', 'HALTED'] } as const;
// Documents the fields a client relies on; every other field passes through as computed.
const accountsResponse = {
  200: {
    type: 'object',
    properties: {
      accounts: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: true,
          properties: {
            account: { type: 'string' },
            state: stateSchema,
            canTrade: { type: 'boolean' },
            netRealizedPnl: { type: 'string' },
            positions: { type: 'integer' },
            mode: modeSchema,
          },
        },
      },
    },
  },
} as const;
const riskResponse = {
  200: {
    type: 'object',
    additionalProperties: true,
    properties: { account: { type: 'string' }, state: stateSchema, canTrade: { type: 'boolean' }, mode: modeSchema },
  },
} as const;

interface AccountReq {
  Params: { id: string };
  Querystring: { limit?: string; status?: string };
}

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const q = () => app.node.queries;
  app.get('/accounts', { schema: { response: accountsResponse } }, async (req) => ({
    accounts: q()
      .accounts()
      .filter((a) => req.principal && maySee(req.principal, a.account)),
  }));
  app.get<AccountReq>(
    '/accounts/:id/risk',
    { schema: { params: accountParams, response: riskResponse } },
    async (req) => q().risk(visibleAccount(req, req.params.id)),
  );
  app.get<AccountReq>('/accounts/:id/positions', { schema: { params: accountParams } }, async (req) => ({
    positions: q().positions(visibleAccount(req, req.params.id)),
  }));
  app.get<AccountReq>(
    '/accounts/:id/orders',
    {
      schema: {
        params: accountParams,
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['working', 'filled', 'cancelled', 'rejected'] } },
          additionalProperties: false,
        },
      },
    },
    async (req) => ({
      orders: q().orders(visibleAccount(req, req.params.id), req.query.status as 'working' | undefined),
    }),
  );
  app.get<AccountReq>(
    '/accounts/:id/fills',
    { schema: { params: accountParams, querystring: limitQuery } },
    async (req) => ({ fills: q().fills(visibleAccount(req, req.params.id), limitOf(req.query.limit)) }),
  );
  // The strategy host's latest selection (every factor of every candidate), target and orders.
  app.get<AccountReq>('/accounts/:id/strategy-selection', { schema: { params: accountParams } }, async (req) => {
    const account = visibleAccount(req, req.params.id);
    const status = app.node.strategySelection(account);
    if (!status)
      throw new AppError('ERR_STRATEGY_HOST_NONE', `no strategy host on account ${account} (config: strategies)`);
    return status;
  });
  app.get<AccountReq>(
    '/accounts/:id/violations',
    { schema: { params: accountParams, querystring: limitQuery } },
    async (req) => ({ violations: q().violations(visibleAccount(req, req.params.id), limitOf(req.query.limit)) }),
  );
}

function limitOf(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Math.max(1, Number(s));
}
