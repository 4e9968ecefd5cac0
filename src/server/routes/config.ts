/**
 * `GET /api/v1/config` (the config in force; any caller: secrets redacted, other accounts' entries
 * left out for traders and viewers) and `PUT /api/v1/config` (admin: validated like
 * `riskgate config validate`, 400 listing problems by path; applied through the node, stricter
 * keys now, the rest from the next trading-day reset — the answer says which is which).
 */
import type { FastifyInstance } from 'fastify';
import { parseDocument } from 'yaml';
import type { RawConfig } from '../../config/schema.ts';
import { validateConfigText } from '../../config/load.ts';
import { tightestOf } from '../../config/tightening.ts';
import { AppError } from '../../errors.ts';
import { maySee, requireRole } from '../auth.ts';
import { needs } from '../guards.ts';
import { reason } from '../schemas.ts';
import type { Principal } from '../api-keys.ts';

export const REDACTED = '[redacted]';
const SECRET_KEY = /secret|password|passphrase|token|credential|apikey|api_key|username|^key/i;

type Json = Record<string, unknown>;

/** A deep copy with every credential-like value replaced by REDACTED. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redact(v),
    ]),
  );
}

/** Puts the values in force back where a client sent REDACTED (a GET, edited, then PUT). */
function unredact(sent: unknown, current: unknown): unknown {
  if (sent === REDACTED) return current;
  if (Array.isArray(sent)) return sent.map((v, i) => unredact(v, Array.isArray(current) ? current[i] : undefined));
  if (!sent || typeof sent !== 'object') return sent;
  const cur = current && typeof current === 'object' ? (current as Json) : {};
  return Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, unredact(v, cur[k])]));
}

/** What a non-admin sees: no other account's overrides, paper balance or venue mapping. */
function visibleTo(p: Principal, c: RawConfig): Json {
  if (p.accounts === '*') return c as unknown as Json;
  const mine = (a: string) => maySee(p, a);
  const out: Json = { ...c, accounts: Object.fromEntries(Object.entries(c.accounts).filter(([a]) => mine(a))) };
  if (c.paper) out.paper = { ...c.paper, accounts: c.paper.accounts.filter((a) => mine(a.id)) };
  const broker = c.broker as Json | undefined;
  if (broker && broker.accounts && typeof broker.accounts === 'object') {
    out.broker = {
      ...broker,
      accounts: Object.fromEntries(
        Object.entries(broker.accounts as Record<string, string>).filter(([, a]) => mine(String(a))),
      ),
    };
  }
  return out;
}

function rulesOf(c: RawConfig, account?: string): Json {
  const out: Json = { ...(c.risk.rules as Json) };
  if (account === undefined) return out;
  for (const [id, keys] of Object.entries((c.accounts[account]?.risk?.rules ?? {}) as Json)) {
    if (keys !== undefined) out[id] = { ...((out[id] as Json | undefined) ?? {}), ...(keys as Json) };
  }
  return out;
}

/** Rule paths the change puts in force now, and those that wait for the next reset. */
export function changePlan(current: RawConfig, next: RawConfig): { appliesNow: string[]; atNextReset: string[] } {
  const now = tightestOf(current, next);
  const appliesNow: string[] = [];
  const atNextReset: string[] = [];
  const scopes: (string | undefined)[] = [
    undefined,
    ...new Set([...Object.keys(current.accounts), ...Object.keys(next.accounts)]),
  ];
  for (const account of scopes) {
    const [c, n, x] = [rulesOf(current, account), rulesOf(now, account), rulesOf(next, account)];
    const prefix = account === undefined ? 'risk.rules' : `accounts.${account}.risk.rules`;
    for (const id of new Set([...Object.keys(c), ...Object.keys(x)]).values()) {
      const [cj, nj, xj] = [c[id], n[id], x[id]].map((v) => JSON.stringify(v ?? null));
      if (cj !== nj) appliesNow.push(`${prefix}.${id}`);
      if (nj !== xj) atNextReset.push(`${prefix}.${id}`);
    }
  }
  return { appliesNow: appliesNow.sort(), atNextReset: atNextReset.sort() };
}

/**
 * The text to validate: a YAML body as sent, a JSON one as JSON (JSON is YAML: one validator for
 * both, the same as `riskgate config validate`), with values sent as REDACTED put back.
 */
function configText(body: Json, current: RawConfig): string {
  const yaml = typeof body.yaml === 'string' && Object.keys(body).length === 1 ? body.yaml : undefined;
  if (yaml === undefined) return JSON.stringify(unredact(body, current));
  const doc = parseDocument(yaml);
  return doc.errors.length > 0 ? yaml : JSON.stringify(unredact(doc.toJS(), current));
}

/** Sections a running node does not change (its broker, paper venue, listener, engine mode): a restart applies them. */
function restartKeys(current: RawConfig, next: RawConfig): string[] {
  const sections: [string, unknown, unknown][] = [
    ['broker', current.broker, next.broker],
    ['paper', current.paper, next.paper],
    ['server', current.server, next.server],
    ['risk.mode', current.risk.mode, next.risk.mode],
  ];
  return sections.filter(([, a, b]) => JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)).map(([k]) => k);
}

export async function configRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string', bodyLimit: 262_144 },
    (_req, body, done) => done(null, { yaml: body as string }),
  );

  app.get('/config', async (req) => {
    const p = requireRole(req, 'viewer');
    const c = app.node.config;
    if (!c) throw new AppError('ERR_NODE_OFFLINE', 'the node has no config yet');
    return { config: redact(visibleTo(p, c)) };
  });

  app.put<{ Body: unknown; Querystring: { reason?: string } }>(
    '/config',
    {
      schema: {
        body: { type: 'object' },
        // Why the change, for the audit trail (the body is the config itself).
        querystring: { type: 'object', additionalProperties: false, properties: { reason } },
      },
      preValidation: needs('admin'),
    },
    async (req, reply) => {
      const p = requireRole(req, 'admin');
      const current = app.node.config;
      if (!current) throw new AppError('ERR_NODE_OFFLINE', 'the node has no config yet');
      const { config, problems } = validateConfigText(configText(req.body as Json, current), 'body');
      if (!config || problems.length > 0) {
        const list = problems.slice(0, 50).map((p) => ({ path: p.path, message: p.message }));
        return reply.status(400).send({
          error: {
            code: 'ERR_CONFIG_INVALID',
            message: `invalid config: ${list.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
            problems: list,
          },
        });
      }
      const plan = { ...changePlan(current, config), restartNeeded: restartKeys(current, config) };
      const why = req.query.reason?.trim();
      const decisions = app.node.changeConfig(config, { actor: `api:${p.id}`, ...(why ? { reason: why } : {}) });
      return {
        ...plan,
        reason: decisions.find((d) => d.account === '*')?.reason ?? '',
        config: redact(app.node.config),
      };
    },
  );
}
