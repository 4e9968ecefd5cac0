/**
 * Saved multi-leg strategies (issue 14): `GET/POST /api/v1/strategies`, `GET/PUT/DELETE
 * /api/v1/strategies/:id`. The GET of one strategy values it live (option-strategy.ts): each leg
 * at the node's marks, the total, the greeks, and the payoff at expiry over `?from`..`?to`
 * (`?steps` points). Viewers read; traders and admins write (owner rules: owned.ts).
 */
import type { FastifyInstance } from 'fastify';
import { div, formatFixed } from '../../domain/money.ts';
import { InstrumentTable } from '../../domain/instrument.ts';
import { AppError } from '../../errors.ts';
import { needs } from '../guards.ts';
import { checkStrategy, MAX_LEGS, valueStrategy, type StrategyInput } from '../option-strategy.ts';
import { itemJson, ownerOf, savedIdParams, visibleItem, visibleItems } from '../owned.ts';
import { accountId, decimal, positiveDecimal, quantity, symbol } from '../schemas.ts';

const text = (max: number) =>
  ({ type: 'string', maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]*$' }) as const;
const leg = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'symbol', 'side', 'qty', 'price'],
  properties: {
    kind: { type: 'string', enum: ['option', 'future'] },
    symbol,
    right: { type: 'string', enum: ['call', 'put'] },
    strike: positiveDecimal,
    expiry: { type: 'string', maxLength: 40 },
    side: { type: 'string', enum: ['buy', 'sell'] },
    qty: quantity,
    price: positiveDecimal,
    multiplier: positiveDecimal,
    volatility: positiveDecimal,
    model: { type: 'string', enum: ['black76', 'bsm'] },
  },
} as const;
const fields = {
  name: { ...text(100), minLength: 1 },
  legs: { type: 'array', minItems: 1, maxItems: MAX_LEGS, items: leg },
  rate: decimal,
  notes: text(2000),
} as const;
const createSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'legs'],
  properties: { ...fields, account: accountId },
} as const;
const replaceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'legs'],
  properties: fields,
} as const;
const num = { type: 'string', pattern: '^\\d{1,12}(\\.\\d{1,8})?$' } as const;
const valueQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: num, to: num, steps: { type: 'string', pattern: '^[0-9]{1,4}$' } },
} as const;
const params = savedIdParams('st');

type Body = StrategyInput & { account?: string };

/** The stored fields of a request (the account is the owner, not a field). */
function stored(b: Body): StrategyInput {
  checkStrategy(b);
  return {
    name: b.name,
    legs: b.legs,
    ...(b.rate !== undefined ? { rate: b.rate } : {}),
    ...(b.notes !== undefined ? { notes: b.notes } : {}),
  };
}

export async function strategyRoutes(app: FastifyInstance): Promise<void> {
  const table = () => app.workspace.strategies;
  const one = (req: Parameters<typeof visibleItem>[0], id: string) =>
    visibleItem(req, table().get(id), 'ERR_SAVED_STRATEGY_UNKNOWN', 'strategy', id);
  const instruments = () => InstrumentTable.withOverrides(app.node.config?.instruments ?? []);

  app.get<{ Querystring: { account?: string } }>(
    '/strategies',
    {
      preValidation: needs('viewer'),
      schema: { querystring: { type: 'object', additionalProperties: false, properties: { account: accountId } } },
    },
    async (req) => ({
      strategies: visibleItems(req, (a) => table().list(a), req.query.account).map((s) => itemJson(s)),
    }),
  );

  app.post<{ Body: Body }>(
    '/strategies',
    { preValidation: needs('trader'), schema: { body: createSchema } },
    async (req, reply) => {
      const owner = ownerOf(req, req.body.account);
      const s = table().create(owner, stored(req.body));
      return reply.status(201).header('Location', `/api/v1/strategies/${s.id}`).send(itemJson(s));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string; steps?: string } }>(
    '/strategies/:id',
    { preValidation: needs('viewer'), schema: { params, querystring: valueQuery } },
    async (req) => {
      const s = one(req, req.params.id);
      const q = req.query;
      const steps = q.steps === undefined ? undefined : Number(q.steps);
      if (steps !== undefined && (steps < 1 || steps > 1000))
        throw new AppError('ERR_INPUT_INVALID', 'querystring.steps: 1 to 1000');
      const table = instruments();
      const valuation = valueStrategy(
        s.body as StrategyInput,
        {
          mark: (sym) => app.node.queries.mark(sym),
          pointValue: (sym) => {
            const i = table.find(sym);
            return i ? Number(formatFixed(div(i.tickValue, i.tickSize))) : undefined;
          },
          now: Date.now(),
        },
        {
          ...(q.from !== undefined ? { from: Number(q.from) } : {}),
          ...(q.to !== undefined ? { to: Number(q.to) } : {}),
          ...(steps !== undefined ? { steps } : {}),
        },
      );
      return { ...itemJson(s), valuation };
    },
  );

  app.put<{ Params: { id: string }; Body: StrategyInput }>(
    '/strategies/:id',
    { preValidation: needs('trader'), schema: { params, body: replaceSchema } },
    async (req) => {
      one(req, req.params.id);
      return itemJson(table().update(req.params.id, stored(req.body))!);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/strategies/:id',
    { preValidation: needs('trader'), schema: { params } },
    async (req) => {
      one(req, req.params.id);
      table().delete(req.params.id);
      return { deleted: req.params.id };
    },
  );
}
