/**
 * Route guards run before schema validation, so a caller whose role may not use a route gets its
 * 403 whatever it sent: 401 (credentials), 403 (role), 400 (input), 404 (account).
 */
import type { FastifyRequest } from 'fastify';
import type { Role } from './api-keys.ts';
import { requireRole } from './auth.ts';

export function needs(role: Role): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    requireRole(req, role);
  };
}

/** An optional body left out is an empty object, so its schema names missing fields, not "body". */
export async function emptyBody(req: FastifyRequest): Promise<void> {
  if (req.body === undefined || req.body === null) req.body = {};
}
