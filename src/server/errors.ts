/**
 * Every error leaves the API as `{"error":{"code":"ERR_…","message":"…"}}` with the status of its
 * catalog entry (src/errors.ts): operational errors as thrown, schema failures as 400 naming the
 * field, malformed JSON as 400, unknown routes as 404. Nothing else (no stack, no internals).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorCode } from '../errors.ts';

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (isAppError(err)) {
      if (err.code === 'ERR_RATE_LIMITED' && err.details?.retryAfter !== undefined)
        void reply.header('Retry-After', String(err.details.retryAfter));
      return reply.status(err.status).send(errorBody(err.code, err.message));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      const field = first ? fieldOf(first.instancePath, first.params as Record<string, unknown>) : '';
      const where = fe.validationContext ?? 'body';
      return reply
        .status(400)
        .send(errorBody('ERR_INPUT_INVALID', `${where}${field ? `.${field}` : ''}: ${first?.message ?? 'invalid'}`));
    }
    if (
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      (err instanceof SyntaxError && fe.statusCode === 400)
    ) {
      return reply.status(400).send(errorBody('ERR_INPUT_MALFORMED', 'request body is not valid JSON'));
    }
    if (fe.statusCode === 413) return reply.status(413).send(errorBody('ERR_INPUT_INVALID', 'request body too large'));
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.status(415).send(errorBody('ERR_INPUT_INVALID', 'Content-Type must be application/json'));
    if (fe.statusCode === 429) return reply.status(429).send(errorBody('ERR_RATE_LIMITED', 'too many requests'));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
      return reply.status(fe.statusCode).send(errorBody('ERR_INPUT_INVALID', fe.message));
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('ERR_SERVER_INTERNAL', 'internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send(errorBody('ERR_ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}`)),
  );
}

/**
 * Errors the router raises before any route or hook runs (a malformed URL escape, a path segment
 * beyond maxParamLength): catalogued like the rest instead of fastify's own body.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path segment is too long'
      : err.code === 'FST_ERR_BAD_URL'
        ? 'malformed URL'
        : 'invalid request';
  void reply.status(400).send(errorBody('ERR_INPUT_INVALID', message));
}

/** The field a schema error is about: `/side` → `side`, a missing property → its name. */
function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  const fromPath = instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra =
    typeof params.missingProperty === 'string'
      ? params.missingProperty
      : typeof params.additionalProperty === 'string'
        ? params.additionalProperty
        : '';
  return [fromPath, extra].filter(Boolean).join('.');
}
