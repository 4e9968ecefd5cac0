/**
 * Research jobs (issue 17): `POST /api/v1/research/sweeps`, `/walkforwards` and `/selections` →
 * 202 `{id}`; `GET /api/v1/research/{sweeps,walkforwards,selections}/:id` → status, progress
 * (backtests and selections done of all) and, when done, the JSON report of `riskgate research
 * sweep|walkforward|select --report json`.
 */
import type { FastifyInstance } from 'fastify';
import { needs } from '../guards.ts';
import { JobRegistry, jobJson, visibleJob, workerRunner, type JobRunner } from '../jobs.ts';
import { checkSelection, type SelectionJobInput, type SelectionRequest } from '../selection-job.ts';
import {
  checkResearch,
  runResearchJob,
  type ResearchInput,
  type ResearchKind,
  type ResearchRequest,
} from '../research-job.ts';
import { positiveDecimal, symbol, token } from '../schemas.ts';
import { AppError, isAppError } from '../../errors.ts';

const bars = { type: 'integer', minimum: 2, maximum: 1_000_000 } as const;
/** The backtest fields sweeps, walk-forwards and selections share. */
const runProperties = {
  data: { type: 'string', maxLength: 100 },
  symbol,
  capital: positiveDecimal,
  fee: positiveDecimal,
  slippageTicks: { type: 'integer', minimum: 0, maximum: 1000 },
  account: token,
  periodsPerYear: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
  withRules: { type: 'boolean' },
} as const;
const body = (kind: ResearchKind) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['strategy', 'params', ...(kind === 'walkforward' ? ['inSample', 'outOfSample'] : [])],
    properties: {
      strategy: token,
      params: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: { type: 'string', minLength: 3, maxLength: 2000, pattern: '^[A-Za-z][A-Za-z0-9_]*=' },
      },
      random: { type: 'integer', minimum: 1, maximum: 20_000 },
      seed: { type: 'string', pattern: '^[0-9]{1,15}$' },
      metric: { type: 'string', maxLength: 40 },
      ...runProperties,
      ...(kind === 'walkforward' ? { inSample: bars, outOfSample: bars } : {}),
    },
  }) as const;

const selectionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['strategies'],
  properties: {
    strategies: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 500, pattern: '^[A-Za-z][A-Za-z0-9_-]*(:[^:,]+=[^:,]*)*$' },
    },
    settings: { type: 'object' },
    ...runProperties,
  },
} as const;

type JobKind = ResearchKind | 'selection';
const PATHS: Readonly<Record<JobKind, string>> = {
  sweep: 'sweeps',
  walkforward: 'walkforwards',
  selection: 'selections',
};

export async function researchRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onClose', async () => app.research.close());
  for (const kind of ['sweep', 'walkforward'] as const) {
    const base = `/research/${PATHS[kind]}`;
    app.post<{ Body: ResearchRequest }>(
      base,
      { preValidation: needs('viewer'), schema: { body: body(kind) } },
      async (req, reply) => {
        const input = await checkResearch(kind, req.body, app.researchWorkers, app.node.config);
        const job = app.research.start(req.principal!.id, input, kind);
        return reply
          .status(202)
          .header('Location', `/api/v1${base}/${job.id}`)
          .send({ id: job.id, kind, status: job.status });
      },
    );
    jobRoute(app, kind);
  }
  app.post<{ Body: SelectionRequest }>(
    '/research/selections',
    { preValidation: needs('viewer'), schema: { body: selectionBody } },
    async (req, reply) => {
      const input = await checkSelection(req.body, app.node.config);
      const job = app.research.start(req.principal!.id, input, 'selection');
      return reply
        .status(202)
        .header('Location', `/api/v1/research/selections/${job.id}`)
        .send({ id: job.id, kind: 'selection', status: job.status });
    },
  );
  jobRoute(app, 'selection');
}

/** `GET /research/<kind>s/:id`: the job's status, progress and report. */
function jobRoute(app: FastifyInstance, kind: JobKind): void {
  const base = `/research/${PATHS[kind]}`;
  app.get<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      preValidation: needs('viewer'),
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: { type: 'string', pattern: app.research.idPattern } },
        },
      },
    },
    async (req) => {
      const job = visibleJob(app.research, req.params.id, req.principal!, 'ERR_JOB_UNKNOWN', `${kind} job`);
      // A job of another kind under this path (a sweep's id under /walkforwards) is not found.
      if (job.kind !== kind) throw new AppError('ERR_JOB_UNKNOWN', `unknown ${kind} job ${req.params.id}`);
      return jobJson(job);
    },
  );
}

const selectionRunner = workerRunner<SelectionJobInput>(
  new URL('../selection-worker.ts', import.meta.url),
  'selection',
);

/** Runs a research job (a selection on a worker thread, the others on their pool); its error as the job's. */
export const researchRunner: JobRunner<ResearchInput> = async (input, signal, progress) => {
  if (input.kind === 'selection') return selectionRunner(input, signal, progress);
  try {
    return { ok: true, json: await runResearchJob(input, signal, progress) };
  } catch (err) {
    return isAppError(err)
      ? { ok: false, code: err.code, message: err.message }
      : { ok: false, code: 'ERR_SERVER_INTERNAL', message: 'the research job failed' };
  }
};

/** The research jobs of a server: one at a time, its backtests on its own pool of worker threads. */
export function researchJobs(runner: JobRunner<ResearchInput> = researchRunner): JobRegistry<ResearchInput> {
  return new JobRegistry({ prefix: 'rs', what: 'research', busy: 'ERR_JOB_BUSY', runner, maxQueued: 10 });
}
