/**
 * `POST /api/v1/backtests` → 202 `{id}` and `GET /api/v1/backtests/:id` (status, then the JSON
 * report; `?format=html` the HTML report). The run happens on a worker thread (backtests.ts).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { requireRole } from '../auth.ts';
import { checkBacktest, type BacktestRequest } from '../backtest-job.ts';
import { jobJson } from '../jobs.ts';
import { positiveDecimal, symbol, token } from '../schemas.ts';

const paramValue = { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._:-]*$' } as const;
const createSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['strategy'],
  properties: {
    strategy: token,
    params: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' },
      additionalProperties: paramValue,
    },
    data: { type: 'string', maxLength: 100 },
    symbol,
    capital: positiveDecimal,
    fee: positiveDecimal,
    slippageTicks: { type: 'integer', minimum: 0, maximum: 1000 },
    account: token,
    withRules: { type: 'boolean' },
  },
} as const;

export async function backtestRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onClose', async () => app.backtests.close());
  app.post<{ Body: BacktestRequest }>('/backtests', { schema: { body: createSchema } }, async (req, reply) => {
    const p = requireRole(req, 'viewer');
    const input = checkBacktest(req.body, app.node.config);
    const job = app.backtests.start(p.id, input);
    return reply.status(202).header('Location', `/api/v1/backtests/${job.id}`).send({ id: job.id, status: job.status });
  });

  app.get<{ Params: { id: string }; Querystring: { format?: 'json' | 'html' } }>(
    '/backtests/:id',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: { type: 'string', pattern: '^bt_[0-9a-f]{16}$' } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: ['json', 'html'] } },
        },
      },
    },
    async (req, reply) => {
      const p = requireRole(req, 'viewer');
      const job = app.backtests.get(req.params.id);
      // Another key's job is the same 404 as a missing one.
      if (!job || (p.role !== 'admin' && job.owner !== p.id))
        throw new AppError('ERR_BACKTEST_UNKNOWN', `unknown backtest ${req.params.id}`);
      if (req.query.format === 'html') {
        if (!job.html) throw new AppError('ERR_BACKTEST_NOT_READY', `backtest ${job.id} is ${job.status}`);
        return reply.type('text/html; charset=utf-8').send(job.html);
      }
      return jobJson(job);
    },
  );
}
