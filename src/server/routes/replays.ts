/**
 * `POST /api/v1/replays` → 202 `{id}` and `GET /api/v1/replays/:id` (DESIGN §5, §6; issue 18):
 * an uploaded event log replayed on a worker thread, the report being `riskgate replay --report
 * json`'s; with `compare` (old config) and `config` (new), the comparison of `riskgate replay
 * --config new --compare old --report json`. The body is the NDJSON log itself
 * (`Content-Type: application/x-ndjson`, mode in `?mode=`, no rules) or JSON `{events, config?,
 * compare?, mode?}` with the events as NDJSON text or an array of event objects; a config is YAML
 * text or a JSON object, validated like `riskgate config validate`.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { needs } from '../guards.ts';
import { JobRegistry, jobJson, visibleJob, workerRunner, type JobRunner } from '../jobs.ts';
import { checkReplayConfig, type ReplayJobInput, type ReplayMode } from '../replay-job.ts';

/** Largest event log one request may upload. */
export const MAX_REPLAY_BYTES = 16 * 1024 * 1024;

const config = { anyOf: [{ type: 'string', maxLength: 1_000_000 }, { type: 'object' }] } as const;
const ndjson = { type: 'string', maxLength: MAX_REPLAY_BYTES } as const;
const mode = { type: 'string', enum: ['shadow', 'enforce'] } as const;
const jsonBody = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: {
    events: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, items: { type: 'object' } },
      ],
    },
    config,
    compare: config,
    mode,
  },
} as const;

interface JsonBody {
  events: string | Record<string, unknown>[];
  config?: string | Record<string, unknown>;
  compare?: string | Record<string, unknown>;
  mode?: ReplayMode;
}

async function replayInput(
  body: unknown,
  query: { mode?: ReplayMode },
): Promise<{ input: ReplayJobInput; kind: string }> {
  if (typeof body === 'string') {
    if (body.trim() === '') throw new AppError('ERR_INPUT_INVALID', 'body: the event log is empty');
    return { input: { events: body, mode: query.mode ?? 'shadow' }, kind: 'replay' };
  }
  const b = body as JsonBody;
  if (query.mode !== undefined && b.mode !== undefined && query.mode !== b.mode)
    throw new AppError('ERR_INPUT_INVALID', 'querystring.mode: differs from body.mode; give one');
  const events = typeof b.events === 'string' ? b.events : b.events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  if (events.trim() === '') throw new AppError('ERR_INPUT_INVALID', 'body.events: the event log is empty');
  if (b.compare !== undefined && b.config === undefined)
    throw new AppError(
      'ERR_INPUT_INVALID',
      'body.config: a comparison needs the new config (config) and the old (compare)',
    );
  const input: ReplayJobInput = {
    events,
    mode: b.mode ?? query.mode ?? 'shadow',
    ...(b.config !== undefined ? { config: await checkReplayConfig('config', b.config) } : {}),
    ...(b.compare !== undefined ? { compare: await checkReplayConfig('compare', b.compare) } : {}),
  };
  return { input, kind: input.compare ? 'compare' : 'replay' };
}

export async function replayRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onClose', async () => app.replays.close());
  app.addContentTypeParser(
    ['application/x-ndjson', 'application/jsonl', 'text/plain'],
    { parseAs: 'string', bodyLimit: MAX_REPLAY_BYTES },
    (_req, text, done) => done(null, text),
  );
  app.post<{ Body: unknown; Querystring: { mode?: ReplayMode } }>(
    '/replays',
    {
      preValidation: needs('viewer'),
      bodyLimit: MAX_REPLAY_BYTES,
      schema: {
        body: {
          content: {
            'application/json': { schema: jsonBody },
            'application/x-ndjson': { schema: ndjson },
            'application/jsonl': { schema: ndjson },
            'text/plain': { schema: ndjson },
          },
        },
        querystring: { type: 'object', additionalProperties: false, properties: { mode } },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { input, kind } = await replayInput(req.body, req.query);
      const job = app.replays.start(p.id, input, kind);
      return reply
        .status(202)
        .header('Location', `/api/v1/replays/${job.id}`)
        .send({ id: job.id, kind, status: job.status });
    },
  );
  app.get<{ Params: { id: string } }>(
    '/replays/:id',
    {
      preValidation: needs('viewer'),
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: { type: 'string', pattern: app.replays.idPattern } },
        },
      },
    },
    async (req) => jobJson(visibleJob(app.replays, req.params.id, req.principal!, 'ERR_JOB_UNKNOWN', 'replay')),
  );
}

/** The replay jobs of a server: one at a time, each on its own worker thread (replay-worker.ts). */
export function replayJobs(
  runner: JobRunner<ReplayJobInput> = workerRunner(new URL('../replay-worker.ts', import.meta.url), 'replay'),
): JobRegistry<ReplayJobInput> {
  return new JobRegistry({ prefix: 'rp', what: 'replay', busy: 'ERR_JOB_BUSY', runner });
}
