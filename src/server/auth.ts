/**
 * Authentication and per-account isolation (DESIGN §6). Every `/api/` request carries an API key
 * (`X-API-Key`) or a JWT (`Authorization: Bearer`); the principal it yields has a role and the
 * accounts it may see. A trader or viewer asking for an account outside its grant gets the same
 * 404 as for an account that does not exist: the API never tells which accounts exist elsewhere.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Principal, Role } from './api-keys.ts';

export interface Authenticator {
  /** The principal of an API key, undefined when unknown or revoked. */
  fromApiKey(key: string): Principal | undefined;
  /** The principal of a JWT (signature, exp, iss, aud checked), undefined when invalid; absent = JWT not configured. */
  fromToken?(token: string): Promise<Principal | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** Resolves the principal of a request's headers; throws the 401 to answer. */
export async function principalOf(auth: Authenticator, headers: FastifyRequest['headers']): Promise<Principal> {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key !== '') {
    const p = auth.fromApiKey(key);
    if (!p) throw new AppError('ERR_AUTH_INVALID', 'invalid or revoked API key');
    return p;
  }
  const bearer = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) {
    const p = auth.fromToken ? await auth.fromToken(bearer) : undefined;
    if (!p)
      throw new AppError(
        'ERR_AUTH_INVALID',
        auth.fromToken ? 'invalid or expired token' : 'JWT is not configured on this server (server.jwt)',
      );
    return p;
  }
  throw new AppError('ERR_AUTH_REQUIRED', 'authentication required: X-API-Key or Authorization: Bearer <JWT>');
}

export function registerAuth(app: FastifyInstance, auth: Authenticator): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    req.principal = await principalOf(auth, req.headers);
  });
}

/** Whether a principal may see an account at all. */
export function maySee(p: Principal, account: string): boolean {
  return p.accounts === '*' || p.accounts.includes(account);
}

/** The account if the caller may see it and the node knows it; else the one 404 for both. */
export function visibleAccount(req: FastifyRequest, account: string): string {
  const p = req.principal;
  if (!p || !maySee(p, account) || !req.server.node.queries.has(account))
    throw new AppError('ERR_ACCOUNT_UNKNOWN', `unknown account ${account.slice(0, 100)}`);
  return account;
}

/** Refuses (403) a caller whose role is below what the route needs: viewer < trader < admin. */
export function requireRole(req: FastifyRequest, role: Role): Principal {
  const p = req.principal;
  const rank: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };
  if (!p) throw new AppError('ERR_AUTH_REQUIRED');
  if (rank[p.role] < rank[role])
    throw new AppError('ERR_AUTH_FORBIDDEN', `a ${p.role} key may not do this (needs ${role})`);
  return p;
}
