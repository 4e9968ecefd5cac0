/**
 * Chart labels (issue 14): `GET/POST /api/v1/labels`, `GET/PUT/DELETE /api/v1/labels/:id` — a
 * text at a symbol and time (optionally a price, a colour and a kind) the dashboard draws on its
 * charts. Every change is also pushed on the `labels` channel of `GET /ws`. Viewers read; traders
 * and admins write (owner rules: owned.ts).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { needs } from '../guards.ts';
import { itemJson, ownerOf, savedIdParams, visibleItem, visibleItems } from '../owned.ts';
import { accountId, decimal, symbol, token } from '../schemas.ts';
import type { LabelBody } from '../workspace.ts';

export const LABEL_KINDS = ['note', 'entry', 'exit', 'level', 'alert', 'news'] as const;
const time = { type: 'string', minLength: 10, maxLength: 40 } as const;
const fields = {
  symbol,
  time,
  text: {
    type: 'string',
    minLength: 1,
    maxLength: 500,
    pattern: '^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]*$',
  },
  price: decimal,
  color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
  kind: { type: 'string', enum: LABEL_KINDS },
} as const;
const required = ['symbol', 'time', 'text'];
const createSchema = {
  type: 'object',
  additionalProperties: false,
  required,
  properties: { ...fields, account: accountId },
} as const;
const replaceSchema = { type: 'object', additionalProperties: false, required, properties: fields } as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { symbol, account: accountId, from: time, to: time, kind: token },
} as const;
const params = savedIdParams('lb');

/** An ISO time of a field, normalised (`2026-04-07T13:31:00.000Z`); a date is its UTC midnight. */
function isoTime(field: string, text: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(text))
    throw new AppError('ERR_INPUT_INVALID', `${field}: not an ISO time: ${text.slice(0, 40)}`);
  return new Date(ms).toISOString();
}

function stored(b: LabelBody): LabelBody {
  return {
    symbol: b.symbol,
    time: isoTime('body.time', b.time),
    text: b.text,
    ...(b.price !== undefined ? { price: b.price } : {}),
    ...(b.color !== undefined ? { color: b.color.toLowerCase() } : {}),
    ...(b.kind !== undefined ? { kind: b.kind } : {}),
  };
}

export async function labelRoutes(app: FastifyInstance): Promise<void> {
  const labels = () => app.workspace.labels;
  const one = (req: Parameters<typeof visibleItem>[0], id: string) =>
    visibleItem(req, labels().get(id), 'ERR_LABEL_UNKNOWN', 'label', id);

  app.get<{ Querystring: { symbol?: string; account?: string; from?: string; to?: string; kind?: string } }>(
    '/labels',
    { preValidation: needs('viewer'), schema: { querystring: listQuery } },
    async (req) => {
      const q = req.query;
      const from = q.from === undefined ? undefined : isoTime('querystring.from', q.from);
      const to = q.to === undefined ? undefined : isoTime('querystring.to', q.to);
      const list = visibleItems(req, (a) => labels().list(a), q.account).filter(
        (l) =>
          (q.symbol === undefined || l.body.symbol === q.symbol) &&
          (q.kind === undefined || l.body.kind === q.kind) &&
          (from === undefined || l.body.time >= from) &&
          (to === undefined || l.body.time <= to),
      );
      return { labels: list.sort((a, b) => a.body.time.localeCompare(b.body.time)).map((l) => itemJson(l)) };
    },
  );

  app.post<{ Body: LabelBody & { account?: string } }>(
    '/labels',
    { preValidation: needs('trader'), schema: { body: createSchema } },
    async (req, reply) => {
      const owner = ownerOf(req, req.body.account);
      const l = labels().create(owner, stored(req.body));
      return reply.status(201).header('Location', `/api/v1/labels/${l.id}`).send(itemJson(l));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/labels/:id',
    { preValidation: needs('viewer'), schema: { params } },
    async (req) => itemJson(one(req, req.params.id)),
  );

  app.put<{ Params: { id: string }; Body: LabelBody }>(
    '/labels/:id',
    { preValidation: needs('trader'), schema: { params, body: replaceSchema } },
    async (req) => {
      one(req, req.params.id);
      return itemJson(labels().update(req.params.id, stored(req.body))!);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/labels/:id',
    { preValidation: needs('trader'), schema: { params } },
    async (req) => {
      one(req, req.params.id);
      labels().delete(req.params.id);
      return { deleted: req.params.id };
    },
  );
}
